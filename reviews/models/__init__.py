"""Reviews' models: meetings with their agendas and records, and the commitments their decisions make."""

from .commitments import Commitment, CommitmentStep
from .meetings import DECLINE_REASON_MAX, AgendaItem, Decision, Meeting, WarningDeferral, meeting_title, without_records

__all__ = [
    "DECLINE_REASON_MAX",
    "AgendaItem",
    "Commitment",
    "CommitmentStep",
    "Decision",
    "Meeting",
    "WarningDeferral",
    "meeting_title",
    "without_records",
]
