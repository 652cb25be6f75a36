from django.urls import path

from conversations import views

app_name = "conversations"
urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("new/", views.create_conversation, name="create"),
    path("calendar.ics", views.conversation_calendar, name="calendar"),
    path("<int:pk>/", views.conversation_detail, name="detail"),
    path("<int:pk>/edit/", views.edit_conversation, name="edit"),
    path("<int:pk>/prepared/", views.mark_prepared, name="mark-prepared"),
    path("<int:pk>/record/", views.record_conversation, name="record"),
    path("<int:pk>/actions/new/", views.add_action, name="add-action"),
    path("<int:pk>/private-note/", views.save_private_note, name="private-note"),
    path("<int:pk>/close/", views.close_conversation, name="close"),
    path("<int:pk>/pdf/", views.conversation_pdf, name="pdf"),
    path("actions/<int:pk>/status/", views.action_status, name="action-status"),
]
