from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "hotline.dispatch"
    label = "dispatch"
    verbose_name = _("Dispatch intelligence")

    def ready(self) -> None:
        # After the orders app's hook (INSTALLED_APPS order): the demo's models learn from its
        # orders on first start, so suggestions appear from the first call.
        from hotline.dispatch.retraining import purge_changes
        from hotline.dispatch.services import train_demo_models
        from hotline.org import demo

        if train_demo_models not in demo.LOAD_HOOKS:
            demo.LOAD_HOOKS.append(train_demo_models)
        if purge_changes not in demo.RESET_HOOKS:
            demo.RESET_HOOKS.append(purge_changes)
