"""mypy --strict on user code: ``client.api`` is typed per tag and operation.

One mypy run checks every file below; each test asserts one file's errors exactly.
"""

from __future__ import annotations

import pytest

from tests.typing.user_code import check_user_code

pytest.importorskip("eaccounting_api.namespace")

CORRECT = """
import uuid

import eaccounting
from eaccounting_api.models.customer_api import CustomerApi


def sync_side(client: eaccounting.Client, customer_id: uuid.UUID) -> list[str]:
    # The pipeline raises typed errors: results are the success models, not error bodies.
    found: CustomerApi | None = client.api.customers.get_customer(customer_id=customer_id)
    detailed = client.api.customers.get_customer.sync_detailed(customer_id)
    assert found is not None and detailed.status_code == 200
    page = client.api.customers.list_customers.sync(page=1, pagesize=50, filter_="IsActive")
    assert page is not None and page.meta.current_page == 1
    names = [c.name for c in client.api.customers.list_customers.iterate(filter_="IsActive")]
    return [found.name, *names]


async def async_side(client: eaccounting.AsyncClient, customer_id: uuid.UUID) -> list[str]:
    found = await client.api.customers.get_customer(customer_id=customer_id)
    again = await client.api.customers.get_customer.asyncio(customer_id)
    assert found is not None and again is not None
    names = [c.name async for c in client.api.customers.list_customers.aiterate(page_size=100)]
    return [found.name, again.name, *names]
"""

MISSPELLED_OPERATION = """
import eaccounting


def main(client: eaccounting.Client) -> None:
    client.api.customers.list_customerz()
"""

MISSPELLED_TAG = """
import eaccounting


async def main(client: eaccounting.AsyncClient) -> None:
    await client.api.customerz.list_customers()
"""

WRONG_ARGUMENT = """
import eaccounting


def main(client: eaccounting.Client) -> None:
    client.api.customers.get_customer(customer_id=42)
    client.api.customers.list_customers.iterate(filter=1)
"""

WRONG_FLAVOUR = """
import eaccounting


def main(client: eaccounting.Client) -> None:
    client.api.customers.list_customers.asyncio()
"""

FILES = {
    "correct.py": CORRECT,
    "misspelled_operation.py": MISSPELLED_OPERATION,
    "misspelled_tag.py": MISSPELLED_TAG,
    "wrong_argument.py": WRONG_ARGUMENT,
    "wrong_flavour.py": WRONG_FLAVOUR,
}


@pytest.fixture(scope="module")
def errors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    return check_user_code(tmp_path_factory.mktemp("user"), FILES)


def test_correct_use_of_client_api_passes(errors: dict[str, list[str]]) -> None:
    assert errors["correct.py"] == []


def test_a_misspelled_operation_is_a_type_error(errors: dict[str, list[str]]) -> None:
    assert errors["misspelled_operation.py"] == [
        '6: "CustomersOperations" has no attribute "list_customerz"  [attr-defined]'
    ]


def test_a_misspelled_tag_is_a_type_error(errors: dict[str, list[str]]) -> None:
    assert errors["misspelled_tag.py"] == [
        '6: "AsyncApiOperations" has no attribute "customerz"  [attr-defined]'
    ]


def test_a_wrong_argument_type_or_name_is_a_type_error(errors: dict[str, list[str]]) -> None:
    assert errors["wrong_argument.py"] == [
        '6: Argument "customer_id" to "__call__" of "GetCustomerOperation" has incompatible '
        'type "int"; expected "UUID"  [arg-type]',
        '7: Unexpected keyword argument "filter" for "iterate" of "ListCustomersOperation"; '
        'did you mean "filter_"?  [call-arg]',
    ]


def test_a_sync_client_has_no_async_calls(errors: dict[str, list[str]]) -> None:
    assert errors["wrong_flavour.py"] == [
        '6: "ListCustomersOperation" has no attribute "asyncio"  [attr-defined]'
    ]
