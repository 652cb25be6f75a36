from django.urls import path

from profiles import roleprofile_views, team_views, views

app_name = "profiles"
urlpatterns = [
    path("team/", views.team, name="team"),
    path(
        "team/expectations/",
        team_views.edit_team_expectations,
        name="team-expectations",
    ),
    path(
        "team/apply-profile/",
        team_views.apply_profile,
        name="apply-profile",
    ),
    path("me/", views.my_profile, name="me"),
    path("role-profiles/", roleprofile_views.role_profile_list, name="role-profiles"),
    path(
        "role-profiles/new/",
        roleprofile_views.create_role_profile,
        name="create-role-profile",
    ),
    path(
        "role-profiles/<int:pk>/",
        roleprofile_views.edit_role_profile,
        name="edit-role-profile",
    ),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path(
        "people/<int:pk>/expectations/",
        views.edit_expectations,
        name="edit-expectations",
    ),
    path(
        "people/<int:pk>/assessment/",
        views.edit_assessment,
        {"kind": "leader"},
        name="edit-leader-assessment",
    ),
    path(
        "people/<int:pk>/agreed/",
        views.edit_assessment,
        {"kind": "agreed"},
        name="edit-agreed-assessment",
    ),
    path("people/<int:pk>/history/", views.person_history, name="history"),
]
