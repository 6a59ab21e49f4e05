"""Secrets people type: random ones made here, and how they are kept (hashed, salted).

The coordination password and a workshop's facilitator key are never stored: only
a salted scrypt hash (:func:`hash_secret`, standard library ``hashlib``), checked in
constant time (:func:`secret_matches`). A stored hash reads
``scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>``, so its cost parameters travel with it.

Random secrets (:func:`random_secret`) are drawn with :mod:`secrets` from an alphabet
without look-alikes (no 0/o, 1/l/i), in dash-separated groups so they can be read
aloud and typed; typed ones are compared without case, spaces or dashes
(:func:`normalize_secret`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # 31 symbols: 4.95 bits each
# scrypt cost: n=2**14, r=8 is 16 MB and ~40 ms per check here (interactive logins,
# as RFC 7914 suggests); a few attempts per minute are allowed anyway.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
_SCRYPT_MAXMEM = 64 * 1024 * 1024
_SEPARATORS = re.compile(r"[\s\-_.]+")
MAX_TYPED_LENGTH = 200  # longer typed text is not a secret of ours: refused before hashing


def random_secret(groups: int = 4, size: int = 5) -> str:
    """``groups`` groups of ``size`` random symbols joined by dashes, e.g. ``"k7pqr-2mxwe-..."``
    (4 x 5 symbols: 99 bits)."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(size)) for _ in range(groups))


def normalize_secret(typed: object) -> str:
    """A typed secret as it is compared: lower case, without spaces, dashes, dots or underscores."""
    return _SEPARATORS.sub("", str(typed or "")).lower()


def _scrypt(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_SCRYPT_MAXMEM, dklen=32)


def hash_secret(secret: str) -> str:
    """The salted scrypt hash of a secret (normalised first), as stored."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(normalize_secret(secret), salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def secret_matches(typed: object, stored: str) -> bool:
    """True when ``typed`` is the secret whose hash is ``stored`` (constant-time comparison).
    A malformed stored value or an over-long typed one never matches."""
    text = str(typed or "")
    if not text or len(text) > MAX_TYPED_LENGTH:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = _scrypt(normalize_secret(text), bytes.fromhex(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, bytes.fromhex(digest))


def same_secret(typed: object, configured: str) -> bool:
    """True when ``typed`` equals a secret held in clear by the server (a password an
    administrator chose, set in an environment variable): exactly, but for spaces at the
    ends, in constant time."""
    text = str(typed or "").strip()
    if not text or len(text) > MAX_TYPED_LENGTH or not configured.strip():
        return False
    left = hashlib.sha256(text.encode("utf-8")).digest()
    right = hashlib.sha256(configured.strip().encode("utf-8")).digest()
    return hmac.compare_digest(left, right)
