from .capacity import Deployment
from .enforcement import EnforcementEvent
from .library import TemplateBenchmark
from .plans import Action, ActionStatus, ActionTemplate, ActionUpdate, Benchmark, DeadlineChange, Plan
from .tally import ClosedActionTally

__all__ = [
    "Action",
    "ActionStatus",
    "ActionTemplate",
    "ActionUpdate",
    "Benchmark",
    "ClosedActionTally",
    "DeadlineChange",
    "Deployment",
    "EnforcementEvent",
    "Plan",
    "TemplateBenchmark",
]
