"""Indonesian phone numbers, normalised to E.164 (SPEC §6), using ``phonenumbers``.

Every stored phone number is in E.164 form ("+6281234567890"): it is the form the SMS
gateway needs and the one the keyed hash of ``ReporterProfile.phone_hash`` is taken of, so
"0812-3456-7890" and "+62 812 3456 7890" must become the same string or one person would
have two accounts.

Accepted ways of writing an Indonesian number:

- national, with the trunk 0: "0812-3456-7890", "(0511) 477 2000";
- international: "+62 812 3456 7890", also with the stray 0 people keep: "+62 0812 …";
- international without the plus, as WhatsApp shows it: "6281234567890";
- national without the trunk 0: "812 3456 7890". Forms often print "+62" in front of the
  field, so people type the rest; ``phonenumbers`` reads digits without a country code
  as a national number, and a national number valid without its 0 is taken as meant.

A number starting with 62 but no plus could in principle also be a North Sumatran
landline written without its 0 (area codes 062x). ``phonenumbers`` settles it: it takes
the 62 as the country code when the rest is a valid Indonesian number and keeps it as
part of the national number otherwise.
"""
from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

INDONESIA = "ID"
INDONESIA_CALLING_CODE = 62


# What is wrong, and what is right: the format people recognise.
INVALID = _("Nomor telepon tidak valid. Tulis nomor Indonesia, misalnya 0812-3456-7890.")


def normalize_phone(raw: str, *, allow_foreign: bool = False) -> str:
    """``raw`` as E.164, or ``ValidationError`` (code ``invalid`` or ``foreign``).

    Numbers with another country code are refused unless ``allow_foreign``; a number
    without a country code is always read as Indonesian.
    """
    try:
        number = phonenumbers.parse(raw, INDONESIA)
    except phonenumbers.NumberParseException:
        raise ValidationError(INVALID, code="invalid") from None
    # A foreign number is named as such even when it is also mistyped: "only Indonesian
    # numbers" is the more useful answer to someone who typed a Malaysian number.
    if number.country_code != INDONESIA_CALLING_CODE and not allow_foreign:
        raise ValidationError(_("Hanya nomor Indonesia (+62) yang diterima."), code="foreign")
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID, code="invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(e164: str) -> bool:
    """Whether an E.164 number is known to be a mobile one, i.e. can receive an SMS.

    Only numbers ``phonenumbers`` classes as mobile count; "fixed line or mobile" (how it
    classes every number of some countries, such as the US) does not, because an SMS to a
    landline is silently lost. Anything unparsable is not mobile.
    """
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
