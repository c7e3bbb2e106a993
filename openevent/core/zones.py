"""Timezone names, as events store them: the IANA names Python's ``zoneinfo`` knows."""
import zoneinfo
from functools import cache

#: Files of the system's tz database that are not zones of their own: ``localtime`` is this
#: machine's zone (whatever it is where the code runs), ``posixrules`` a template of rules.
NOT_ZONES = frozenset({"localtime", "posixrules"})


@cache
def zone_names():
    """Every known name (read once: ``zoneinfo.available_timezones`` walks the tz database)."""
    return frozenset(zoneinfo.available_timezones()) - NOT_ZONES


def time_zone(name):
    """The timezone called ``name``, or None when there is none of that name."""
    if not isinstance(name, str) or name not in zone_names():
        return None
    return zoneinfo.ZoneInfo(name)
