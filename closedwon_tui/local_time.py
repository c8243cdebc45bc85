"""The rep's calendar: the system's time zone, or the one the `timezone` setting names.

Every local date and month in closedwon (today, overdue, this month, quarter and year) is
read through `datetime.astimezone()`, i.e. the process's local zone; the setting makes its
zone the process's own, so they all follow it together.
"""

from __future__ import annotations

import os
import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def use_time_zone(name: str) -> None:
    """Make `name` ("Area/City") this process's local time zone; an empty name keeps the system's.

    Raises ValueError, naming what was found, when it is not a time zone (the settings check the
    `timezone` key when they are read, so a rep meets that message there).
    """
    name = name.strip()
    if not name:
        return
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f'timezone must be a time zone such as "Europe/Berlin", not {name!r}') from None
    os.environ["TZ"] = name
    time.tzset()
