"""An app built on the API alone does what a citizen does on the website besides filing:
support a report, follow one report or an area or topic, read and clear notifications."""
from lapor.following.models import Follow
from lapor.regions.loading import load_regions
from lapor.notifications.models import Notification
from lapor.reports import services

from .test_reports_api import answered, published


def test_a_citizen_supports_a_published_report_once_and_not_their_own(world, api):
    report = published(world)
    first = api(world.other_citizen).post(f"/api/v1/reports/{report.tracking_id}/support/")
    again = api(world.other_citizen).post(f"/api/v1/reports/{report.tracking_id}/support/")
    assert first.status_code == again.status_code == 200
    assert (first.json()["new"], again.json()["new"], again.json()["support_count"]) == (True, False, 1)
    own = api(world.citizen).post(f"/api/v1/reports/{report.tracking_id}/support/")
    assert own.status_code == 400 and "sendiri" in own.json()["detail"]
    assert api().post(f"/api/v1/reports/{report.tracking_id}/support/").status_code == 401


def test_a_citizen_follows_a_report_hears_of_its_answer_in_the_app_and_stops(
        world, api, django_capture_on_commit_callbacks):
    report = published(world)
    follower = api(world.other_citizen)
    made = follower.post(f"/api/v1/reports/{report.tracking_id}/follow/")
    assert made.status_code == 201 and made.json()["report"] == report.tracking_id
    assert follower.post(f"/api/v1/reports/{report.tracking_id}/follow/").status_code == 200  # already

    with django_capture_on_commit_callbacks(execute=True):  # told after commit, as in a request
        services.report_answer(report=report, by=world.unit_admin, body="Lampu sudah diganti.")
    listed = follower.get("/api/v1/me/notifications/?unread=true").json()
    assert [n["report"] for n in listed["results"]] == [report.tracking_id]
    marked = follower.post("/api/v1/me/notifications/read/", {"ids": [listed["results"][0]["id"]]}, format="json")
    assert marked.json() == {"marked": 1}
    assert follower.get("/api/v1/me/notifications/?unread=true").json()["results"] == []

    assert follower.delete(f"/api/v1/reports/{report.tracking_id}/follow/").status_code == 204
    assert not Follow.objects.filter(user=world.other_citizen).exists()
    assert follower.delete(f"/api/v1/reports/{report.tracking_id}/follow/").status_code == 404


def test_an_area_and_topic_are_followed_by_code_and_slug_and_a_wrong_one_is_named(world, api):
    load_regions(progress=False, provinces={"63"})
    client = api(world.citizen)
    made = client.post("/api/v1/me/follows/", {"region": "63.72", "category": world.category.slug}, format="json")
    assert made.status_code == 201, made.json()
    assert (made.json()["region"], made.json()["category"]) == ("63.72", world.category.slug)
    wrong = client.post("/api/v1/me/follows/", {"region": "99.99"}, format="json")
    assert wrong.status_code == 400 and "99.99" in wrong.json()["region"][0]
    half_circle = client.post("/api/v1/me/follows/", {"latitude": -3.44}, format="json")
    assert half_circle.status_code == 400 and list(half_circle.json()) == ["latitude"]  # the field sent, by its name
    mine = client.get("/api/v1/me/follows/").json()["results"]
    assert [f["id"] for f in mine] == [made.json()["id"]]
    assert api(world.other_citizen).delete(f"/api/v1/me/follows/{made.json()['id']}/").status_code == 404
    assert client.delete(f"/api/v1/me/follows/{made.json()['id']}/").status_code == 204


def test_notifications_are_the_persons_own(world, api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answered(world)  # the reporter (world.citizen) is told of the answer
    assert Notification.objects.filter(recipient=world.citizen, channel="in_app").exists()
    assert api(world.other_citizen).get("/api/v1/me/notifications/").json()["results"] == []
    assert api(world.citizen).get("/api/v1/me/notifications/").json()["results"]
