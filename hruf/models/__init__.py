from .audit import AuditEvent, AuditTrailImmutable
from .notifications import Notification
from .people import Role, RoleAssignment, User
from .places import Country, Entity, Region
from .sweeps import SweepAlarm, SweepHeartbeat
from .tokens import ApiToken

__all__ = [
    "ApiToken",
    "AuditEvent",
    "AuditTrailImmutable",
    "Country",
    "Entity",
    "Notification",
    "Region",
    "Role",
    "RoleAssignment",
    "SweepAlarm",
    "SweepHeartbeat",
    "User",
]
