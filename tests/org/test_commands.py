"""The createuser and token commands."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hotline.org.models import ApiToken, Role, User


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_createuser_grants_roles_and_unit(district):
    run(
        "createuser",
        "wang",
        "--role",
        "unit_handler",
        "--role",
        "leader",
        "--unit",
        "mzj",
        "--password",
        "s3cret-Pass!",
    )
    wang = User.objects.get(username="wang")
    assert wang.roles == {Role.UNIT_HANDLER, Role.LEADER}
    assert wang.unit == district.bureau
    assert wang.check_password("s3cret-Pass!")


def test_createuser_refuses_a_unit_handler_without_unit(district):
    with pytest.raises(CommandError, match="needs --unit"):
        run("createuser", "li", "--role", "unit_handler", "--password", "x")
    assert not User.objects.filter(username="li").exists()


def test_createuser_refuses_unknown_unit(district):
    with pytest.raises(CommandError, match="no unit"):
        run("createuser", "li", "--role", "unit_handler", "--unit", "nope", "--password", "x")


def test_token_create_prints_a_working_token_once(district):
    raw = run("token", "create", "dan").strip()
    assert ApiToken.objects.authenticate(raw).user == district.dan
    listing = run("token", "list", "dan")
    assert raw not in listing and raw[:9] in listing


def test_token_revoke(district):
    raw = run("token", "create", "dan").strip()
    run("token", "revoke", raw[:9])
    assert ApiToken.objects.authenticate(raw) is None
