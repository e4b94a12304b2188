from django.urls import path

from lapor.portal.views import account, claim, public, report, submit

app_name = "portal"
urlpatterns = [
    path("", public.home, name="home"),
    path("lapor/", submit.report_new, name="report_new"),
    path("laporan/", public.report_list, name="report_list"),
    path("laporan/<tracking:tracking_id>/", report.report_detail, name="report_detail"),
    path("laporan/<tracking:tracking_id>/terkirim/", submit.report_sent, name="report_sent"),
    path("laporan/<tracking:tracking_id>/dukung/", public.support, name="report_support"),
    path("laporan/<tracking:tracking_id>/lampiran/<int:pk>/", public.attachment, name="attachment"),
    path("laporan/<tracking:tracking_id>/<slug:slug>/", report.report_action, name="report_action"),
    path("lacak/", public.track, name="track"),
    path("privasi/", public.privacy, name="privacy"),
    path("laporan-saya/", report.my_reports, name="my_reports"),
    path("profil/", account.profile, name="profile"),
    path("profil/telepon/", account.profile_phone, name="profile_phone"),
    path("profil/telepon/pindahkan/", account.profile_phone_join, name="profile_phone_join"),
    path("profil/hapus-akun/", account.account_erase, name="account_erase"),
    path("profil/hapus-akun/selesai/", account.account_erased, name="account_erased"),
    path("akun/klaim/", claim.claim_phone, name="claim"),
    path("akun/klaim/kode/", claim.claim_code, name="claim_code"),
    path("akun/klaim/lengkapi/", claim.claim_complete, name="claim_complete"),
    path("profil/data-pribadi.json", account.personal_data_download, name="personal_data"),
    path("profil/data-pribadi/", account.personal_data_page, name="personal_data_page"),
    path("wilayah.json", public.regions, name="regions"),
    path("saran-instansi.json", public.agency_suggestion, name="agency_suggestion"),
]
