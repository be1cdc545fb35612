"""Model rules of the organisation: unit tree, three-level taxonomy, roles, API tokens."""

import pytest
from django.core.exceptions import ValidationError

from hotline.org.models import ApiToken, Category, Role, Unit, UnitKind


def test_unit_subtree_includes_neighbourhoods_but_not_siblings(district):
    ids = district.street.subtree_ids()
    assert ids == {district.street.pk, district.neighbourhood.pk}
    assert district.bureau.pk not in ids


def test_unit_cannot_be_moved_under_its_own_descendant(district):
    district.street.parent = district.neighbourhood
    with pytest.raises(ValidationError):
        district.street.full_clean()


def test_handling_units_exclude_the_hotline_centre_and_inactive_units(district):
    district.bureau.active = False
    district.bureau.save()
    codes = set(Unit.objects.handling().values_list("code", flat=True))
    assert codes == {"jnl", "jnl-01"}


def test_category_level_is_derived_from_its_parent(district):
    assert district.category.level == 3
    assert district.category.path_name == "城乡建设 / 市政设施 / 路灯损坏"


def test_category_refuses_a_fourth_level(district):
    fourth = Category(code="too-deep", name="太深", parent=district.category)
    with pytest.raises(ValidationError):
        fourth.full_clean()
    with pytest.raises(ValidationError):
        fourth.save()
    assert not Category.objects.filter(code="too-deep").exists()


def test_category_inherits_default_unit_and_policy_from_ancestors(district):
    child_of_mid = Category.objects.create(
        code="cxjs-szss-other", name="其他", parent=district.category.parent
    )
    assert child_of_mid.effective_default_unit is None
    district.category.parent.default_unit = district.bureau
    district.category.parent.deadline_policy = district.policy
    district.category.parent.save()
    child = Category.objects.get(pk=child_of_mid.pk)
    assert child.effective_default_unit == district.bureau
    assert child.effective_deadline_policy == district.policy
    # A leaf's own setting wins over its parent's.
    assert Category.objects.get(pk=district.category.pk).effective_default_unit == district.street


def test_users_hold_several_roles(district):
    from hotline.org.models import UserRole

    UserRole.objects.create(user=district.sam, role=Role.LEADER)
    sam = type(district.sam).objects.get(pk=district.sam.pk)
    assert sam.roles == {Role.SUPERVISOR, Role.LEADER}
    assert sam.has_role(Role.LEADER, Role.ADMIN)
    assert not sam.has_role(Role.DISPATCHER)


def test_inactive_user_has_no_roles(district):
    district.dan.is_active = False
    district.dan.save()
    dan = type(district.dan).objects.get(pk=district.dan.pk)
    assert dan.roles == frozenset()


def test_unit_handler_without_unit_is_refused(district):
    district.una.unit = None
    with pytest.raises(ValidationError):
        district.una.full_clean()


def test_api_token_is_stored_only_as_a_hash_and_can_be_revoked(district):
    token, raw = ApiToken.issue(district.dan, "partner")
    assert raw.startswith("hl_") and raw not in token.key_hash
    assert ApiToken.objects.authenticate(raw).user == district.dan
    assert ApiToken.objects.authenticate(raw + "x") is None
    token.revoked_at = token.created_at
    token.save()
    assert ApiToken.objects.authenticate(raw) is None


def test_unit_kinds_cover_the_product_tree():
    assert {
        "hotline_centre",
        "district_government",
        "bureau",
        "street",
        "neighbourhood",
        "group_company",
        "service_centre",
        "other",
    } == set(UnitKind.values)
