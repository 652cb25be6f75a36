from django.urls import path

from profiles import views

app_name = "profiles"
urlpatterns = [
    path("team/", views.team, name="team"),
    path("me/", views.my_profile, name="me"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path(
        "people/<int:pk>/expectations/",
        views.edit_expectations,
        name="edit-expectations",
    ),
    path(
        "people/<int:pk>/assessment/",
        views.edit_leader_assessment,
        name="edit-leader-assessment",
    ),
]
