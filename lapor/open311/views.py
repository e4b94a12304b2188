"""Open311 GeoReport v2 (SPEC §7) with the ``page``/``page_size`` extension and
FixMyStreet's ``servicerequestupdates``. See docs/open311.md.

Reads go through ``policy``: without an api_key only ``public_reports``; with one, what
that client's account may see (``visible_reports``: its own reports too). Confidential
reports never appear here, whoever asks. Writes call one lifecycle service each.

``media_url`` is the public address of a published report's first photo (of an answer's,
in an update): the portal's download, which gives a published report's files to anyone.
"""
from __future__ import annotations

import datetime
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, SuspiciousOperation, ValidationError
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from lapor.agencies.models import Agency
from lapor.agencies.routing import suggest_agency
from lapor.categories.models import Category
from lapor.open311.formats import error, render, w3c
from lapor.open311.models import Client, RequestToken, api_key_digest
from lapor.reports import drafts, policy, references, services
from lapor.reports.attachments import INLINE_TYPES
from lapor.reports.enums import Action, Channel, Kind, Status
from lapor.reports.errors import ActionForbidden, ReportError
from lapor.reports.models import Attachment, FollowUp, Report, ReportEvent
from lapor.reports.tracking import is_valid_tracking_id, normalize_tracking_id

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
DEFAULT_DAYS = 90
MAX_PAGE_SIZE = 1000
MAX_PAGE = 1_000_000
MAX_NAMED = 100  # service_request_id of servicerequestupdates: reports named at once
CLOSED = {Status.CLOSED, Status.ARCHIVED}
YES_NO = [{"key": "true", "name": gettext_lazy("Ya")}, {"key": "false", "name": gettext_lazy("Tidak")}]


class Problem(Exception):
    def __init__(self, status: int, description: str, *, retry_after: int | None = None):
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after


def endpoint(methods=("GET",)):
    """Format from the suffix, spec-shaped errors for every failure, never a 500 page for
    a domain error."""

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapped(request, *args, fmt="json", **kwargs):
            if fmt not in ("json", "xml"):
                return error(404, _("Format tidak dikenal: gunakan .json atau .xml."), fmt="json")
            try:
                values = [request.path, *request.GET.values(), *request.POST.values()]
            except UNREADABLE as unreadable:
                # Said here in the spec's shape and the asked format: past this decorator
                # Django's handler would answer the REST API's JSON, even to a .xml client.
                return error(*_unreadable(unreadable), fmt=fmt)
            if any("\x00" in value for value in values):
                # PostgreSQL text cannot hold NUL: refuse it here rather than fail in SQL.
                return error(400, _("Karakter NUL tidak diperbolehkan."), fmt=fmt)
            if request.method not in methods:
                return error(400, _("Metode %(method)s tidak didukung di sini.") % {"method": request.method}, fmt=fmt)
            if request.method == "POST" and not _form_encoded(request):
                # A JSON body is not read as parameters: its sender would hear that the
                # api_key it sent is missing (403) instead of what is wrong.
                return error(400, _("Permintaan Open311 dikirim sebagai formulir: application/x-www-form-urlencoded "
                                    "atau multipart/form-data."), fmt=fmt)
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except Problem as problem:
                response = error(problem.status, problem.description, fmt=fmt)
                if problem.retry_after:
                    response["Retry-After"] = str(problem.retry_after)
                return response
            except ValidationError as invalid:
                return error(400, _messages(invalid), fmt=fmt)
            except ActionForbidden as forbidden:
                return error(403, str(forbidden.message), fmt=fmt)
            except ReportError as refused:
                return error(400, str(refused.message), fmt=fmt)

        return wrapped

    return decorator


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# What reading a request's parameters may raise: too big, too many fields or files, a
# multipart body that cannot be parsed.
UNREADABLE = (SuspiciousOperation, MultiPartParserError)


def _unreadable(problem: Exception) -> tuple[int, str]:
    if isinstance(problem, RequestDataTooBig):
        megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        return 413, _("Kiriman terlalu besar: paling banyak %(mb)s MB sekaligus.") % {"mb": f"{megabytes:g}"}
    if isinstance(problem, MultiPartParserError):
        return 400, _("Isi permintaan multipart/form-data tidak dapat dibaca; periksa bentuknya, misalnya batasnya "
                      "(boundary) pada Content-Type.")
    return 400, _("Permintaan tidak dapat dibaca.")


