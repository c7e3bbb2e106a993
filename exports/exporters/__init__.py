"""Schedule exporters: iCalendar, xCal, frab/C3VOC XML (``pentabarf``) and frab JSON, registered
by identifier in ``EXPORTERS``; ``get_exporter(identifier)`` gives one. See ``base``."""

from . import frab, ical  # noqa: F401 -- registers the exporters
from .base import EXPORTERS, Exporter, get_exporter, register

__all__ = ["EXPORTERS", "Exporter", "get_exporter", "register"]
