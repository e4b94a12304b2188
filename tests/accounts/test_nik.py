import contextlib
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from lapor.accounts.nik import NikParts, parse_nik, validate_nik
from lapor.regions.models import Region

KNOWN_DISTRICTS = {"63.72.01", "31.71.01"}
TODAY = date(2026, 6, 1)


def known_region(code):
    return code in KNOWN_DISTRICTS


def validate(nik, **kwargs):
    kwargs.setdefault("region_exists", known_region)
    return validate_nik(nik, **kwargs)


@contextlib.contextmanager
def rejected_as(code):
    with pytest.raises(ValidationError) as caught:
        yield caught
    assert caught.value.code == code, caught.value


# A man born on 31 January 1990 and a woman born on 1 May 1990, both in district 63.72.01.
MAN = "6372013101900001"
WOMAN = "6372014105900002"


# --- What a valid NIK says ----------------------------------------------------------------


def test_a_mans_nik_gives_his_district_birth_date_sex_and_serial():
    assert parse_nik(MAN, today=TODAY) == NikParts(
        district_code="63.72.01", birth_date=date(1990, 1, 31), sex="M", serial="0001"
    )


def test_a_womans_day_has_forty_added():
    parts = parse_nik(WOMAN, today=TODAY)
    assert parts.birth_date == date(1990, 5, 1)
    assert parts.sex == "F"


def test_a_woman_born_on_the_31st_has_day_71():
    parts = parse_nik("3171017112850003", today=TODAY)
    assert parts.birth_date == date(1985, 12, 31)
    assert parts.sex == "F"


def test_the_parts_name_the_province_and_the_regency():
    parts = parse_nik(MAN, today=TODAY)
    assert (parts.province_code, parts.regency_code) == ("63", "63.72")


def test_a_valid_nik_is_returned_normalised():
    assert validate(MAN) == MAN


@pytest.mark.parametrize(
    "typed",
    [
        "6372 0131 0190 0001",
        " 6372013101900001 ",
        "63.72.01.310190.0001",
        "637201-310190-0001",
        "6372\u00a001310190\u20130001",  # a non-breaking space and an en dash
    ],
)
def test_spaces_dots_and_dashes_people_type_are_removed(typed):
    assert validate(typed) == MAN


def test_the_parts_are_frozen():
    parts = parse_nik(MAN, today=TODAY)
    with pytest.raises(AttributeError):
        parts.sex = "F"


# --- Length and characters ----------------------------------------------------------------


@pytest.mark.parametrize("nik", [MAN[:-1], MAN + "1", "", "637201"])
def test_a_nik_that_is_not_16_digits_is_rejected(nik):
    with rejected_as("length") as caught:
        validate(nik)
    assert caught.value.messages == ["NIK harus 16 digit angka."]


@pytest.mark.parametrize("nik", ["637201310190000I", "6372O13101900001", "NIK6372013101900001", "６３７２０１３１０１９００００１"])
def test_letters_and_non_ascii_digits_are_rejected(nik):
    with rejected_as("digits"):
        validate(nik)


# --- The birth date in digits 7–12 ----------------------------------------------------------


def test_29_february_of_a_leap_year_is_a_real_date():
    assert parse_nik("6372012902960001", today=TODAY).birth_date == date(1996, 2, 29)
    assert parse_nik("6372016902960001", today=TODAY).birth_date == date(1996, 2, 29)  # a woman


def test_29_february_2000_is_a_real_date():
    assert parse_nik("6372012902000001", today=TODAY).birth_date == date(2000, 2, 29)


@pytest.mark.parametrize(
    "ddmmyy, why",
    [
        ("290297", "29 February in a common year"),
        ("690297", "29 February in a common year, a woman"),
        ("310490", "31 April"),
        ("310290", "31 February"),
        ("000190", "day 0"),
        ("320190", "day 32 is neither a man's day nor a woman's"),
        ("400190", "day 40 is a woman's day 0"),
        ("720190", "day 72 would be a woman's 32nd"),
        ("990190", "day 99"),
        ("150090", "month 0"),
        ("151390", "month 13"),
    ],
)
def test_a_birth_date_that_does_not_exist_is_rejected(ddmmyy, why):
    with rejected_as("date") as caught:
        validate(f"637201{ddmmyy}0001")
    assert caught.value.messages == ["Tanggal lahir pada NIK (digit 7–12) bukan tanggal yang benar."]


@pytest.mark.parametrize(
    "ddmmyy, born",
    [
        ("010105", date(2005, 1, 1)),
        ("010126", date(2026, 1, 1)),
        ("010626", date(2026, 6, 1)),  # born today
        ("020626", date(1926, 6, 2)),  # tomorrow would be in the future
        ("010127", date(1927, 1, 1)),
        ("010130", date(1930, 1, 1)),
        ("311299", date(1999, 12, 31)),
        ("010100", date(2000, 1, 1)),
    ],
)
def test_the_century_is_the_latest_that_does_not_put_the_birth_in_the_future(ddmmyy, born):
    assert parse_nik(f"637201{ddmmyy}0001", today=TODAY).birth_date == born


