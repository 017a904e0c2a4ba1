"""Run by tests/install inside a clean venv, outside the checkout: what a user does first.

Prints one JSON object with what it saw; the test asserts on it. Needs only the wheel's
required dependencies (no extra, no pytest).
"""

from __future__ import annotations

import json
import sys
from importlib import metadata, resources
from pathlib import Path

import eaccounting
from eaccounting.testing import Emulator

seen: dict[str, object] = {
    "python": f"{sys.version_info[0]}.{sys.version_info[1]}",
    "version": eaccounting.__version__,
    "spec_version": eaccounting.__spec_version__,
    "metadata_version": metadata.version("visma-eaccounting"),
    # Imported from the venv, not from a checkout that happens to be on sys.path.
    "imported_from_site_packages": "site-packages" in Path(eaccounting.__file__).parts,
    "pytest11": sorted(
        ep.value for ep in metadata.entry_points(group="pytest11") if ep.name == "eaccounting"
    ),
    "scripts": sorted(
        ep.name
        for ep in metadata.entry_points(group="console_scripts")
        if ep.value.startswith("eaccounting.")
    ),
}
spec = json.loads(resources.files("eaccounting_api").joinpath("openapi.json").read_text("utf-8"))
seen["spec_operations"] = sum(
    1
    for item in spec["paths"].values()
    for operation in item.values()
    if isinstance(operation, dict) and "operationId" in operation
)

with Emulator(region="se") as emu:
    client = emu.client()
    settings = client.company_settings.get()  # a typed call through the facade
    seen["company"] = [type(settings).__name__, settings.name, settings.currency_code]
    vat_codes = client.api.vat_code.list_vat_codes()  # a generated operation via client.api
    seen["api_vat_codes"] = [type(vat_codes).__name__, len(vat_codes.data)]
    page = client.customers.list()
    seen["customers"] = [type(page).__name__, page.total_results]

print(json.dumps(seen))
