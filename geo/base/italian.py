"""Italian conventions for what users read: numbers (1.234,5), dates (25 novembre
2026) and times, always in Italian local time (Europe/Rome).

Babel formats them from the CLDR data of ``it_IT``; the number pattern is written
out here because ISTAT and the app group thousands from four digits on (5.000,
1.234), which must not depend on a locale setting of the CLDR release.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

LOCALE = Locale.parse("it_IT")
LOCAL_TIMEZONE = ZoneInfo("Europe/Rome")


def format_number(value: object, decimals: int = 0) -> str:
    """``1234.5`` -> ``"1.234,5"``; ``None``/NaN -> ``"–"`` (en dash).

    Rounding is half-to-even on the exact binary value, as Python's own formatting
    (``2.675`` with 2 decimals is ``"2,67"``: the float is 2.67499...).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    # + 0.0 turns -0.0 into 0.0: the two are one cache key, and "-0" helps nobody.
    return _formatted(float(value) + 0.0, int(decimals))


@lru_cache(maxsize=8192)
def _formatted(value: float, decimals: int) -> str:
    # Cached: the editor's tables format the same residents and shares on every click.
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    # Decimal(float) is exact; Babel would otherwise round the float's shortest repr.
    return format_decimal(Decimal(value), pattern, locale=LOCALE)


def today_in_italy(now: dt.datetime | None = None) -> dt.date:
    """The date in Italy at ``now`` (aware; default: now), whatever the server's
    timezone (a UTC server is a day behind from midnight to 01:00 or 02:00 in Rome)."""
    return _local(now or dt.datetime.now(LOCAL_TIMEZONE)).date()


def italian_date(day: dt.date) -> str:
    """``date(2026, 11, 25)`` -> ``"25 novembre 2026"``."""
    return format_date(day, "d MMMM y", locale=LOCALE)


def _local(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("Serve un orario con fuso orario (UTC), non un orario senza fuso.")
    return moment.astimezone(LOCAL_TIMEZONE)


def local_time_text(moment: dt.datetime) -> str:
    """An aware time in Italian local time: ``"25 novembre 2026, ore 09:42"``."""
    return format_datetime(_local(moment), "d MMMM y, 'ore' HH:mm", locale=LOCALE)


def format_timestamp(moment: dt.datetime) -> str:
    """An aware time as Italians read it, in Italian local time: ``"25/11/2026 09:42"``."""
    return format_datetime(_local(moment), "dd/MM/yyyy HH:mm", locale=LOCALE)


def local_time(moment: dt.datetime) -> str:
    """Hours and minutes of an aware time in Italian local time: ``"09:42"``."""
    return format_datetime(_local(moment), "HH:mm", locale=LOCALE)
