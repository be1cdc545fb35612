from django.urls import path

from hotline.kb import synonym_views, views
from hotline.kb.assist import intake_suggestions, reply_help

app_name = "kb"

urlpatterns = [
    path("", views.article_list, name="article_list"),
    path("new", views.article_edit, name="article_new"),
    path("review/", views.review_queue, name="review_queue"),
    path("suggest", intake_suggestions, name="intake_suggestions"),
    path("reply-help", reply_help, name="reply_help"),
    path("synonyms/", synonym_views.synonym_list, name="synonyms"),
    path("synonyms/new", synonym_views.synonym_create, name="synonym_create"),
    path("synonyms/defaults", synonym_views.synonym_defaults, name="synonym_defaults"),
    path("synonyms/import", synonym_views.synonym_import, name="synonym_import"),
    path("synonyms/export.csv", synonym_views.synonym_export, {"fmt": "csv"}, name="synonym_csv"),
    path(
        "synonyms/export.xlsx",
        synonym_views.synonym_export,
        {"fmt": "xlsx"},
        name="synonym_xlsx",
    ),
    path("synonyms/<int:pk>/", synonym_views.synonym_row, name="synonym_row"),
    path("synonyms/<int:pk>/edit", synonym_views.synonym_edit, name="synonym_edit"),
    path("synonyms/<int:pk>/remove", synonym_views.synonym_remove, name="synonym_remove"),
    path("<int:pk>/", views.article_detail, name="article_detail"),
    path("<int:pk>/edit", views.article_edit, name="article_edit"),
    path("<int:pk>/act/<str:action>", views.article_act, name="article_act"),
    path("<int:pk>/attach", views.article_attach, name="article_attach"),
    path("<int:pk>/detach", views.article_detach, name="article_detach"),
    path("<int:pk>/attachments/<int:attachment>", views.attachment_download, name="attachment"),
    path("<int:pk>/diff", views.revision_diff, name="revision_diff"),
]
