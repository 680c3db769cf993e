"""The catalogue of notifications: every notification is a code with parameters, rendered in
the reader's language in the inbox and the API, and in the recipient's when mailed.

Each app adds its own notices (scans/notices.py, reviews/notices.py, followup/notices.py,
loaded by their AppConfig.ready), so a text lives beside the rule that sends it and this
lower layer imports nothing from above.
"""

from django.utils.translation import gettext_lazy as _

from .codes import LEGACY, Catalogue

NOTICES = Catalogue(
    "notifications",
    fallback={"subject": _("A notification that can no longer be shown"), "body": ""},
)

# Rows written before notifications were coded keep their sentence as it was written.
NOTICES.add(LEGACY, subject="%(subject)s", body="%(body)s")


def notice_subject(code: str, params: dict, *, language: str | None = None) -> str:
    subject = NOTICES.render(code, params, "subject", language=language)
    # A line break in a subject makes the mail library refuse the message.
    return " ".join(subject.split())[:200]


def notice_body(code: str, params: dict, *, language: str | None = None) -> str:
    return NOTICES.render(code, params, "body", language=language)


def render_notice(code: str, params: dict, *, language: str | None = None) -> tuple[str, str]:
    """(subject, body) in `language`, or the active language when None."""
    return notice_subject(code, params, language=language), notice_body(code, params, language=language)
