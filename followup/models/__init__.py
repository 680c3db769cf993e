from .enforcement import EnforcementEvent
from .plans import Action, ActionStatus, ActionTemplate, ActionUpdate, Benchmark, Plan

__all__ = [
    "Action",
    "ActionStatus",
    "ActionTemplate",
    "ActionUpdate",
    "Benchmark",
    "EnforcementEvent",
    "Plan",
]
