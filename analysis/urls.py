from django.urls import path

from analysis import views

app_name = "analysis"
urlpatterns = [
    path("", views.index, name="index"),
    path("units/<int:pk>/", views.unit_plan, name="unit"),
    path("units/<int:pk>/heatmap/", views.unit_heatmap, name="heatmap"),
    path("units/<int:pk>/actions/", views.create_unit_action, name="create-action"),
]
for fmt in ("csv", "xlsx"):
    urlpatterns += [
        path(
            f"units/<int:pk>/heatmap.{fmt}",
            views.export_heatmap,
            {"fmt": fmt},
            name=f"heatmap-{fmt}",
        ),
        path(
            f"units/<int:pk>/proposals.{fmt}",
            views.export_plan,
            {"fmt": fmt},
            name=f"proposals-{fmt}",
        ),
    ]
