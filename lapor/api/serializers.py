"""Input and output shapes of the API. Output masks personal data by the policy: the
reporter's name only where ``policy.identity_visible`` (or the public name the reporter
chose), internal history only for staff with full access. A report's files are listed
for whoever may see the report, each with a URL that reader can open (``AttachmentOut``)."""
from __future__ import annotations

import copy

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField, empty
from rest_framework.relations import PKOnlyObject

from lapor.accounts import pseudonyms
from lapor.agencies.models import Agency
from lapor.categories.models import Category
from lapor.core.kept import kept
from lapor.regions.models import Region
from lapor.reports import policy, services
from lapor.reports.enums import ArchiveReason, Kind
from lapor.reports.models import Attachment, FollowUp, Report


class BuiltOnce:
    # A serializer that reads its fields once per class, not once per response.
    #
    # DRF builds a ModelSerializer's fields from the model on every instance (verbose names,
    # choices, validators), then copies every declared field, before it writes a single
    # value: on a submit, about as much CPU as the report's own validation and storing. What
    # it builds depends only on the class, so:
    #
    # - ``get_fields`` (input, the OpenAPI schema) copies a prototype built once;
    # - ``to_representation`` (every answer) walks a plan made once from that prototype,
    #   writing each value with the same field objects DRF would use. Method fields run
    #   on the serializer at hand, so they see its context (the request, the actor);
    #   nested serializers are given no context (none of ours needs one).
    #
    # tests/api/test_answers.py checks the answers against DRF's own walk, field by field.
    #
    # (A comment, not a docstring: the OpenAPI schema describes each serializer by the
    # first docstring in its classes, and would tell API readers about this.)

    def get_fields(self):
        prototype = type(self).__dict__.get("_built_fields")
        if prototype is None:
            prototype = super().get_fields()
            type(self)._built_fields = prototype
        return copy.deepcopy(prototype)

    def to_representation(self, instance):
        plan = type(self).__dict__.get("_plan")
        if plan is None:
            plan = type(self)._plan = [
                (name, field, field.method_name if isinstance(field, serializers.SerializerMethodField) else None)
                for name, field in type(self)().fields.items() if not field.write_only
            ]
        out = {}
        for name, field, method in plan:
            if method is not None:
                out[name] = getattr(self, method)(instance)
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            present = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            out[name] = None if present is None else field.to_representation(attribute)
        return out


# The serializers of a report's answer are output only, and every field of theirs is in
# every answer: read-only, which the OpenAPI schema's response components mark required
# (a client's generated model may rely on them being there, null or not).


