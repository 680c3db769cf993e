from .meetings import (
    agenda_add,
    agenda_move,
    agenda_publish,
    agenda_remove,
    agenda_reorder,
    meeting_advance,
    meeting_create,
    meeting_detail,
    meeting_list,
    meeting_print,
)
from .records import enhanced_confirm, enhanced_decline, item_record
from .sag import alert_flag, sag_candidates, sag_take
from .warnings import warning_defer

__all__ = [
    "agenda_add",
    "agenda_move",
    "agenda_publish",
    "agenda_remove",
    "agenda_reorder",
    "alert_flag",
    "enhanced_confirm",
    "enhanced_decline",
    "item_record",
    "meeting_advance",
    "meeting_create",
    "meeting_detail",
    "meeting_list",
    "meeting_print",
    "sag_candidates",
    "sag_take",
    "warning_defer",
]
