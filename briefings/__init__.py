"""Briefing packs as PDF: the RQR agenda pack, the SAG pack and the monthly briefing for Security Council political coordinators."""
