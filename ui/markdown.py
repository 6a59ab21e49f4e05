"""User text inside Streamlit markdown (titles, captions, messages): escaped, so
names of scenarios, zones, workshops and files show as typed, never as links or
formatting. The one escaper of the app."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|$~:])")


def md(text: object) -> str:
    """``text`` made inert inside Streamlit markdown."""
    return _MARKDOWN.sub(r"\\\1", str(text))


@dataclass(frozen=True)
class Strong:
    """A piece of a message shown in bold (see :func:`markdown`)."""

    text: str


def strong(text: object) -> Strong:
    return Strong(str(text))


def markdown(*parts: str | Strong) -> str:
    """Plain-text ``parts`` as markdown: each escaped, :class:`Strong` ones in bold."""
    return "".join(f"**{md(p.text)}**" if isinstance(p, Strong) else md(p) for p in parts)


def plain(*parts: str | Strong) -> str:
    """The same ``parts`` as the plain text a reader sees."""
    return "".join(p.text if isinstance(p, Strong) else str(p) for p in parts)


def bullets(lines) -> str:
    """Plain-text ``lines`` as a markdown list."""
    return "\n".join(f"- {md(line)}" for line in lines)
