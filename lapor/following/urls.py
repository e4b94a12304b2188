"""Following and Atom feeds, mounted at the site's root (before the portal's routes)."""
from django.urls import path

from lapor.following import feeds, views

app_name = "following"
urlpatterns = [
    path("ikuti/", views.my_follows, name="mine"),
    path("ikuti/tambah/", views.follow, name="follow"),
    path("ikuti/<int:pk>/hapus/", views.unfollow, name="unfollow"),
    path("laporan/atom.xml", feeds.ReportListFeed(), name="list_feed"),
    path("peta/atom.xml", feeds.MapFeed(), name="map_feed"),
    path("laporan/<tracking:tracking_id>/atom.xml", feeds.ReportHistoryFeed(), name="report_feed"),
]
