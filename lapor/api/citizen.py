"""What a citizen's app does besides filing and answering (docs/api.md, "Citizens"): support
a report ("this is my problem too"), follow a report, an area or a topic (SPEC §9), and read
the in-app notifications the website's /notifikasi/ shows. Thin edges over the same
services as the website's (``report_support``, ``follow_create``/``follow_remove``,
``notifications_mark_read``), so both say the same things in the same words.

Signing up stays on the website (``/akun/signup/``: identity checks, the e-mail link,
social sign-in); an app opens that page, then asks for a token (``/api/v1/auth/token/``).
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from lapor.api.views import ERRORS, TRACKING_ID, _flag, _not_found, _visible
from lapor.categories.models import Category
from lapor.following.models import Follow
from lapor.following.selectors import mine
from lapor.following.services import follow_create, follow_remove
from lapor.notifications.selectors import in_app_notifications
from lapor.notifications.services import notifications_mark_read
from lapor.regions.lookup import normalize_region_code
from lapor.regions.models import Region
from lapor.reports.services import report_support


# --- support ------------------------------------------------------------------------------


class SupportOut(serializers.Serializer):
    supported = serializers.BooleanField(help_text="Selalu `true`: akun ini mendukung laporan ini.")
    new = serializers.BooleanField(help_text="`false` bila akun ini sudah mendukungnya sebelumnya.")
    support_count = serializers.IntegerField(help_text="Jumlah pendukung sekarang.")


class Support(APIView):
    """Support a published report ("saya juga mengalaminya"): once per account; the reporter
    cannot support their own report."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[TRACKING_ID], request=None, responses={200: SupportOut, **ERRORS}, tags=["citizen"])
    def post(self, request, tracking_id):
        report = _visible(request, tracking_id)
        new = report_support(report=report, by=request.user)
        report.refresh_from_db(fields=["support_count"])
        return Response({"supported": True, "new": new, "support_count": report.support_count})


# --- following ----------------------------------------------------------------------------


class FollowOut(serializers.Serializer):
    id = serializers.IntegerField()
    report = serializers.CharField(allow_null=True, help_text="Nomor pelacakan, bila mengikuti satu laporan.")
    region = serializers.CharField(allow_null=True, help_text="Kode wilayah, bila mengikuti wilayah.")
    category = serializers.CharField(allow_null=True, help_text="Slug kategori, bila mengikuti kategori.")
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    radius_km = serializers.FloatField(allow_null=True)
    created_at = serializers.DateTimeField()

    def to_representation(self, follow):
        return {
            "id": follow.pk,
            "report": follow.report.tracking_id if follow.report_id else None,
            "region": follow.region_id,
            "category": follow.category.slug if follow.category_id else None,
            "latitude": follow.latitude, "longitude": follow.longitude, "radius_km": follow.radius_km,
            "created_at": serializers.DateTimeField().to_representation(follow.created_at),
        }


class FollowIn(serializers.Serializer):
    region = serializers.CharField(required=False, allow_blank=True, help_text="Kode wilayah, mis. 63.72.")
    category = serializers.CharField(required=False, allow_blank=True, help_text="Slug kategori.")
    latitude = serializers.FloatField(required=False, allow_null=True)
    longitude = serializers.FloatField(required=False, allow_null=True)
    radius_km = serializers.FloatField(required=False, allow_null=True, help_text="Radius lingkaran peta, km.")

    def validate_region(self, value):
        if not value:
            return None
        region = Region.objects.filter(code=normalize_region_code(value)).first()
        if region is None:
            raise serializers.ValidationError(_("Kode wilayah %(code)s tidak dikenal.") % {"code": value})
        return region

    def validate_category(self, value):
        if not value:
            return None
        category = Category.objects.filter(slug=value, is_active=True).first()
        if category is None:
            raise serializers.ValidationError(_("Kategori %(slug)s tidak dikenal.") % {"slug": value})
        return category


WEB_NAMES = {"lat": "latitude", "lon": "longitude", "radius": "radius_km"}
FOLLOW_RESPONSES = {200: OpenApiResponse(FollowOut, description="Sudah diikuti sebelumnya: tidak berubah."),
                    201: FollowOut, **ERRORS}


