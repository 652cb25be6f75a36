from django.urls import path

from catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.framework_list, name="framework-list"),
    path("<int:pk>/", views.framework_detail, name="framework-detail"),
]
