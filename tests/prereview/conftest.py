"""The case town of tests/cases with 居住证办理 open to online pre-review, and its citizens.

- 居住证办理 (jzz) asks for 居民身份证, 居住登记表, 房屋租赁合同 (essential) and 近期照片.
- Chen Li (陈丽, mobile 13912345678) pre-reviews it at 大宁路 (dnl); Wendy and Walt are that
  hall's clerks and Hugo its manager. Xavier clerks at another hall (xzl) that also handles
  居住证; Una (a street's handler) has no business with pre-reviews.
- Files are written under a temporary media folder.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hotline.hall.models import Window, WindowMatter
from hotline.matters.models import Material, Matter
from hotline.org.models import Role, User
from hotline.prereview import actions
from hotline.prereview.models import PreReview
from tests.cases.conftest import CaseTown, make_case_town
from tests.conftest import make_user
from tests.hall.conftest import make_hall

CHEN_PHONE = "13912345678"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "scan.pdf", size: int = 0) -> SimpleUploadedFile:
    body = PDF if not size else PDF + b"0" * (size - len(PDF))
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@dataclass
class PreReviewTown:
    ct: CaseTown
    residence: Matter
    id_card: Material  # 居民身份证
    form: Material  # 居住登记表
    lease: Material  # 房屋租赁合同
    photo: Material  # 近期照片
    xavier: User  # a clerk of another hall
    other_window: Window

    @property
    def hall(self):
        return self.ct.town.hall

    @property
    def wendy(self) -> User:
        return self.ct.town.wendy

    @property
    def walt(self) -> User:
        return self.ct.town.walt

    @property
    def hugo(self) -> User:
        return self.ct.town.hugo

    @property
    def una(self) -> User:
        return self.ct.town.district.una

    def chen_files(self) -> PreReview:
        """Chen Li sends her ID card and her registration form (not yet the lease)."""
        return actions.submit(
            self.hall,
            self.residence,
            name="陈丽",
            phone=CHEN_PHONE,
            uploads={self.id_card.pk: pdf("身份证.pdf"), self.form.pk: png("登记表.png")},
        )


def make_prereview_town(district) -> PreReviewTown:
    ct = make_case_town(district)
    residence = ct.residence
    Matter.objects.filter(pk=residence.pk).update(prereview_allowed=True)
    residence.refresh_from_db()
    other = make_hall(district, code="xzl")
    xavier = make_user("xavier", other.hall.unit, Role.HALL_CLERK)
    WindowMatter.objects.get_or_create(window=other.w1, matter=residence, defaults={"weight": 1})
    by_name = {m.name: m for m in residence.materials.all()}
    return PreReviewTown(
        ct=ct,
        residence=residence,
        id_card=by_name["居民身份证"],
        form=by_name["居住登记表"],
        lease=by_name["房屋租赁合同"],
        photo=by_name["近期照片"],
        xavier=xavier,
        other_window=other.w1,
    )


@pytest.fixture
def pt(district, settings, tmp_path) -> PreReviewTown:
    settings.MEDIA_ROOT = tmp_path
    return make_prereview_town(district)
