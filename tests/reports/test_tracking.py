import itertools

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from lapor.reports.tracking import (
    _DAMM_TABLE,
    damm_check_digit,
    is_valid_tracking_id,
    new_tracking_id,
    normalize_tracking_id,
)

DIGITS = "0123456789"


@st.composite
def valid_tracking_ids(draw, length=9):
    body = draw(st.sampled_from("123456789")) + draw(st.text(DIGITS, min_size=length - 2, max_size=length - 2))
    return body + damm_check_digit(body)


# --- The quasigroup -----------------------------------------------------------------------


def test_the_damm_table_is_a_latin_square_with_zeros_on_the_diagonal():
    for i, row in enumerate(_DAMM_TABLE):
        assert sorted(row) == list(range(10))
        assert sorted(r[i] for r in _DAMM_TABLE) == list(range(10))
        assert row[i] == 0


def test_the_damm_table_is_weakly_totally_antisymmetric():
    # (c*x)*y == (c*y)*x only when x == y: this is what catches every adjacent swap.
    for c, x, y in itertools.product(range(10), repeat=3):
        if x != y:
            assert _DAMM_TABLE[_DAMM_TABLE[c][x]][y] != _DAMM_TABLE[_DAMM_TABLE[c][y]][x], (c, x, y)


# --- Check digit --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "digits, check",
    [
        ("572", "4"),  # the worked example of Damm's algorithm in the literature
        ("", "0"),
        ("0", "0"),
        ("5", "9"),
        ("5724", "0"),  # a number with its check digit appended checks to 0
    ],
)
def test_it_computes_known_damm_check_digits(digits, check):
    assert damm_check_digit(digits) == check


@pytest.mark.parametrize("digits", ["12a", "１２", "-1", "1 2"])
def test_it_refuses_to_compute_a_check_digit_of_anything_but_ascii_digits(digits):
    with pytest.raises(ValueError):
        damm_check_digit(digits)


# --- Validation ---------------------------------------------------------------------------


def test_an_id_with_the_right_check_digit_is_valid():
    assert is_valid_tracking_id("12345678" + damm_check_digit("12345678"))


@given(valid_tracking_ids())
def test_every_single_mistyped_digit_is_caught(tracking_id):
    assert is_valid_tracking_id(tracking_id)
    for position, wrong in itertools.product(range(len(tracking_id)), DIGITS):
        if wrong != tracking_id[position]:
            typo = tracking_id[:position] + wrong + tracking_id[position + 1 :]
            assert not is_valid_tracking_id(typo), typo


@given(valid_tracking_ids())
def test_every_swap_of_two_different_neighbouring_digits_is_caught(tracking_id):
    for position in range(len(tracking_id) - 1):
        a, b = tracking_id[position], tracking_id[position + 1]
        if a != b:
            swapped = tracking_id[:position] + b + a + tracking_id[position + 2 :]
            assert not is_valid_tracking_id(swapped), swapped


@given(valid_tracking_ids(length=12))
def test_mistakes_are_caught_in_longer_ids_too(tracking_id):
    with override_settings(LAPOR_TRACKING_ID_DIGITS=12):
        assert is_valid_tracking_id(tracking_id)
        for position in range(len(tracking_id) - 1):
            a, b = tracking_id[position], tracking_id[position + 1]
            if a != b:
                assert not is_valid_tracking_id(tracking_id[:position] + b + a + tracking_id[position + 2 :])


def test_an_id_one_digit_short_or_long_is_invalid():
    assert not is_valid_tracking_id("1234567" + damm_check_digit("1234567"))
    assert not is_valid_tracking_id("123456789" + damm_check_digit("123456789"))


def test_an_id_starting_with_zero_is_invalid_because_none_is_ever_issued():
    body = "01234567"
    assert not is_valid_tracking_id(body + damm_check_digit(body))


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abcdefghi",
        "#12345678",
        "12345 678",
        "١٢٣٤٥٦٧٨٩",  # Arabic-Indic digits pass str.isdigit(), not us
        "１２３４５６７８９",  # full-width digits likewise
        None,
        123456789,
    ],
)
def test_anything_but_ascii_digits_is_invalid(value):
    assert not is_valid_tracking_id(value)


def test_the_length_follows_the_setting():
    body = "1234567"
    with override_settings(LAPOR_TRACKING_ID_DIGITS=8):
        assert is_valid_tracking_id(body + damm_check_digit(body))
    assert not is_valid_tracking_id(body + damm_check_digit(body))


@pytest.mark.parametrize("length", [0, 1, 13])
def test_a_length_setting_that_cannot_work_fails_loudly(length):
    with override_settings(LAPOR_TRACKING_ID_DIGITS=length), pytest.raises(ImproperlyConfigured):
        new_tracking_id()


# --- Generation ---------------------------------------------------------------------------


def test_new_ids_are_valid_nine_digits_and_never_start_with_zero():
    for _ in range(2000):
        tracking_id = new_tracking_id()
        assert len(tracking_id) == 9
        assert tracking_id[0] != "0"
        assert is_valid_tracking_id(tracking_id)


@pytest.mark.parametrize("length", [2, 7, 12])
def test_new_ids_have_the_configured_length(length):
    with override_settings(LAPOR_TRACKING_ID_DIGITS=length):
        for _ in range(200):
            tracking_id = new_tracking_id()
            assert len(tracking_id) == length
            assert tracking_id[0] != "0"
            assert is_valid_tracking_id(tracking_id)


def test_new_ids_are_not_sequential_and_rarely_repeat_in_a_small_batch():
    ids = [new_tracking_id() for _ in range(1000)]
    # 8 random digits: two equal IDs among 1000 happen about once in 180 batches (the
    # database's unique key and a retry deal with them); three or more about once in
    # thirty million. A generator with a small space or a stuck digit repeats far more.
    assert len(set(ids)) >= len(ids) - 2
    steps = {int(b) - int(a) for a, b in itertools.pairwise(ids)}
    assert len(steps) > 900
    # Every digit position of the random part takes many values: nothing is a counter.
    for position in range(1, 8):
        assert len({tracking_id[position] for tracking_id in ids}) == 10


# --- Normalisation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, normalised",
    [
        ("#123 456 789", "123456789"),
        ("123456789", "123456789"),
        ("  123-456-789 ", "123456789"),
        ("123.456.789", "123456789"),
        ("#1916449", "1916449"),
        ("123\u00a0456\u2013789", "123456789"),  # non-breaking space and en dash from a phone keyboard
        ("1234\t56789\n", "123456789"),
        ("", ""),
    ],
)
def test_it_strips_what_people_type_around_an_id(typed, normalised):
    assert normalize_tracking_id(typed) == normalised


def test_normalising_does_not_validate():
    assert normalize_tracking_id("#12a 45") == "12a45"
    assert normalize_tracking_id("# 1 2 3") == "123"


def test_a_typed_id_is_valid_after_normalising():
    tracking_id = new_tracking_id()
    typed = f"#{tracking_id[:3]} {tracking_id[3:6]}-{tracking_id[6:]}"
    assert not is_valid_tracking_id(typed)
    assert is_valid_tracking_id(normalize_tracking_id(typed))
