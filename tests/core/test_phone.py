import pytest

from core import phone


@pytest.mark.parametrize(
    "typed", ["205 254-2860", "(205) 254-2860", "205.254.2860", "+1 205 254 2860", "2052542860"]
)
def test_us_numbers_are_stored_in_e164(typed):
    assert phone.normalize(typed) == "+12052542860"


@pytest.mark.parametrize("typed", ["", "abc", "254-2860", "+44 20 7946 0958", "555-0100x"])
def test_numbers_that_are_not_us_numbers_are_refused(typed):
    with pytest.raises(phone.InvalidPhoneNumber):
        phone.normalize(typed)


def test_numbers_are_shown_the_local_way():
    assert phone.display("+12059334175") == "(205) 933-4175"
