"""Region profiles (``harness/regions/<region>.toml``): what each sandbox company offers."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import tomllib

REGIONS_DIR = Path(__file__).resolve().parent / "regions"
REGIONS = ("se", "no", "fi", "nl")


@dataclass(frozen=True)
class RegionProfile:
    region: str
    country: str
    name: str
    currency: str
    variant: str
    vat_rates: tuple[float, ...]
    chart_of_accounts: str
    # the ledger account of the company's bank account (where payments are booked)
    bank_account: int
    # a VAT-free revenue account (the other side of the scenarios' manual vouchers)
    revenue_account: int
    # operationId -> why the country does not offer it
    unavailable: dict[str, str] = field(default_factory=dict)
    # what the API answers for an endpoint the country does not offer
    gate_status: int = 403
    gate_error_code: int = 4009

    def offers(self, operation_id: str) -> bool:
        return operation_id not in self.unavailable


def load_profile(region: str) -> RegionProfile:
    path = REGIONS_DIR / f"{region}.toml"
    if not path.is_file():
        known = ", ".join(REGIONS)
        raise ValueError(f"unknown region {region!r}: expected one of {known}")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    gate = data.get("gate", {})
    return RegionProfile(
        region=data["region"],
        country=data["country"],
        name=data["name"],
        currency=data["currency"],
        variant=data["variant"],
        vat_rates=tuple(data["vat_rates"]),
        chart_of_accounts=data["chart_of_accounts"],
        bank_account=int(data["accounts"]["bank"]),
        revenue_account=int(data["accounts"]["revenue"]),
        unavailable=dict(data.get("unavailable", {})),
        gate_status=int(gate.get("status", 403)),
        gate_error_code=int(gate.get("error_code", 4009)),
    )


class ProfileError(ValueError):
    """A region profile names operations the effective spec does not have."""


def check_profiles(profiles: Iterable[RegionProfile], operation_ids: Collection[str]) -> None:
    """Refuse profiles whose gates name unknown operations (renamed or removed upstream): a
    gate for an operation that no longer exists would silently check nothing."""
    problems = []
    for profile in profiles:
        unknown = sorted(set(profile.unavailable) - set(operation_ids))
        if unknown:
            problems.append(
                f"harness/regions/{profile.region}.toml [unavailable] names operations the "
                f"effective spec does not have: {', '.join(unknown)}"
            )
    if problems:
        raise ProfileError(
            "; ".join(problems) + " (rename or remove them: see docs/harness.md, Region profiles)"
        )
