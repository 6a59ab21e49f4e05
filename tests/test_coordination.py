"""The coordination password (made once, kept hashed), hashing of typed secrets, and the
limits on attempts (SQLite and PostgreSQL through the ``store`` fixture)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from geo.base.passwords import hash_secret, normalize_secret, random_secret, same_secret, secret_matches
from geo.store.attempts import AttemptLog, Limit, TooManyAttempts, wait_text
from geo.store.coordination import PASSWORD, CoordinationPassword
from geo.store.database import Store

T0 = datetime(2026, 3, 12, 9, 0, tzinfo=timezone.utc)


def test_random_secrets_are_long_readable_and_different():
    made = {random_secret() for _ in range(200)}
    assert len(made) == 200
    one = next(iter(made))
    groups = one.split("-")
    assert len(groups) == 4 and all(len(g) == 5 for g in groups)
    assert not set(one) & set("0o1li")  # no look-alikes


def test_a_hash_is_salted_and_never_the_secret():
    first, second = hash_secret("k7pqr-2mxwe"), hash_secret("k7pqr-2mxwe")
    assert first != second and "k7pqr" not in first and first.startswith("scrypt$16384$8$1$")
    assert secret_matches("K7PQR 2MXWE", first) and secret_matches("k7pqr2mxwe", second)
    assert normalize_secret(" K7pq-r ") == "k7pqr"
    for wrong in ("", "k7pqr-2mxwf", "x" * 201, None):
        assert not secret_matches(wrong, first)
    assert not secret_matches("k7pqr-2mxwe", "md5$abc") and not secret_matches("k7pqr-2mxwe", "rotto")


def test_a_configured_password_is_compared_exactly():
    assert same_secret("  Campo-2026 ", "Campo-2026")
    assert not same_secret("campo-2026", "Campo-2026") and not same_secret("", "") and not same_secret("x", "")


def test_the_password_is_made_once_and_kept_only_as_a_hash(store):
    coordination = CoordinationPassword(store)
    assert coordination.created_at() is None and not coordination.matches("qualsiasi")
    made = coordination.ensure()
    assert made and coordination.ensure() is None and CoordinationPassword(store).ensure() is None
    assert coordination.matches(made) and not coordination.matches(made + "x")
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(PASSWORD.c.password_hash)).scalars().all()
    assert len(stored) == 1 and made not in stored[0] and normalize_secret(made) not in stored[0]
    again = coordination.replace()
    assert coordination.matches(again) and not coordination.matches(made)


def test_two_processes_starting_together_make_one_password(store):
    """Eight "processes" (stores of their own on one database) ask at the same moment:
    exactly one makes and prints the password, the others find it."""
    CoordinationPassword(store)  # the table exists (concurrent migrations are another matter)
    stores = [Store(store.url) for _ in range(8)]
    barrier, made, errors = threading.Barrier(8, timeout=60), [], []

    def start(s: Store) -> None:
        try:
            coordination = CoordinationPassword(s)
            barrier.wait()
            made.append(coordination.ensure())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    printed = [m for m in made if m]
    assert len(printed) == 1 and CoordinationPassword(store).matches(printed[0])
    for s in stores:
        s.close()


def test_failed_attempts_are_limited_per_key_within_the_window(store):
    attempts, limit = AttemptLog(store), Limit(failures=5, window_seconds=60)
    keys = ["nome:w1:anna", "browser:abc"]
    for n in range(5):
        attempts.check("pin", keys, limit, "il codice personale", now=T0 + timedelta(seconds=n))
        attempts.record("pin", keys, False, now=T0 + timedelta(seconds=n))
    with pytest.raises(TooManyAttempts, match="Troppi tentativi sbagliati per il codice personale: riprova tra 50 "
                                              "secondi") as refused:
        attempts.check("pin", keys, limit, "il codice personale", now=T0 + timedelta(seconds=10))
    assert refused.value.wait_seconds == 50
    # another browser trying the same name is refused too; the same browser on another name too
    for other in (["nome:w1:anna", "browser:xyz"], ["nome:w1:luca", "browser:abc"]):
        with pytest.raises(TooManyAttempts):
            attempts.check("pin", other, limit, "il codice personale", now=T0 + timedelta(seconds=10))
    attempts.check("pin", ["nome:w1:luca", "browser:xyz"], limit, "x", now=T0 + timedelta(seconds=10))
    attempts.check("pin", keys, limit, "x", now=T0 + timedelta(seconds=61))  # the first failure left the window
    attempts.check("coordinamento", keys, limit, "x", now=T0 + timedelta(seconds=10))  # kinds are apart
    assert attempts.failures("pin", "nome:w1:") == 5


def test_successes_do_not_count_and_old_rows_are_purged(store):
    attempts, limit = AttemptLog(store), Limit(failures=2, window_seconds=60)
    for n in range(5):
        attempts.record("pin", ["k"], True, now=T0 + timedelta(seconds=n))
    attempts.check("pin", ["k"], limit, "x", now=T0 + timedelta(seconds=6))
    attempts.record("pin", ["k"], False, now=T0 + timedelta(days=40))
    assert attempts.failures("pin") == 1
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM tentativi")).scalar() == 1


def test_waits_read_as_italian():
    assert (wait_text(1), wait_text(42), wait_text(60), wait_text(61)) == (
        "riprova tra 1 secondo", "riprova tra 42 secondi", "riprova tra 1 minuto", "riprova tra 2 minuti")
