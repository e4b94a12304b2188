from django.urls import path, re_path

from lapor.transparency.feeds import PollsFeed
from lapor.transparency.views import bulanan, kinerja, opini, peta, statistik

app_name = "transparency"
urlpatterns = [
    path("peta/", peta.map_page, name="map"),
    path("peta/data.json", peta.map_data, name="map_data"),
    path("statistik/", statistik.statistics_page, name="statistics"),
    re_path(r"^statistik/laporan\.(?P<fmt>csv|xlsx)$", statistik.export_reports, name="export_reports"),
    path("kinerja/", kinerja.ranking_page, name="ranking"),
    re_path(r"^kinerja/peringkat\.(?P<fmt>csv|xlsx)$", kinerja.ranking_export, name="ranking_export"),
    path("kinerja/pengawasan/", kinerja.supervision_page, name="supervision"),
    path("kinerja/survei/<int:pk>/", opini.survey_detail, name="survey"),
    path("kinerja/nilai/<tracking:tracking_id>/", kinerja.service_rating_page, name="service_rating"),
    path("kinerja/<slug:slug>/", kinerja.agency_page, name="agency"),
    # Any month-like word: one that is no month gets a page saying so, with the months there are.
    re_path(r"^kinerja/(?P<slug>[-\w]+)/bulanan/(?P<month>[-\w]{1,20})/$", bulanan.monthly_report, name="monthly"),
    re_path(r"^kinerja/(?P<slug>[-\w]+)/bulanan/(?P<month>[-\w]{1,20})\.pdf$", bulanan.monthly_report_pdf,
            name="monthly_pdf"),
    path("opini/", opini.poll_list, name="polls"),
    path("opini/atom.xml", PollsFeed(), name="polls_feed"),
    path("opini/<int:pk>/", opini.poll_detail, name="poll"),
]
