from django.urls import path

from hotline.kb import views
from hotline.kb.assist import intake_suggestions, reply_help

app_name = "kb"

urlpatterns = [
    path("", views.article_list, name="article_list"),
    path("new", views.article_edit, name="article_new"),
    path("review/", views.review_queue, name="review_queue"),
    path("suggest", intake_suggestions, name="intake_suggestions"),
    path("reply-help", reply_help, name="reply_help"),
    path("<int:pk>/", views.article_detail, name="article_detail"),
    path("<int:pk>/edit", views.article_edit, name="article_edit"),
    path("<int:pk>/act/<str:action>", views.article_act, name="article_act"),
    path("<int:pk>/attach", views.article_attach, name="article_attach"),
    path("<int:pk>/attachments/<int:attachment>", views.attachment_download, name="attachment"),
    path("<int:pk>/diff", views.revision_diff, name="revision_diff"),
]
