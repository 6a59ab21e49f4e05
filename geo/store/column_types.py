"""Column types of the app's tables: the one timestamp type, plans and lists of codes.

**Times** (:class:`UtcTimestamp`): aware UTC datetimes in, the same out. They are
stored as fixed-width ISO-8601 UTC text (``2026-11-25T08:30:00.000000Z``): it sorts
as time sorts and reads the same on SQLite and PostgreSQL, and it is what the
databases made by earlier releases hold. Rows written by earlier releases of the
area-vasta log and of the collaborations hold ``datetime.isoformat()`` text instead
(``2026-11-25T08:30:00+00:00``): both are read; every write uses the first.

**Plans** (:class:`PlanJson`) and **lists of ISTAT codes** (:class:`CodeList`) are
JSON text, written exactly as earlier releases wrote them.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import sqlalchemy as sa

from geo.zoning.plan import Plan

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
TEXT_LENGTH = 32


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(timezone.utc)


def to_text(moment: datetime) -> str:
    """``moment`` (aware) as the stored text; a naive datetime is refused."""
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"A stored time must be an aware datetime, not {moment!r}.")
    return moment.astimezone(timezone.utc).strftime(TIME_FORMAT)


def from_text(text: str) -> datetime:
    """Stored text (either format of the module docstring) as an aware UTC datetime."""
    try:
        return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=timezone.utc)
    except ValueError:
        moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"Stored time without a timezone: {text!r}.")
    return moment.astimezone(timezone.utc)


class UtcTimestamp(sa.types.TypeDecorator):
    """A column of aware UTC datetimes, stored as ``VARCHAR(32)`` text (see module docstring).

    Binding a naive datetime raises ``ValueError`` (a ``StatementError`` from
    SQLAlchemy): a time whose zone is unknown is never written.
    """

    impl = sa.String(TEXT_LENGTH)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else to_text(value)

    def process_result_value(self, value, dialect):
        return None if value is None else from_text(value)


class PlanJson(sa.types.TypeDecorator):
    """A :class:`~geo.zoning.plan.Plan` as compact JSON text (:meth:`Plan.to_dict`)."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else json.dumps(value.to_dict(), ensure_ascii=False, separators=(",", ":"))

    def process_result_value(self, value, dialect):
        return None if value is None else Plan.from_dict(json.loads(value))


class CodeList(sa.types.TypeDecorator):
    """A tuple of ISTAT codes as a JSON list (``["017001", "017002"]``), in the order given."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else json.dumps(list(value))

    def process_result_value(self, value, dialect):
        return None if value is None else tuple(json.loads(value))
