"""What an import found: per-row problems (row, column, problem) and what it did or would do."""

from __future__ import annotations

from dataclasses import dataclass, field

from hotline.org.gazetteer_io import RowError

__all__ = ["ImportReport", "RowError"]


@dataclass
class ImportReport:
    """``created``/``updated`` count what was written (or, in a dry run, what would be)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    #: Rows equal to what is there already, not written (the gazetteer's).
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: Rows written but worth a word (the gazetteer's: a place added beside a namesake).
    notices: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))
