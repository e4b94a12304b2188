"""Staff SILAPAT pages, mounted at /kantor/silapat/ only while LAPOR_SILAPAT_ENABLED
(under /kantor/, so the back office's second factor applies)."""
from django.urls import path

from lapor.harmony.views import office, recipients, thresholds

app_name = "harmony_office"
urlpatterns = [
    path("", office.registry, name="registry"),
    path("wilayah/<str:code>/", office.registry, name="region"),
    path("ubah/<slug:kind>/baru/", office.edit, name="create"),
    path("ubah/<slug:kind>/<int:pk>/", office.edit, name="edit"),
    path("impor/", office.upload, name="upload"),
    path("peringatan/", office.early_warning, name="warning"),
    path("kejadian/<tracking:tracking_id>/", office.assess, name="assess"),
    path("ambang/", thresholds.index, name="thresholds"),
    path("ambang/baru/", thresholds.edit, name="threshold_create"),
    path("ambang/<int:pk>/", thresholds.edit, name="threshold_edit"),
    path("ambang/<int:pk>/aktif/", thresholds.switch, name="threshold_switch"),
    path("penerima/", recipients.index, name="recipients"),
    path("penerima/<int:pk>/hapus/", recipients.remove, name="recipient_remove"),
]
