"""No request gets a server error, whatever it carries (the project's ground rule: "Bad
input gets a clear error and loses nothing: say what is wrong in the user's language,
keep what was valid, never a 500").

- Every URL pattern of the project (``django.urls.get_resolver``, recursively) is asked
  as an anonymous visitor, a citizen and an agency admin who passed the second factor,
  with its path parameters valid and odd (NUL, 40 digits, a number past every column, an
  unknown slug or month); a route that only takes POST is asked its odd paths by POST. The
  API is also asked with a wrong token and with a citizen's and a staff member's. Django's
  admin is asked by a superuser.
- Every query parameter a view reads (``READS``) gets garbage, one parameter at a time,
  the others left as they were, so that one refused value cannot hide what another does:
  no number, a number past every column, NUL, 10,000 characters, emoji and non-ASCII
  digits, impossible dates and the calendar's edges, broken bounding boxes; and every
  parameter repeated.
- Every POST form of the pages that write (found in the page's HTML as a browser would
  send it) gets garbage in each field by the field's kind, all fields NUL, nothing, every
  field twice, and a file that is no photo; the API endpoints get bodies that are no JSON
  object and fields of the wrong type; Open311 and the SMS webhook their own.

Every answer must be below 500 and no exception may escape; a failure names the request
(method, URL, parameters, who asked) and what went wrong. Each request runs in a savepoint
rolled back afterwards, so that every hostile request meets the same reports.

PostgreSQL refuses a NUL character in text, which SQLite stores happily: so that a NUL
reaching SQL fails here as it would in production (and in CI), every query of these tests
refuses one as psycopg does (``nul_refused_as_postgresql_does``).

The end of the module holds a plain test for each server error the crawl found.
"""
from __future__ import annotations

import datetime
import io
import json
import logging
import re
import traceback
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError, connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from PIL import Image

from lapor.api.tokens import token_issue
from lapor.following.services import follow_create
from lapor.harmony.enums import ThresholdScope, Vulnerability
from lapor.harmony.models import HarmonyOffice, HarmonyThreshold
from lapor.notifications.models import Channel as NotificationChannel
from lapor.notifications.models import Notification, Reason
from lapor.office.models import AnswerTemplate
from lapor.open311.models import Client as Open311Client
from lapor.reports import drafts, services
from lapor.reports.attachments import attachment_store, clean_upload
from lapor.transparency import services as transparency
from tests.factories import CategoryFactory, RegionFactory, UserFactory
from tests.office.staff import sign_in

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # past every integer column
LONG = "x" * 10_000
# What any query parameter gets, one value per request (emoji and non-ASCII digits go to
# every parameter at once, in the crawl of the routes, and to the numeric ones here).
GARBAGE = ["abc", HUGE, "\x00", LONG]
# All the parameters of a view at once, for views whose parsing another view shares (LIGHT_SWEEP).
LIGHT = ["abc", HUGE, "9999-12-31", "0001-01-01", "\x00", LONG]
# Dates that do not exist, that Python cannot hold, and the calendar's first and last days,
# whose start or next day is no moment in UTC.
DATES = ["2026-13-45", "99999-01-01", "9999-12-31", "0001-01-01", "9999-12-30", "0001-01-02"]
MOMENTS = ["2026-13-45T00:00:00+07:00", "2026-01-01T00:00:00", "99999-01-01T00:00:00Z", "0001-01-01T00:00:00+14:00",
           "9999-12-31T23:59:59-14:00", "2026-01-01T00:00:00+99:00", "2026-01-01 00:00:00 07:00", "yesterday"]
# Values some parameters are worth more of.
SPECIAL = {
    "bbox": ["garbage", "1,2,3", "nan,nan,nan,nan", "inf,-inf,inf,-inf", "-180,-90,180,90", "1,2,3,4,5",
             "114.5,-3.6,115.0,-3.3", "115,-3,114,-4", "1e308,1e308,1e308,1e308"],
    "since": MOMENTS, "until": MOMENTS, "start_date": MOMENTS + DATES, "end_date": MOMENTS + DATES,
    "date_from": DATES, "date_to": DATES, "dari": DATES, "sampai": DATES,
    "status": ["unknown", "archived", "open,closed,x"],
    "region": ["' or 1=1--", "63.72", "63.72.02.1005.99", "63..72"],
    "wilayah": ["' or 1=1--", "63.72"],
    "q": ["' or 1=1--", "%", "#"],
    "parent": ["' or 1=1--", "6372"],
    "id": ["-1", "#123-456", "١٢٣"],
    "category": ["²", "١"],
    "kategori": ["²", "١"],
    "agency": ["²"],
    "unit": ["²"],
    "induk": ["' or 1=1--", "😀"],
    "zoom": ["-5", "1.5", "nan", "²"],
    "halaman": ["-1", "0", "1.5", "last", "²"],
    "page": ["-1", "0", "1.5", "²"],
    "page_size": ["0", "1001", "²"],
    "hari": ["-1", "30", "1.5", "²"],
    "next": ["//evil.example/", "javascript:alert(1)", "/\x00/"],
}


def hostile_values(name: str) -> list[str]:
    return GARBAGE + SPECIAL.get(name, [])


# --- the PostgreSQL rule on NUL ------------------------------------------------------------------


def _has_nul(values) -> bool:
    if isinstance(values, dict):
        values = values.values()
    return any(isinstance(v, str) and "\x00" in v for v in values or ())


@pytest.fixture(autouse=True)
def nul_refused_as_postgresql_does():
    def refuse(execute, sql, params, many, context):
        if many:
            params = [list(row) if not isinstance(row, dict) else row for row in params]
            rows = params
        else:
            rows = [params]
        if "\x00" in sql or any(_has_nul(row) for row in rows):
            raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


@pytest.fixture(autouse=True)
def quiet_and_unlimited(settings, world, tmp_path):
    # Hundreds of requests from one account and one address: the limits would answer 429
    # (rightly) before the code this test is after.
    settings.LAPOR_SUBMIT_UNLIMITED_ACCOUNTS = [world.citizen.username, world.proxy.username]
    settings.ACCOUNT_RATE_LIMITS = False
    settings.LAPOR_CLAIM_CODES_PER_ADDRESS = 1000
    settings.KANNEL_INBOUND_SECRET = "rahasia-kannel"
    settings.KANNEL_SENDSMS_URL = ""
    settings.SMS_OUTBOX_PATH = tmp_path / "sms" / "outbox.log"
    # Every 4xx and 5xx is logged with its traceback: the failures below say what matters.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


# --- what the crawl asks about -------------------------------------------------------------------


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (90, 140, 60)).save(out, format="JPEG")
    return out.getvalue()