def test_the_century_follows_the_date_of_today_by_default(time_machine):
    time_machine.move_to("2031-01-01 12:00 +07:00")
    assert parse_nik("6372010101300001").birth_date == date(2030, 1, 1)
    time_machine.move_to("2029-01-01 12:00 +07:00")
    assert parse_nik("6372010101300001").birth_date == date(1930, 1, 1)


# --- Serial -----------------------------------------------------------------------------------


def test_serial_0000_is_rejected():
    with rejected_as("serial"):
        validate("6372013101900000")


def test_serial_0001_and_9999_are_accepted():
    assert validate("6372013101900001")
    assert validate("6372013101909999")


# --- Region -----------------------------------------------------------------------------------


def test_an_unknown_district_is_rejected():
    with rejected_as("region"):
        validate("9999013101900001")


def test_the_region_check_receives_the_district_in_dotted_form():
    asked = []
    validate(MAN, region_exists=lambda code: asked.append(code) or True)
    assert asked == ["63.72.01"]


@pytest.mark.parametrize("nik", ["0072013101900001", "6300013101900001", "6372003101900001"])
def test_a_region_part_00_is_rejected_without_asking_the_region_tables(nik):
    with rejected_as("region"):
        validate(nik, region_exists=lambda code: pytest.fail(f"asked about {code}"))


@pytest.mark.django_db
def test_by_default_the_district_must_be_in_the_region_tables():
    province = Region.objects.create(code="63", name="Kalimantan Selatan", level=Region.Level.PROVINCE)
    regency = Region.objects.create(code="63.72", name="Kota Banjarbaru", level=Region.Level.REGENCY, parent=province)
    Region.objects.create(code="63.72.01", name="Landasan Ulin", level=Region.Level.DISTRICT, parent=regency)

    assert validate_nik(MAN) == MAN
    with rejected_as("region"):
        validate_nik("6372023101900001")  # 63.72.02 is not in the tables
    with rejected_as("region"):
        validate_nik("6372633101900001")  # nor is 63.72.63


# --- Consistency with what the person filled in ----------------------------------------------------


def test_a_matching_birth_date_and_sex_are_accepted():
    assert validate(MAN, birth_date=date(1990, 1, 31), sex="M") == MAN
    assert validate(WOMAN, birth_date=date(1990, 5, 1), sex="F") == WOMAN


@pytest.mark.parametrize("born", [date(1990, 1, 30), date(1990, 2, 28), date(1991, 1, 31), date(2000, 1, 31)])
def test_a_birth_date_other_than_the_one_on_the_nik_is_rejected(born):
    with rejected_as("birth_date_mismatch") as caught:
        validate(MAN, birth_date=born)
    assert caught.value.messages == [
        "Tanggal lahir pada NIK (digit 7–12) tidak sesuai dengan tanggal lahir yang diisi."
    ]


def test_a_person_over_a_hundred_matches_the_nik_although_the_century_is_guessed_later():
    # 15 March 1920 reads as 15 March 2020 from the NIK alone; the NIK only states "20".
    nik = "6372011503200001"
    assert parse_nik(nik, today=TODAY).birth_date == date(2020, 3, 15)
    assert validate(nik, birth_date=date(1920, 3, 15)) == nik


def test_a_man_who_says_he_is_a_woman_is_rejected():
    with rejected_as("sex_mismatch"):
        validate(MAN, sex="F")


def test_a_woman_who_says_she_is_a_man_is_rejected():
    with rejected_as("sex_mismatch"):
        validate(WOMAN, sex="M")


def test_a_womans_birth_date_is_compared_without_the_forty():
    assert validate(WOMAN, birth_date=date(1990, 5, 1)) == WOMAN
    with rejected_as("birth_date_mismatch"):
        validate(WOMAN, birth_date=date(1990, 5, 11))


def test_an_empty_sex_skips_the_sex_check():
    assert validate(WOMAN, sex="") == WOMAN
    assert validate(WOMAN, sex=None) == WOMAN


def test_a_sex_other_than_m_or_f_is_a_programming_error():
    with pytest.raises(ValueError):
        validate(MAN, sex="L")


def test_the_problems_are_reported_one_at_a_time_structure_first():
    # Wrong serial, unknown region, wrong sex: the serial is named first.
    with rejected_as("serial"):
        validate("9999014101900000", sex="M")
    # Unknown region and wrong birth date: the region is named first.
    with rejected_as("region"):
        validate("9999013101900001", birth_date=date(1980, 1, 1))
