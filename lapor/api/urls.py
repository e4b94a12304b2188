from csp.constants import SELF, UNSAFE_INLINE
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from lapor.api import citizen, lookups, staff, views
from lapor.core.security import csp_relaxed

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Our own templates of the two documentation pages: no inline script or style (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
         name="docs"),
    # Redoc styles itself by adding <style> elements at run time and searches in a worker
    # made from a blob: only this page allows those (still no inline script). Its
    # "Redocly" logo from cdn.redoc.ly stays blocked: nothing is loaded from a CDN.
    path("redoc/", csp_relaxed({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
        SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")), name="redoc"),
    path("v1/auth/token/", views.TokenView.as_view(), name="token"),
    path("v1/reports/", views.ReportListCreate.as_view(), name="reports"),
    path("v1/reports/<str:tracking_id>/", views.ReportDetail.as_view(), name="report"),
    path("v1/reports/<str:tracking_id>/reply/", views.Reply.as_view(), name="reply"),
    path("v1/reports/<str:tracking_id>/rate/", views.Rate.as_view(), name="rate"),
    path("v1/reports/<str:tracking_id>/complete/", views.Complete.as_view(), name="complete"),
    path("v1/reports/<str:tracking_id>/reopen/", views.Reopen.as_view(), name="reopen"),
    path("v1/reports/<str:tracking_id>/answer/", views.Answer.as_view(), name="answer"),
    path("v1/reports/<str:tracking_id>/verify/", staff.Verify.as_view(), name="verify"),
    path("v1/reports/<str:tracking_id>/postpone/", staff.Postpone.as_view(), name="postpone"),
    path("v1/reports/<str:tracking_id>/return/", staff.Return.as_view(), name="return"),
    path("v1/reports/<str:tracking_id>/archive/", staff.Archive.as_view(), name="archive"),
    path("v1/reports/<str:tracking_id>/duplicate/", staff.MarkDuplicate.as_view(), name="duplicate"),
    path("v1/reports/<str:tracking_id>/dispose/", staff.Dispose.as_view(), name="dispose"),
    path("v1/reports/<str:tracking_id>/not-our-authority/", staff.NotOurAuthority.as_view(), name="not-our-authority"),
    path("v1/reports/<str:tracking_id>/transfer/", staff.Transfer.as_view(), name="transfer"),
    path("v1/reports/<str:tracking_id>/close/", staff.Close.as_view(), name="close"),
    path("v1/reports/<str:tracking_id>/notes/", staff.Note.as_view(), name="notes"),
    path("v1/reports/<str:tracking_id>/flags/", staff.Flags.as_view(), name="flags"),
    path("v1/reports/<str:tracking_id>/attachments/<str:pk>/", views.ReportAttachment.as_view(),
         name="report-attachment"),
    path("v1/reports/<str:tracking_id>/support/", citizen.Support.as_view(), name="support"),
    path("v1/reports/<str:tracking_id>/follow/", citizen.FollowReport.as_view(), name="follow"),
    path("v1/me/reports/", views.MyReports.as_view(), name="my-reports"),
    path("v1/me/follows/", citizen.MyFollows.as_view(), name="my-follows"),
    path("v1/me/follows/<int:id>/", citizen.MyFollow.as_view(), name="my-follow"),
    path("v1/me/notifications/", citizen.MyNotifications.as_view(), name="my-notifications"),
    path("v1/me/notifications/read/", citizen.MarkRead.as_view(), name="my-notifications-read"),
    path("v1/categories/", lookups.Categories.as_view(), name="categories"),
    path("v1/regions/", lookups.Regions.as_view(), name="regions"),
    path("v1/agencies/", lookups.Agencies.as_view(), name="agencies"),
    path("v1/inbox/", views.Inbox.as_view(), name="inbox"),
]
