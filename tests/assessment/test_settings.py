"""KPI settings: one row, created with the documented defaults on first use."""

from __future__ import annotations

from hotline.assessment.models import KpiSettings


def test_it_creates_the_default_row_on_first_use(db):
    settings = KpiSettings.current()
    assert (
        settings.score_satisfied,
        settings.score_basically_satisfied,
        settings.score_dissatisfied,
    ) == (100, 80, 0)
    assert settings.minimum_volume == 10
    assert sum(settings.weights().values()) == 100
    assert KpiSettings.current().pk == settings.pk


def test_saving_another_row_overwrites_the_one_row(db):
    KpiSettings.current()
    KpiSettings(minimum_volume=3).save()
    assert KpiSettings.objects.count() == 1
    assert KpiSettings.current().minimum_volume == 3
