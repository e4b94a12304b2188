import pytest
from django.core.exceptions import ValidationError

from lapor.accounts.phone import is_mobile, normalize_phone

MOBILE = "+6281234567890"


@pytest.mark.parametrize(
    "typed",
    [
        "0812-3456-7890",
        "081234567890",
        "0812 3456 7890",
        "+62 812 3456 7890",
        "+62-812-3456-7890",
        "+6281234567890",
        "6281234567890",  # as WhatsApp shows it
        "62 812 3456 7890",
        "812 3456 7890",  # typed after a "+62" printed beside the field
        "81234567890",
        "+62 0812 3456 7890",  # the stray trunk 0 after the country code
        "(+62) 812-3456-7890",
        " 0812.3456.7890 ",
    ],
)
def test_every_way_of_writing_one_mobile_number_gives_the_same_e164(typed):
    assert normalize_phone(typed) == MOBILE


@pytest.mark.parametrize(
    "typed, e164",
    [
        ("(0511) 477 2000", "+625114772000"),  # Banjarmasin
        ("021-1234-5678", "+622112345678"),  # Jakarta
        ("+62 21 1234 5678", "+622112345678"),
        ("62 21 1234 5678", "+622112345678"),
        ("0622 123456", "+62622123456"),  # Pematang Siantar, an area code that starts with 62
    ],
)
def test_landlines_are_normalised_too(typed, e164):
    assert normalize_phone(typed) == e164


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "abc",
        "08123",  # too short
        "0812-3456-7890-1234",  # too long
        "112",  # an emergency short code, not a subscriber
        "0062 812 3456 7890",  # an international prefix phonenumbers does not read as such
        "+62",
    ],
)
def test_what_is_not_a_valid_number_is_rejected(typed):
    with pytest.raises(ValidationError) as caught:
        normalize_phone(typed)
    assert caught.value.code == "invalid"
    assert caught.value.messages == ["Nomor telepon tidak valid. Tulis nomor Indonesia, misalnya 0812-3456-7890."]


@pytest.mark.parametrize("typed", ["+1 650 253 0000", "+60 12-345 6789", "+44 7911 123456", "+60 12-345"])
def test_a_foreign_number_is_rejected_even_if_it_is_also_mistyped(typed):
    with pytest.raises(ValidationError) as caught:
        normalize_phone(typed)
    assert caught.value.code == "foreign"
    assert caught.value.messages == ["Hanya nomor Indonesia (+62) yang diterima."]


def test_a_foreign_number_is_accepted_when_allowed():
    assert normalize_phone("+1 650 253 0000", allow_foreign=True) == "+16502530000"
    assert normalize_phone("+60 12-345 6789", allow_foreign=True) == "+60123456789"


def test_an_allowed_foreign_number_must_still_be_valid():
    with pytest.raises(ValidationError) as caught:
        normalize_phone("+60 12-345", allow_foreign=True)
    assert caught.value.code == "invalid"


def test_a_number_without_country_code_is_indonesian_even_when_foreign_numbers_are_allowed():
    assert normalize_phone("0812-3456-7890", allow_foreign=True) == MOBILE


def test_an_indonesian_mobile_number_is_mobile():
    assert is_mobile(MOBILE)
    assert is_mobile(normalize_phone("0857 1234 5678"))


def test_an_indonesian_landline_is_not_mobile():
    assert not is_mobile("+625114772000")
    assert not is_mobile("+622112345678")


def test_a_foreign_mobile_number_is_mobile():
    assert is_mobile("+447911123456")


def test_a_number_that_may_be_fixed_or_mobile_is_not_counted_as_mobile():
    assert not is_mobile("+16502530000")


@pytest.mark.parametrize("value", ["", "garbage", "081234567890", "+62"])
def test_anything_but_an_e164_number_is_not_mobile(value):
    # A national form has no country code: is_mobile takes only what normalize_phone returns.
    assert not is_mobile(value)
