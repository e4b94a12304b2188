"""Which texts count as naming people (lapor/reports/sensitivity.py): the harmony report
form makes them confidential at once, the general form offers confidentiality."""
import pytest

from lapor.reports.sensitivity import names_people, sensitive_findings


@pytest.mark.parametrize("text", [
    "ustadz abdul somad menghasut jamaah",
    "Ustadz Abdul Hakim berceramah keras",
    "Pendeta Markus Silalahi menolak",
    "KH. Zainuddin memimpin massa",
    "Ceramah K.H. Zainuddin kemarin",
    "kyai hasan dan santrinya",
    "Tuan Guru Bajang hadir",
    "Habib Ali datang",
    "buya hamka",
    "Pdt. Markus",
    "romo yohanes",
    "Pastor Antonius",
    "Suster Maria",
    "bhikkhu dhammasubho",
    "Pandita Made",
    "Pedanda Gede",
    "Ida Bagus Oka",
    "Js. Liem",
    "USTADZ ABDUL MENGHASUT",
    "pak Budi minta uang",
    "Pak Joko Widodo, kepala dinas, meminta uang pelicin.",
])
def test_a_title_followed_by_a_name_names_a_person(text):
    assert sensitive_findings(text) == ["name"]


@pytest.mark.parametrize("text", [
    "ustadz di masjid itu sering ceramah",
    "pendeta gereja setempat diam saja",
    "Warga meminta ustadz dan pendeta hadir dalam musyawarah",
    "pendeta mengatakan akan datang",
    "imam masjid sudah dihubungi",
    "suster jaga malam",
    "romo paroki menerima tamu",
    "USTADZ DI MASJID ITU",
    "Jalan rusak di depan sekolah sejak bulan lalu",
])
def test_a_role_without_a_name_names_nobody(text):
    assert not names_people(text)
