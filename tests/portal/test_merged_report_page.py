"""The address of a published report merged into its original (archived as its duplicate
after verification, SPEC §8) was public: bookmarked, shared. It leads to the original,
never to the merged report itself (archived reports are not public, SPEC §5), and never
to an original the visitor may not see."""
from lapor.reports import services

from .conftest import published


def merged(world, *, confidential_original=False):
    original = published(world, reporter=world.other_citizen, is_confidential=confidential_original)
    repeat = published(world, title="Jalan Ahmad Yani km 32 berlubang")
    services.report_mark_duplicate(report=repeat, by=world.national_admin, original=original)
    return original, repeat


def test_tracking_a_merged_report_leads_the_public_to_its_original(client, world):
    original, repeat = merged(world)
    response = client.get("/lacak/", {"id": repeat.tracking_id})
    assert response.status_code == 302 and response["Location"] == f"/laporan/{original.tracking_id}/"
    page = client.get(response["Location"]).content.decode()
    assert f"Laporan #{repeat.tracking_id} sudah digabungkan dengan laporan ini" in page
    assert original.title in page and repeat.title not in page


def test_a_merged_report_whose_original_is_confidential_is_not_found_and_names_nothing(client, world):
    original, repeat = merged(world, confidential_original=True)
    response = client.get("/lacak/", {"id": repeat.tracking_id})
    assert response.status_code == 404
    assert original.tracking_id not in response.content.decode()


def test_a_report_merged_before_it_was_published_stays_not_found(client, world):
    original = published(world, reporter=world.other_citizen)
    repeat = services.report_submit(reporter=world.citizen, title="Lubang A. Yani", body="Sama.",
                                    addressed_agency=world.pupr)
    services.report_mark_duplicate(report=repeat, by=world.national_admin, original=original)
    assert client.get("/lacak/", {"id": repeat.tracking_id}).status_code == 404


def test_the_bookmarked_page_of_a_merged_report_leads_to_its_original(client, world):
    original, repeat = merged(world)
    response = client.get(f"/laporan/{repeat.tracking_id}/")
    assert response.status_code == 302 and response["Location"] == f"/laporan/{original.tracking_id}/"
