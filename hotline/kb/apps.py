from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbConfig(AppConfig):
    name = "hotline.kb"
    label = "kb"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        # The demo district's knowledge base: loaded after the district and before its orders
        # (whose operators answer consultations from the articles published by then), emptied
        # before the district is deleted.
        from hotline.kb import demo as demo_kb
        from hotline.orders import demo as demo_orders
        from hotline.orders.demo import replay
        from hotline.org import demo

        if demo_kb.load_articles not in demo.LOAD_HOOKS:
            hooks = demo.LOAD_HOOKS
            orders = demo_orders.load_orders
            hooks.insert(
                hooks.index(orders) if orders in hooks else len(hooks), demo_kb.load_articles
            )
        if demo_kb.answer_source not in replay.ANSWER_SOURCES:
            replay.ANSWER_SOURCES.append(demo_kb.answer_source)
        if demo_kb.purge_articles not in demo.RESET_HOOKS:
            demo.RESET_HOOKS.append(demo_kb.purge_articles)
