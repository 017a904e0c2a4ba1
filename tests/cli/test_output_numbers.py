"""The command line prints amounts with every digit, compact or indented (never via float)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from eaccounting._json_wire import loads
from eaccounting.cli._output import emit_json

BODY = b'{"Name":"\xc3\x85sa AB","TotalAmount":12345678901234567.89,"Rows":[{"Quantity":0.1}]}'


@pytest.mark.parametrize("pretty", [False, True])
def test_amounts_keep_every_digit(pretty: bool, capsys: pytest.CaptureFixture[str]) -> None:
    emit_json(loads(BODY), pretty=pretty)
    out = capsys.readouterr().out
    assert "12345678901234567.89" in out and "e+16" not in out
    assert '"Quantity": 0.1' in out if pretty else '"Quantity":0.1' in out
    assert "Åsa AB" in out
    assert loads(out.encode()) == {
        "Name": "Åsa AB",
        "TotalAmount": Decimal("12345678901234567.89"),
        "Rows": [{"Quantity": Decimal("0.1")}],
    }
