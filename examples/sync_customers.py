"""Sync customers incrementally into a local JSON file.

The first run fetches every customer; each later run fetches only the customers changed since
the previous run. The watermark is the server's clock (``Meta.ServerTimeUtc`` of the first
page), never this machine's, so nothing that changes while a sync runs is missed next time.

    python examples/sync_customers.py --state customers.json            # credentials from env
    python examples/sync_customers.py --state customers.json --emulator se   # offline demo

Credentials: ``eaccounting.Client.from_env()`` reads EACCOUNTING_CLIENT_ID,
EACCOUNTING_CLIENT_SECRET and EACCOUNTING_TOKEN_FILE (e.g. the file `eaccounting auth login`
wrote); see docs/auth.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import eaccounting


def load_state(path: Path) -> dict[str, Any]:
    if path.exists():
        # Amounts come back as Decimal, every digit as written.
        return dict(eaccounting.json_loads(path.read_bytes()))
    return {"watermark": None, "customers": {}}


def save_state(path: Path, state: dict[str, Any]) -> None:
    """Write atomically: a crash leaves the previous state, never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as handle:
        # to_dict() keeps amounts as Decimal: json_dumps writes them with every digit.
        handle.write(eaccounting.json_dumps(state, indent=2))
    os.replace(tmp, path)


def sync(client: eaccounting.Client, state_path: Path) -> int:
    """Fetch the customers changed since the last run into ``state_path``; returns how many."""
    state = load_state(state_path)
    since = dt.datetime.fromisoformat(state["watermark"]) if state["watermark"] else None
    changed = eaccounting.changed_since(client.customers, since=since)
    count = 0
    for customer in changed:
        state["customers"][str(customer.id)] = customer.to_dict()
        count += 1
    if changed.watermark is not None:
        state["watermark"] = changed.watermark.isoformat()
    save_state(state_path, state)  # only after every page arrived
    return count


def demo_customers(client: eaccounting.Client, names: list[str]) -> None:
    """Create a few customers (used by --emulator so there is something to sync)."""
    terms = client.terms_of_payment.list().items[0]
    for name in names:
        client.customers.create(
            {
                "Name": name,
                "InvoiceCity": "Uppsala",
                "InvoicePostalCode": "75320",
                "TermsOfPaymentId": terms.id,
                "IsPrivatePerson": False,
                "IsActive": True,
            }
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--state", type=Path, default=Path("customers.json"))
    parser.add_argument(
        "--emulator", metavar="REGION", help="use a fresh emulator company with demo customers"
    )
    args = parser.parse_args(argv)
    if args.emulator:
        from eaccounting.testing import Emulator

        with Emulator(region=args.emulator) as emu:
            client = emu.client()
            demo_customers(client, ["Björk & Co AB", "Lind Konsult AB", "Ek Bygg AB"])
            emu.clock.advance(1)
            count = sync(client, args.state)
    else:
        with eaccounting.Client.from_env() as client:
            count = sync(client, args.state)
    state = load_state(args.state)
    print(
        f"{count} customer(s) changed; {len(state['customers'])} stored in {args.state}; "
        f"next sync from {state['watermark']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
