"""The REST API (SPEC §7): thin edges. Each view parses input with a serializer, calls
one lifecycle service, and answers with the report as the caller may see it. Reads go
through ``lapor.reports.policy``: ``public_reports`` for the public list,
``visible_reports`` for one report, ``scoped_reports`` for a staff inbox."""
from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Q
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import AuthenticationFailed, NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from lapor.api import serializers as s
from lapor.api.models import ExternalReference, IdempotencyKey
from lapor.api.submission import submit_via_api
from lapor.api.throttles import SignInThrottle, SubmitThrottle, locked_out, over_limit
from lapor.api.tokens import token_issue
from lapor.reports import drafts, policy, references, services
from lapor.reports.attachments import attachment_response, attachment_store
from lapor.reports.enums import Action, Kind, Status
from lapor.reports.errors import OverQuota, ReportNotFound
from lapor.agencies.models import Agency
from lapor.categories.models import Category
from lapor.regions.lookup import normalize_region_code
from lapor.regions.models import Region
from lapor.reports.models import Attachment, Report

ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Isian tidak valid: pesan per isian."),
    401: OpenApiResponse(s.ErrorOut, description="Token tidak ada atau salah."),
    403: OpenApiResponse(s.ErrorOut, description="Tidak berwenang."),
    404: OpenApiResponse(s.ErrorOut, description="Laporan tidak ditemukan (atau tidak boleh dilihat)."),
}
TOO_MANY = {429: OpenApiResponse(s.ErrorOut, description="Terlalu banyak permintaan: `detail` menyebut kapan boleh "
                                                         "mencoba lagi, dan header `Retry-After` (detik).")}
KEY_LENGTH = IdempotencyKey._meta.get_field("key").max_length
TRACKING_ID = OpenApiParameter("tracking_id", str, OpenApiParameter.PATH, description="Nomor pelacakan laporan.")


def _forbidden(message) -> PermissionDenied:
    """A 403 with the code docs/api.md promises every refusal, as the lifecycle's own carry."""
    return PermissionDenied({"detail": message, "code": "forbidden"})


def _not_found(message) -> NotFound:
    """A 404 with the code a missing report's answer carries."""
    return NotFound({"detail": message, "code": "not_found"})


def _actor(request):
    return policy.actor_for(request.user)


def _context(request):
    return {"request": request, "actor": _actor(request)}


def _detail(request, report, code=status.HTTP_200_OK, headers=None, *, fresh=False):
    """The report as the caller may see it. ``fresh``: the caller filed it in this request
    and it is held in memory with its relations, and has no follow-ups yet: no need to
    read it back, nor its history and follow-ups, which ``report_submit`` keeps on it.
    Nor the caller's roles: its reporter sees a report whole, and one just filed holds
    nothing more for its handlers (one entry, not internal); tests/api compare the answer
    with the caller's next read of it."""
    if not fresh:
        report = _with_files(references.attach_one(_with_relations(Report.objects.filter(pk=report.pk)).get()))
        context = _context(request)
    else:
        context = {"request": request, "actor": policy.Actor(user=request.user)}
    return Response(s.ReportDetailOut(report, context=context).data, status=code, headers=headers)


def _with_files(report: Report) -> Report:
    """Read the report's files and its answers once each and share them out, as the
    portal's page does: its own files, and each answer with its files and agency."""
    files = list(report.attachments.order_by("pk"))  # each knows its report: no query for URLs
    followups = references.attach_agencies(report.followups.all())
    for followup in followups:
        references.keep_related(followup, attachments=[a for a in files if a.followup_id == followup.pk])
    references.keep_related(report, attachments=files, followups=followups)
    return report


def _listed(queryset, request):
    """A list's reports with their own files, in one query for the page (no N+1), and for a
    signed-in reader the connected systems' ids (``external_id``), in one more."""
    queryset = _with_relations(queryset).prefetch_related(s.own_files_prefetch())
    return queryset.prefetch_related("external_references") if request.user.is_authenticated else queryset


def _with_relations(queryset):
    # Category and agencies come from the kept reference rows (references.attach on what
    # was read): joined, they cost PostgreSQL more to plan than to run.
    return queryset.select_related("reporter")