def _form_encoded(request) -> bool:
    """Whether a POST sent its parameters as a form, as the spec has them sent (or sent no
    body at all, which is then answered for what it lacks)."""
    if request.content_type in FORM_TYPES:
        return True
    return not request.content_type and request.META.get("CONTENT_LENGTH") in (None, "", "0")


# The services name what is wrong by the report's own fields; a client sent it as these
# parameters of Open311 (its text is "description", not "body"; its pin "lat"/"long").
PARAMETERS = {
    "title": "attribute[TITLE]", "body": "description", "text": "description", "comment": "description",
    "latitude": "lat", "longitude": "long", "address": "address_string", "incident_date": "attribute[INCIDENT_DATE]",
    "addressed_agency": "attribute[AGENCY]", "kind": "attribute[KIND]", "category": "service_code",
    "is_anonymous": "attribute[ANONYMOUS]",
}


def _messages(invalid: ValidationError) -> str:
    if hasattr(invalid, "error_dict"):
        return "; ".join(
            " ".join(str(m) for m in msgs) if field == NON_FIELD_ERRORS
            else f"{PARAMETERS.get(field, field)}: {' '.join(str(m) for m in msgs)}"
            for field, msgs in invalid.message_dict.items())
    return " ".join(str(m) for m in invalid.messages)


def _client(request, *, required: bool) -> Client | None:
    key = request.POST.get("api_key") or request.GET.get("api_key")
    if not key:
        if required:
            raise Problem(403, _("api_key wajib diisi."))
        return None
    client = Client.objects.select_related("account").filter(key_digest=api_key_digest(key), is_active=True).first()
    if client is None:
        raise Problem(403, _("api_key tidak valid."))
    return client


