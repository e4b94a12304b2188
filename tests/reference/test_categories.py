"""SPEC §10: a two-level taxonomy seeded with LAPOR!'s topics, editable afterwards."""
import io

from django.core.management import call_command

from lapor.categories.data import CATEGORIES
from lapor.categories.loading import load_categories
from lapor.categories.models import Category

SPEC_TOPICS = [
    "Agama", "Ekonomi dan Keuangan", "Kesehatan", "Kesetaraan Gender dan Sosial Inklusif",
    "Ketentraman, Ketertiban Umum, dan Perlindungan Masyarakat", "Lingkungan Hidup dan Kehutanan",
    "Pekerjaan Umum dan Penataan Ruang", "Pembangunan Desa, Daerah Tertinggal, dan Transmigrasi",
    "Pendidikan dan Kebudayaan", "Pertanian dan Peternakan", "Politik dan Hukum", "Netralitas ASN",
    "Sosial dan Kesejahteraan", "Energi dan Sumber Daya Alam", "Kependudukan", "Ketenagakerjaan",
    "Perhubungan", "Perlindungan Konsumen", "Teknologi Informasi dan Komunikasi", "Topik Lainnya",
]


def test_the_seed_has_every_topic_the_spec_names_each_with_three_to_six_subtopics():
    topics = dict(CATEGORIES)
    assert set(SPEC_TOPICS) <= set(topics)
    assert all(3 <= len(subtopics) <= 6 for subtopics in topics.values())
    assert CATEGORIES[-1][0] == "Topik Lainnya"


def test_loading_creates_the_topics_and_their_subtopics_in_two_levels(db):
    created = load_categories()

    assert created == len(CATEGORIES) + sum(len(subtopics) for _, subtopics in CATEGORIES)
    assert Category.objects.filter(parent=None).count() == len(CATEGORIES)
    assert not Category.objects.filter(parent__parent__isnull=False).exists()
    road = Category.objects.get(name="Jalan Rusak")
    assert road.parent.name == "Pekerjaan Umum dan Penataan Ruang"
    assert road.slug == "pekerjaan-umum-dan-penataan-ruang-jalan-rusak"
    assert Category.objects.get(name="Air Bersih/PDAM").slug.endswith("-air-bersih-pdam")


def test_loading_again_creates_nothing(db):
    load_categories()
    before = Category.objects.count()

    assert load_categories() == 0
    assert Category.objects.count() == before


def test_loading_again_keeps_what_an_administrator_edited(db):
    load_categories()
    Category.objects.filter(name="Jalan Rusak").update(name="Jalan Rusak dan Berlubang", position=9)
    Category.objects.filter(name="Stunting").update(is_active=False)

    load_categories()

    road = Category.objects.get(slug="pekerjaan-umum-dan-penataan-ruang-jalan-rusak")
    assert (road.name, road.position) == ("Jalan Rusak dan Berlubang", 9)
    assert not Category.objects.get(name="Stunting").is_active
    assert not Category.objects.filter(name="Jalan Rusak").exists()


def test_the_command_reports_topics_and_subtopics(db):
    out = io.StringIO()
    call_command("load_categories", stdout=out)

    assert f"Kategori: {len(CATEGORIES)} topik," in out.getvalue()
