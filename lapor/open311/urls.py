from django.urls import re_path

from lapor.open311 import views

app_name = "open311"
FMT = r"\.(?P<fmt>[a-z]+)$"
urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.service_list, name="services"),
    re_path(r"^services/(?P<service_code>[-\w]+)" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<service_request_id>[^/.]+)" + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token_id>[^/.]+)" + FMT, views.token, name="token"),
    re_path(r"^servicerequestupdates" + FMT, views.updates, name="updates"),
    re_path(r"^.*$", views.unknown, name="unknown"),
]
