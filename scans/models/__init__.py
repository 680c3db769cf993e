from .alerts import Alert
from .matrix import CaseIndicator, Indicator, MatrixVersion, RiskFactor
from .scans import Confidence, Rating, Scan, ScanRevision, Trend

__all__ = [
    "Alert",
    "CaseIndicator",
    "Confidence",
    "Indicator",
    "MatrixVersion",
    "Rating",
    "RiskFactor",
    "Scan",
    "ScanRevision",
    "Trend",
]
