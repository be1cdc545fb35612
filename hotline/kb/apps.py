from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbConfig(AppConfig):
    name = "hotline.kb"
    label = "kb"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        # The demo district's knowledge base: loaded after the district (and its orders),
        # emptied before the district is deleted.
        from hotline.kb import demo as demo_kb
        from hotline.org import demo

        if demo_kb.load_articles not in demo.LOAD_HOOKS:
            demo.LOAD_HOOKS.append(demo_kb.load_articles)
        if demo_kb.purge_articles not in demo.RESET_HOOKS:
            demo.RESET_HOOKS.append(demo_kb.purge_articles)
