from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "hotline.assistance"
    label = "assistance"
    verbose_name = _("Assisted and proxy handling")

    def ready(self) -> None:
        # Emptied before the halls and the matter catalogue it points at.
        from hotline.assistance import demo as demo_assistance
        from hotline.org import demo

        if demo_assistance.purge_assistance not in demo.RESET_HOOKS:
            demo.RESET_HOOKS.insert(0, demo_assistance.purge_assistance)
