"""What the navigation costs on every page, for the query counts of the page tests."""

from hruf.permissions import forget_scope, scope_of


def warning_badge_queries(user) -> int:
    """The navigation counts the warnings waiting for a chair or EOSG (scans/templatetags/
    warning_tags.py): one query on their pages, none on anyone else's."""
    forget_scope(user)
    s = scope_of(user)
    return 1 if s.is_eosg or s.chair_regions else 0
