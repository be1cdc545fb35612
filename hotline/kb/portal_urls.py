"""``/portal/kb/…``: citizens search the public knowledge base (no login)."""

from django.urls import path

from hotline.kb import assist

app_name = "kb_portal"

urlpatterns = [
    path("", assist.portal_search, name="search"),
    path("suggest", assist.portal_suggestions, name="suggest"),
    path("<int:pk>/", assist.portal_article, name="article"),
]
