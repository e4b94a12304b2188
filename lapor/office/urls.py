from django.urls import path, re_path

from lapor.audit.views import audit_log
from lapor.office.views import agency_import, attachments, drafts, identity, inbox, manage, supervision, workspace

app_name = "office"
urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("massal/verifikasi/", inbox.bulk_verify, name="bulk_verify"),
    path("massal/disposisi/", inbox.bulk_dispose, name="bulk_dispose"),
    path("massal/arsip/", inbox.bulk_archive, name="bulk_archive"),
    path("laporan/<tracking:tracking_id>/", workspace.report_detail, name="report"),
    path("laporan/<tracking:tracking_id>/tindakan/<slug:slug>/", workspace.report_action, name="report_action"),
    path("laporan/<tracking:tracking_id>/draf/<int:pk>/setujui/", drafts.approve, name="draft_approve"),
    path("laporan/<tracking:tracking_id>/draf/<int:pk>/kembalikan/", drafts.send_back, name="draft_return"),
    path("lampiran-draf/<int:pk>/", drafts.download, name="draft_file"),
    path("laporan/<tracking:tracking_id>/identitas/", identity.reveal, name="reveal"),
    path("lampiran/<int:pk>/", attachments.download, name="attachment"),
    path("pengawasan/", supervision.supervision, name="supervision"),
    re_path(r"^pengawasan/terlambat\.(?P<fmt>csv|xlsx)$", supervision.supervision_export, name="supervision_export"),
    path("audit/", audit_log, name="audit"),
    path("kelola/", manage.overview, name="manage"),
    path("kelola/unit/", manage.units, name="manage_units"),
    path("kelola/unit/<int:pk>/", manage.unit_edit, name="manage_unit_edit"),
    path("kelola/staf/", manage.staff, name="manage_staff"),
    path("kelola/staf/<int:pk>/cabut/", manage.staff_remove, name="manage_staff_remove"),
    path("kelola/perwakilan/", manage.proxies, name="manage_proxies"),
    path("kelola/perwakilan/<int:pk>/cabut/", manage.proxy_dismiss, name="manage_proxy_dismiss"),
    path("kelola/templat/", manage.templates, name="manage_templates"),
    path("kelola/templat/<int:pk>/", manage.templates, name="manage_template_edit"),
    path("kelola/templat/<int:pk>/hapus/", manage.template_delete, name="manage_template_delete"),
    path("kelola/rute/", manage.routing, name="manage_routing"),
    path("kelola/rute/<int:pk>/hapus/", manage.routing_delete, name="manage_routing_delete"),
    path("kelola/impor-instansi/", agency_import.upload, name="manage_agency_import"),
    path("kelola/impor-instansi/impor/", agency_import.confirm, name="manage_agency_import_confirm"),
]
