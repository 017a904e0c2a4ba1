"""In-process throughput of simple GETs (pytest-benchmark; disabled by default in addopts).

Run: .venv/bin/pytest tests/emulator/test_benchmark.py --benchmark-enable
"""

from __future__ import annotations

from typing import Any

from eaccounting.testing import Emulator

from .conftest import api_client


def test_simple_get(benchmark: Any) -> None:
    emu = Emulator(region="se", rate_limit=None)  # the quota would stop the loop at 600
    api = api_client(emu)
    unit = api.get("/units").json()["Data"][0]["Id"]
    response = benchmark(api.get, f"/units/{unit}")
    assert response.status_code == 200
    assert response.json()["Id"] == unit
