"""Host presets: where the API and the identity server live."""

from __future__ import annotations

import attrs

__all__ = ["ENVIRONMENTS", "Environment", "resolve_environment"]


@attrs.frozen
class Environment:
    """An API base URL (including ``/v2``) and an identity-server origin."""

    name: str
    api_base_url: str
    identity_url: str

    @property
    def authorize_url(self) -> str:
        return f"{self.identity_url.rstrip('/')}/connect/authorize"

    @property
    def token_url(self) -> str:
        return f"{self.identity_url.rstrip('/')}/connect/token"


#: Current Visma docs: sandbox clients use the production hosts; the client type decides.
PRODUCTION = Environment(
    name="production",
    api_base_url="https://eaccountingapi.vismaonline.com/v2",
    identity_url="https://identity.vismaonline.com",
)
#: The pre-2025 sandbox hosts, kept as an opt-in preset.
LEGACY_SANDBOX = Environment(
    name="legacy-sandbox",
    api_base_url="https://eaccountingapi-sandbox.test.vismaonline.com/v2",
    identity_url="https://identity-sandbox.test.vismaonline.com",
)

ENVIRONMENTS: dict[str, Environment] = {
    "production": PRODUCTION,
    "sandbox": PRODUCTION,
    "legacy-sandbox": LEGACY_SANDBOX,
}


def resolve_environment(
    environment: str, *, base_url: str | None = None, identity_url: str | None = None
) -> Environment:
    """The preset named ``environment`` with ``base_url``/``identity_url`` overrides applied."""
    try:
        preset = ENVIRONMENTS[environment]
    except KeyError:
        names = ", ".join(repr(n) for n in ENVIRONMENTS)
        raise ValueError(f"environment={environment!r} is not one of {names}") from None
    return Environment(
        name=preset.name if base_url is None else "custom",
        api_base_url=(base_url or preset.api_base_url).rstrip("/"),
        identity_url=(identity_url or preset.identity_url).rstrip("/"),
    )
