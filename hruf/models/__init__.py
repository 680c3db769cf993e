from .audit import AuditEvent, AuditTrailImmutable
from .notifications import Notification
from .people import Role, RoleAssignment, User
from .places import Country, Entity, Region

__all__ = [
    "AuditEvent",
    "AuditTrailImmutable",
    "Country",
    "Entity",
    "Notification",
    "Region",
    "Role",
    "RoleAssignment",
    "User",
]
