"""Model versions under the data directory: saved, activated, loaded."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.dispatch import store

MONDAY = dt.datetime(2024, 3, 11, 9, 0, tzinfo=dt.UTC)
TUESDAY = MONDAY + dt.timedelta(days=1)


def test_the_newest_version_is_active_unless_one_is_named(trained, tmp_path):
    first = store.save_version(trained, tmp_path, MONDAY, activate=False)
    second = store.save_version(trained, tmp_path, TUESDAY, activate=False)
    assert store.versions(tmp_path) == [first["version"], second["version"]]
    assert store.active_version(tmp_path) == second["version"]
    store.activate_version(tmp_path, first["version"])
    version, model = store.load_active(tmp_path)
    assert version == first["version"]
    assert model.predict(["楼顶漏水"])[0].label == "区住房和城乡建设局"


def test_unit_and_category_models_are_kept_apart(trained, tmp_path):
    unit = store.save_version(trained, tmp_path, MONDAY, target="unit")
    assert store.active_version(tmp_path, "category") is None
    with pytest.raises(ValueError, match="no category model"):
        store.activate_version(tmp_path, unit["version"], "category")
    with pytest.raises(LookupError):
        store.load_active(tmp_path, "category")
