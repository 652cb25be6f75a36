from django.urls import path

from exchange import views

app_name = "exchange"
urlpatterns = [
    path("import/organisation/", views.upload_org, name="upload-org"),
    path("import/organisation/<int:pk>/", views.preview_org, name="preview-org"),
    path(
        "import/organisation/<int:pk>/confirm/",
        views.confirm_org,
        name="confirm-org",
    ),
]