def _within_hourly_limit(client: Client) -> None:
    """Count this client's request in the current clock hour (in the cache, shared by every
    web process with Redis); past ``LAPOR_OPEN311_SUBMITS_PER_HOUR``, a 429 saying when."""
    limit = settings.LAPOR_OPEN311_SUBMITS_PER_HOUR
    if limit <= 0 or client.account.username in settings.LAPOR_SUBMIT_UNLIMITED_ACCOUNTS:
        return
    now = time.time()
    hour = int(now // 3600)
    key = f"open311-submits:{client.pk}:{hour}"
    cache.add(key, 0, 3600 + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600 + 60)
        count = 1
    if count > limit:
        wait = int((hour + 1) * 3600 - now) + 1
        raise Problem(429, _("Klien ini sudah mengirim %(limit)d laporan dalam jam ini; coba lagi dalam "
                             "%(minutes)d menit.") % {"limit": limit, "minutes": wait // 60 + 1}, retry_after=wait)


def _readable(client: Client | None):
    reports = policy.visible_reports(client.account) if client else policy.public_reports()
    return reports.filter(is_confidential=False)


def unknown(request, *args, **kwargs):
    fmt = "xml" if request.path.endswith(".xml") else "json"
    return error(404, _("Sumber tidak dikenal. Lihat discovery.json."), fmt=fmt)


# --- discovery and services ---------------------------------------------------------------


@endpoint()
def discovery(request, fmt):
    base = request.build_absolute_uri("/open311/v2/")
    return render({
        "changeset": "2026-01-01T00:00:00+07:00",
        "contact": _("Lapor — SP4N-LAPOR! terbuka. Lihat /api/docs/ dan docs/open311.md."),
        "key_service": _("Minta api_key kepada Admin Nasional (admin → Klien Open311)."),
        "endpoints": [{
            "specification": SPEC_URL, "url": base, "changeset": "2026-01-01T00:00:00+07:00",
            "type": "production", "formats": ["text/xml", "application/json"],
            "extensions": _worded(EXTENSIONS),
        }],
    }, fmt=fmt, root="discovery")


# What this endpoint adds to GeoReport v2, each with its parameters, so that a client
# reading discovery finds them (the spec's discovery has no place for extensions: an
# added element of the endpoint, which clients that do not know it pass over).
EXTENSIONS = [
    {"name": "page", "specification": "http://wiki.open311.org/GeoReport_v2/Extensions/",
     "resources": ["requests", "servicerequestupdates"],
     "parameters": [
         {"name": "page", "description": gettext_lazy("Nomor halaman, 1 sampai 1.000.000 (bawaan: 1).")},
         {"name": "page_size",
          "description": gettext_lazy("Jumlah per halaman, paling banyak 1000 (bawaan: 1000).")},
     ]},
    {"name": "servicerequestupdates",
     "specification": "https://github.com/mysociety/fixmystreet/wiki/Open311-FMS---Complete-Spec",
     "resources": ["servicerequestupdates"],
     "parameters": [
         {"name": "start_date", "description": gettext_lazy(
             "Pembaruan sejak waktu ini, W3C, mis. 2026-12-01T00:00:00+08:00 (bawaan: 90 hari terakhir).")},
         {"name": "end_date", "description": gettext_lazy("Pembaruan sampai waktu ini, W3C.")},
     ]},
    {"name": "service_request_id", "specification": None,  # ours: docs/open311.md
     "resources": ["servicerequestupdates"],
     "parameters": [
         {"name": "service_request_id", "description": gettext_lazy(
             "Ekstensi Lapor: pembaruan laporan ini saja (satu nomor pelacakan, atau sampai 100 dipisah koma), "
             "seluruh riwayatnya kecuali start_date/end_date mempersempitnya.")},
     ]},
]


def _services():
    return Category.objects.filter(is_active=True).select_related("parent").order_by("parent__position", "position", "name")


def _service(category: Category) -> dict:
    return {
        "service_code": category.slug, "service_name": category.name,
        "description": str(category), "metadata": True, "type": "realtime", "keywords": category.slug.replace("-", ","),
        "group": category.parent.name if category.parent_id else category.name,
    }


@endpoint()
def service_list(request, fmt):
    return render([_service(c) for c in _services()], fmt=fmt, root="services")


def attributes() -> list[dict]:
    """The attributes of every service in the reader's language (Accept-Language, as every
    answer and error here): their descriptions, the kinds, yes and no. Built per request:
    made once at import, they were in the language active then (Indonesian), whatever the
    reader asked for."""
    kinds = [{"key": k, "name": str(label)} for k, label in Kind.choices if k != Kind.WHISTLEBLOWING]
    return [_worded({**ATTRIBUTES[0], "values": kinds}), *(_worded(a) for a in ATTRIBUTES[1:])]


def _worded(value):
    """``value`` with its lazy translations made text in the active language."""
    if isinstance(value, dict):
        return {key: _worded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_worded(item) for item in value]
    return str(value) if isinstance(value, Promise) else value


ATTRIBUTES = [
    {"variable": True, "code": "KIND", "datatype": "singlevaluelist", "required": False, "order": 1,
     "datatype_description": "", "description": gettext_lazy("Jenis laporan (bawaan: pengaduan)"), "values": []},
    {"variable": True, "code": "TITLE", "datatype": "string", "required": False, "order": 2,
     "datatype_description": gettext_lazy("Paling panjang 200 karakter"),
     "description": gettext_lazy("Judul laporan (bawaan: awal deskripsi)")},
    {"variable": True, "code": "AGENCY", "datatype": "string", "required": False, "order": 3,
     "datatype_description": gettext_lazy("Slug instansi, mis. pemkot-banjarbaru"),
     "description": gettext_lazy("Instansi yang dituju (bawaan: menurut aturan rute kategori)")},
    {"variable": True, "code": "ANONYMOUS", "datatype": "singlevaluelist", "required": False, "order": 4,
     "datatype_description": "", "description": gettext_lazy("Sembunyikan identitas pelapor dari instansi dan publik"),
     "values": YES_NO},
    {"variable": True, "code": "INCIDENT_DATE", "datatype": "datetime", "required": False, "order": 5,
     "datatype_description": gettext_lazy("Tanggal kejadian, YYYY-MM-DD"),
     "description": gettext_lazy("Tanggal kejadian")},
]


def _category(code: str | None) -> Category:
    category = Category.objects.filter(slug=code or "", is_active=True).first()
    if category is None:
        raise Problem(404, _("Layanan %(code)s tidak dikenal.") % {"code": code or "?"})
    return category


@endpoint()
def service_definition(request, service_code, fmt):
    _category(service_code)
    return render({"service_code": service_code, "attributes": attributes()}, fmt=fmt, root="service_definition")


# --- requests -----------------------------------------------------------------------------


def _status(report: Report) -> str:
    return "closed" if report.status in CLOSED else "open"


def _photos():
    """Photos (the types the portal shows inline), oldest first; a PDF is no "image"."""
    return Attachment.objects.filter(content_type__in=INLINE_TYPES).order_by("pk")


def _media_url(request, report: Report, photos) -> str | None:
    """The absolute public URL of the first of ``photos`` (files of ``report``), or None.

    Only a published report's files have a public URL: the website gives them to anyone
    who may see the report, and for a published report that is everyone. A client's own
    report before verification is readable with its api_key, but the portal would refuse
    its file to the public, and an api_key opens no download: no URL rather than a dead one."""
    if not photos or not report.is_published:
        return None
    return request.build_absolute_uri(reverse("portal:attachment", args=[report.tracking_id, photos[0].pk]))


def _request(request, report: Report, client: Client | None) -> dict:
    agency = report.assigned_agency or report.addressed_agency
    return {
        "service_request_id": report.tracking_id,
        "status": _status(report),
        "status_notes": report.last_answer or str(report.status_label),
        "service_name": report.category.name if report.category_id else None,
        "service_code": report.category.slug if report.category_id else None,
        "description": report.body,
        "agency_responsible": agency.name if agency else None,
        "service_notice": str(report.status_label),
        "requested_datetime": w3c(report.created_at),
        "updated_datetime": w3c(report.updated_at),
        "expected_datetime": w3c(report.due_at),
        "address": report.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": report.latitude,
        "long": report.longitude,
        "media_url": _media_url(request, report, report.own_photos),
    }


def _moment(request, name: str) -> datetime.datetime | None:
    raw = request.GET.get(name)
    if not raw:
        return None
    try:
        moment = parse_datetime(raw.replace(" ", "+"))  # a '+' in a query string arrives as a space
        if moment is None:
            day = parse_date(raw)
            if day is not None:
                moment = datetime.datetime.combine(day, datetime.time.min)
        if moment is not None:
            moment = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
            # PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 allows.
            moment = moment.astimezone(datetime.timezone.utc)
    except (OverflowError, ValueError):
        moment = None
    if moment is None:
        raise Problem(400, _("%(name)s bukan tanggal W3C yang sah, mis. 2026-03-01T00:00:00+07:00.") % {"name": name})
    return moment


def _days_before(moment: datetime.datetime, days: int) -> datetime.datetime:
    """``days`` before ``moment``, or the calendar's first moment for an end_date in its first days."""
    try:
        return moment - datetime.timedelta(days=days)
    except OverflowError:
        return datetime.datetime.min.replace(tzinfo=datetime.timezone.utc)


def _int(request, name: str, default: int, *, low: int = 1, high: int | None = None) -> int:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise Problem(400, _("%(name)s harus bilangan bulat.") % {"name": name}) from None
    if value < low or (high is not None and value > high):
        raise Problem(400, _("%(name)s harus antara %(low)s dan %(high)s.") % {"name": name, "low": low, "high": high or "∞"})
    return value


def _page(request, queryset):
    # Bounded so that the offset fits the database's integers (a page past the last is empty).
    page = _int(request, "page", 1, high=MAX_PAGE)
    size = _int(request, "page_size", MAX_PAGE_SIZE, high=MAX_PAGE_SIZE)
    return list(queryset[(page - 1) * size: page * size])


def _with_relations(queryset):
    """The reports of a page with what ``_request`` shows: the last answer's text (read in
    the same query), the report's own photos (one query for the page, for media_url);
    category and agencies come from the kept reference rows (the callers ``references.attach``).
    A page holds up to 1,000 requests: joining three tables and reading every answer
    made ~5,000 objects a page."""
    own_photos = Prefetch("attachments", queryset=_photos().filter(followup__isnull=True), to_attr="own_photos")
    last_answer = FollowUp.objects.filter(report=OuterRef("pk")).order_by("-created_at", "-id").values("body")[:1]
    return (queryset.only(*SHOWN_FIELDS).annotate(last_answer=Subquery(last_answer))
            .prefetch_related(own_photos))


# What ``_request`` (with ``Report.is_published``/``status_label``) and ``references.attach``
# read of a report: a report row holds a dozen more timestamps, each parsed for nothing.
SHOWN_FIELDS = (
    "tracking_id", "status", "verified_at", "is_confidential", "body", "address", "latitude", "longitude",
    "created_at", "updated_at", "due_at", "category", "region", "addressed_agency", "assigned_agency",
)


@endpoint(methods=("GET", "POST"))
def requests(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    client = _client(request, required=False)
    reports = _readable(client)
    ids = [i.strip() for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        # The spec: an id list overrides every other filter.
        reports = reports.filter(tracking_id__in=ids)
    else:
        if request.GET.get("service_code"):
            codes = [c.strip() for c in request.GET["service_code"].split(",") if c.strip()]
            # An unknown code is a 404 naming it (as on submitting), not an empty list a
            # client reads as "no reports"; a retired service still finds its past reports.
            known = set(Category.objects.filter(slug__in=codes).values_list("slug", flat=True))
            if missing := [c for c in codes if c not in known]:
                raise Problem(404, _("Layanan %(code)s tidak dikenal.") % {"code": ", ".join(missing)})
            reports = reports.filter(Q(category__slug__in=codes) | Q(category__parent__slug__in=codes))
        start, end = _moment(request, "start_date"), _moment(request, "end_date")
        if start is None and end is None:
            end = timezone.now()
        if start is None:
            start = _days_before(end, DEFAULT_DAYS)
        reports = reports.filter(created_at__gte=start)
        if end is not None:
            reports = reports.filter(created_at__lte=end)
        statuses = {s.strip().lower() for s in request.GET.get("status", "").split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            raise Problem(400, _("status harus open atau closed."))
        if statuses == {"open"}:
            reports = reports.exclude(status__in=CLOSED)
        elif statuses == {"closed"}:
            reports = reports.filter(status__in=CLOSED)
    reports = _with_relations(reports).order_by("-created_at", "-id")
    page = references.attach(_page(request, reports))
    return render([_request(request, r, client) for r in page], fmt=fmt, root="service_requests")


@endpoint()
def request_detail(request, service_request_id, fmt):
    client = _client(request, required=False)
    report = references.attach_one(_with_relations(_readable(client)).filter(tracking_id=service_request_id).first())
    if report is None:
        raise Problem(404, _("Laporan %(id)s tidak ditemukan.") % {"id": service_request_id})
    return render([_request(request, report, client)], fmt=fmt, root="service_requests")


def _create(request, fmt):
    client = _client(request, required=True)
    _within_hourly_limit(client)
    data = request.POST
    if not (data.get("service_code") or "").strip():
        # A required parameter left out is a 400 (the spec), not an unknown service's 404.
        raise Problem(400, _("%(name)s wajib diisi.") % {"name": "service_code"})
    category = _category(data.get("service_code"))
    lat, lon = data.get("lat"), data.get("long")
    address = (data.get("address_string") or "").strip()
    if not ((lat and lon) or address or data.get("address_id")):
        raise Problem(400, _("Lokasi wajib: lat dan long, atau address_string."))
    try:
        latitude = float(lat) if lat else None
        longitude = float(lon) if lon else None
    except ValueError:
        raise Problem(400, _("lat dan long harus angka desimal (WGS84).")) from None
    attribute = {key[len("attribute["):-1].upper(): value for key, value in data.items()
                 if key.startswith("attribute[") and key.endswith("]")}
    kind = attribute.get("KIND") or Kind.COMPLAINT
    if kind not in Kind.values or kind == Kind.WHISTLEBLOWING:
        raise Problem(400, _("attribute[KIND] tidak dikenal."))
    agency = None
    if attribute.get("AGENCY"):
        agency = Agency.objects.filter(slug=attribute["AGENCY"], is_active=True).first()
        if agency is None:
            raise Problem(400, _("attribute[AGENCY] tidak dikenal."))
    incident_date = None
    if attribute.get("INCIDENT_DATE"):
        try:
            incident_date = parse_date(attribute["INCIDENT_DATE"][:10])
        except ValueError:
            incident_date = None
        if incident_date is None:
            raise Problem(400, _("attribute[INCIDENT_DATE] harus YYYY-MM-DD."))
    anonymous = attribute.get("ANONYMOUS", "").strip().lower()
    if anonymous not in ("", "true", "false"):
        # Not read as "false": a reporter who asked to stay hidden ("1", "ya") would be named.
        raise Problem(400, _("attribute[ANONYMOUS] harus true atau false."))
    description = (data.get("description") or "").strip()
    if data.get("media_url"):
        description = f"{description}\n\nFoto: {data['media_url']}".strip()
    title = (attribute.get("TITLE") or description.split("\n")[0][:80]).strip()
    try:
        report = services.report_submit(
            reporter=client.account, kind=kind, title=title, body=description, incident_date=incident_date,
            latitude=latitude, longitude=longitude, address=address, category=category,
            addressed_agency=agency or suggest_agency(category=category, region=None),
            is_anonymous=anonymous == "true", channel=Channel.OPEN311,
        )
    except ValidationError as invalid:
        if not attribute.get("TITLE") and "body" in getattr(invalid, "error_dict", {}):
            # A title not sent is the description's start: a missing description is said
            # once, as itself, not also as an optional attribute the client never sent.
            invalid.error_dict.pop("title", None)
        raise
    token = RequestToken.objects.create(client=client, report=report, created_at=report.created_at)
    return render([{
        "service_request_id": report.tracking_id, "token": token.token,
        "service_notice": _("Diterima; diverifikasi paling lambat %(due)s.") % {"due": w3c(report.due_at)}, "account_id": None,
    }], fmt=fmt, root="service_requests")


@endpoint()
def token(request, token_id, fmt):
    found = RequestToken.objects.select_related("report").filter(token=token_id).first()
    if found is None:
        raise Problem(404, _("Token tidak ditemukan."))
    return render([{"service_request_id": found.report.tracking_id, "token": found.token}],
                  fmt=fmt, root="service_requests")


# --- FixMyStreet's servicerequestupdates --------------------------------------------------


def _answer_photos(events: list[ReportEvent]) -> dict[int, list[Attachment]]:
    """The photos of the answers among ``events`` on published reports, by follow-up id:
    one query for the page."""
    followups = {_followup_id(e) for e in events if e.report.is_published} - {None}
    photos: dict[int, list[Attachment]] = {}
    if followups:
        for photo in _photos().filter(followup_id__in=followups):
            photos.setdefault(photo.followup_id, []).append(photo)
    return photos


def _followup_id(event: ReportEvent) -> int | None:
    # An answer's entry names its follow-up (lapor/reports/services/answers.py, _answer).
    followup = event.data.get("followup") if event.action == Action.ANSWER else None
    return followup if isinstance(followup, int) else None


def _update(request, event: ReportEvent, photos: dict[int, list[Attachment]], *, full_text: bool) -> dict:
    # As the report's page shows its history (policy.visible_events): the conversation to
    # anyone, the staff's reasons (a return, "bukan wewenang", a closing) only to the
    # reporter and the report's staff.
    text = event.text if full_text or event.action in policy.PUBLIC_TEXT_ACTIONS else ""
    description = text or str(event.get_action_display())
    return {
        "update_id": str(event.pk),
        "service_request_id": event.report.tracking_id,
        "status": "closed" if event.to_status in CLOSED else "open",
        "updated_datetime": w3c(event.at),
        "description": description,
        "media_url": _media_url(request, event.report, photos.get(_followup_id(event))),
    }


@endpoint(methods=("GET", "POST"))
def updates(request, fmt):
    if request.method == "POST":
        return _post_update(request, fmt)
    client = _client(request, required=False)
    start, end = _moment(request, "start_date"), _moment(request, "end_date")
    reports = _readable(client)
    if "service_request_id" in request.GET:
        # Our extension: one report's updates (or a few, comma-separated), its whole
        # history unless dates narrow it.
        reports = _named_reports(reports, request.GET["service_request_id"])
    elif start is None and end is None:
        end = timezone.now()
    if start is None and end is not None:
        start = _days_before(end, DEFAULT_DAYS)
    events = ReportEvent.objects.filter(report__in=reports, is_internal=False)
    if start is not None:
        events = events.filter(at__gte=start)
    if end is not None:
        events = events.filter(at__lte=end)
    events = _page(request, events.select_related("report").only(*UPDATE_FIELDS).order_by("at", "id"))
    actor = policy.actor_for(client.account if client else None)
    if actor.is_staff_member:
        # Whether a staff client reads staff text asks for each report's agencies: kept rows.
        references.attach([e.report for e in events])
    photos = _answer_photos(events)
    full_text: dict[int, bool] = {}
    for event in events:
        if event.report_id not in full_text:
            full_text[event.report_id] = policy.reads_staff_text(actor, event.report)
    return render([_update(request, e, photos, full_text=full_text[e.report_id]) for e in events], fmt=fmt,
                  root="service_request_updates")


def _named_reports(readable, raw: str):
    """The reports of a ``service_request_id`` list among those the client may read: 400
    for an id that is no tracking ID, 404 for one it cannot read (missing, unpublished or
    confidential alike: a client learns nothing of a report it may not see)."""
    ids = [normalize_tracking_id(i.strip()) for i in raw.split(",") if i.strip()]
    if not ids or len(ids) > MAX_NAMED:
        raise Problem(400, _("service_request_id harus berisi 1 sampai %(n)s nomor pelacakan, dipisah koma.")
                      % {"n": MAX_NAMED})
    if malformed := [i for i in ids if not is_valid_tracking_id(i)]:
        raise Problem(400, _("%(id)s bukan nomor pelacakan yang sah.") % {"id": ", ".join(malformed[:5])})
    reports = readable.filter(tracking_id__in=ids)
    found = set(reports.values_list("tracking_id", flat=True))
    if missing := [i for i in dict.fromkeys(ids) if i not in found]:
        raise Problem(404, _("Laporan %(id)s tidak ditemukan.") % {"id": ", ".join(missing)})
    return reports


# What ``_update`` and the policy's answers read of an entry and its report (a report row
# holds a dozen timestamps, each parsed for nothing; a page holds up to 1,000 entries).
UPDATE_FIELDS = (
    "action", "to_status", "at", "text", "data", "report",
    *(f"report__{name}" for name in (
        "tracking_id", "kind", "status", "verified_at", "is_confidential", "is_anonymous", "reporter", "filed_by",
        "category", "region", "addressed_agency", "assigned_agency")),
)


def _post_update(request, fmt):
    client = _client(request, required=True)
    data = request.POST
    raw = (data.get("service_request_id") or "").strip()
    if not raw:
        # A required parameter left out is a 400 (the spec), as GET's malformed id is.
        raise Problem(400, _("%(name)s wajib diisi.") % {"name": "service_request_id"})
    tracking_id = normalize_tracking_id(raw)
    if not is_valid_tracking_id(tracking_id):
        raise Problem(400, _("%(id)s bukan nomor pelacakan yang sah.") % {"id": raw})
    report = _readable(client).filter(tracking_id=tracking_id).first()
    if report is None:
        raise Problem(404, _("Laporan %(id)s tidak ditemukan.") % {"id": tracking_id})
    text = (data.get("description") or "").strip()
    user = client.account
    now = timezone.now()
    if policy.is_reporter(policy.actor_for(user), report):
        # The citizen's side, relayed by their app: closed = satisfied, otherwise a reply.
        if (data.get("status") or "").lower() == "closed":
            services.report_rate(report=report, by=user, comment=text, now=now)
        else:
            services.report_reply(report=report, by=user, text=text, now=now)
    elif not policy.actor_for(user).is_staff_member:
        # Neither its reporter nor staff: refused as not theirs to act on, whatever the
        # report's status (as the REST API refuses a citizen replying to another's report).
        raise Problem(403, _("Anda tidak berwenang melakukan tindakan ini pada laporan ini."))
    elif policy.role_for(user, report, Action.DRAFT_ANSWER) is not None:
        # A liaison officer's update is a draft for the unit admin (lapor/reports/drafts.py),
        # seen by nobody outside the unit's staff until approved: there is no update to name
        # yet (its history entry is internal). The update appears, with its id, in GET
        # servicerequestupdates once the admin approves it as the unit's answer.
        drafts.draft_answer(report=report, by=user, body=text)
        return render([{"update_id": None, "service_notice": _(
            "Draf tindak lanjut menunggu persetujuan admin unit kerja; setelah disetujui, tindak lanjut ini tampil "
            "di servicerequestupdates dengan update_id-nya.")}], fmt=fmt, root="service_request_updates", status=202)
    else:
        services.report_answer(report=report, by=user, body=text, now=now)
    # The public entry this update made, as GET servicerequestupdates lists it.
    event = report.events.filter(at=now, is_internal=False).order_by("-id").first()
    return render([{"update_id": str(event.pk)}], fmt=fmt, root="service_request_updates")
