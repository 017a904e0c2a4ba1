"""The generated ``client.api`` namespace (spec/namespace.py) covers every operation, typed."""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys

import pytest

from eaccounting._spec import operation_index

namespace = pytest.importorskip("eaccounting_api.namespace")


def _tag_classes(package: str) -> tuple[type, type]:
    module = importlib.import_module(f"eaccounting_api.namespace.{package}")
    name = "".join(part.capitalize() for part in package.split("_")) + "Operations"
    return getattr(module, name), getattr(module, f"Async{name}")


def test_every_operation_is_an_attribute_of_its_tag_class_on_both_clients() -> None:
    index = operation_index()
    missing = []
    for entry in index:
        package = index.packages[entry.operation_id]
        assert package in namespace.TAGS
        for cls in _tag_classes(package):
            bound = getattr(cls, entry.operation_id, None)
            if bound is None:
                missing.append(f"{cls.__name__}.{entry.operation_id}")
    assert missing == []
    assert len(index.packages) == len(index) == 227


def test_operations_carry_the_generated_signature_without_client() -> None:
    from eaccounting_api.api.customers import list_customers
    from eaccounting_api.namespace.customers import (
        AsyncListCustomersOperation,
        ListCustomersOperation,
    )

    generated = inspect.signature(list_customers.sync).parameters
    expected = [name for name in generated if name != "client"]
    for method in (ListCustomersOperation.sync, AsyncListCustomersOperation.asyncio):
        assert list(inspect.signature(method).parameters)[1:] == expected
    iterate = inspect.signature(ListCustomersOperation.iterate).parameters
    assert list(iterate) == ["self", "filter_", "orderby", "select", "page_size", "prefetch"]
    assert ListCustomersOperation.module is list_customers
    assert not hasattr(ListCustomersOperation, "asyncio")
    assert not hasattr(AsyncListCustomersOperation, "sync")


def test_results_leave_out_the_error_models_the_pipeline_raises_for() -> None:
    from eaccounting_api.api.customers import get_customer
    from eaccounting_api.namespace.customers import GetCustomerOperation

    assert "CommonExtendedBadRequest" in str(inspect.signature(get_customer.sync).return_annotation)
    assert GetCustomerOperation.sync.__annotations__["return"] == "CustomerApi | None"
    assert GetCustomerOperation.sync_detailed.__annotations__["return"] == "Response[CustomerApi]"


LAZY = """
import sys
import eaccounting

def loaded():
    return sorted(m for m in sys.modules if m.startswith("eaccounting_api"))

client = eaccounting.Client(access_token="t")
print(loaded())
api = client.api
print([m for m in loaded() if m.startswith("eaccounting_api.namespace")])
api.customers.get_customer
print([m for m in loaded() if m.startswith(("eaccounting_api.namespace", "eaccounting_api.api."))])
"""


def test_client_api_imports_one_tag_at_a_time() -> None:
    result = subprocess.run(
        [sys.executable, "-c", LAZY], capture_output=True, text=True, check=True
    )
    before, after_api, after_tag = (ast.literal_eval(line) for line in result.stdout.splitlines())
    assert before == []  # import eaccounting and a client: nothing generated
    assert after_api == ["eaccounting_api.namespace"]
    assert after_tag == [
        "eaccounting_api.api.customers",
        *(
            f"eaccounting_api.api.customers.{name}"
            for name in (
                "create_customer",
                "delete_customer",
                "get_customer",
                "list_customer_auto_invoice_recipients",
                "list_customers",
                "update_customer",
            )
        ),
        "eaccounting_api.namespace",
        "eaccounting_api.namespace.customers",
    ]
