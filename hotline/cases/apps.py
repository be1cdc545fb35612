from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "hotline.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # Cases point at halls, tickets and users: the demo reset empties them first.
        from hotline.cases import demo as demo_cases
        from hotline.org import demo

        if demo_cases.purge_cases not in demo.RESET_HOOKS:
            demo.RESET_HOOKS.insert(0, demo_cases.purge_cases)
        # The week goes on after the halls' simulated queues (hall comes before cases in
        # INSTALLED_APPS, so its load hook runs first).
        if demo_cases.load_week not in demo.LOAD_HOOKS:
            demo.LOAD_HOOKS.append(demo_cases.load_week)
