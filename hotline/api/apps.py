from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "hotline.api"
    label = "api"
    verbose_name = _("JSON API")

    def ready(self) -> None:
        # Connects the signals that make this process forget a changed token's user at once.
        from hotline.api import auth  # noqa: F401