class Scene:
    """The personas' government with one report in each state, a file, a draft, a poll, a
    survey, a disaster, a follow, an answer template, an Open311 client, API tokens, and a
    signed-in client for each persona the crawl speaks as."""

    def __init__(self, world):
        self.world = world
        province = RegionFactory(code="63", name="Kalimantan Selatan")
        city = RegionFactory(code="63.72", name="Kota Banjarbaru", parent=province)
        district = RegionFactory(code="63.72.02", name="Landasan Ulin", parent=city)
        self.village = RegionFactory(code="63.72.02.1005", name="Guntung Manggis", parent=district)
        world.pemkot.region = city
        world.pemkot.save()
        self.city = city
        self.submitted = self.report("Lampu jalan mati di Jalan Panglima Batur")
        self.published = self.report("Jalan berlubang di Jalan Ahmad Yani", state="dispatched")
        self.attachment = attachment_store(
            report=self.published, by=world.citizen,
            clean=clean_upload(SimpleUploadedFile("jalan.jpg", jpeg(), content_type="image/jpeg")))
        self.answered = self.report("Got mampet di gang Melati", state="in_progress")
        self.closed = self.report("Trotoar rusak di depan pasar", state="closed")
        self.returned = self.report("Sampah menumpuk", state="returned")
        self.drafted = self.report("Pohon tumbang di Jalan A. Yani km 30", state="dispatched")
        self.draft = drafts.draft_answer(report=self.drafted, by=world.officer, body="Pohon sudah kami potong.")

        self.template = AnswerTemplate.objects.create(agency=world.pemkot, title="Terima kasih",
                                                      body="Terima kasih atas laporan Anda.")
        self.poll = transparency.poll_publish(agency=world.pemkot, by=world.agency_admin,
                                              question="Perlukah jalur sepeda?", options=["Perlu", "Tidak perlu"],
                                              closes_at=timezone.now() + datetime.timedelta(days=7))
        self.survey = transparency.ikm_survey_open(agency=world.pemkot, by=world.agency_admin, title="SKM 2026",
                                                   opens_on=timezone.localdate(), closes_on=timezone.localdate())
        from lapor.disasters.services import disaster_declare

        flood = CategoryFactory(name="Drainase dan Banjir", slug="drainase-dan-banjir")
        self.disaster = disaster_declare(by=world.national_admin, title="Banjir Banjarbaru", category=flood,
                                         region=city, starts_at=timezone.now() - datetime.timedelta(hours=1))
        self.follow, _created = follow_create(user=world.citizen, report=self.published)
        self.notification = Notification.objects.create(
            event=self.answered.events.order_by("-id").first(), report=self.answered, recipient=world.citizen,
            channel=NotificationChannel.IN_APP, reason=Reason.ANSWER, subject="Tindak lanjut laporan Anda",
            body="Instansi menindaklanjuti laporan Anda.", created_at=timezone.now())
        self.open311 = Open311Client(name="Aplikasi kota", account=world.citizen)
        self.api_key = self.open311.issue_key()
        self.open311.save()
        self.superuser = UserFactory(username="super", is_staff=True, is_superuser=True)
        # SILAPAT run by the city government itself: its agency admin is the office's operator
        # and sets its thresholds, so the staff persona reaches every /kantor/silapat/ page.
        self.harmony_office = HarmonyOffice.objects.create(agency=world.pemkot, region=city)
        self.threshold = HarmonyThreshold.objects.create(
            office=self.harmony_office, name="Tiga kejadian tinggi dalam 30 hari", scope=ThresholdScope.DISTRICT,
            min_level=Vulnerability.HIGH, count=3, days=30)

        self.clients = {"anonymous": Client(), "citizen": Client(), "staff": sign_in(Client(), world.agency_admin),
                        "national": sign_in(Client(), world.national_admin),
                        "superuser": sign_in(Client(), self.superuser),
                        "other citizen": Client(), "proxy": Client()}
        self.clients["citizen"].force_login(world.citizen)
        self.clients["other citizen"].force_login(world.other_citizen)
        self.clients["proxy"].force_login(world.proxy)
        # The API and Open311 as a stranger, a wrong token, a citizen's app and an agency's system.
        self.tokens = {"bad token": "Token 0123456789abcdef",
                       "citizen token": f"Token {token_issue(user=world.citizen)}",
                       "staff token": f"Token {token_issue(user=world.agency_admin)}"}

    def report(self, title, *, state="submitted", **fields):
        """A report of the citizen's to the city, brought to ``state`` through the services."""
        world = self.world
        values = dict(reporter=world.citizen, title=title, body="Lubang besar dekat sekolah, sudah dua minggu.",
                      addressed_agency=world.pemkot, category=world.category, region=self.city, latitude=-3.44,
                      longitude=114.83)
        report = services.report_submit(**{**values, **fields})
        if state == "returned":
            services.report_return(report=report, by=world.agency_admin, missing="Lokasi tepatnya di mana?")
        elif state != "submitted":
            services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
            if state in ("in_progress", "closed"):
                services.report_answer(report=report, by=world.unit_admin, body="Sudah kami perbaiki.")
            if state == "closed":
                services.report_rate(report=report, by=world.citizen, comment="Terima kasih.")
        report.refresh_from_db()
        return report

    # Real primary keys by URL name, for the "valid" variant of a path.
    def pk_for(self, name: str) -> str:
        return str({
            "transparency:poll": self.poll.pk, "transparency:survey": self.survey.pk,
            "transparency_office:poll_edit": self.poll.pk, "transparency_office:poll_close": self.poll.pk,
            "transparency_office:survey_close": self.survey.pk,
            "disasters:incident": self.disaster.pk, "disasters:incident_feed": self.disaster.pk,
            "disasters_office:edit": self.disaster.pk, "disasters_office:stop": self.disaster.pk,
            "portal:attachment": self.attachment.pk, "office:attachment": self.attachment.pk,
            "api:report-attachment": self.attachment.pk,
            "office:draft_approve": self.draft.pk, "office:draft_return": self.draft.pk,
            "following:unfollow": self.follow.pk,
            "office:manage_template_edit": self.template.pk, "office:manage_template_delete": self.template.pk,
            "office:manage_unit_edit": self.world.pupr.pk,
            "harmony_office:threshold_edit": self.threshold.pk, "harmony_office:threshold_switch": self.threshold.pk,
        }.get(name, 1))


@pytest.fixture
def scene(world) -> Scene:
    return Scene(world)


class Crawl:
    """Sends requests and remembers every one answered with a 5xx or an exception. Each
    request runs in a savepoint rolled back afterwards (unless ``keep``), so that every
    hostile request meets the same reports: one that happened to be valid (archiving a
    report, say) does not leave the next ones an archived report to be refused on."""

    def __init__(self, scene: Scene):
        self.scene = scene
        self.failures: list[str] = []
        self.count = 0
        self.posted: set = set()  # forms already posted to (the same form on several pages)

    def send(self, who: str, method: str, url: str, data=None, *, keep=False, token=None, **extra):
        client = self.scene.clients.get(who) or self.scene.clients["anonymous"]
        if token:
            extra["HTTP_AUTHORIZATION"] = self.scene.tokens[token]
            who = token
        self.count += 1
        try:
            with transaction.atomic():
                response = getattr(client, method)(url, data, **extra)
                if not keep:
                    transaction.set_rollback(True)
        except Exception as error:  # noqa: BLE001 — every escaping exception is a finding
            where = traceback.extract_tb(error.__traceback__)[-1]
            self.failures.append(f"{method.upper()} {url} {shown(data)} as {who}: {type(error).__name__}: "
                                 f"{str(error)[:200]} (at {where.filename}:{where.lineno})")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{method.upper()} {url} {shown(data)} as {who}: {response.status_code}")
        return response

    def check(self):
        assert not self.failures, (f"{len(self.failures)} of {self.count} requests ended in a server error:\n"
                                   + "\n".join(self.failures[:80]))


