from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "hotline.ratings"
    label = "ratings"
    verbose_name = _("Service ratings")

    def ready(self) -> None:
        # The pads' enrolments are emptied before the halls' windows they point at.
        from hotline.org import demo
        from hotline.ratings import demo as demo_ratings

        if demo_ratings.purge_pads not in demo.RESET_HOOKS:
            demo.RESET_HOOKS.insert(0, demo_ratings.purge_pads)
