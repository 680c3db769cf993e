"""Evidence in API answers, as scans.selectors left it for the reader."""

from rest_framework import serializers


class WithheldEvidenceFields(serializers.Serializer):
    """`evidence` and `evidence_withheld` of a rating or an alert that went through
    scans.selectors (ratings_read_by, alerts_read_by), which blanked what the reader may not read;
    an object that did not has no evidence_withheld and fails here rather than going out unredacted."""

    evidence = serializers.SerializerMethodField()
    evidence_withheld = serializers.SerializerMethodField(help_text="Restricted evidence you may not read.")

    def get_evidence(self, obj) -> str:
        return "" if obj.evidence_withheld else obj.evidence

    def get_evidence_withheld(self, obj) -> bool:
        return obj.evidence_withheld