def _visible(request, tracking_id: str) -> Report:
    """The report as the caller may see it; "Laporan tidak ditemukan." (404) for one that
    does not exist and for one they may not see alike."""
    if not tracking_id.isdigit():
        raise ReportNotFound  # tracking IDs are digits; anything else cannot exist (and may not reach SQL)
    report = _with_relations(policy.visible_reports(_actor(request))).filter(tracking_id=tracking_id).first()
    if report is None:
        raise ReportNotFound
    return references.attach_one(report)


def _flag(request, name: str, default: bool) -> bool:
    """A yes/no query parameter (``open``, ``unread``), read as DRF reads a boolean field;
    anything else is a 400 naming it, not silently read as one or the other."""
    value = request.query_params.get(name)
    if value is None or value == "":
        return default
    try:
        return serializers.BooleanField().to_internal_value(value)
    except DrfValidationError as invalid:
        raise DrfValidationError({name: invalid.detail}) from None


def _filter(request, queryset):
    """The list filters every list shares: status, kind, category, agency, region, dates."""
    params = request.query_params
    for name, value in params.items():
        if "\x00" in value:
            # PostgreSQL text cannot hold NUL: refuse it here rather than fail in SQL.
            raise DrfValidationError({name: [_("Karakter NUL tidak diperbolehkan.")]})
    # An unknown code is named (400), not answered with an empty list that reads as "none";
    # every wrong filter in one answer, not one per try.
    unknown = {}
    for name, field in (("status", "status__in"), ("kind", "kind__in")):
        if params.get(name):
            try:
                queryset = queryset.filter(**{field: _choices(name, params[name])})
            except DrfValidationError as invalid:
                unknown.update(invalid.detail)
    # A region code as people type it, as submit takes it ("6372" for "63.72").
    params = params.copy()
    if params.get("region"):
        params["region"] = normalize_region_code(params["region"])
    for name, model, field, listing in (("category", Category, "slug", "/api/v1/categories/"),
                                        ("agency", Agency, "slug", "/api/v1/agencies/"),
                                        ("region", Region, "code", "/api/v1/regions/")):
        if params.get(name) and not model.objects.filter(**{field: params[name]}).exists():
            unknown[name] = [_("Tidak dikenal: %(code)s. Lihat %(listing)s.") % {"code": params[name], "listing": listing}]
    moments = {}
    for name in ("since", "until"):
        if params.get(name):
            try:
                moments[name] = _utc(parse_datetime(_offset_restored(params[name])))
            except ValueError:  # well-formed but impossible, e.g. month 13
                moments[name] = None
            if moments[name] is None:
                unknown[name] = [_("Gunakan tanggal-waktu ISO 8601 dengan zona, mis. 2026-03-01T00:00:00+07:00.")]
    if unknown:
        raise DrfValidationError(unknown)
    if params.get("category"):
        queryset = queryset.filter(Q(category__slug=params["category"]) | Q(category__parent__slug=params["category"]))
    if params.get("agency"):
        path = Agency.objects.filter(slug=params["agency"]).values_list("path", flat=True).first()
        queryset = queryset.filter(agency_q(path)) if path else queryset.none()
    if params.get("region"):
        queryset = queryset.filter(region__code__startswith=params["region"])
    for name, lookup in (("since", "created_at__gte"), ("until", "created_at__lt")):
        if name in moments:
            queryset = queryset.filter(**{lookup: moments[name]})
    return queryset


def agency_q(path: str) -> Q:
    """The reports of the agency at ``path`` with its units, as the website's list, map,
    statistics and exports count them (``instansi``): the reports it handles now. One that
    no agency has been given yet (before verification) counts for the agency it was
    addressed to; one handed back as "bukan wewenang" (verified, waiting for a transfer)
    for none, as on the website. The same reports and count for the same agency whichever
    surface a newsroom compares."""
    return (Q(assigned_agency__path__startswith=path)
            | Q(assigned_agency__isnull=True, verified_at__isnull=True, addressed_agency__path__startswith=path))


