import pytest

from geo.base.codes import istat_code


@pytest.mark.parametrize("raw, expected", [
    ("017088", "017088"), (17088, "017088"), ("17088", "017088"), (17088.0, "017088"),
    (" 017088 ", "017088"), ("17088.0", "017088"),
])
def test_codes_are_six_character_strings(raw, expected):
    assert istat_code(raw) == expected


@pytest.mark.parametrize("raw", ["", "abc", "1234567", "17 088", 17088.5, True, None, "-17088"])
def test_bad_codes_are_refused(raw):
    with pytest.raises(ValueError):
        istat_code(raw)