def shown(data) -> str:
    """Parameters as they can be read in a failure message (long values cut short)."""
    if data is None:
        return ""
    if isinstance(data, (str, bytes)):
        return repr(data if len(data) <= 80 else data[:60]) + ("" if len(data) <= 80 else f"…({len(data)} chars)")
    items = data.items() if isinstance(data, dict) else data
    return "{" + ", ".join(f"{k}={v[:40]!r}…({len(v)})" if isinstance(v, str) and len(v) > 40 else f"{k}={v!r}"
                           for k, v in items) + "}"


@pytest.fixture
def crawl(scene):
    return Crawl(scene)


# --- the URL patterns ----------------------------------------------------------------------------


def routes(resolver=None, segments=(), namespace=()):
    """(name, pattern segments) of every URL pattern, includes followed."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace + ((entry.namespace,) if entry.namespace else ())
            yield from routes(entry, segments + (entry.pattern,), ns)
        elif isinstance(entry, URLPattern):
            yield ":".join(namespace + (entry.name or "",)), segments + (entry.pattern,)


ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


def _regex_groups(regex: str, fill) -> str:
    """``regex`` as a path: each named group replaced by ``fill(name)``, anchors dropped."""
    out, i = [], 0
    while i < len(regex):
        if regex.startswith("(?P<", i):
            name = regex[i + 4:regex.index(">", i)]
            depth, j = 0, i
            while True:
                if regex[j] == "\\":
                    j += 2
                    continue
                depth += {"(": 1, ")": -1}.get(regex[j], 0)
                j += 1
                if depth == 0:
                    break
            out.append(fill(name))
            i = j
        else:
            out.append(regex[i])
            i += 1
    text = "".join(out).lstrip("^").rstrip("$").replace(".*", "tidak/ada")
    return re.sub(r"\\(.)", r"\1", text)


def url_of(segments, fill) -> str:
    parts = []
    for pattern in segments:
        if isinstance(pattern, RoutePattern):
            parts.append(ROUTE_PARAMETER.sub(lambda m: fill(m.group("name")), str(pattern._route)))
        elif isinstance(pattern, RegexPattern):
            parts.append(_regex_groups(pattern._regex, fill))
        else:  # pragma: no cover - no i18n_patterns in this project
            parts.append(str(pattern))
    return "/" + "".join(parts)


def parameters(segments) -> list[str]:
    names = []
    url_of(segments, lambda name: names.append(name) or "")
    return list(dict.fromkeys(names))


def good_value(scene: Scene, name: str, parameter: str) -> str:
    tracking = scene.published.tracking_id
    return {
        "tracking_id": tracking, "service_request_id": tracking, "pk": scene.pk_for(name),
        "slug": {"portal:report_action": "tanggapi", "office:report_action": "catatan",
                 "harmony:guide": "warga"}.get(name, "pemkot"),
        # (The monthly PDF of a month with figures takes WeasyPrint a second or two, and
        # tests/transparency draw it: here its route is asked for months it refuses.)
        "month": "1999-12" if name == "transparency:monthly_pdf" else "2026-01",
        "kind": "rumah-ibadah", "code": "63.72", "service_code": scene.world.category.slug,
        "fmt": "csv" if name.startswith("transparency:") else "json", "token_id": "abc", "key": "abc",
        "uidb36": "1", "object_id": "1",
    }.get(parameter, "1")


ODD_PATH_VALUES = {
    "tracking_id": ["9" * 40, "%00"],
    "service_request_id": ["9" * 40, "%00"],
    "pk": [HUGE],
    "slug": ["tidak-ada"],
    "code": ["%00", "xx"],
    "month": ["9999-99", "1999-12", "2026-13"],
    "service_code": ["tidak-ada"],
    "fmt": ["abc"],
}


def path_variants(scene: Scene, name: str, segments) -> list[str]:
    """The route with valid parameters, then with each parameter odd in turn."""

    def filled(odd_name=None, odd=None):
        return url_of(segments, lambda p: odd if p == odd_name else good_value(scene, name, p))

    urls = [filled()]
    for parameter in parameters(segments):
        urls += [filled(parameter, odd) for odd in ODD_PATH_VALUES.get(parameter, ["%00"])]
    return list(dict.fromkeys(urls))


def url_for(scene: Scene, wanted: str) -> str:
    for name, segments in routes():
        if name == wanted:
            return url_of(segments, lambda p: good_value(scene, name, p))
    raise LookupError(wanted)


# Every query parameter a view reads, by URL name (grep request.GET / query_params / forms
# bound to GET), and who the sweep asks as: the persona who gets past the view's door.
FILTERS = ["wilayah", "kategori", "status", "jenis", "instansi", "dari", "sampai"]
SEARCH = ["q", "kind", "category", "province", "regency", "district", "village", "agency", "status",
          "date_from", "date_to"]
API_LIST = ["status", "kind", "category", "agency", "region", "since", "until", "page", "page_size"]
READS = {
    "portal:report_list": ("anonymous", SEARCH + ["halaman"]),
    "following:list_feed": ("anonymous", SEARCH),
    "portal:track": ("citizen", ["id"]),
    "portal:regions": ("anonymous", ["induk"]),
    "portal:agency_suggestion": ("anonymous", ["kategori", "wilayah"]),
    "portal:report_new": ("citizen", ["kategori"]),
    "portal:my_reports": ("citizen", ["halaman"]),
    "notifications:centre": ("citizen", ["halaman"]),
    "transparency:map": ("anonymous", FILTERS + ["bbox", "zoom"]),
    "transparency:map_data": ("anonymous", FILTERS + ["bbox", "zoom"]),
    "following:map_feed": ("anonymous", FILTERS + ["bbox", "zoom"]),
    "transparency:statistics": ("anonymous", FILTERS),
    "transparency:export_reports": ("anonymous", FILTERS),
    "transparency:ranking": ("anonymous", FILTERS),
    "transparency:ranking_export": ("anonymous", FILTERS),
    "transparency:agency": ("anonymous", FILTERS),
    "transparency:supervision": ("national", FILTERS),
    "transparency:polls": ("anonymous", ["instansi"]),
    "transparency:polls_feed": ("anonymous", ["instansi"]),
    "office:inbox": ("staff", ["tab", "q", "status", "category", "unit", "region", "channel", "draft", "date_from",
                               "date_to", "halaman"]),
    "office:audit": ("national", ["q", "actor", "action", "object_type", "date_from", "date_to", "halaman"]),
    "office:supervision": ("staff", ["hari"]),
    "office:report": ("staff", ["templat"]),
    "harmony_office:registry": ("staff", ["kantor"]),
    "api:reports": ("anonymous", API_LIST),
    "api:my-reports": ("citizen token", API_LIST),
    "api:inbox": ("staff token", API_LIST + ["open"]),
    "api:categories": ("anonymous", ["page", "page_size"]),
    "api:regions": ("anonymous", ["parent", "q", "page", "page_size"]),
    "api:agencies": ("anonymous", ["region", "q", "page", "page_size"]),
    "open311:requests": ("anonymous", ["service_request_id", "service_code", "start_date", "end_date", "status",
                                       "page", "page_size", "api_key"]),
    "open311:request": ("anonymous", ["api_key"]),
    "open311:updates": ("anonymous", ["start_date", "end_date", "page", "page_size", "api_key"]),
    "open311:services": ("anonymous", ["api_key"]),
    "sms:kannel": ("anonymous", ["sender", "text", "id", "ts"]),
    "account_login": ("anonymous", ["next"]),
    "account_signup": ("anonymous", ["next"]),
}
TOKENS = {"citizen token", "staff token", "bad token"}


def ask(crawl: Crawl, who: str, method: str, url: str, data=None, **extra):
    if who in TOKENS:
        return crawl.send("anonymous", method, url, data, token=who, **extra)
    return crawl.send(who, method, url, data, **extra)


def test_the_crawl_knows_the_routes_it_reads_parameters_of():
    names = {name for name, _segments in routes()}
    assert set(READS) <= names, set(READS) - names


def test_the_personas_of_the_crawl_are_who_it_says(scene, crawl):
    # Were a sign-in (or the staff's second factor) to fail, the crawl would quietly ask
    # every page as a stranger.
    expected = {("anonymous", "/laporan-saya/"): 302, ("citizen", "/laporan-saya/"): 200, ("staff", "/kantor/"): 200,
                ("staff", "/kantor/silapat/"): 200, ("national", "/kantor/audit/"): 200,
                ("superuser", "/admin/reports/report/"): 200, ("citizen token", "/api/v1/me/reports/"): 200,
                ("staff token", "/api/v1/inbox/"): 200, ("bad token", "/api/v1/me/reports/"): 401}
    for (who, url), status in expected.items():
        assert ask(crawl, who, "get", url).status_code == status, (who, url)


# --- every route, odd paths -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "citizen", "staff"])
def test_every_route_answers_odd_paths_without_a_server_error(scene, crawl, who):
    for name, segments in routes():
        if name == "account_logout" or str(segments[0]) == "admin/":
            continue  # logging out would end the crawl's session; the admin has its own test
        if who != "anonymous" and str(segments[0]) in ("api/", "open311/v2/", "sms/"):
            continue  # tokens, api_keys and a secret say who calls these, not a session: asked below
        good, *odd = path_variants(scene, name, segments)
        response = crawl.send(who, "get", good)
        # A route that takes only POST (405 to a GET) is asked its odd paths by POST.
        method = "post" if response is not None and response.status_code == 405 else "get"
        for url in odd:
            crawl.send(who, method, url)
        if who == "anonymous" and str(segments[0]) == "api/":
            for token in TOKENS:
                crawl.send(who, "get", good, token=token)
        asker, reads = READS.get(name, ("", []))
        if reads and who == "anonymous":
            # Everything the view reads at once, asked (once) as whoever gets past its door:
            # garbage, NUL, long, unicode, repeated.
            for value in ("abc", "\x00", LONG, "😀 ١٢٣ ²"):
                ask(crawl, asker, "get", good, {p: value for p in reads})
            ask(crawl, asker, "get", good, [(p, v) for p in reads for v in ("1", "abc")])
    crawl.check()


def test_the_admin_answers_odd_object_ids_and_list_parameters_without_a_server_error(scene, crawl):
    # Django's own admin, as a superuser: object ids are read by each model's primary key
    # (a region's is its code), lists by Django's search and ordering. (Anonymous visitors,
    # citizens and staff without its permissions only get its sign-in page or a 403.)
    for name, segments in routes():
        if str(segments[0]) != "admin/":
            continue
        if "object_id" in parameters(segments):
            if name.endswith("_change"):  # (its delete and history pages read the id the same way)
                crawl.send("superuser", "get", url_of(segments, lambda p: "%00" if p == "object_id" else "1"))
            continue
        url = url_of(segments, lambda p: good_value(scene, name, p))
        # A list is asked with a search holding NUL, an ordering and a page that are none.
        query = {"q": "\x00", "o": "abc", "p": HUGE} if name.endswith("_changelist") else None
        crawl.send("superuser", "get", url, query)
    for who in ("anonymous", "staff"):
        crawl.send(who, "get", "/admin/regions/region/%00/change/")
    crawl.check()


# --- every parameter the views read, one at a time -------------------------------------------------


SWEEPS = {
    "portal": ["portal:report_list", "following:list_feed", "portal:track", "portal:regions",
               "portal:agency_suggestion", "portal:report_new", "portal:my_reports", "notifications:centre",
               "account_login", "account_signup"],
    "transparency": ["transparency:map", "transparency:map_data", "following:map_feed", "transparency:statistics",
                     "transparency:export_reports", "transparency:ranking", "transparency:ranking_export",
                     "transparency:agency", "transparency:supervision", "transparency:polls",
                     "transparency:polls_feed"],
    "office": ["office:inbox", "office:audit", "office:supervision", "office:report", "harmony_office:registry"],
    "api": ["api:reports", "api:my-reports", "api:inbox", "api:categories", "api:regions", "api:agencies"],
    "open311 and sms": ["open311:requests", "open311:request", "open311:updates", "open311:services", "sms:kannel"],
}


def test_the_sweeps_cover_every_route_with_parameters():
    assert {name for names in SWEEPS.values() for name in names} == set(READS)


# Views whose parameters go through a function the sweep tries in full on another view
# (transparency.filters.parse, the portal's SearchForm, the API's list filters), each
# parameter on its own, the malformed ones dropped: asked with every parameter at once.
LIGHT_SWEEP = {"transparency:map", "following:map_feed", "transparency:export_reports", "transparency:ranking",
               "transparency:ranking_export", "transparency:agency", "transparency:supervision",
               "transparency:polls_feed", "following:list_feed", "api:my-reports", "api:inbox"}


@pytest.mark.parametrize("group", list(SWEEPS))
def test_garbage_in_each_query_parameter_gets_no_server_error(scene, crawl, group):
    for name in SWEEPS[group]:
        who, reads = READS[name]
        url = url_for(scene, name)
        base = {"secret": "rahasia-kannel", "sender": "081255550001", "text": "CEK 1"} if name == "sms:kannel" else {}
        if name in LIGHT_SWEEP:
            for value in LIGHT:
                ask(crawl, who, "get", url, {**base, **{parameter: value for parameter in reads}})
            continue
        for parameter in reads:
            for value in hostile_values(parameter):
                ask(crawl, who, "get", url, {**base, parameter: value})
            ask(crawl, who, "get", url, [*base.items(), (parameter, "1"), (parameter, "abc")])
    crawl.check()


# --- malformed bodies to the forms of the pages ------------------------------------------------------


class FormsOnPage(HTMLParser):
    """The forms of a page as a browser would send them: action, fields with the values the
    page put in them (the first option, the checked box), and which fields take files."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: v if v is not None else "" for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower(), "fields": {},
                          "files": [], "kinds": {}, "also": []}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        if a.get("formaction"):
            self._form["also"].append(a["formaction"])  # another button of the form posts elsewhere
        if tag == "option" and self._select:
            if self._select not in self._form["fields"] or "selected" in a:
                self._form["fields"][self._select] = a.get("value", "")
            return
        if not a.get("name"):
            return
        fields, name = self._form["fields"], a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "file":
                self._form["files"].append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in a or name not in fields:
                    fields[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "reset", "image") or name not in fields:
                fields.setdefault(name, a.get("value", ""))
        elif tag == "button" and a.get("type", "submit") == "submit":
            fields.setdefault(name, a.get("value", ""))
        elif tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea = name
            fields[name] = ""
        kind = a.get("type", "text").lower() if tag == "input" else tag
        self._form["kinds"][name] = (
            "text" if kind in ("textarea", "text", "search", "email", "tel", "password") else
            "date" if kind == "date" else "datetime" if kind == "datetime-local" else "number" if kind == "number" else
            "choice" if kind in ("select", "radio") else "box" if kind == "checkbox" else "other")

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def post_forms(html: str, page: str) -> list[dict]:
    parser = FormsOnPage()
    parser.feed(html)
    forms = []
    for form in parser.forms:
        action = form["action"] or page
        if form["method"] != "post" or action.startswith(("/akun/logout/", "/i18n/")):
            continue  # signing out or switching language would change who and how the crawl asks
        form["fields"].pop("csrfmiddlewaretoken", None)
        forms += [{**form, "action": target} for target in dict.fromkeys([action, *form["also"]])]
    return forms


