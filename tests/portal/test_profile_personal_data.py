"""What the profile tells a citizen about their personal data, and everything held about
them (UU 27/2022, the right of access): /profil/data-pribadi.json for machines and
/profil/data-pribadi/ to read, with the same content; never another person's data."""
import datetime

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.test import Client
from django.utils import timezone

from lapor.api.tokens import token_issue
from lapor.following.services import follow_create
from lapor.notifications.models import Notification, Preference
from lapor.notifications.services import notifications_fan_out
from lapor.regions.models import Region
from lapor.reports import policy
from lapor.reports.services import report_support
from lapor.transparency.services import (
    ikm_respond, ikm_survey_open, poll_answer, poll_publish, service_rating_give,
)

from .conftest import answered, published

PASSWORD = "rahasia-uji-123"  # tests/factories.py


def test_the_profile_names_everyone_who_can_see_the_identity(citizen_client, world):
    page = citizen_client.get("/profil/").content.decode()
    assert "Hanya Anda dan petugas yang menangani laporan Anda" not in page
    for who in ("admin nasional", "Inspektorat", "Ombudsman", "tidak pernah ditampilkan kepada publik",
                "hanya Pemegang Identitas yang dapat membukanya"):
        assert who in page
    # What it says is what the rule does: handlers, routers and supervisors; not others.
    named = published(world)
    for person in (world.unit_admin, world.agency_admin, world.national_admin, world.inspector,
                   world.ombudsman_officer):
        assert policy.identity_visible(person, named), person
    assert not policy.identity_visible(world.other_agency_officer, named)
    anonymous = published(world, is_anonymous=True)
    for person in (world.unit_admin, world.national_admin, world.ombudsman_officer, world.custodian):
        assert not policy.identity_visible(person, anonymous), person


@pytest.fixture
def everything(world, kalsel):
    """Siti's life in Lapor beyond her reports, and Budi's beside it."""
    now = timezone.now()
    theirs = published(world, reporter=world.other_citizen, title="Lampu jalan mati di Jalan Sudirman")
    report_support(report=theirs, by=world.citizen)
    report_support(report=published(world, reporter=world.proxy), by=world.other_citizen)
    follow_create(user=world.citizen, region=Region.objects.get(code="63.72"), category=world.category)
    follow_create(user=world.citizen, report=theirs)
    follow_create(user=world.other_citizen, region=Region.objects.get(code="63.72.02"))
    poll = poll_publish(agency=world.pemkot, by=world.agency_admin, question="Perlukah jalur sepeda di Banjarbaru?",
                        options=["Perlu", "Tidak perlu"], closes_at=now + datetime.timedelta(days=7))
    poll_answer(poll=poll, option=poll.options.get(text="Perlu"), by=world.citizen)
    poll_answer(poll=poll, option=poll.options.get(text="Tidak perlu"), by=world.other_citizen)
    survey = ikm_survey_open(agency=world.pemkot, by=world.agency_admin, title="Survei Pelayanan 2026",
                             opens_on=timezone.localdate(), closes_on=timezone.localdate() + datetime.timedelta(days=30))
    ikm_respond(survey=survey, by=world.citizen, scores=[4, 3, 3, 2, 4, 3, 3, 4, 2])
    own = answered(world)
    service_rating_give(report=own, by=world.citizen, level=3, comment="Cepat, tapi tambalannya kasar.")
    notifications_fan_out(event=own.events.order_by("-at", "-id").first())
    Preference.objects.create(user=world.citizen, language="en", by_email=False, by_sms=True)
    app = SocialApp.objects.create(provider="google", name="Google", client_id="id", secret="app-secret")
    google = SocialAccount.objects.create(user=world.citizen, provider="google", uid="104233017788")
    SocialToken.objects.create(app=app, account=google, token="ya29.token-rahasia", token_secret="segel")
    key = token_issue(user=world.citizen, label="Ponsel Siti")
    for user, agent in ((world.citizen, "Siti's Phone/1.0"), (world.other_citizen, "Budi's Laptop/2.0")):
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        client = Client(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT=agent)
        client.post("/akun/login/", {"login": user.username, "password": PASSWORD})
        assert client.session["_auth_user_id"] == str(user.pk)
    return {"theirs": theirs, "own": own, "key": key}


