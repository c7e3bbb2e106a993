"""Reading one value of an imported record: every value is checked and shaped to its column.

A record's keys are taken with dashes or underscores alike (``starts-at`` / ``starts_at``). A
problem raises ``Refused`` naming the place: ``sessions, item 12 (id 2797): starts-at is not a date``.
"""
import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.dateparse import parse_datetime

from openevent.core.html import sanitize_html

from .zipsafe import Refused

URL = URLValidator(schemes=["http", "https"])
EMAIL = EmailValidator()
LENGTH = re.compile(r"^(\d{1,2})[:.](\d{1,2})$")
MINUTES_PER_HOUR = 60
MAX_HOURS = 99
HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
SHORT_HEX_LENGTH = 3
#: Dates of events and sessions fall in these years (others are typing errors or attacks, and a
#: date near year 1 or 9999 cannot even be moved to another time zone).
MIN_YEAR, MAX_YEAR = 1900, 2200
#: PostgreSQL text columns cannot hold NUL; nobody means one in a text.
NUL = "\x00"


def normalized(item):
    """The record with dashed keys as underscores (``starts-at`` -> ``starts_at``)."""
    return {str(key).replace("-", "_"): value for key, value in item.items()}


class Place:
    """Where a record is: ``sessions, item 12 (id 2797)``; its values are read through it."""

    def __init__(self, file, index, record):
        self.file, self.index, self.record = file, index, record
        old = record.get("id")
        self.old_id = old if isinstance(old, (int, str)) and not isinstance(old, bool) else None

    def __str__(self):
        where = f"{self.file}, item {self.index}" if self.index is not None else self.file
        return f"{where} (id {self.old_id})" if self.old_id is not None else where

    def fail(self, key, problem):
        raise Refused(f"{self}: {key.replace('_', '-')} {problem}")

    def first(self, *keys):
        for key in keys:
            if key in self.record and self.record[key] not in (None, ""):
                return key, self.record[key]
        return keys[0], None

    def text(self, *keys, max_length=255, required=False):
        key, value = self.first(*keys)
        if value is None:
            if required:
                self.fail(key, "is missing")
            return ""
        if isinstance(value, (dict, list, bool)):
            self.fail(key, "is not a text")
        return str(value).replace(NUL, "").strip()[:max_length]

    def html(self, *keys, max_length):
        """The sanitized HTML of the value in at most ``max_length`` characters. Sanitizing may
        lengthen a text (``&`` -> ``&amp;``, ``rel`` on links): then the source is cut shorter and
        sanitized again, never the sanitized HTML cut (which could end inside a tag or attribute)."""
        text = self.text(*keys, max_length=max_length)
        clean = sanitize_html(text)
        while len(clean) > max_length:
            text = text[: len(text) - (len(clean) - max_length)]
            clean = sanitize_html(text)
        return clean

    def url(self, *keys, max_length=500):
        """A web address, or "" when the value is not one (old exports hold relative paths)."""
        value = self.text(*keys, max_length=10_000)
        if not value or len(value) > max_length:
            return ""
        try:
            URL(value)
        except ValidationError:
            return ""
        return value

    def email(self, *keys):
        value = self.text(*keys, max_length=254)
        try:
            EMAIL(value)
        except ValidationError:
            return ""
        return value.lower()

    def number(self, *keys, kind=float, minimum=None, maximum=None):
        key, value = self.first(*keys)
        if value is None:
            return None
        if isinstance(value, bool):
            self.fail(key, "is not a number")
        try:
            number = kind(value)
        except (TypeError, ValueError, OverflowError):
            self.fail(key, "is not a number")
        if number != number or (minimum is not None and number < minimum) or (maximum is not None and number > maximum):  # noqa: PLR0124 (NaN)
            self.fail(key, "is out of range")
        return number

    def integer(self, *keys, minimum=None, maximum=None):
        key, value = self.first(*keys)
        if isinstance(value, float) and not value.is_integer():
            self.fail(key, "is not a whole number")
        if isinstance(value, str) and not re.fullmatch(r"-?\d+", value.strip()):
            self.fail(key, "is not a whole number")
        return self.number(*keys, kind=int, minimum=minimum, maximum=maximum)

    def when(self, zone, *keys, required=False):
        """An aware datetime; a time without an offset is in ``zone`` (the event's time zone)."""
        key, value = self.first(*keys)
        if value is None:
            if required:
                self.fail(key, "is missing")
            return None
        if not isinstance(value, str):
            self.fail(key, "is not a date")
        try:
            moment = parse_datetime(value.strip())
        except ValueError:
            moment = None
        if moment is None:
            self.fail(key, "is not a date")
        if not MIN_YEAR <= moment.year <= MAX_YEAR:
            self.fail(key, f"is out of range (years {MIN_YEAR} to {MAX_YEAR})")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        return moment

    def color(self, *keys, default):
        value = self.text(*keys, max_length=20)
        match = HEX.match(value)
        if not match:
            return default
        digits = match.group(1)
        if len(digits) == SHORT_HEX_LENGTH:
            digits = "".join(c * 2 for c in digits)
        return f"#{digits.lower()}"

    def length(self, *keys):
        """A session type's length as HH:MM: "00:25", "3.30" (3 h 30), "0.05", or minutes."""
        key, value = self.first(*keys)
        if value is None:
            return "00:30"
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            minutes = int(value)
        else:
            match = LENGTH.match(str(value).strip())
            if not match or int(match.group(2)) >= MINUTES_PER_HOUR:
                self.fail(key, "is not a length (HH:MM)")
            minutes = int(match.group(1)) * MINUTES_PER_HOUR + int(match.group(2))
        hours, minutes = divmod(max(minutes, 0), MINUTES_PER_HOUR)
        if hours > MAX_HOURS:
            self.fail(key, "is out of range")
        return f"{hours:02d}:{minutes:02d}"


def ref_id(value):
    """The old id a link names: ``12``, ``"12"`` or ``{"id": 12, ...}``; None for no link."""
    if isinstance(value, dict):
        value = value.get("id")
    if value is None or value == "" or isinstance(value, (bool, list, dict, float)):
        return None
    return str(value)


def duration(value):
    """A frab duration "HH:MM" (or "D:HH:MM", "HH:MM:SS") as a timedelta, or None."""
    parts = str(value or "").strip().split(":")
    if not all(part.isdigit() for part in parts) or len(parts) not in (2, 3):
        return None
    numbers = [int(part) for part in parts]
    if len(parts) == 2:  # noqa: PLR2004
        return dt.timedelta(hours=numbers[0], minutes=numbers[1])
    return dt.timedelta(hours=numbers[0], minutes=numbers[1], seconds=numbers[2])