# What each field of a form gets, one field at a time, the others as the page filled them,
# by the kind of input: NUL, and nothing but to free text; free text 10,000 characters; a date (and time) what
# is none, what Python cannot hold, the calendar's first and last days; a number what is no
# number or no finite one; a choice a word or a number past every column; a hidden field
# those, a digit no database reads and 10,000 characters; a box left unticked.
FORM_GARBAGE = {
    "text": ["\x00", LONG],  # (left empty, with every other field, by the post of nothing at all)
    "date": ["", "\x00", "abc", "9999-12-31", "0001-01-01", "99999-01-01"],
    "datetime": ["", "\x00", "abc", "9999-12-31T23:59", "0001-01-01T00:00", "99999-01-01T00:00"],
    "number": ["", "\x00", "abc", "nan", "inf", "-1e3", "2147483648"],  # (the last: past PostgreSQL's integer)
    "choice": ["", "\x00", "abc", HUGE],
    "box": [""],
    "other": ["", "\x00", "abc", HUGE, "²", LONG],
}
# Known server errors whose cause lies in code left to others: none left; a pair
# (URL, field) here makes the crawl skip that field.
KNOWN: set[tuple[str, str]] = set()


def not_an_image(name="foto.jpg"):
    return SimpleUploadedFile(name, b"MZ\x90\x00 bukan foto", content_type="image/jpeg")


