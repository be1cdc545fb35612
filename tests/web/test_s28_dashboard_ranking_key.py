"""Leo (leader) reads the ranking chart: units below the minimum volume are drawn grey, shown but
not ranked, and the page says so under the chart with the volume in force. Before, grey bars of
88.02 stood under a blue 66.94 and nothing on the page said why (walk-through, session 28, h8
F8)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hotline.assessment.models import KpiSettings
from tests.conftest import at
from tests.web.test_order_pages import page

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(time_machine):
    time_machine.move_to(at("2026-12-07 09:40"), tick=False)


def test_the_ranking_chart_says_what_its_grey_bars_are(client, district, today):
    settings = KpiSettings.current()
    settings.minimum_volume = 12
    settings.save()
    html = page(client, district.leo, reverse("dashboard")).content.decode()
    assert 'data-testid="ranking-key"' in html
    assert "灰色：期内工单少于12件的单位，列出但不参与排名。" in html
