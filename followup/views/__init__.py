from .actions import (
    action_detail,
    action_extend,
    action_reassign,
    action_reopen,
    action_update,
    benchmark_create,
    benchmark_met,
    my_actions,
)
from .dashboard import dashboard
from .library import template_create, template_edit, template_list
from .plans import action_create, plan_close, plan_create, plan_detail, plan_list

__all__ = [
    "action_create",
    "action_detail",
    "action_extend",
    "action_reassign",
    "action_reopen",
    "action_update",
    "benchmark_create",
    "benchmark_met",
    "dashboard",
    "my_actions",
    "plan_close",
    "plan_create",
    "plan_detail",
    "plan_list",
    "template_create",
    "template_edit",
    "template_list",
]
