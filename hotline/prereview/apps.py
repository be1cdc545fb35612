from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreReviewConfig(AppConfig):
    name = "hotline.prereview"
    label = "prereview"
    verbose_name = _("Online pre-review")

    def ready(self) -> None:
        # Pre-reviews point at halls, tickets and cases: the demo reset empties them first.
        from hotline.org import demo
        from hotline.prereview.demo import purge_prereviews

        if purge_prereviews not in demo.RESET_HOOKS:
            demo.RESET_HOOKS.insert(0, purge_prereviews)