def _offset_restored(value: str) -> str:
    """``value`` with the '+' of its offset back: a '+' left unencoded in a query string
    arrives as a space ("2026-12-07T00:00:00 07:00"), as Open311's dates are read too. Only
    a space between a time and a trailing offset: one between the date and the time stays."""
    return OFFSET_AS_SPACE.sub(r"\1+\2", value)


# A time ("00:00", "00:00:00", "00:00:00.5"), a space, then an offset's hours (and minutes).
OFFSET_AS_SPACE = re.compile(r"(\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?) (\d{2}(?::?\d{2})?)$")


def _choices(name: str, value: str) -> list[str]:
    """The codes of a comma-separated filter; an unknown one is named (400), not an empty list."""
    known = {"status": Status.values, "kind": Kind.values}[name]
    codes = [code.strip() for code in value.split(",") if code.strip()]
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise DrfValidationError({name: [_("Tidak dikenal: %(unknown)s. Pilihan: %(known)s.") % {
            "unknown": ", ".join(unknown), "known": ", ".join(known)}]})
    return codes


def _utc(moment):
    """An aware datetime in UTC, or None: PostgreSQL refuses offsets beyond ±15:59, which
    ISO 8601 allows, and the edges of the calendar overflow when converted."""
    if moment is None or moment.tzinfo is None:
        return None
    try:
        return moment.astimezone(datetime.timezone.utc)
    except (OverflowError, ValueError):
        return None


LIST_FILTERS = [
    OpenApiParameter("status", str, description="Satu atau beberapa status, dipisah koma."),
    OpenApiParameter("kind", str, description="Jenis laporan: " + ", ".join(Kind.values)),
    OpenApiParameter("category", str, description="Slug kategori (topik atau sub-topik)."),
    OpenApiParameter("agency", str, description="Slug instansi: laporan yang ditanganinya (beserta unit kerjanya), "
                                                "seperti di situs web; laporan yang belum diverifikasi menurut "
                                                "instansi yang dituju."),
    OpenApiParameter("region", str, description="Kode wilayah (awalan), mis. 63.72."),
    OpenApiParameter("since", OpenApiTypes.DATETIME, description="Diterima sejak (ISO 8601 dengan zona)."),
    OpenApiParameter("until", OpenApiTypes.DATETIME, description="Diterima sebelum (ISO 8601 dengan zona)."),
]


