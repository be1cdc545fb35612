"""The first-level unit (二级派单): the unit the centre dispatches to, above its sub-units."""

from __future__ import annotations

from hotline.org.models import Unit, UnitKind, first_level_ids, first_level_unit_id


def test_a_neighbourhood_belongs_to_its_street(district):
    assert first_level_unit_id(district.neighbourhood.pk) == district.street.pk
    assert district.neighbourhood.first_level() == district.street
    assert not district.neighbourhood.is_first_level


def test_a_unit_at_the_root_is_its_own_first_level(district):
    assert first_level_unit_id(district.street.pk) == district.street.pk
    assert district.bureau.first_level() == district.bureau
    assert district.street.is_first_level


def test_the_district_government_above_the_streets_is_only_a_container(district):
    government = Unit.objects.create(
        code="gov", name="区人民政府", kind=UnitKind.DISTRICT_GOVERNMENT
    )
    Unit.objects.filter(pk__in=[district.street.pk, district.bureau.pk]).update(parent=government)
    section = Unit.objects.create(
        code="mzj-1", name="社会救助科", kind=UnitKind.OTHER, parent=district.bureau
    )
    levels = first_level_ids()
    assert levels[district.neighbourhood.pk] == district.street.pk
    assert levels[district.street.pk] == district.street.pk
    assert levels[section.pk] == district.bureau.pk
    # Nothing above the government: it is its own first level rather than none.
    assert levels[government.pk] == government.pk


def test_in_the_demo_district_streets_bureaus_and_companies_are_first_level(db):
    from hotline.org import demo
    from hotline.org import demo_district as data

    demo.load_district()
    levels = first_level_ids()
    units = {u.code: u.pk for u in Unit.objects.all()}
    for spec in data.HANDLING_UNITS:
        assert levels[units[spec.code]] == units[spec.code], spec.name
    for street in data.STREETS:
        for neighbourhood in street.neighbourhoods:
            assert levels[units[neighbourhood.code]] == units[street.code]
