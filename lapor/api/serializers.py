"""Input and output shapes of the API. Output masks personal data by the policy: the
reporter's name only where ``policy.identity_visible`` (or the public name the reporter
chose), internal history only for staff with full access."""
from __future__ import annotations

import copy

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lapor.agencies.models import Agency
from lapor.categories.models import Category
from lapor.regions.models import Region
from lapor.reports import policy
from lapor.reports.enums import Kind
from lapor.reports.models import FollowUp, Report


class BuiltOnce:
    """A ModelSerializer that reads its model's fields once per class, not per response.

    DRF builds a ModelSerializer's fields from the model on every instance (verbose names,
    choices, validators: about a third of a submit's CPU). What it builds depends only on
    the class, so the built fields are kept as a prototype and each instance gets copies."""

    def get_fields(self):
        prototype = type(self).__dict__.get("_built_fields")
        if prototype is None:
            prototype = super().get_fields()
            type(self)._built_fields = prototype
        return copy.deepcopy(prototype)


class AgencyRef(BuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["slug", "name"]


class CategoryRef(BuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["slug", "name"]


class FollowUpOut(BuiltOnce, serializers.ModelSerializer):
    agency = AgencyRef(read_only=True)

    class Meta:
        model = FollowUp
        fields = ["id", "agency", "body", "created_at", "satisfied", "rating_comment"]


class EventOut(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    label = serializers.CharField(source="get_action_display")
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    text = serializers.CharField()
    by = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_by(self, event) -> str:
        return str(policy.event_actor_label(self.context["actor"], event.report, event))


class ReportOut(BuiltOnce, serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    category = CategoryRef(read_only=True, allow_null=True)
    region = serializers.CharField(source="region_id", read_only=True, allow_null=True)
    addressed_agency = AgencyRef(read_only=True, allow_null=True)
    assigned_agency = AgencyRef(read_only=True, allow_null=True)
    reporter_name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "tracking_id", "url", "kind", "kind_label", "title", "body", "status", "status_label",
            "channel", "incident_date", "latitude", "longitude", "region", "address", "category",
            "addressed_agency", "assigned_agency", "is_anonymous", "is_confidential", "reporter_name",
            "created_at", "updated_at", "verified_at", "first_answer_at", "closed_at", "due_at",
            "outer_due_at", "support_count",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reporter_name(self, report):
        actor = self.context["actor"]
        if policy.identity_visible(actor, report) and report.reporter_id:
            return report.reporter.display_name
        return policy.public_reporter_name(report)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, report) -> str:
        request = self.context.get("request")
        path = report.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class ReportDetailOut(ReportOut):
    followups = FollowUpOut(many=True, read_only=True)
    history = serializers.SerializerMethodField()

    class Meta(ReportOut.Meta):
        fields = ReportOut.Meta.fields + ["followups", "history"]

    @extend_schema_field(EventOut(many=True))
    def get_history(self, report):
        events = policy.visible_events(self.context["actor"], report)
        return EventOut(events, many=True, context=self.context).data


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


class ReportIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.COMPLAINT)
    title = serializers.CharField(max_length=200)
    body = serializers.CharField()
    incident_date = serializers.DateField(required=False, allow_null=True)
    latitude = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    region = RegionCodeField(
        required=False, allow_null=True, help_text=_("Kode wilayah Kemendagri, mis. 63.72.02."),
    )
    address = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    category = serializers.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.filter(is_active=True), required=False, allow_null=True,
        error_messages={"does_not_exist": _("Kategori “{value}” tidak dikenal atau tidak aktif."),
                        "invalid": _("Sebutkan kategori dengan slug-nya (teks).")},
    )
    addressed_agency = serializers.SlugRelatedField(
        slug_field="slug", queryset=Agency.objects.filter(is_active=True), required=False, allow_null=True,
        error_messages={"does_not_exist": _("Instansi “{value}” tidak dikenal atau tidak aktif."),
                        "invalid": _("Sebutkan instansi dengan slug-nya (teks).")},
    )
    is_anonymous = serializers.BooleanField(default=False)
    is_confidential = serializers.BooleanField(default=False)
    show_reporter_name = serializers.BooleanField(default=False)
    external_id = serializers.CharField(
        required=False, max_length=100,
        help_text=_("Id laporan di sistem Anda sendiri (sistem terhubung). Laporan dengan id yang sama hanya dibuat sekali."),
    )
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=5,
        help_text=_("Foto (JPEG, PNG, WebP) atau PDF; kirim sebagai multipart/form-data."),
    )


class ReplyIn(serializers.Serializer):
    text = serializers.CharField()


class RateIn(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class AnswerIn(serializers.Serializer):
    body = serializers.CharField()
    attachments = serializers.ListField(child=serializers.FileField(), required=False, max_length=5)


class TokenIn(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenOut(serializers.Serializer):
    token = serializers.CharField()


class ErrorOut(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(required=False)
