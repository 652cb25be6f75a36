from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("access-log/", views.access_log, name="log"),
    path("access-log/export.<str:file_format>", views.export_access_log, name="export"),
]