def post_garbage_to_forms(crawl: Crawl, who: str, page: str, only: str = "", fields: str = ""):
    """Every POST form on ``page`` as ``who`` sees it (only those posting to a URL holding
    one of ``only``'s |-separated parts; a form already posted to on another page once):
    each field (whose name starts with ``fields``) with each garbage value of its kind; all
    fields NUL; nothing at all; every field twice; a file that is no photo."""
    response = crawl.send(who, "get", page)
    assert response is not None and response.status_code == 200, (page, who, getattr(response, "status_code", None))
    forms = [form for form in post_forms(response.content.decode(), page)
             if any(part in form["action"] for part in only.split("|"))]
    assert forms, f"no form to post on {page} as {who}"
    for form in forms:
        url, base = form["action"], form["fields"]
        if (url, *sorted(base)) in crawl.posted:
            continue
        crawl.posted.add((url, *sorted(base)))
        known = {name for target, name in KNOWN if target == url}
        crawl.send(who, "post", url, {})
        crawl.send(who, "post", url, {name: "\x00" for name in base if name not in known})
        crawl.send(who, "post", url, {name: ["1", "abc"] for name in base if name not in known})
        for name in sorted(set(base) - known):
            if not name.startswith(fields) or (name, "garbled") in crawl.posted:
                continue
            if name == "kantor":  # SILAPAT's office, read by one decorator for all its pages
                crawl.posted.add((name, "garbled"))
            for value in FORM_GARBAGE[form["kinds"].get(name, "other")]:
                crawl.send(who, "post", url, {**base, name: value})
        for name in form["files"]:
            crawl.send(who, "post", url, {**base, name: [not_an_image(), not_an_image("\x00.pdf")]})
    return forms


def form_pages(scene: Scene) -> dict[str, list[tuple[str, str]]]:
    tid = lambda report: report.tracking_id  # noqa: E731
    return {
        # An RT/RW's form is the citizen's with the resident's fields.
        "report form": [("citizen", "/lapor/"), ("proxy", "/lapor/", "", "resident_")],
        "reporter actions": [
            ("citizen", f"/laporan/{tid(scene.answered)}/"), ("citizen", f"/laporan/{tid(scene.returned)}/"),
            ("citizen", f"/laporan/{tid(scene.closed)}/"), ("other citizen", f"/laporan/{tid(scene.published)}/"),
            ("citizen", f"/kinerja/nilai/{tid(scene.closed)}/"), ("citizen", f"/opini/{scene.poll.pk}/"),
            ("citizen", f"/kinerja/survei/{scene.survey.pk}/"), ("citizen", "/profil/"), ("citizen", "/notifikasi/"),
            ("citizen", "/ikuti/"), ("other citizen", "/profil/"), ("citizen", "/silapat/lapor/"),
        ],
        "accounts": [("anonymous", "/akun/signup/"), ("anonymous", "/akun/login/"), ("anonymous", "/akun/klaim/"),
                     ("anonymous", "/akun/password/reset/"), ("citizen", "/akun/email/"),
                     ("citizen", "/akun/password/change/")],
        # (A form two workspaces both show is posted on one of them.)
        "office report actions": [("staff", f"/kantor/laporan/{tid(scene.submitted)}/",
                                   "/verifikasi/|/tunda/|/kembalikan/|/arsipkan/|/duplikat/"),
                                  ("staff", f"/kantor/laporan/{tid(scene.published)}/"),
                                  # its other forms are the published report's
                                  ("staff", f"/kantor/laporan/{tid(scene.drafted)}/", "/draf/"),
                                  ("staff", "/kantor/")],
        "office management": [("staff", url) for url in (
            "/kantor/kelola/unit/", f"/kantor/kelola/unit/{scene.world.pupr.pk}/", "/kantor/kelola/staf/",
            # (A disaster's and a threshold's own page show the form of the list's page.)
            "/kantor/kelola/perwakilan/", "/kantor/kelola/templat/", "/kantor/kelola/rute/", "/kantor/darurat/",
            "/kantor/opini/baru/", "/kantor/survei/baru/", "/kantor/silapat/ambang/baru/", "/kantor/silapat/penerima/",
            "/kantor/silapat/ubah/rumah-ibadah/baru/", "/kantor/silapat/ubah/organisasi/baru/",
            "/kantor/silapat/ubah/penduduk/baru/", "/kantor/silapat/impor/",
            f"/kantor/silapat/kejadian/{tid(scene.published)}/")],
    }


