"""What the citizen's and the clerk's pages both show: the material list with its files."""

from __future__ import annotations

from dataclasses import dataclass

from hotline.matters.models import Material
from hotline.prereview.models import PreReview, PreReviewFile


@dataclass(frozen=True)
class MaterialRow:
    material: Material
    files: list[PreReviewFile]  # every round, oldest first
    asked: bool  # on the notice asking for more

    @property
    def latest(self) -> PreReviewFile | None:
        return self.files[-1] if self.files else None


def files_by_material(review: PreReview, materials: list[Material]) -> list[MaterialRow]:
    files: dict[int, list[PreReviewFile]] = {m.pk: [] for m in materials}
    for found in review.files.order_by("round", "pk"):
        files.setdefault(found.material_id, []).append(found)
    return [MaterialRow(m, files[m.pk], m.pk in review.missing) for m in materials]
