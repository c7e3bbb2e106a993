"""Path converters of the sessions app's pages."""
import datetime


class IsoDateConverter:
    """A calendar date spelled ``YYYY-MM-DD``; an impossible one (2026-02-30) matches no route
    (404)."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value):
        return datetime.date.fromisoformat(value)  # ValueError: Django tries the next route

    def to_url(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