def test_the_download_holds_everything_kept_about_the_citizen(citizen_client, world, everything):
    data = citizen_client.get("/profil/data-pribadi.json").json()

    assert [s["report"] for s in data["supports"]] == [everything["theirs"].tracking_id]
    follows = {(f["report"], f["region"], f["category"]) for f in data["follows"]}
    assert follows == {(None, "Kota Banjarbaru (63.72)", "Jalan Rusak"), (everything["theirs"].tracking_id, None, None)}
    assert [(a["poll"], a["answer"]) for a in data["poll_answers"]] == [("Perlukah jalur sepeda di Banjarbaru?", "Perlu")]
    assert data["ikm_responses"][0]["scores"] == [4, 3, 3, 2, 4, 3, 3, 4, 2]
    rating = data["service_ratings"][0]
    assert (rating["report"], rating["level_label"], rating["comment"]) == (
        everything["own"].tracking_id, "Puas", "Cepat, tapi tambalannya kasar.")
    assert data["notification_settings"] == {"language": "en", "language_label": "Inggris", "by_email": False,
                                             "by_sms": True}
    in_app = Notification.objects.get(recipient=world.citizen, channel="in_app")
    assert [(n["subject"], n["report"]) for n in data["notifications"]] == [
        (in_app.subject, everything["own"].tracking_id)]
    assert data["social_accounts"] == [{"provider": "google", "uid": "104233017788",
                                        "connected_at": data["social_accounts"][0]["connected_at"],
                                        "last_login": data["social_accounts"][0]["last_login"]}]
    assert [t["name"] for t in data["api_tokens"]] == ["Ponsel Siti"]
    # (Besides the sign-in the test client makes without a browser.)
    assert ("203.0.113.7", "Siti's Phone/1.0") in [(s["ip_address"], s["user_agent"]) for s in data["sign_ins"]]

    text = citizen_client.get("/profil/data-pribadi.json").content.decode()
    # Never a secret, never another person.
    for secret in ("ya29.token-rahasia", "segel", "app-secret", everything["key"]):
        assert secret not in text
    for other in ("Budi", "Tidak perlu", "63.72.02", "Lampu jalan mati"):
        assert other not in text


def test_the_page_shows_the_same_content_with_labels_in_the_readers_language(citizen_client, world, everything):
    page = citizen_client.get("/profil/data-pribadi/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    for label, value in (("Dukungan", everything["theirs"].tracking_id), ("Yang Anda ikuti", "Kota Banjarbaru"),
                         ("Jawaban opini kebijakan", "Perlukah jalur sepeda"), ("Jawaban survei IKM", "4, 3, 3, 2"),
                         ("Penilaian layanan", "Cepat, tapi tambalannya kasar."), ("Notifikasi", "Inggris"),
                         ("Akun Google, Facebook, atau X yang tersambung", "104233017788"),
                         ("Token API", "Ponsel Siti"), ("Riwayat masuk", "Siti&#x27;s Phone/1.0"),
                         ("NIK", "6372024107900001")):
        assert label in html and value in html, label
    assert "Budi&#x27;s Laptop" not in html and everything["key"] not in html
    assert 'href="/profil/data-pribadi/"' in citizen_client.get("/profil/").content.decode()

    citizen_client.cookies["django_language"] = "en"
    html = citizen_client.get("/profil/data-pribadi/").content.decode()
    assert "Satisfied" in html and "English" in html  # the rating's and the language's labels


def test_the_page_asks_to_sign_in(client, db):
    assert client.get("/profil/data-pribadi/")["Location"].startswith("/akun/login/")


def test_a_number_awaiting_its_code_is_in_the_download_and_on_the_page(citizen_client, world):
    """Typed at sign-up or on the profile and not yet proven: held, so shown to its owner."""
    profile = world.citizen.profile
    profile.pending_phone = "+6281377770001"
    profile.save()
    assert citizen_client.get("/profil/data-pribadi.json").json()["profile"]["phone_awaiting_code"] == "+6281377770001"
    assert "+6281377770001" in citizen_client.get("/profil/data-pribadi/").content.decode()