class AgencyRef(BuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["slug", "name"]
        read_only_fields = fields


class CategoryRef(BuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["slug", "name"]
        read_only_fields = fields


def attachment_path(report: Report, attachment: Attachment) -> str:
    """Where the reader of ``report`` downloads ``attachment``, with the same rights.

    Every file of a report (its own and its follow-ups') goes to whoever may see the
    report: the rule of the website's two download views (``portal.views.public.attachment``
    reads the report through ``policy.visible_reports``, ``office.views.attachments``
    through ``policy.can_view``). A published report's files have the portal's URL, which
    anyone opens. Any other report (the reporter's own before verification, a confidential
    one, one in a staff member's scope) is seen only by people the policy names: its files
    come from the API's own download, which reads the report through the same policy for
    the token that asks (the portal's view knows only a website session)."""
    if report.is_published:
        return reverse("portal:attachment", args=[report.tracking_id, attachment.pk])
    return reverse("api:report-attachment", args=[report.tracking_id, attachment.pk])


def attachment_name(attachment: Attachment) -> str:
    """The neutral name the download is served under. The uploader's own file name is
    never shown (it may carry personal data: "KTP Siti.jpg"), as on the website, whose
    public download gives this same name."""
    stored = attachment.file.name or ""
    extension = stored.rsplit(".", 1)[-1] if "." in stored else ""
    return f"lampiran-{attachment.pk}.{extension}" if extension else f"lampiran-{attachment.pk}"


class AttachmentOut(BuiltOnce, serializers.ModelSerializer):
    """A photo or PDF of a report or of an answer, as its reader may fetch it."""

    url = serializers.SerializerMethodField(help_text=_(
        "Alamat unduhan. Laporan yang terbit: halaman publik (tanpa token). Laporan lain (rahasia, belum "
        "diverifikasi): /api/v1/reports/{tracking_id}/attachments/{id}/, dengan token yang sama."))
    name = serializers.SerializerMethodField(help_text=_("Nama berkas unduhan (bukan nama asli dari pengunggah)."))

    class Meta:
        model = Attachment
        fields = ["id", "url", "name", "content_type", "size", "created_at"]
        read_only_fields = fields
        extra_kwargs = {"size": {"help_text": _("Ukuran dalam bita.")}}

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, attachment) -> str:
        # The report comes with the file (a related manager or a prefetch sets it): no query.
        path = attachment_path(attachment.report, attachment)
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_name(self, attachment) -> str:
        return attachment_name(attachment)


def attachments_out(serializer, files) -> list:
    return AttachmentOut(files, many=True, context=serializer.context).data


class FollowUpOut(BuiltOnce, serializers.ModelSerializer):
    """An agency's answer (tindak lanjut), with its files, and the reporter's rating of it."""

    agency = AgencyRef(read_only=True)
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = ["id", "agency", "body", "created_at", "satisfied", "rating_comment", "attachments"]
        read_only_fields = fields

    @extend_schema_field(AttachmentOut(many=True))
    def get_attachments(self, followup):
        # The report's page reads its files once and shares them out (keep_related).
        return attachments_out(self, followup.attachments.all())


class EventOut(BuiltOnce, serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    label = serializers.CharField(source="get_action_display")
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    # As the report's page words them ("Menunggu pelimpahan" after "bukan wewenang"), so an
    # app need not show the codes ("in_progress"); empty where the code is.
    from_status_label = serializers.CharField()
    to_status_label = serializers.CharField()
    text = serializers.CharField()
    by = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_by(self, event) -> str:
        return str(policy.event_actor_label(self.context["actor"], event.report, event))


# Where a list's prefetch puts each report's own files (``Prefetch(..., to_attr=OWN_FILES)``).
OWN_FILES = "own_attachments"


def own_files_prefetch() -> Prefetch:
    """The prefetch that gives a page of reports their own files in one query."""
    return Prefetch("attachments", queryset=Attachment.objects.filter(followup__isnull=True).order_by("pk"),
                    to_attr=OWN_FILES)


class ReportOut(BuiltOnce, serializers.ModelSerializer):
    status_label = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    category = CategoryRef(read_only=True, allow_null=True)
    region = serializers.CharField(source="region_id", read_only=True, allow_null=True)
    addressed_agency = AgencyRef(read_only=True, allow_null=True)
    assigned_agency = AgencyRef(read_only=True, allow_null=True)
    reporter_name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    archive_reason = serializers.SerializerMethodField(help_text=_(
        "Alasan pengarsipan (spam, unintelligible, too_general, not_government, duplicate, never_completed); "
        "null bila tidak diarsipkan."))
    archive_reason_label = serializers.SerializerMethodField()
    external_id = serializers.SerializerMethodField(help_text=_(
        "Id laporan di sistem terhubung yang mengirimkannya (isian `external_id` saat mengirim): untuk sistem itu "
        "sendiri dan untuk petugas yang menangani laporan yang tidak anonim; selain itu null."))

    class Meta:
        model = Report
        fields = [
            "tracking_id", "url", "kind", "kind_label", "title", "body", "status", "status_label",
            "channel", "channel_label", "external_id", "incident_date", "latitude", "longitude", "region", "address",
            "category", "addressed_agency", "assigned_agency", "is_anonymous", "is_confidential", "reporter_name",
            "created_at", "updated_at", "verified_at", "first_answer_at", "closed_at", "reopen_until", "due_at",
            "outer_due_at", "support_count", "attachments", "archive_reason", "archive_reason_label",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_archive_reason(self, report):
        return report.archive_reason or None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_archive_reason_label(self, report):
        return str(report.get_archive_reason_display()) if report.archive_reason else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_external_id(self, report):
        """The pushing system's own id of the report: to that system, which filed it, and to
        the staff handling it, not to the public (nor to staff who see it only because it
        is published). On an anonymous report only to the system: the id leads to the
        person in the system's own records (SPEC §5)."""
        actor = self.context["actor"]
        if not actor.is_authenticated:
            return None  # asked nothing of the database for the public
        pushed = list(report.external_references.all())  # prefetched by lists (lapor/api/views.py)
        if not pushed:
            return None
        own = [r for r in pushed if r.system_id == actor.user.pk]
        if own:
            return own[0].external_id
        if not report.is_anonymous and policy.has_full_access(actor, report):
            return min(pushed, key=lambda r: r.pk).external_id
        return None

    @extend_schema_field(AttachmentOut(many=True))
    def get_attachments(self, report):
        """The report's own files (its answers list theirs). Whoever reads the report here
        was let through by the policy, and may fetch every one of them."""
        own = getattr(report, OWN_FILES, None)
        if own is None:  # not prefetched by a list: the detail's shared-out files, or a query
            own = [a for a in report.attachments.all() if a.followup_id is None]
        return attachments_out(self, own)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reporter_name(self, report):
        actor = self.context["actor"]
        if policy.identity_visible(actor, report) and report.reporter_id:
            # The person behind an anonymous report's stand-in, to its reporter and proxy.
            return pseudonyms.person(report.reporter).display_name
        return policy.public_reporter_name(report)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, report) -> str:
        request = self.context.get("request")
        path = report.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class ReportDetailOut(ReportOut):
    followups = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()
    duplicate_of = serializers.SerializerMethodField(help_text=_(
        "Nomor pelacakan laporan asli dari laporan yang diarsipkan sebagai duplikat, bila pembaca boleh "
        "melihatnya; selain itu null."))

    class Meta(ReportOut.Meta):
        fields = ReportOut.Meta.fields + ["duplicate_of", "followups", "history"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_duplicate_of(self, report):
        original = policy.visible_original(self.context["actor"], report)
        return original.tracking_id if original else None

    @extend_schema_field(FollowUpOut(many=True))
    def get_followups(self, report):
        # With this serializer's context: each answer's files need the request for their URLs.
        return FollowUpOut(report.followups.all(), many=True, context=self.context).data

    @extend_schema_field(EventOut(many=True))
    def get_history(self, report):
        events = policy.visible_events(self.context["actor"], report)
        return EventOut(events, many=True, context=self.context).data


# --- What an app needs to file a report: the lists behind submit's references --------------


class CategoryOut(BuiltOnce, serializers.ModelSerializer):
    """A category a report may be filed under: a topic, or a sub-topic of one."""

    topic = serializers.SerializerMethodField(help_text=_("Slug topik induknya; null bila ini sebuah topik."))

    class Meta:
        model = Category
        fields = ["slug", "name", "topic"]
        extra_kwargs = {
            "slug": {"help_text": _("Nilai isian `category` saat mengirim laporan.")},
            "name": {"help_text": _("Nama kategori, dalam bahasa Indonesia (seperti di situs web).")},
        }

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_topic(self, category):
        return category.parent.slug if category.parent_id else None


class RegionOut(BuiltOnce, serializers.Serializer):
    """A region (wilayah) one step of the cascade offers."""

    code = serializers.CharField(help_text=_("Kode wilayah Kemendagri: nilai isian `region` saat mengirim laporan."))
    name = serializers.CharField()
    level = serializers.IntegerField(
        help_text=_("1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 kelurahan/desa."))
    level_label = serializers.CharField(help_text=_("Nama tingkatnya, dalam bahasa pembaca."))


class AgencyOut(BuiltOnce, serializers.ModelSerializer):
    """An agency or one of its units that a report may be addressed to."""

    # A plain string in the schema: an enum here would take the name of reports' "kind".
    kind = serializers.CharField(read_only=True, help_text=format_lazy(
        "{} {}", _("Jenis instansi:"), ", ".join(Agency.Kind.values)))
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    parent = serializers.SerializerMethodField(help_text=_("Slug instansi induknya; null untuk instansi puncak."))
    region = serializers.CharField(source="region_id", read_only=True, allow_null=True,
                                   help_text=_("Kode wilayah instansi, bila ada."))

    class Meta:
        model = Agency
        fields = ["slug", "name", "short_name", "kind", "kind_label", "parent", "region"]
        extra_kwargs = {"slug": {"help_text": _("Nilai isian `addressed_agency` saat mengirim laporan.")}}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_parent(self, agency):
        return agency.parent.slug if agency.parent_id else None


class KeptSlugField(serializers.SlugRelatedField):
    """A category or agency named by its slug, found through the process's kept rows
    (lapor/core/kept.py, a minute): a submit names both, and they change rarely. What
    does not exist is asked of the database each time, and never kept."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            return super().to_internal_value(data)  # DRF's own "invalid" for a number, a list…
        if "\x00" in data:  # PostgreSQL text cannot hold it: refused here, not in SQL
            raise serializers.ValidationError(_("Karakter NUL tidak diperbolehkan."), code="null_characters")
        queryset = self.get_queryset()
        key = f"api:{queryset.model._meta.label}:{data}"
        found = kept(key, 60, lambda: queryset.filter(**{self.slug_field: data}).first(), keep_none=False)
        if found is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return found


class Text(serializers.CharField):
    """Text, and only text: DRF's CharField takes ``123`` or ``1.5`` for "123" and "1.5",
    so a caller's mix-up (a number where the title or an answer is due) would be stored
    as if typed. Named as a field that wants text, in the caller's language."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class Flag(serializers.BooleanField):
    """A yes/no that is left as it is when left out, in a form or multipart body as in
    JSON. DRF's BooleanField reads a missing field of a form body as ``False`` (an HTML
    checkbox left unticked): a partner system verifying a confidential report with
    ``-d note=ok`` would have published it."""

    default_empty_html = empty


class RegionCodeField(serializers.CharField):
    """A region code as people type it ("63.72.02" or "637202"), read by the same lookup
    as forms, SMS and imports, with its messages ("Kode wilayah 99.99 tidak dikenal.")."""

    def to_internal_value(self, data):
        from django.core.exceptions import ValidationError as DjangoValidationError

        from lapor.regions.lookup import region_from_code

        code = super().to_internal_value(data)
        try:
            return region_from_code(code)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def to_representation(self, value):
        return value.code if isinstance(value, Region) else value


class CleanUploadsField(serializers.ListField):
    """Up to ``LAPOR_MAX_ATTACHMENTS`` photos or PDFs (as the website's forms take), each
    checked and cleaned (type, size, pixels; EXIF stripped) while the rest of the input is
    validated, so a bad file is named in the same 400 as a blank title. Gives
    ``CleanFile``s (lapor/reports/attachments.py)."""

    def __init__(self, **kwargs):
        # Read when each serializer is made (DRF builds its fields anew each time), so the
        # setting as it stands counts, as on the website.
        from django.conf import settings

        kwargs.setdefault("max_length", settings.LAPOR_MAX_ATTACHMENTS)
        super().__init__(child=serializers.FileField(), **kwargs)

    def to_internal_value(self, data):
        from collections.abc import Mapping

        from django.core.exceptions import ValidationError as DjangoValidationError
        from django.core.files.uploadedfile import UploadedFile

        from lapor.reports.attachments import clean_upload

        if isinstance(data, (str, Mapping)) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        items = list(data)
        uploads = [item for item in items if isinstance(item, UploadedFile)]
        errors = []
        if len(uploads) < len(items):
            # Which one cannot be told: a multipart body reaches us with its text parts
            # before its files, whatever the order they were sent in.
            errors.append(_("Isian attachments hanya menerima berkas (foto atau PDF), bukan teks."))
        cleaned = []
        for upload in uploads:  # each real file is checked too, in the same answer
            try:
                cleaned.append(clean_upload(upload))
            except DjangoValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise serializers.ValidationError(errors)
        return cleaned


class PinAndDateChecks:
    """The service's own checks (report_submit and report_complete say the same again) run
    here as checks of their fields, so a caller hears of them with every other bad field,
    in one answer: DRF skips validate() when any field is wrong."""

    def validate_incident_date(self, value):
        if message := services.incident_date_error(value, timezone.now()):
            raise serializers.ValidationError(message)
        return value

    def validate_latitude(self, value):
        return self._pin_checked("latitude", value, "longitude")

    def validate_longitude(self, value):
        return self._pin_checked("longitude", value, "latitude")

    def _pin_checked(self, name, value, other_name):
        try:
            other = self.fields[other_name].run_validation(self.initial_data.get(other_name))
        except (serializers.ValidationError, SkipField):
            return value  # the other coordinate shows its own error
        other = None if other is serializers.empty else other
        if value is None:
            return value  # a lone other coordinate says so itself
        if other is None or name == "latitude":  # a pair is judged once, on its latitude
            latitude, longitude = (value, other) if name == "latitude" else (other, value)
            if message := services.location_error(latitude, longitude):
                raise serializers.ValidationError(message)
        return value


class ReportIn(PinAndDateChecks, serializers.Serializer):
    """A new report, as a citizen's app or a connected system files it."""

    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.COMPLAINT)
    title = Text(max_length=200)
    body = Text(max_length=services.BODY_LENGTH)
    incident_date = serializers.DateField(required=False, allow_null=True)
    latitude = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    region = RegionCodeField(
        required=False, allow_null=True, help_text=_("Kode wilayah Kemendagri, mis. 63.72.02."),
    )
    address = Text(required=False, allow_blank=True, max_length=300, default="")
    category = KeptSlugField(
        slug_field="slug", queryset=Category.objects.filter(is_active=True), required=False, allow_null=True,
        error_messages={"does_not_exist": _("Kategori “{value}” tidak dikenal atau tidak aktif."),
                        "invalid": _("Sebutkan kategori dengan slug-nya (teks).")},
    )
    addressed_agency = KeptSlugField(
        slug_field="slug", queryset=Agency.objects.filter(is_active=True), required=False, allow_null=True,
        error_messages={"does_not_exist": _("Instansi “{value}” tidak dikenal atau tidak aktif."),
                        "invalid": _("Sebutkan instansi dengan slug-nya (teks).")},
    )
    is_anonymous = serializers.BooleanField(default=False)
    is_confidential = serializers.BooleanField(default=False)
    show_reporter_name = serializers.BooleanField(default=False)
    # A number is welcome here: connected systems send their own database ids.
    external_id = serializers.CharField(
        required=False, max_length=100,
        help_text=_("Id laporan di sistem Anda sendiri (sistem terhubung). Laporan dengan id yang sama hanya dibuat sekali."),
    )
    attachments = CleanUploadsField(
        required=False, help_text=_("Foto (JPEG, PNG, WebP) atau PDF; kirim sebagai multipart/form-data."),
    )


class CompleteIn(PinAndDateChecks, serializers.Serializer):
    """What a returned report was missing (its ``missing_items`` say what)."""

    addition = Text(help_text=_("Kelengkapan yang diminta, ditambahkan ke isi laporan."))
    incident_date = serializers.DateField(required=False, allow_null=True)
    latitude = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    region = RegionCodeField(required=False, allow_null=True, help_text=_("Kode wilayah Kemendagri, mis. 63.72.02."))
    address = Text(required=False, allow_blank=True, max_length=300)
    attachments = CleanUploadsField(
        required=False, help_text=_("Foto (JPEG, PNG, WebP) atau PDF; kirim sebagai multipart/form-data."))


class ReopenIn(serializers.Serializer):
    reason = Text(help_text=_("Mengapa laporan dibuka kembali."))


class ReplyIn(serializers.Serializer):
    text = Text()


class RateIn(serializers.Serializer):
    comment = Text(required=False, allow_blank=True, default="")


class AnswerIn(serializers.Serializer):
    body = Text()
    attachments = CleanUploadsField(required=False)


# --- What staff send to route and handle a report (the back office's forms, as JSON) -------

def _agency_slug(**kwargs):
    # The same messages as submit's ``addressed_agency``.
    return KeptSlugField(
        slug_field="slug", queryset=Agency.objects.filter(is_active=True),
        error_messages={"does_not_exist": _("Instansi “{value}” tidak dikenal atau tidak aktif."),
                        "invalid": _("Sebutkan instansi dengan slug-nya (teks).")}, **kwargs)


class VerifyIn(serializers.Serializer):
    """Verify and dispatch (``report_verify``). What is left out stays as it is."""

    agency = _agency_slug(required=False, allow_null=True, help_text=_("Disposisikan ke"))
    title = Text(required=False, max_length=200, help_text=_("Judul (ringkasan)"))
    is_anonymous = Flag(required=False, help_text=_("Anonim: sembunyikan identitas pelapor"))
    is_confidential = Flag(required=False, help_text=_("Rahasia: laporan tidak diterbitkan"))
    category = KeptSlugField(
        slug_field="slug", queryset=Category.objects.filter(is_active=True), required=False, allow_null=True,
        help_text=_("Kategori"),
        error_messages={"does_not_exist": _("Kategori “{value}” tidak dikenal atau tidak aktif."),
                        "invalid": _("Sebutkan kategori dengan slug-nya (teks).")},
    )
    region = RegionCodeField(required=False, allow_null=True, help_text=_("Kode wilayah Kemendagri, mis. 63.72.02."))
    note = Text(required=False, allow_blank=True, default="",
                                 help_text=_("Catatan verifikasi (opsional); pelapor membacanya di riwayat laporan, publik tidak."))


class PostponeIn(serializers.Serializer):
    reason = Text(help_text=_("Alasan penundaan"))


class ReturnIn(serializers.Serializer):
    missing = Text(help_text=_("Yang perlu dilengkapi pelapor"))


# A duplicate is marked with its original (DuplicateIn); a returned report expires by itself.
ARCHIVE_REASONS = [(value, label) for value, label in ArchiveReason.choices
                   if value not in (ArchiveReason.DUPLICATE, ArchiveReason.NEVER_COMPLETED)]


class ArchiveIn(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ARCHIVE_REASONS, help_text=_("Alasan pengarsipan"),
                                     error_messages={"invalid_choice": _("Pilih alasan pengarsipan.")})
    note = Text(required=False, allow_blank=True, default="", help_text=_("Keterangan (opsional); pelapor membacanya di riwayat laporan, publik tidak."))


class DuplicateIn(serializers.Serializer):
    original = serializers.CharField(max_length=20, help_text=_("Nomor pelacakan laporan asli"))


class DisposeIn(serializers.Serializer):
    unit = _agency_slug(help_text=_("Unit kerja tujuan"))
    note = Text(required=False, allow_blank=True, default="",
                                 help_text=_("Catatan disposisi (opsional); pelapor membacanya di riwayat laporan, publik tidak."))


class NotOurAuthorityIn(serializers.Serializer):
    reason = Text(help_text=_("Mengapa bukan wewenang instansi Anda?"))


class TransferIn(serializers.Serializer):
    agency = _agency_slug(help_text=_("Limpahkan ke instansi"))
    reason = Text(help_text=_("Alasan pelimpahan"))


class CloseIn(serializers.Serializer):
    reason = Text(help_text=_("Alasan penutupan"))


class NoteIn(serializers.Serializer):
    text = Text(help_text=_("Hanya terlihat oleh petugas; tidak pernah oleh pelapor atau publik."))


class FlagsIn(serializers.Serializer):
    is_confidential = Flag(required=False, help_text=_(
        "Hilang dari daftar, peta, pencarian, umpan dan API publik; tetap terlihat oleh pelapor dan "
        "petugas yang menanganinya."))
    is_anonymous = Flag(required=False, help_text=_("Tidak dapat dicabut kembali."))
    reason = Text(help_text=_("Pelapor membacanya di riwayat laporan; publik tidak."))


class HandedOnOut(serializers.Serializer):
    """A report the caller handed on (a transfer, "bukan wewenang") and may no longer see:
    where it went, nothing of its contents."""

    tracking_id = Text()
    status = Text()
    status_label = Text()
    agency = AgencyRef(allow_null=True)
    detail = Text()


class TokenIn(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenOut(serializers.Serializer):
    token = serializers.CharField()


class ErrorOut(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(required=False)
