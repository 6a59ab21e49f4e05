"""Italian numbers, dates and times as users read them (expected texts written by hand)."""

import datetime as dt
import math

import numpy as np
import pytest

from geo.base.italian import (
    format_number, format_timestamp, italian_date, local_time, local_time_text, today_in_italy,
)

UTC = dt.timezone.utc


@pytest.mark.parametrize("value, decimals, text", [
    (1234.5, 1, "1.234,5"),
    (1234, 0, "1.234"),          # four digits are grouped, as ISTAT writes them
    (5000, 0, "5.000"),
    (999, 0, "999"),
    (12345678.25, 2, "12.345.678,25"),
    (-1234.5, 1, "-1.234,5"),
    (0.05, 2, "0,05"),
    (7, 2, "7,00"),              # the decimals asked for, always
    (2.675, 2, "2,67"),          # the float is 2.67499...: rounded as Python rounds it
    (0.125, 2, "0,12"),          # exactly half: to even
    (1234.5, 0, "1.234"),
    (1235.5, 0, "1.236"),
    (np.int64(21234), 0, "21.234"),
    (np.float64(33.333), 1, "33,3"),
    (-0.0, 0, "0"),
])
def test_numbers_in_italian(value, decimals, text):
    assert format_number(value, decimals) == text


@pytest.mark.parametrize("missing", [None, math.nan, np.float64("nan")])
def test_a_missing_number_is_a_dash(missing):
    assert format_number(missing, 1) == "–"


def test_dates_with_italian_month_names():
    assert italian_date(dt.date(2026, 1, 1)) == "1 gennaio 2026"
    assert italian_date(dt.date(2026, 11, 25)) == "25 novembre 2026"
    months = [italian_date(dt.date(2026, m, 3)).split()[1] for m in range(1, 13)]
    assert months == ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
                      "settembre", "ottobre", "novembre", "dicembre"]


def test_times_are_in_rome_with_summer_time():
    winter = dt.datetime(2026, 1, 15, 8, 42, tzinfo=UTC)   # CET, UTC+1
    summer = dt.datetime(2026, 7, 15, 7, 5, tzinfo=UTC)    # CEST, UTC+2
    assert local_time_text(winter) == "15 gennaio 2026, ore 09:42"
    assert local_time_text(summer) == "15 luglio 2026, ore 09:05"
    assert format_timestamp(summer) == "15/07/2026 09:05"
    assert local_time(winter) == "09:42"
    # 23:30 UTC on 31 December is already the new year in Rome
    assert format_timestamp(dt.datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "01/01/2027 00:30"


def test_a_time_without_timezone_is_refused():
    with pytest.raises(ValueError):
        format_timestamp(dt.datetime(2026, 1, 15, 8, 42))


def test_today_is_the_date_in_rome_not_on_the_server():
    assert today_in_italy(dt.datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == dt.date(2027, 1, 1)  # 00:30 in Rome
    assert today_in_italy(dt.datetime(2026, 12, 31, 22, 30, tzinfo=UTC)) == dt.date(2026, 12, 31)
    assert abs(today_in_italy() - dt.date.today()) <= dt.timedelta(days=1)
