from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "hotline.assessment"
    label = "assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        from hotline.assessment import demo as assessment_demo
        from hotline.org import demo

        if assessment_demo.load_rubric not in demo.LOAD_HOOKS:
            demo.LOAD_HOOKS.append(assessment_demo.load_rubric)
        # After the demo orders (the orders app's hook is registered first).
        if assessment_demo.load_activity not in demo.LOAD_HOOKS:
            demo.LOAD_HOOKS.append(assessment_demo.load_activity)
        # Before the orders' purge: sampled orders point at orders, draws at users.
        if assessment_demo.purge_samples not in demo.RESET_HOOKS:
            demo.RESET_HOOKS.insert(0, assessment_demo.purge_samples)
