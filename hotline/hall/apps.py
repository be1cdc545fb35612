from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallConfig(AppConfig):
    name = "hotline.hall"
    label = "hall"
    verbose_name = _("Service hall")

    def ready(self) -> None:
        from hotline.hall import (
            checks,  # noqa: F401  (registers the hall's system checks)
            devices,
        )
        from hotline.portal import limits

        # The portal's tracking counts an enrolled kiosk as the kiosk, not as its address.
        if devices.device_key not in limits.KIOSK_DEVICES:
            limits.KIOSK_DEVICES.append(devices.device_key)

        # The demo halls: loaded after the district (and its orders), purged before it goes.
        from hotline.hall import demo as demo_halls
        from hotline.org import demo

        if demo_halls.load_halls not in demo.LOAD_HOOKS:
            demo.LOAD_HOOKS.append(demo_halls.load_halls)
        if demo_halls.purge_halls not in demo.RESET_HOOKS:
            demo.RESET_HOOKS.append(demo_halls.purge_halls)