FORM_GROUPS = ["report form", "reporter actions", "accounts", "office report actions", "office management"]


@pytest.mark.parametrize("group", FORM_GROUPS)
def test_malformed_posts_to_the_forms_of_the_pages_get_no_server_error(scene, crawl, group):
    pages = form_pages(scene)
    assert set(pages) == set(FORM_GROUPS)
    for who, page, *only in pages[group]:
        post_garbage_to_forms(crawl, who, page, *only)
    crawl.check()


def test_fields_the_pages_do_not_show_get_no_server_error(scene, crawl):
    # What the views read besides the fields a page happens to show: the notifications to
    # mark read, and everything a follow button may carry (a report, a region, a category,
    # a circle on the map).
    for value in FORM_GARBAGE["other"] + ["1.5", "-1"]:
        crawl.send("citizen", "post", "/notifikasi/baca/", {"id": value})
    crawl.send("citizen", "post", "/notifikasi/baca/", {"id": ["1", "abc", HUGE]})
    follow = {"wilayah": "63.72", "kategori": scene.world.category.slug, "lat": "-3.44", "lon": "114.83",
              "radius": "2", "next": "/peta/"}
    for name in [*follow, "laporan"]:
        for value in FORM_GARBAGE["other"] + ["nan", "inf", "-1", "1e309", "91", "١", "#"]:
            crawl.send("citizen", "post", "/ikuti/tambah/", {**follow, name: value})
    crawl.check()


# --- malformed bodies to the API, Open311 and the SMS webhook ----------------------------------------


# (URL name, which report of the scene, who asks, a valid body): every writing endpoint.
API_WRITES = [
    ("api:token", None, "anonymous", {"username": "warga", "password": "bukan-sandinya"}),
    ("api:reports", None, "citizen token", {"title": "Jalan rusak", "body": "Aspal mengelupas.",
                                            "addressed_agency": "pemkot"}),
    ("api:reply", "answered", "citizen token", {"text": "Belum beres."}),
    ("api:rate", "answered", "citizen token", {"comment": "Terima kasih."}),
    ("api:complete", "returned", "citizen token", {"addition": "Di depan pasar."}),
    ("api:reopen", "closed", "citizen token", {"reason": "Rusak lagi."}),
    ("api:answer", "published", "staff token", {"body": "Sudah kami tambal."}),
    ("api:verify", "submitted", "staff token", {"agency": "pupr"}),
    ("api:postpone", "submitted", "staff token", {"reason": "Menghubungi pelapor."}),
    ("api:return", "submitted", "staff token", {"missing": "Foto lokasi."}),
    ("api:archive", "submitted", "staff token", {"reason": "spam"}),
    ("api:duplicate", "submitted", "staff token", {"original": "published"}),
    ("api:transfer", "submitted", "staff token", {"agency": "pemkab", "reason": "Wilayah Banjar."}),
    ("api:dispose", "published", "staff token", {"unit": "bina-marga"}),
    ("api:not-our-authority", "published", "staff token", {"reason": "Bukan jalan kota."}),
    ("api:close", "published", "staff token", {"reason": "Selesai lewat telepon."}),
    ("api:notes", "published", "staff token", {"text": "Cek lapangan Senin."}),
    ("api:flags", "published", "staff token", {"is_confidential": True, "reason": "Menyebut nama warga."}),
    ("api:support", "published", "citizen token", {}),
    ("api:follow", "published", "citizen token", {}),
    ("api:my-follows", None, "citizen token", {"region": "63.72", "category": "jalan-rusak"}),
    ("api:my-notifications-read", None, "citizen token", {"ids": [1]}),
]
RAW_BODIES = ["", "[]", '"teks"', "{", "[" * 100_000, '{"title": NaN, "body": Infinity}']
JSON_GARBAGE = [123, None, [], {"a": {"b": [1]}}, "\x00", LONG, 10 ** 30, "abc"]


def api_fields(name: str) -> list[str]:
    from lapor.api import citizen
    from lapor.api import serializers as s

    view = get_resolver().resolve(some_url_of(name)).func.view_class
    if name in ("api:support", "api:follow"):
        return []  # no body: the report is in the address
    serializer = {"api:token": s.TokenIn, "api:reports": s.ReportIn, "api:my-follows": citizen.FollowIn,
                  "api:my-notifications-read": citizen.ReadIn}.get(name) or view.input
    return list(serializer().fields)


def some_url_of(name):
    """A URL of the route, parameters all "1" (enough to resolve it to its view)."""
    for route_name, segments in routes():
        if route_name == name:
            return url_of(segments, lambda p: "1")
    raise LookupError(name)


def test_the_api_writes_cover_every_endpoint_that_takes_a_body():
    from rest_framework.views import APIView

    takes_bodies = {name for name, segments in routes() if name.startswith("api:")
                    and (view := getattr(get_resolver().resolve(url_of(segments, lambda p: "1")).func, "view_class",
                                         None)) and issubclass(view, APIView) and hasattr(view, "post")}
    assert takes_bodies == {name for name, *_rest in API_WRITES}


@pytest.mark.parametrize("half", ["citizen", "staff"])
def test_malformed_bodies_to_the_api_get_no_server_error(scene, crawl, half):
    for name, report, who, valid in API_WRITES:
        if (who == "staff token") != (half == "staff"):
            continue
        url = url_of(next(seg for n, seg in routes() if n == name),
                     lambda p: getattr(scene, report).tracking_id if p == "tracking_id" else "1")
        valid = {k: (scene.published.tracking_id if v == "published" else v) for k, v in valid.items()}
        # Bodies that are no JSON object: DRF's parser is the same for every endpoint.
        for raw in RAW_BODIES if name in ("api:token", "api:reports", "api:reply", "api:verify") else ["[]"]:
            ask(crawl, who, "post", url, raw, content_type="application/json")
        ask(crawl, who, "post", url, b"\xff\xfe{\x00}", content_type="application/json")
        ask(crawl, who, "post", url, json.dumps(valid), content_type="application/json")
        for token in ("bad token", "anonymous"):
            ask(crawl, token, "post", url, json.dumps(valid), content_type="application/json")
        for field in api_fields(name):
            for value in JSON_GARBAGE:
                ask(crawl, who, "post", url, json.dumps({**valid, field: value}), content_type="application/json")
        # The same as a form, as an app sends files: NUL, a list where one value is due, no photo.
        form = {k: str(v) for k, v in valid.items()}
        ask(crawl, who, "post", url, {**form, **{field: "\x00" for field in api_fields(name)}})
        ask(crawl, who, "post", url, {**form, "attachments": [not_an_image(), not_an_image("\x00.pdf")]})
    crawl.check()


