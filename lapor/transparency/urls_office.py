"""Back-office pages of transparency, under /kantor/ (second factor required there)."""
from django.urls import path

from lapor.transparency.views import office

app_name = "transparency_office"
urlpatterns = [
    path("opini/", office.poll_list, name="polls"),
    path("opini/baru/", office.poll_create, name="poll_create"),
    path("opini/<int:pk>/", office.poll_edit, name="poll_edit"),
    path("opini/<int:pk>/tutup/", office.poll_close, name="poll_close"),
    path("survei/", office.survey_list, name="surveys"),
    path("survei/baru/", office.survey_create, name="survey_create"),
    path("survei/<int:pk>/tutup/", office.survey_close, name="survey_close"),
]
