"""The scripts in examples/ against the emulator: their functions, and the scripts as run."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytest.importorskip("eaccounting_api.models.customer_api")


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def emu(eaccounting_emulator: Any) -> Any:
    """A fresh Swedish company from the installed pytest plugin."""
    return eaccounting_emulator.emulator


def test_sync_customers_fetches_only_what_changed(emu: Any, tmp_path: Path) -> None:
    example = load("sync_customers")
    client = emu.client()
    state = tmp_path / "state.json"
    example.demo_customers(client, ["A AB", "B AB", "C AB"])
    emu.clock.advance(60)
    assert example.sync(client, state) == 3
    assert example.sync(client, state) == 0  # nothing changed since

    emu.clock.advance(60)
    first = next(iter(client.customers.iterate(filter="Name eq 'A AB'")))
    client.customers.update(first.id, {"Telephone": "+46 18 123 456"})
    example.demo_customers(client, ["D AB"])
    emu.clock.advance(60)
    assert example.sync(client, state) == 2
    stored = json.loads(state.read_text())
    assert len(stored["customers"]) == 4
    assert stored["customers"][str(first.id)]["Telephone"] == "+46 18 123 456"
    assert stored["watermark"].startswith("2026-01-15T09:0")


def test_invoice_with_payment_books_sale_and_payment(emu: Any) -> None:
    example = load("invoice_with_payment")
    client = emu.client()
    booked, paid = example.invoice_and_pay(
        client, customer_name="Rosteriet AB", article_name="Beans", price=100.0, quantity=3
    )
    assert (booked.total_amount, booked.total_vat_amount, booked.remaining_amount) == (
        300.0,
        75.0,
        375.0,
    )
    assert booked.voucher_number == "B1"
    assert paid.remaining_amount == 0.0
    assert paid.payment_date == booked.invoice_date
    # A second run reuses the customer and the article.
    example.invoice_and_pay(
        client, customer_name="Rosteriet AB", article_name="Beans", price=100.0, quantity=1
    )
    assert client.customers.list().total_results == 1
    assert client.articles.list().total_results == 1
    assert client.customer_invoices.list().total_results == 2


def test_export_vouchers_writes_every_row_of_the_fiscal_year(emu: Any) -> None:
    example = load("export_vouchers")
    load("invoice_with_payment").invoice_and_pay(
        emu.client(), customer_name="X AB", article_name="Y", price=80.0, quantity=1
    )
    client = emu.client()
    today = dt.date(2026, 1, 15)
    example.demo_vouchers(client, "se", today)
    fiscal_year = example.pick_fiscal_year(client, None, today)
    assert fiscal_year.start_date == dt.date(2026, 1, 1)
    out = io.StringIO()
    assert example.export(client, fiscal_year, out) == 9  # invoice 3, payment 2, demo 2 x 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == example.COLUMNS
    assert sum(float(r["Debit"]) for r in rows) == sum(float(r["Credit"]) for r in rows)
    assert {r["Number"] for r in rows} == {"B1", "C1", "A1", "A2"}
    previous = example.pick_fiscal_year(client, 2025, today)
    empty = io.StringIO()
    assert example.export(client, previous, empty) == 0
    with pytest.raises(SystemExit, match="no fiscal year starting in 1999"):
        example.pick_fiscal_year(client, 1999, today)


@pytest.mark.parametrize(
    ("script", "args", "expected"),
    [
        ("sync_customers.py", ["--state", "{tmp}/c.json"], "3 customer(s) changed"),
        ("invoice_with_payment.py", [], "paid on 2026-01-15; remaining 0.00"),
        ("export_vouchers.py", ["--out", "{tmp}/v.csv"], "exported 4 voucher row(s)"),
    ],
)
def test_scripts_run_offline_with_emulator(
    script: str, args: list[str], expected: str, tmp_path: Path
) -> None:
    argv = [a.format(tmp=tmp_path) for a in args]
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script), "--emulator", "se", *argv],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout + result.stderr


def test_the_customer_body_of_the_readme_creates_a_customer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`eaccounting call create_customer --body @examples/customer.json --emulator se`."""
    pytest.importorskip("typer")
    from typer.testing import CliRunner

    from eaccounting.cli.app import build_app

    monkeypatch.chdir(EXAMPLES.parent)
    result = CliRunner().invoke(
        build_app(),
        [
            "call",
            "create_customer",
            "--body",
            "@examples/customer.json",
            "--emulator",
            "se",
            "--raw",
        ],
    )
    assert result.exit_code == 0, result.output
    created = json.loads(result.stdout)
    sent = json.loads((EXAMPLES / "customer.json").read_text(encoding="utf-8"))
    assert {key: created[key] for key in sent} == sent
    assert created["CustomerNumber"] and created["Id"]
