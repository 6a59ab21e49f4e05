"""The one base class of refusals written for the user.

Every domain error whose message is plain Italian, ready to show (a plan that
refuses a move, a scenario changed in another session, a file that cannot be
read...), derives from :class:`UserError`: the glue catches this one class and shows
``str(error)``, escaped, as text. Anything else is a bug: logged, with a generic
Italian message.
"""

from __future__ import annotations


class UserError(ValueError):
    """A refusal whose message is in Italian, for the user (shown as plain text).

    A ``ValueError`` because every such refusal is about a value the user gave.
    """
