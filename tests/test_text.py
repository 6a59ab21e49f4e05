"""The one cleaner of user text: what it keeps, what it drops, how it refuses."""

import pytest

from geo.base.errors import UserError
from geo.base.text import clean_text


class FieldError(UserError):
    pass


def line(value, limit=20, **kwargs):
    return clean_text(value, limit, too_long=kwargs.pop("too_long", "Troppo lungo."), **kwargs)


@pytest.mark.parametrize("typed, kept", [
    ("  Zona   del Mella ", "Zona del Mella"),
    ("Zona\tdel\nMella", "Zona del Mella"),          # tabs and line breaks of a pasted cell
    ("Zona\x00 del\x07 Mella\x1b", "Zona del Mella"),  # invisible control characters dropped
    ("Zona\u00a0del\u2028Mella", "Zona del Mella"),    # no-break space, line separator
    ("Città «è» 2°", "Città «è» 2°"),                  # letters and signs stay as typed
    (None, ""),
    (17088, "17088"),
])
def test_one_line_fields(typed, kept):
    assert line(typed) == kept


def test_notes_keep_their_line_breaks():
    typed = "\n  Prima   riga\x00\r\n\n\tseconda riga  \n\n"
    assert line(typed, 100, multiline=True) == "Prima riga\n\nseconda riga"


def test_required_and_too_long_raise_the_feature_error_with_its_message():
    with pytest.raises(FieldError, match="^Scrivi il nome.$"):
        line(" \x00\t ", empty="Scrivi il nome.", error=FieldError)
    assert line("", empty=None) == ""
    with pytest.raises(FieldError, match="^Troppo lungo.$"):
        line("x" * 21, error=FieldError)
    assert line("x" * 20) == "x" * 20  # the limit itself is allowed, counted after cleaning
    assert line("  " + "x" * 20 + "  ") == "x" * 20


def test_without_a_message_a_long_text_is_cut():
    assert clean_text("Maria   Rossi Bianchi", 12, too_long=None) == "Maria Rossi"  # cut, no trailing space



def test_comuni_are_found_ignoring_accents_apostrophes_spaces_and_case():
    from geo.base.text import find_by_name, search_key

    assert search_key("Sant'Angelo Lodigiano") == "santangelolodigiano"
    assert search_key("Città di Castello") == search_key("citta di castello") == "cittadicastello"
    names = {"017159": "Quinzano d'Oglio", "017170": "Salò", "017055": "Cividate Camuno",
             "016076": "Cividate al Piano", "019086": "Romanengo"}
    assert find_by_name(names, "quinzano doglio") == ["017159"]
    assert find_by_name(names, "SALO") == ["017170"]
    assert find_by_name(names, "cividate") == ["016076", "017055"]  # alphabetical: al Piano, Camuno
    assert find_by_name(names, "ano") == ["016076", "017159"] and find_by_name(names, "  '  ") == []
    assert find_by_name(names, "rom") == ["019086"]  # a name that starts with it comes first
