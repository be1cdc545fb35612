from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "hotline.orders"
    label = "orders"
    verbose_name = _("Work orders")

    def ready(self) -> None:
        # The demo district's orders: loaded after the district, purged before it is deleted.
        from hotline.orders import demo as demo_orders
        from hotline.org import demo

        if demo_orders.load_orders not in demo.LOAD_HOOKS:
            demo.LOAD_HOOKS.append(demo_orders.load_orders)
        if demo_orders.purge_orders not in demo.RESET_HOOKS:
            demo.RESET_HOOKS.append(demo_orders.purge_orders)
