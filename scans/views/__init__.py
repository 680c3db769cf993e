from .alerts import alert_create, alert_detail, alert_list
from .browsing import case_indicator_add, country_detail, country_list, scan_detail
from .editing import scan_amend, scan_edit, scan_start

__all__ = [
    "alert_create",
    "alert_detail",
    "alert_list",
    "case_indicator_add",
    "country_detail",
    "country_list",
    "scan_amend",
    "scan_detail",
    "scan_edit",
    "scan_start",
]