def _follow_answer(follow, created):
    return Response(FollowOut(follow).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class FollowReport(APIView):
    """Follow one report (its answers and changes reach you by e-mail and in the app), or stop."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[TRACKING_ID], request=None, responses=FOLLOW_RESPONSES, tags=["citizen"])
    def post(self, request, tracking_id):
        follow, created = follow_create(user=request.user, report=_visible(request, tracking_id))
        return _follow_answer(follow, created)

    @extend_schema(parameters=[TRACKING_ID], request=None, responses={204: None, **ERRORS}, tags=["citizen"])
    def delete(self, request, tracking_id):
        report = _visible(request, tracking_id)
        follow = Follow.objects.filter(user_id__in=mine(request.user), report=report).first()
        if follow is None:
            raise _not_found(_("Anda tidak mengikuti laporan ini."))
        follow_remove(user=request.user, follow=follow)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyFollows(generics.GenericAPIView):
    """What the signed-in person follows; following an area (a region, or a circle on the
    map) and/or a topic: new public reports there reach them."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = FollowOut

    @extend_schema(responses={200: FollowOut(many=True), 400: ERRORS[400], 401: ERRORS[401]}, tags=["citizen"])
    def get(self, request):
        follows = Follow.objects.filter(user_id__in=mine(request.user)).select_related("report", "category")
        page = self.paginate_queryset(follows.order_by("-created_at", "-id"))
        return self.get_paginated_response(FollowOut(page, many=True).data)

    @extend_schema(request=FollowIn, responses=FOLLOW_RESPONSES, tags=["citizen"])
    def post(self, request):
        data = FollowIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            follow, created = follow_create(user=request.user, **{k: v for k, v in data.validated_data.items()
                                                                 if v is not None})
        except ValidationError as error:
            # The website's form names the circle's fields "lat" and "radius": said here by ours.
            if hasattr(error, "error_dict"):
                error = ValidationError({WEB_NAMES.get(k, k): v for k, v in error.error_dict.items()})
            raise error from None
        return _follow_answer(follow, created)


class MyFollow(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="`id` dari daftar.")],
                   request=None, responses={204: None, **ERRORS}, tags=["citizen"])
    def delete(self, request, id):  # noqa: A002 - the path's name for it
        follow = id < 2**63 and Follow.objects.filter(user_id__in=mine(request.user), pk=id).first()
        if not follow:
            raise _not_found(_("Tidak ditemukan."))
        follow_remove(user=request.user, follow=follow)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- notifications ------------------------------------------------------------------------


class NotificationOut(serializers.Serializer):
    id = serializers.IntegerField()
    report = serializers.CharField(allow_null=True, help_text="Nomor pelacakan laporan yang dibicarakan.")
    subject = serializers.CharField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    read = serializers.BooleanField()

    def to_representation(self, notification):
        return {
            "id": notification.pk,
            "report": notification.report.tracking_id if notification.report_id else None,
            "subject": notification.subject, "body": notification.body,
            "created_at": serializers.DateTimeField().to_representation(notification.created_at),
            "read": notification.read_at is not None,
        }


class ReadIn(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False,
                                max_length=500,
                                help_text="Yang ditandai dibaca; tanpa isian ini: semuanya.")


class MarkedOut(serializers.Serializer):
    marked = serializers.IntegerField(help_text="Berapa notifikasi yang baru ditandai dibaca.")


class MyNotifications(generics.GenericAPIView):
    """The signed-in person's notifications, newest first (what /notifikasi/ shows)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = NotificationOut

    @extend_schema(parameters=[OpenApiParameter("unread", bool, description="Hanya yang belum dibaca.")],
                   responses={200: NotificationOut(many=True), 400: ERRORS[400], 401: ERRORS[401]}, tags=["citizen"])
    def get(self, request):
        notifications = in_app_notifications(request.user)
        if _flag(request, "unread", default=False):
            notifications = notifications.filter(read_at__isnull=True)
        page = self.paginate_queryset(notifications.order_by("-created_at", "-id"))
        return self.get_paginated_response(NotificationOut(page, many=True).data)


class MarkRead(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ReadIn, responses={200: MarkedOut, **ERRORS}, tags=["citizen"])
    def post(self, request):
        data = ReadIn(data=request.data)
        data.is_valid(raise_exception=True)
        marked = notifications_mark_read(user=request.user, notification_ids=data.validated_data.get("ids"))
        return Response({"marked": marked})
