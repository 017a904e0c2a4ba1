"""``eaccounting call``: any operation, parameters, bodies, paging, errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eaccounting import FileTokenStore

from .conftest import Served


def signed_in(served: Served, tmp_path: Path) -> list[str]:
    """A token file + profile for the served emulator, as `auth login` leaves them."""
    token_file = tmp_path / "token.json"
    FileTokenStore(token_file).save(served.emu.issue_token())
    profile = {
        "base_url": served.base_url,
        "identity_url": served.origin,
        "client_id": served.emu.client_id,
    }
    Path(str(token_file) + ".profile.json").write_text(json.dumps(profile))
    return ["--token-file", str(token_file)]


def add_customers(served: Served, count: int) -> None:
    client = served.emu.client()  # in process, same company as the served one
    terms = str(client.terms_of_payment.list().items[0].id)
    for n in range(count):
        client.customers.create(
            {
                "Name": f"Pager {n:02d} AB",
                "InvoiceCity": "Lund",
                "InvoicePostalCode": "22100",
                "TermsOfPaymentId": terms,
                "IsPrivatePerson": False,
                "IsActive": n % 2 == 0,
            }
        )


def test_all_pages_follows_meta_and_prints_one_array(
    cli: Any, served: Served, tmp_path: Path
) -> None:
    add_customers(served, 7)
    result = cli(
        "call", "list_customers", "--all-pages", "--page-size", "3", *signed_in(served, tmp_path)
    )
    assert result.exit_code == 0, result.output
    names = [c["Name"] for c in json.loads(result.stdout)]
    assert sorted(names) == [f"Pager {n:02d} AB" for n in range(7)]
    first_page = cli("call", "list_customers", "-p", "$pagesize=3", *signed_in(served, tmp_path))
    assert json.loads(first_page.stdout)["Meta"]["TotalNumberOfPages"] == 3


def test_odata_parameters_by_api_or_python_name(cli: Any, served: Served, tmp_path: Path) -> None:
    add_customers(served, 4)
    auth = signed_in(served, tmp_path)
    by_api = cli(
        "call",
        "list_customers",
        "--all-pages",
        "-p",
        "$filter=IsActive eq true",
        "-p",
        "$orderby=Name desc",
        *auth,
    )
    by_python = cli(
        "call",
        "list_customers",
        "--all-pages",
        "--param",
        "filter_=IsActive eq true",
        "--param",
        "orderby=Name desc",
        *auth,
    )
    assert by_api.exit_code == 0, by_api.output
    names = [c["Name"] for c in json.loads(by_api.stdout)]
    assert names == ["Pager 02 AB", "Pager 00 AB"]
    assert by_python.stdout == by_api.stdout


def test_body_from_a_file_then_get_by_id(cli: Any, tmp_path: Path, served: Served) -> None:
    auth = signed_in(served, tmp_path)
    client = served.emu.client()
    terms = str(client.terms_of_payment.list().items[0].id)
    body = tmp_path / "customer.json"
    body.write_text(
        json.dumps(
            {
                "Name": "From A File AB",
                "InvoiceCity": "Malmö",
                "InvoicePostalCode": "21100",
                "TermsOfPaymentId": terms,
                "IsPrivatePerson": False,
                "IsActive": True,
            }
        )
    )
    created = cli("call", "create_customer", "--body", f"@{body}", *auth)
    assert created.exit_code == 0, created.output
    customer_id = json.loads(created.stdout)["Id"]
    fetched = cli("call", "get_customer", "-p", f"customerId={customer_id}", "--pretty", *auth)
    assert fetched.exit_code == 0
    assert '\n  "Name": "From A File AB"' in fetched.stdout  # indented on request
    assert json.loads(fetched.stdout)["InvoiceCity"] == "Malmö"


def test_piped_output_is_the_raw_body(cli: Any) -> None:
    result = cli("call", "get_company_settings", "--emulator", "no")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") == 1  # one compact line when not on a terminal
    assert json.loads(result.stdout)["CurrencyCode"] == "NOK"


def test_api_errors_are_one_line_with_exit_status_1(cli: Any) -> None:
    missing = cli(
        "call",
        "get_customer",
        "-p",
        "customerId=3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "--emulator",
        "se",
    )
    assert missing.exit_code == 1
    assert missing.stdout == ""
    assert missing.stderr.count("\n") == 1
    assert missing.stderr.startswith("error: 404 Not Found")
    assert "ErrorCode 3000" in missing.stderr

    invalid = cli(
        "call", "create_customer", "--body", '{"IsPrivatePerson": false}', "--emulator", "se"
    )
    assert invalid.exit_code == 1
    assert invalid.stderr.startswith("error: 400") and invalid.stderr.count("\n") == 1
    assert "Name" in invalid.stderr


def test_unknown_operation_suggests_close_matches(cli: Any) -> None:
    result = cli("call", "list_customer", "--emulator", "se")
    assert result.exit_code == 2
    assert "unknown operation 'list_customer'; did you mean: list_customers" in result.stderr


def test_usage_errors_exit_2(cli: Any, tmp_path: Path) -> None:
    cases = [
        (["get_customer"], "missing required parameter(s): --param customer_id=..."),
        (["get_customer", "-p", "customerId=nope"], "expected UUID"),
        (["list_customers", "-p", "colour=red"], "'colour' is not a parameter"),
        (["list_customers", "-p", "noequals"], "expected key=value"),
        (["get_company_settings", "--all-pages"], "not a paged list operation"),
        (["get_company_settings", "--body", "{}"], "takes no request body"),
        (["create_customer", "--body", "{nope"], "is not valid JSON"),
        (["create_customer", "--body", f"@{tmp_path / 'absent.json'}"], "cannot read"),
    ]
    for args, message in cases:
        result = cli("call", *args, "--emulator", "se")
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr, (args, result.stderr)


def test_body_from_stdin(cli: Any) -> None:
    body = json.dumps(
        {
            "Name": "Stdin AB",
            "IsPrivatePerson": False,
            "IsActive": True,
            "InvoiceCity": "Umeå",
            "InvoicePostalCode": "90325",
        }
    )
    result = cli("call", "create_customer", "--body", "-", "--emulator", "se", input=body)
    # The emulator checks TermsOfPaymentId exists; either way the body reached the API.
    assert result.exit_code in (0, 1), result.output
    assert result.exit_code == 0 or result.stderr.startswith("error: 400")


def test_no_token_is_an_auth_error_exit_3(cli: Any, tmp_path: Path) -> None:
    result = cli("call", "list_customers", "--token-file", str(tmp_path / "none.json"))
    assert result.exit_code == 3
    assert "eaccounting auth login" in result.stderr


def test_operations_lists_the_ids_call_accepts(cli: Any) -> None:
    table = cli("operations", "customerinvoicedrafts")
    assert table.exit_code == 0
    assert "convert_customer_invoice_draft" in table.stdout
    listing = json.loads(cli("operations", "--json").stdout)
    assert len(listing) >= 220
    by_id = {op["operation_id"]: op for op in listing}
    assert by_id["get_customer"]["method"] == "GET"
    assert by_id["get_customer"]["path"] == "/customers/{customerId}"
    # Shared parameters ($ref to components/parameters) are listed by name, not as "None".
    assert by_id["list_customers"]["parameters"] == [
        "$page",
        "$pagesize",
        "$filter",
        "$orderby",
        "$select",
    ]


def test_an_expired_token_without_the_secret_says_what_to_set(
    cli: Any, served: Served, tmp_path: Path
) -> None:
    auth = signed_in(served, tmp_path)
    token_file = Path(auth[1])
    token = FileTokenStore(token_file).load()
    assert token is not None
    token.expires_at = 0
    FileTokenStore(token_file).save(token)
    result = cli("call", "list_vat_codes", *auth)
    assert result.exit_code == 3
    assert "EACCOUNTING_CLIENT_SECRET" in result.stderr
    refreshed = cli("call", "list_vat_codes", *auth, env=served.env())
    assert refreshed.exit_code == 0, refreshed.output
