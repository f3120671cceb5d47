"""The OIDC_* environment read into settings (accounts/oidc_config.py), and the claims read into a
DirectoryIdentity (accounts/oidc_backend.py): no provider needed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from platform_core.accounts.oidc_backend import identity_from_claims
from platform_core.accounts.oidc_config import CLAIM_DEFAULTS, oidc_settings

BASE = {"OIDC_CLIENT_ID": "jbgs", "OIDC_ISSUER": "https://sso.corp.example/realms/corp/"}


def test_the_discovery_document_follows_the_issuer_and_the_secret_comes_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n", encoding="utf-8")
    values = oidc_settings({**BASE, "OIDC_CLIENT_SECRET_FILE": str(secret)})
    assert (
        values["OIDC_DISCOVERY_URL"]
        == "https://sso.corp.example/realms/corp/.well-known/openid-configuration"
    )
    assert values["OIDC_ISSUER"] == "https://sso.corp.example/realms/corp"
    assert values["OIDC_RP_CLIENT_SECRET"] == "s3cret"
    assert values["OIDC_RP_SCOPES"] == "openid profile email"
    assert values["OIDC_LOGOUT_AT_PORTAL"] is True
    assert values["OIDC_USE_PKCE"] is True
    assert values["OIDC_CLAIMS"] == CLAIM_DEFAULTS


def test_claim_names_scopes_and_sign_out_are_settings():
    values = oidc_settings(
        {
            **BASE,
            "OIDC_CLIENT_SECRET": "s",
            "OIDC_DISCOVERY_URL": "https://sso.corp.example/discovery",
            "OIDC_SCOPES": "openid profile org",
            "OIDC_CLAIM_UNIT": "org_unit",
            "OIDC_CLAIM_PHONE": "",
            "OIDC_LOGOUT_AT_PORTAL": "0",
        }
    )
    assert values["OIDC_DISCOVERY_URL"] == "https://sso.corp.example/discovery"
    assert values["OIDC_RP_SCOPES"] == "openid profile org"
    assert values["OIDC_CLAIMS"]["unit"] == "org_unit"
    assert values["OIDC_CLAIMS"]["phone"] == ""
    assert values["OIDC_LOGOUT_AT_PORTAL"] is False


@pytest.mark.parametrize(
    "environ, missing",
    [
        ({"OIDC_CLIENT_ID": "jbgs", "OIDC_CLIENT_SECRET": "s"}, "OIDC_ISSUER"),
        ({**BASE}, "OIDC_CLIENT_SECRET"),
        ({**BASE, "OIDC_CLIENT_SECRET": "s", "OIDC_TIMEOUT": "soon"}, "OIDC_TIMEOUT"),
    ],
)
def test_an_incomplete_configuration_says_what_is_missing(environ, missing):
    with pytest.raises(ImproperlyConfigured, match=missing):
        oidc_settings(environ)


def test_claims_become_a_directory_identity(settings):
    settings.OIDC_CLAIMS = {**CLAIM_DEFAULTS, "unit": "org_unit", "phone": ""}
    identity = identity_from_claims(
        {
            "sub": 42,
            "preferred_username": "Zhaolei",
            "name": "赵磊",
            "email": "zhaolei@corp.example",
            "org_unit": "门户单位",
            "department": "not read",
            "phone_number": "not read",
            "groups": ["jbgs-posters", "", {"odd": "value"}],
        }
    )
    assert identity.source == "oidc"
    assert (identity.external_id, identity.username, identity.display_name) == ("42", "Zhaolei", "赵磊")
    assert (identity.unit_name, identity.phone) == ("门户单位", "")
    assert identity.groups == frozenset({"jbgs-posters"})
    # A single group may come as a string.
    assert identity_from_claims({"sub": "1", "groups": "staff"}).groups == frozenset({"staff"})
