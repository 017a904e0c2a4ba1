"""Case generation does not depend on what else ran in the process."""

from __future__ import annotations

from hypothesis.internal.conjecture import providers

from harness.cases import _without_local_constants


def test_constants_cached_by_earlier_hypothesis_runs_are_not_used() -> None:
    # An earlier Hypothesis test (tests/reliability/test_properties.py did) leaves permitted
    # constants, mined from local modules, in this cache; drawing from it made replay miss
    # its cassettes when the harness tests ran after it.
    key = ("string", "earlier run")
    providers.CONSTANTS_CACHE[key] = ((), ("mined from a test module",))
    with _without_local_constants():
        assert key not in providers.CONSTANTS_CACHE
        assert providers._get_local_constants().strings == set()
        providers.CONSTANTS_CACHE[key] = ((), ())
    assert key not in providers.CONSTANTS_CACHE  # later runs recompute with their constants
