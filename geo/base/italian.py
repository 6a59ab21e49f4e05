"""Italian conventions for what users read: numbers (1.234,5), dates (25 novembre
2026) and times, always in Italian local time (Europe/Rome)."""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

LOCAL_TIMEZONE = ZoneInfo("Europe/Rome")
MONTHS = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
          "ottobre", "novembre", "dicembre")


def format_number(value: object, decimals: int = 0) -> str:
    """``1234.5`` -> ``"1.234,5"``; ``None``/NaN -> ``"–"`` (en dash)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def italian_date(day: dt.date) -> str:
    """``date(2026, 11, 25)`` -> ``"25 novembre 2026"``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def local_time_text(moment: dt.datetime) -> str:
    """An aware time in Italian local time: ``"25 novembre 2026, ore 09:42"``."""
    local = moment.astimezone(LOCAL_TIMEZONE)
    return f"{italian_date(local.date())}, ore {local:%H:%M}"


def format_timestamp(moment: dt.datetime) -> str:
    """A UTC time as Italians read it, in Italian local time: ``"25/11/2026 09:42"``."""
    return moment.astimezone(LOCAL_TIMEZONE).strftime("%d/%m/%Y %H:%M")


def local_time(moment: dt.datetime) -> str:
    """Hours and minutes in Italian local time: ``"09:42"``."""
    return moment.astimezone(LOCAL_TIMEZONE).strftime("%H:%M")
