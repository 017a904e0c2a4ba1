"""RetryPolicy's documented defaults and bounds (docs/errors.md "Retries"), value by value.

The behavioural tests in test_retries.py pass explicit policies or tolerate a different default;
these pin what docs/errors.md promises: 2 retries, 0.5 s doubling capped at 8 s, 429 waits up to
65 s, 500/502/503/504 retried, GET/HEAD/OPTIONS/PUT/DELETE idempotent.
"""

from __future__ import annotations

import random

import pytest

from eaccounting import RetryPolicy
from eaccounting.retries import IDEMPOTENT_METHODS, RETRY_STATUSES


def test_the_documented_defaults() -> None:
    policy = RetryPolicy()
    assert (
        policy.max_retries,
        policy.initial_backoff,
        policy.max_backoff,
        policy.max_rate_limit_wait,
        policy.retry_non_idempotent,
    ) == (2, 0.5, 8.0, 65.0, False)
    assert policy.retry_statuses == RETRY_STATUSES == frozenset({500, 502, 503, 504})
    assert frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}) == IDEMPOTENT_METHODS


@pytest.mark.parametrize(
    "field", ["max_retries", "initial_backoff", "max_backoff", "max_rate_limit_wait"]
)
def test_every_bound_accepts_zero_and_refuses_a_negative(field: str) -> None:
    assert getattr(RetryPolicy(**{field: 0}), field) == 0
    with pytest.raises(ValueError, match=f"'{field}' must be >= 0: -1"):
        RetryPolicy(**{field: -1})


def test_the_random_source_is_not_part_of_equality_or_repr() -> None:
    first, second = RetryPolicy(rng=random.Random(1)), RetryPolicy(rng=random.Random(2))
    assert first == second
    assert "rng" not in repr(first)
    assert repr(first) == (
        "RetryPolicy(max_retries=2, initial_backoff=0.5, max_backoff=8.0, "
        f"max_rate_limit_wait=65.0, retry_non_idempotent=False, retry_statuses={RETRY_STATUSES!r})"
    )


@pytest.mark.parametrize(
    ("attempt", "ceiling"), [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (6, 8.0), (9, 8.0)]
)
def test_backoff_doubles_from_half_a_second_capped_at_8(attempt: int, ceiling: float) -> None:
    low = RetryPolicy(rng=_Fixed(0.0)).backoff(attempt)
    high = RetryPolicy(rng=_Fixed(1.0)).backoff(attempt)
    assert (low, high) == (ceiling / 2, ceiling)
    assert RetryPolicy(rng=_Fixed(0.5)).backoff(attempt) == ceiling * 3 / 4


@pytest.mark.parametrize("method", ["GET", "get", "HEAD", "OPTIONS", "PUT", "DELETE"])
def test_idempotent_methods_may_be_retried_after_sending(method: str) -> None:
    assert RetryPolicy().may_retry_method(method, sent=True) is True


@pytest.mark.parametrize("method", ["POST", "PATCH", "post"])
def test_other_methods_only_when_unsent_or_opted_in(method: str) -> None:
    assert RetryPolicy().may_retry_method(method, sent=True) is False
    assert RetryPolicy().may_retry_method(method, sent=False) is True
    assert RetryPolicy(retry_non_idempotent=True).may_retry_method(method, sent=True) is True


class _Fixed(random.Random):
    """A random source that always draws ``value``."""

    def __init__(self, value: float) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        return self.value