def test_malformed_open311_posts_get_no_server_error(scene, crawl):
    key = scene.api_key
    requests = {"api_key": key, "service_code": scene.world.category.slug, "lat": "-3.44", "long": "114.83",
                "description": "Jalan rusak parah di depan pasar."}
    fields = [*requests, "address_string", "address_id", "media_url", "email", "attribute[KIND]",
              "attribute[AGENCY]", "attribute[INCIDENT_DATE]", "attribute[TITLE]", "attribute[ANONYMOUS]"]
    updates = {"api_key": key, "service_request_id": scene.answered.tracking_id, "description": "Belum beres.",
               "status": "open"}
    for url, valid, names in (("/open311/v2/requests.json", requests, fields),
                              ("/open311/v2/servicerequestupdates.json", updates, [*updates, "updated_datetime"])):
        crawl.send("anonymous", "post", url, {})
        crawl.send("anonymous", "post", url.replace(".json", ".xml"), {**valid, "lat": "abc"})
        crawl.send("anonymous", "post", url, {name: ["1", "abc"] for name in names})
        crawl.send("anonymous", "post", url, json.dumps(valid), content_type="application/json")
        for name in names:
            extra = {"lat": ["nan", "inf", "-91", "1e309"], "long": ["nan", "-181"],
                     "attribute[INCIDENT_DATE]": DATES, "updated_datetime": MOMENTS}.get(name, [])
            for value in FORM_GARBAGE["other"] + extra:
                crawl.send("anonymous", "post", url, {**valid, name: value})
    crawl.check()


def test_malformed_sms_get_no_server_error(scene, crawl):
    valid = {"secret": "rahasia-kannel", "sender": "081255550001", "text": "BANJARBARU Jalan rusak di depan pasar"}
    for method in ("get", "post"):
        crawl.send("anonymous", method, "/sms/kannel/", {})
        crawl.send("anonymous", method, "/sms/kannel/", {name: ["1", "abc"] for name in [*valid, "id", "ts"]})
        for name in ("sender", "text", "id", "ts"):
            for value in FORM_GARBAGE["other"] + ["+62", "0" * 40, "CEK " + HUGE, "CEK \x00", "😀" * 200]:
                crawl.send("anonymous", method, "/sms/kannel/", {**valid, name: value})
    # Kannel's post-url: the text is the body.
    for body in (b"\xff\xfe\x00", LONG.encode(), "BANJARBARU Jalan\x00rusak".encode(), b""):
        crawl.send("anonymous", "post", "/sms/kannel/?secret=rahasia-kannel&sender=081255550001", body,
                   content_type="text/plain")
    crawl.check()


def test_malformed_claims_of_an_sms_account_get_no_server_error(scene, crawl, settings):
    # A number that reported by SMS has an account to take over (lapor/accounts/claims.py).
    phone = "+6281255550001"
    crawl.send("anonymous", "get", "/sms/kannel/", {"secret": "rahasia-kannel", "sender": phone,
                                                    "text": "BANJARBARU Jalan berlubang di depan pasar"}, keep=True)
    post_garbage_to_forms(crawl, "anonymous", "/akun/klaim/")
    crawl.send("anonymous", "post", "/akun/klaim/", {"phone": phone}, keep=True)
    code = re.search(r"\b(\d{6})\b", settings.SMS_OUTBOX_PATH.read_text(encoding="utf-8").splitlines()[-1]).group(1)
    post_garbage_to_forms(crawl, "anonymous", "/akun/klaim/kode/")
    response = crawl.send("anonymous", "post", "/akun/klaim/kode/", {"code": code}, keep=True)
    assert response.status_code == 302 and response["Location"] == "/akun/klaim/lengkapi/"
    post_garbage_to_forms(crawl, "anonymous", "/akun/klaim/lengkapi/")
    crawl.check()


REGISTRY_ROWS = {
    "rumah-ibadah": {"kode_wilayah": "63.72.02.1005", "jenis": "masjid", "agama": "islam", "nama": "Masjid Al-Ikhlas",
                     "alamat": "Jl. A. Yani km 30", "lintang": "-3.44", "bujur": "114.83"},
    "organisasi": {"kode_wilayah": "63.72", "nama": "FKUB Kota Banjarbaru", "jenis": "", "agama": "islam",
                   "tingkat": "kota", "narahubung": "Ahmad", "telepon": "081255550002", "email": "fkub@example.id"},
    "penduduk": {"kode_wilayah": "63.72.02.1005", "tahun": "2025", "agama": "islam", "jumlah": "1.234"},
}


def test_malformed_registry_imports_get_no_server_error(scene, crawl):
    # SILAPAT's CSV import (/kantor/silapat/impor/): each column of each kind with garbage.
    def csv_file(row: dict, *, encoding="utf-8") -> SimpleUploadedFile:
        text = ",".join(row) + "\n" + ",".join(f'"{v}"' for v in row.values()) + "\n"
        return SimpleUploadedFile("data.csv", text.encode(encoding, errors="replace"), content_type="text/csv")

    for kind, valid in REGISTRY_ROWS.items():
        upload = {"kantor": scene.harmony_office.pk, "kind": kind}
        crawl.send("staff", "post", "/kantor/silapat/impor/", {**upload, "file": csv_file(valid)})
        crawl.send("staff", "post", "/kantor/silapat/impor/", {**upload, "file": csv_file(valid, encoding="cp1252")})
        for column in valid:
            for value in ["", "\x00", LONG, HUGE, "²", "nan"]:
                crawl.send("staff", "post", "/kantor/silapat/impor/", {**upload, "file": csv_file({**valid, column: value})})
    crawl.check()


def test_switching_to_a_garbage_language_gets_no_server_error(scene, crawl):
    scene.clients["stranger"] = Client()
    for language in ["", "\x00", LONG, "xx", "en\x00", "../id"]:
        for next_url in ["/", "//evil.example/", "\x00", LONG, "javascript:alert(1)"]:
            crawl.send("stranger", "post", "/i18n/setlang/", {"language": language, "next": next_url})
    crawl.check()


# --- what the crawl found, each said plainly ---------------------------------------------------------


def test_a_tracking_id_holding_nul_names_no_page(scene):
    client = scene.clients["citizen"]
    for url in ("/laporan/%00/", "/laporan/1%002/terkirim/", "/laporan/%00/atom.xml", "/kinerja/nilai/%00/",
                "/laporan/%00/lampiran/1/"):
        assert client.get(url).status_code == 404, url
    assert scene.clients["staff"].get("/kantor/laporan/%00/").status_code == 404
    # A tracking ID that names no report still gets the portal's own page for it.
    assert "123456789" in client.get("/laporan/123456789/").content.decode()