class TokenView(APIView):
    """Sign in with username and password, get an API token (citizens).

    Staff and connected-system tokens are issued by an administrator (Django admin →
    Tokens): staff sign in with a second factor, which a password alone cannot give."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [SignInThrottle]

    @extend_schema(request=s.TokenIn, responses={
        200: s.TokenOut, 400: ERRORS[400],
        403: OpenApiResponse(s.ErrorOut, description="Akun staf (tokennya dari administrator), atau alamat e-mail "
                                                     "pendaftaran belum dikonfirmasi."),
        **TOO_MANY}, tags=["auth"])
    def post(self, request):
        data = s.TokenIn(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request, username=data.validated_data["username"], password=data.validated_data["password"])
        if user is None and getattr(request, "axes_locked_out", False):
            # The account lockout (django-axes) every password sign-in shares.
            raise locked_out(request, {"username": data.validated_data["username"]})
        if user is None or not user.is_active:
            raise DrfValidationError({"non_field_errors": [_("Nama pengguna atau kata sandi salah.")]})
        if user.memberships.exists():
            raise _forbidden(_("Token staf diterbitkan oleh administrator, bukan lewat kata sandi."))
        if _awaits_email_confirmation(user):
            # As the website's sign-in: an address signed up with is confirmed first.
            raise _forbidden(_("Konfirmasi dulu alamat e-mail Anda lewat tautan yang kami kirim; "
                               "masuk di situs web untuk mengirim tautan baru."))
        # A new key for this device (the key is not stored: lapor/api/tokens.py).
        return Response({"token": token_issue(user=user, label=_("masuk dengan kata sandi"), by_password=True)})


def _awaits_email_confirmation(user) -> bool:
    """Whether the website would send ``user`` to confirm their e-mail address before
    signing them in (``ACCOUNT_EMAIL_VERIFICATION = "mandatory"``): they signed up with
    one (allauth recorded it) and none of theirs is confirmed yet."""
    from allauth.account.models import EmailAddress

    if settings.ACCOUNT_EMAIL_VERIFICATION != "mandatory":
        return False
    addresses = list(EmailAddress.objects.filter(user=user).values_list("verified", flat=True))
    return bool(addresses) and not any(addresses)


class ReportListCreate(generics.GenericAPIView):
    """Published reports (anyone), and submitting a report (signed in)."""

    throttle_classes = [SubmitThrottle]
    serializer_class = s.ReportOut

    def get_queryset(self):
        return _listed(_filter(self.request, policy.public_reports()), self.request).order_by("-created_at", "-id")

    @extend_schema(parameters=LIST_FILTERS, responses={200: s.ReportOut(many=True), 400: ERRORS[400]},
                   auth=[{}], tags=["public"])
    def get(self, request):
        page = references.attach(self.paginate_queryset(self.get_queryset()))
        return self.get_paginated_response(s.ReportOut(page, many=True, context=_context(request)).data)

    @extend_schema(
        request={"application/json": s.ReportIn, "multipart/form-data": s.ReportIn},
        parameters=[
            OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER,
                             description="Kunci unik per laporan; kirim ulang dengan kunci yang sama aman."),
            # What tells a filed report from a resend, for a client generated from the schema.
            OpenApiParameter("Location", str, OpenApiParameter.HEADER, response=[200, 201], required=True,
                             description="Alamat laporan di API: /api/v1/reports/{tracking_id}/."),
            OpenApiParameter("Idempotent-Replayed", str, OpenApiParameter.HEADER, response=[200], required=True,
                             enum=["true"], description="Kiriman ulang: tidak ada laporan baru."),
        ],
        responses={
            201: OpenApiResponse(s.ReportDetailOut, description="Laporan baru tercatat."),
            200: OpenApiResponse(s.ReportDetailOut, description=(
                "Kiriman ulang, tidak ada laporan baru: `Idempotency-Key` yang sama dengan isi yang sama, "
                "atau `external_id` yang sudah dikirim akun ini. Isinya laporan yang sudah ada.")),
            **ERRORS, **TOO_MANY},
        tags=["citizen"],
    )
    def post(self, request):
        if not request.user.is_authenticated:
            raise AuthenticationFailed(_("Masuk terlebih dahulu (token API)."))
        data = s.ReportIn(data=request.data)
        key = (request.headers.get("Idempotency-Key") or "").strip()
        errors = {} if data.is_valid() else dict(data.errors)
        if len(key) > KEY_LENGTH:  # cut short, two keys could name one report: refused, with the rest
            errors["idempotency_key"] = [_("Idempotency-Key paling panjang %(n)d karakter.") % {"n": KEY_LENGTH}]
        if errors:
            raise DrfValidationError(errors)
        try:
            report, created = submit_via_api(user=request.user, data=data.validated_data, idempotency_key=key)
        except OverQuota as over:  # sent together with others past SubmitThrottle's check
            raise over_limit(over.retry_at) from None
        headers = {"Location": request.build_absolute_uri(f"/api/v1/reports/{report.tracking_id}/")}
        if not created:
            headers["Idempotent-Replayed"] = "true"
        if created:
            # Its connected system's id, from what was just stored, as the next read shows it.
            pushed = ExternalReference.objects.filter(report=report) if data.validated_data.get("external_id") else []
            references.keep_related(report, external_references=pushed)
            return _detail(request, report, status.HTTP_201_CREATED, headers, fresh=True)
        return _detail(request, report, status.HTTP_200_OK, headers)


class ReportDetail(APIView):
    @extend_schema(parameters=[TRACKING_ID], responses={200: s.ReportDetailOut, 404: ERRORS[404]}, tags=["public"])
    def get(self, request, tracking_id):
        return _detail(request, _visible(request, tracking_id))


class FileResponses(BaseContentNegotiation):
    """A download answers with the file's own type whatever the client accepts (an app
    asks for ``image/*``), and its errors in JSON like every other answer."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


ATTACHMENT_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Id lampiran (dari `attachments`).")


class ReportAttachment(APIView):
    """One photo or PDF of a report or of one of its answers, for whoever may see the
    report: the website's rule (SPEC §5), read through the policy for the token that asks.
    A confidential report's files, for instance, come only to its reporter and the desks
    handling it; to anyone else the file, like the report, does not exist (404)."""

    content_negotiation_class = FileResponses

    @extend_schema(
        parameters=[TRACKING_ID, ATTACHMENT_ID],
        responses={
            **{(200, media): OpenApiResponse(OpenApiTypes.BINARY, description="Berkas lampiran.")
               for media in ("image/jpeg", "image/png", "image/webp", "application/pdf")},
            404: ERRORS[404],
        },
        tags=["public"],
    )
    def get(self, request, tracking_id, pk):
        report = _visible(request, tracking_id)
        # Ids are digits (a route of <str:> answers anything else with our JSON 404, not a page).
        item = None
        if pk.isascii() and pk.isdigit() and len(pk) < 19:
            item = Attachment.objects.filter(report=report, pk=pk).first()
        if item is None:
            raise _not_found(_("Lampiran tidak ditemukan."))
        try:
            # Never kept by a shared cache: the report may become confidential tomorrow.
            return attachment_response(item, filename=s.attachment_name(item), cache_control="private, no-store")
        except OSError:
            raise _not_found(_("Berkas lampiran tidak tersedia.")) from None


class MyReports(generics.GenericAPIView):
    """The signed-in citizen's own reports, whatever their status."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.ReportOut

    @extend_schema(parameters=LIST_FILTERS, responses={200: s.ReportOut(many=True), 400: ERRORS[400], 401: ERRORS[401]},
                   tags=["citizen"])
    def get(self, request):
        queryset = _filter(request, policy.visible_reports(_actor(request)).filter(policy.own_reports_q(request.user)))
        page = references.attach(self.paginate_queryset(_listed(queryset, request).order_by("-created_at", "-id")))
        return self.get_paginated_response(s.ReportOut(page, many=True, context=_context(request)).data)


class Inbox(generics.GenericAPIView):
    """Reports in the staff member's scope, most urgent deadline first."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.ReportOut

    @extend_schema(
        parameters=LIST_FILTERS + [OpenApiParameter("open", bool, description="Hanya yang belum selesai (bawaan: ya).")],
        responses={200: s.ReportOut(many=True), 400: ERRORS[400], 401: ERRORS[401], 403: ERRORS[403]}, tags=["agency"],
    )
    def get(self, request):
        actor = _actor(request)
        if not actor.is_staff_member:
            raise _forbidden(_("Hanya untuk staf instansi."))
        queryset = _filter(request, policy.scoped_reports(actor))
        if _flag(request, "open", default=True):
            queryset = queryset.filter(status__in=Status.open())
        page = references.attach(self.paginate_queryset(_listed(queryset, request).order_by("due_at", "id")))
        return self.get_paginated_response(s.ReportOut(page, many=True, context=_context(request)).data)


class _ReportAction(APIView):
    permission_classes = [permissions.IsAuthenticated]
    input = None

    def act(self, request, report, data):  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request, tracking_id):
        report = _visible(request, tracking_id)
        data = self.input(data=request.data)
        data.is_valid(raise_exception=True)
        code = self.act(request, report, data.validated_data)
        return self.answer(request, report, code or status.HTTP_200_OK)

    def answer(self, request, report, code):
        return _detail(request, report, code)


ACTION_RESPONSES = {200: s.ReportDetailOut, **ERRORS}


# The answer the reporter read, replied to or rated (a follow-up's ``id``). Optional, for
# apps written before it: absent, the last answer is meant.
FOLLOWUP_READ = {"required": False, "min_value": 1, "help_text": (
    "`id` tindak lanjut yang dibaca pelapor. Bila sudah ada yang lebih baru: 409. Tanpa isian ini: "
    "tindak lanjut terakhir.")}
REPLY_RATE_RESPONSES = {**ACTION_RESPONSES, 409: OpenApiResponse(s.ErrorOut, description=(
    "Sudah ada tindak lanjut yang lebih baru daripada `followup`: baca dahulu (`code`: `answer_superseded`)."))}


class ReplyIn(s.ReplyIn):
    followup = serializers.IntegerField(**FOLLOWUP_READ)


class RateIn(s.RateIn):
    followup = serializers.IntegerField(**FOLLOWUP_READ)


def _newer_answer_first(post):
    """``post``'s answer, or a 409 when the reporter has not read the latest answer yet."""
    try:
        return post()
    except services.AnswerSuperseded as error:
        return Response({"detail": str(error.message), "code": error.code}, status=status.HTTP_409_CONFLICT)


class Reply(_ReportAction):
    """The reporter is not satisfied with the answer (the agency gets 5 working days again)."""

    input = ReplyIn

    @extend_schema(parameters=[TRACKING_ID], request=ReplyIn, responses=REPLY_RATE_RESPONSES, tags=["citizen"])
    def post(self, request, tracking_id):
        return _newer_answer_first(lambda: super(Reply, self).post(request, tracking_id))

    def act(self, request, report, data):
        services.report_reply(report=report, by=request.user, text=data["text"], followup_id=data.get("followup"))


class Rate(_ReportAction):
    """The reporter is satisfied with the last answer: the report closes."""

    input = RateIn

    @extend_schema(parameters=[TRACKING_ID], request=RateIn, responses=REPLY_RATE_RESPONSES, tags=["citizen"])
    def post(self, request, tracking_id):
        return _newer_answer_first(lambda: super(Rate, self).post(request, tracking_id))

    def act(self, request, report, data):
        services.report_rate(report=report, by=request.user, comment=data["comment"],
                             followup_id=data.get("followup"))


class Complete(_ReportAction):
    """The reporter completes a returned report with what was missing (text, and the date,
    place or files if asked); it waits for verification again and the 60-day limit starts."""

    input = s.CompleteIn

    @extend_schema(parameters=[TRACKING_ID],
                   request={"application/json": s.CompleteIn, "multipart/form-data": s.CompleteIn},
                   responses=ACTION_RESPONSES, tags=["citizen"])
    def post(self, request, tracking_id):
        return super().post(request, tracking_id)

    def act(self, request, report, data):
        cleaned = data.pop("attachments", None) or []
        with transaction.atomic():
            report = services.report_complete(report=report, by=request.user, **data)
            for clean in cleaned:
                attachment_store(report=report, clean=clean, by=request.user)


class Reopen(_ReportAction):
    """The reporter reopens a closed report, once, within 10 working days of its closing."""

    input = s.ReopenIn

    @extend_schema(parameters=[TRACKING_ID], request=s.ReopenIn, responses=ACTION_RESPONSES, tags=["citizen"])
    def post(self, request, tracking_id):
        return super().post(request, tracking_id)

    def act(self, request, report, data):
        services.report_reopen(report=report, by=request.user, reason=data["reason"])


class Answer(_ReportAction):
    """The agency's follow-up (tindak lanjut), with attachments. An admin of the handling
    unit answers (200); a liaison officer's answer is a draft for that admin to approve in
    the back office (202: the reporter sees nothing yet; the caller's history shows it)."""

    input = s.AnswerIn

    @extend_schema(parameters=[TRACKING_ID],
                   request={"application/json": s.AnswerIn, "multipart/form-data": s.AnswerIn},
                   responses={**ACTION_RESPONSES, 202: s.ReportDetailOut}, tags=["agency"])
    def post(self, request, tracking_id):
        return super().post(request, tracking_id)

    def act(self, request, report, data):
        cleaned = data.get("attachments") or []
        if policy.role_for(_actor(request), report, Action.DRAFT_ANSWER) is not None:
            drafts.draft_answer(report=report, by=request.user, body=data["body"], files=cleaned)
            return status.HTTP_202_ACCEPTED
        with transaction.atomic():
            followup = services.report_answer(report=report, by=request.user, body=data["body"])
            for clean in cleaned:
                attachment_store(report=report, clean=clean, by=request.user, followup=followup)
