from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from lapor.api import views

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("v1/auth/token/", views.TokenView.as_view(), name="token"),
    path("v1/reports/", views.ReportListCreate.as_view(), name="reports"),
    path("v1/reports/<str:tracking_id>/", views.ReportDetail.as_view(), name="report"),
    path("v1/reports/<str:tracking_id>/reply/", views.Reply.as_view(), name="reply"),
    path("v1/reports/<str:tracking_id>/rate/", views.Rate.as_view(), name="rate"),
    path("v1/reports/<str:tracking_id>/answer/", views.Answer.as_view(), name="answer"),
    path("v1/me/reports/", views.MyReports.as_view(), name="my-reports"),
    path("v1/inbox/", views.Inbox.as_view(), name="inbox"),
]
