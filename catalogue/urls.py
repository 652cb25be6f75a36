from django.urls import path

from catalogue import comment_views, draft_views, exchange_views, views

app_name = "catalogue"
urlpatterns = [
    path("", views.framework_list, name="framework-list"),
    path("<int:pk>/", views.framework_detail, name="framework-detail"),
    path(
        "<int:pk>/comments/<str:kind>/<str:key>/",
        comment_views.comment_thread,
        name="comment-thread",
    ),
    path("import/", exchange_views.import_page, name="import"),
    path("<int:pk>/draft/", draft_views.start_draft_view, name="start-draft"),
    path("drafts/<int:pk>/", draft_views.draft_detail, name="draft"),
    path("drafts/<int:pk>/scale/", draft_views.save_scale, name="save-scale"),
    path(
        "drafts/<int:pk>/competences/",
        draft_views.add_competence,
        name="add-competence",
    ),
    path(
        "drafts/<int:pk>/competences/<int:cpk>/",
        draft_views.edit_competence,
        name="edit-competence",
    ),
    path(
        "drafts/<int:pk>/competences/<int:cpk>/move/",
        draft_views.move_competence,
        name="move-competence",
    ),
    path(
        "drafts/<int:pk>/competences/<int:cpk>/delete/",
        draft_views.delete_competence,
        name="delete-competence",
    ),
    path("drafts/<int:pk>/publish/", draft_views.publish_draft, name="publish"),
    path("<int:pk>/export/<str:fmt>/", exchange_views.export_page, name="export"),
    path("comments/", comment_views.comment_queue, name="comment-queue"),
    path("comments/export.csv", comment_views.export_comments, name="export-comments"),
    path("comments/<int:pk>/edit/", comment_views.edit_comment, name="edit-comment"),
    path(
        "comments/<int:pk>/withdraw/",
        comment_views.withdraw_comment,
        name="withdraw-comment",
    ),
    path(
        "comments/<int:pk>/moderate/",
        comment_views.moderate_comment,
        name="moderate-comment",
    ),
]
