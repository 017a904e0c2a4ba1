"""Deterministic Schemathesis cases for every operation of the effective spec.

Hypothesis runs derandomized with no example database, so the same spec and the same pinned
versions of Schemathesis and Hypothesis give the same requests every time; that is what lets a
replay run find its requests in the cassettes. Cases are generated once and reused per region.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.internal.floats import float_to_int
from schemathesis import Case, openapi
from schemathesis.generation import GenerationMode
from schemathesis.schemas import APIOperation
from sortedcontainers import SortedSet

from eaccounting._spec import OperationIndex


@dataclass(frozen=True)
class OperationCases:
    operation_id: str
    operation: APIOperation
    positive: tuple[Case, ...]
    negative: tuple[Case, ...]


def load_schema(spec: Mapping[str, Any]) -> Any:
    return openapi.from_dict(dict(spec))


@contextmanager
def _without_local_constants() -> Iterator[None]:
    """Keep Hypothesis from mining string/number constants out of the caller's own modules.

    Hypothesis mixes constants found in every *local* module in ``sys.modules`` into what it
    draws, so the same seed generates different requests under pytest (test modules loaded)
    than under ``python -m harness``, and replay would miss its cassettes. There is no public
    switch (Hypothesis 6.170); the pinned version makes patching its provider hook safe.
    """
    from hypothesis.internal.conjecture import providers

    original = providers._get_local_constants
    empty = providers.Constants(
        integers=SortedSet(),
        floats=SortedSet(key=float_to_int),
        bytes=SortedSet(),
        strings=SortedSet(),
    )
    # Draws consult a cache of permitted constants filled from whatever was mined before
    # (e.g. by an earlier Hypothesis test in the same process): empty it on the way in, and on
    # the way out so later draws see the real constants again.
    providers.CONSTANTS_CACHE.cache.clear()
    providers._get_local_constants = lambda: empty
    try:
        yield
    finally:
        providers._get_local_constants = original
        providers.CONSTANTS_CACHE.cache.clear()


def draw(strategy: Any, examples: int) -> list[Case]:
    drawn: list[Case] = []

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],
    )
    @given(strategy)
    def collect(case: Case) -> None:
        drawn.append(case)

    with _without_local_constants():
        collect()
    return drawn[:examples]


def generate_cases(schema: Any, examples: int, negative: int) -> list[OperationCases]:
    """``examples`` positive and ``negative`` negative cases per operation, in spec order.

    The operations are the package's operation index of the same spec (what the emulator
    routes and the CLI lists); Schemathesis supplies each one's strategies.
    """
    result = []
    for entry in OperationIndex(schema.raw_schema):
        operation = schema[entry.path][entry.method]
        operation_id = entry.operation_id
        positive = draw(operation.as_strategy(GenerationMode.POSITIVE), examples)
        wrong: list[Case] = []
        if negative:
            try:
                wrong = draw(operation.as_strategy(GenerationMode.NEGATIVE), negative)
            except Exception:  # some operations have nothing that can be made invalid
                wrong = []
        result.append(OperationCases(operation_id, operation, tuple(positive), tuple(wrong)))
    return result
