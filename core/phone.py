"""US phone numbers: stored as E.164 (+12052542860), shown as (205) 254-2860."""

import re

import phonenumbers

STORED_US_NUMBER = re.compile(r"\+1(\d{3})(\d{3})(\d{4})")


class InvalidPhoneNumber(ValueError):
    pass


def normalize(raw: str) -> str:
    """Return the E.164 form of a US number, or raise InvalidPhoneNumber."""
    try:
        number = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException as error:
        raise InvalidPhoneNumber(str(error)) from error
    if not phonenumbers.is_valid_number(number) or number.country_code != 1:
        raise InvalidPhoneNumber(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(e164: str) -> str:
    """(205) 254-2860 for +12052542860; anything unparsable is shown as stored."""
    if match := STORED_US_NUMBER.fullmatch(e164):  # the stored form: no parsing needed
        return "({}) {}-{}".format(*match.groups())
    try:
        number = phonenumbers.parse(e164, "US")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