def test_sign_in_with_a_provider_that_is_not_configured_is_not_found(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    for url in ("/akun/google/login/", "/akun/facebook/login/callback/", "/akun/twitter_oauth2/login/"):
        assert client.get(url).status_code == 404, url


def test_public_filters_ignore_nul_and_the_calendars_edges_like_any_malformed_value(scene, client):
    viewport = {"bbox": "114,-4,116,-3", "zoom": "12"}
    for odd in ({"instansi": "pem\x00kot"}, {"wilayah": "63\x00"}, {"kategori": "\x00"}, {"dari": "0001-01-01"},
                {"sampai": "9999-12-31"}):
        # The map's data, like the exports, names a filter it cannot use (400) rather than
        # answering every report as if filtered; the pages say so and show everything.
        response = client.get("/peta/data.json", {**viewport, **odd})
        assert response.status_code == 400 and list(response.json()["ignored"]) == list(odd), odd
        assert client.get("/statistik/", odd).status_code == 200, odd
    assert client.get("/opini/", {"instansi": "\x00"}).status_code == 200
    assert client.get("/wilayah.json", {"induk": "63\x00"}).status_code == 404
    assert client.get("/saran-instansi.json", {"kategori": "²", "wilayah": "\x00"}).json() == {"agency": None}


def test_the_audit_log_says_a_day_past_the_calendar_is_no_valid_date(scene):
    response = scene.clients["national"].get("/kantor/audit/", {"date_to": "9999-12-31", "q": "jalan"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Masukkan tanggal yang valid." in page and 'value="jalan"' in page


def test_open311_says_which_pages_there_can_be(client, scene):
    response = client.get("/open311/v2/requests.json", {"page": HUGE})
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": "page harus antara 1 dan 1000000."}]
    # The default start, 90 days before an end_date in the calendar's first days: its first moment.
    for what in ("requests", "servicerequestupdates"):
        response = client.get(f"/open311/v2/{what}.json", {"end_date": "0001-01-02"})
        assert response.status_code == 200 and response.json() == []


def test_an_api_body_nested_too_deeply_is_no_json(client, scene):
    response = client.post("/api/v1/auth/token/", "[" * 100_000, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Isi permintaan bukan JSON yang sah.", "code": "parse_error"}


def test_a_poll_answer_naming_no_option_is_asked_to_choose_one(scene):
    from lapor.transparency.models import PollAnswer

    response = scene.clients["citizen"].post(f"/opini/{scene.poll.pk}/", {"option": "abc"}, follow=True)
    assert "Pilih salah satu jawaban." in response.content.decode()
    assert not PollAnswer.objects.exists()


def test_a_service_rating_with_nul_in_its_comment_is_refused_and_the_choice_kept(scene):
    from lapor.transparency.models import ServiceRating

    response = scene.clients["citizen"].post(f"/kinerja/nilai/{scene.closed.tracking_id}/",
                                             {"level": "4", "comment": "Cepat\x00 sekali"})
    assert response.status_code == 400
    assert "Karakter NUL tidak diperbolehkan." in response.content.decode()
    assert response.context["chosen"] == "4"
    assert not ServiceRating.objects.exists()


def test_a_follow_button_whose_next_is_no_path_goes_to_the_follows(scene):
    client = scene.clients["citizen"]
    response = client.post("/ikuti/tambah/", {"laporan": scene.published.tracking_id, "next": "abc"})
    assert response.status_code == 302 and response["Location"] == "/ikuti/"
    response = client.post(f"/ikuti/{scene.follow.pk}/hapus/", {"next": "9999-12-31"})
    assert response.status_code == 302 and response["Location"] == "/ikuti/"


def test_marking_read_a_notification_that_is_no_number_marks_nothing(scene):
    unread = Notification.objects.filter(recipient=scene.world.citizen, read_at__isnull=True).count()
    assert unread
    response = scene.clients["citizen"].post("/notifikasi/baca/", {"id": ["abc", HUGE, "²"]})
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=scene.world.citizen, read_at__isnull=True).count() == unread


def test_following_a_category_in_superscript_digits_says_it_is_unknown(scene):
    response = scene.clients["citizen"].post("/ikuti/tambah/", {"kategori": "²", "next": "/peta/"}, follow=True)
    assert "Kategori tidak dikenal." in response.content.decode()


def test_a_disaster_starting_on_the_calendars_first_day_is_no_valid_time(scene):
    response = scene.clients["staff"].post(f"/kantor/darurat/{scene.disaster.pk}/", {
        "title": "Banjir Banjarbaru", "category": scene.disaster.category_id, "region": "63.72",
        "starts_at": "0001-01-01T00:00", "is_active": "on"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Masukkan tanggal/waktu yang valid." in page and "Banjir Banjarbaru" in page


def test_the_admin_says_a_region_code_holding_nul_does_not_exist(scene):
    response = scene.clients["superuser"].get("/admin/regions/region/%00/change/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/admin/"


def test_a_silapat_threshold_for_a_region_code_holding_nul_is_told_the_code_is_unknown(scene):
    response = scene.clients["staff"].post("/kantor/silapat/ambang/baru/", {
        "kantor": scene.harmony_office.pk, "name": "Dua kejadian", "scope": ThresholdScope.DISTRICT,
        "min_level": Vulnerability.HIGH, "count": "2", "days": "30", "region": "63.72\x00", "is_active": "on"})
    page = response.content.decode()
    assert response.status_code < 500 and "Kode wilayah tidak dikenal." in page and "Dua kejadian" in page


def test_a_silapat_import_says_what_is_wrong_with_each_row(scene):
    header = "kode_wilayah,tahun,agama,jumlah\n"
    for data, said in [
        (b"MZ\x90\x00 bukan CSV", "Kolom wajib tidak ada"),  # no UTF-8, not even cp1252
        ((header + "63.72.02.1005,2025,isl\x00am,12\n").encode(), "Karakter NUL tidak diperbolehkan."),
        ((header + f"63.72.02.1005,2025,islam,{HUGE}\n").encode(), "Jumlah paling panjang 9 karakter."),
        ((header + "63.72.02.1005,²,islam,12\n").encode(), "Tahun “²” harus bilangan bulat tidak negatif."),
    ]:
        response = scene.clients["staff"].post("/kantor/silapat/impor/", {
            "kantor": scene.harmony_office.pk, "kind": "penduduk",
            "file": SimpleUploadedFile("penduduk.csv", data, content_type="text/csv")})
        assert response.status_code == 200 and said in response.content.decode(), said


def test_a_bulk_action_whose_next_is_no_path_goes_back_to_the_inbox(scene):
    response = scene.clients["staff"].post("/kantor/massal/arsip/", {
        "reports": [scene.submitted.tracking_id], "archive_reason": "spam", "next": "abc"})
    assert response.status_code == 302 and response["Location"] == "/kantor/"
