from .alerts import Alert
from .evidence import EvidenceFile
from .external import ExternalRiskScore, ExternalRiskSnapshot
from .matrix import CaseIndicator, Indicator, MatrixVersion, RiskFactor
from .scans import Confidence, Rating, Scan, ScanRevision, Trend
from .warnings import EarlyWarning, WarningStep

__all__ = [
    "Alert",
    "CaseIndicator",
    "Confidence",
    "EarlyWarning",
    "EvidenceFile",
    "ExternalRiskScore",
    "ExternalRiskSnapshot",
    "Indicator",
    "MatrixVersion",
    "Rating",
    "RiskFactor",
    "Scan",
    "ScanRevision",
    "Trend",
    "WarningStep",
]
