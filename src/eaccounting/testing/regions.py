"""The four regional sandbox companies, grounded in each country's statutory facts.

Each block says where its numbers come from. Rates are those in force on the emulator's default
date (2026-01-15).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class VatRate:
    code: str
    description: str
    percent: float
    output_account: int | None  # where sales VAT is booked
    sales_account: int  # revenue account used for this rate


@dataclass(frozen=True)
class Region:
    code: str
    country: str
    company: str
    currency: str
    #: Invoice totals are rounded to whole currency units (Swedish/Norwegian öres-/øreavrunding).
    round_total_to_whole: bool
    vat: tuple[VatRate, ...]
    input_vat_account: int
    receivables_account: int
    payables_account: int
    bank_account: int
    purchases_account: int
    rounding_account: int
    accounts: tuple[tuple[int, str], ...]
    terms_of_payment: tuple[tuple[str, int], ...]
    units: tuple[tuple[str, str, str], ...]  # code, name, abbreviation
    settings: dict[str, Any] = field(default_factory=dict)
    #: Accounts numbered below this are balance-sheet accounts (carried across fiscal years).
    balance_sheet_below: int = 3000
    #: Region-gated operationIds (reference §8): these answer 403 NoAccessDueToProductVariant
    #: everywhere else.
    only: frozenset[str] = frozenset()


# Sweden. Currency SEK. VAT 25/12/6/0 (Mervärdesskattelagen 2023:200 ch. 9; the temporary food
# rate change of 2026-04-01 moves food from 12 to 6, it does not add a rate). Chart of accounts:
# BAS-kontoplanen 2026 (bas.se). Invoices are rounded to whole kronor (öresavrundning) as
# eAccounting SE does by default. 30 days net is the commercial default (Räntelagen 1975:635).
SE = Region(
    code="se",
    country="SE",
    company="Emulator Sverige AB",
    currency="SEK",
    round_total_to_whole=True,
    vat=(
        VatRate("MP1", "Utgående moms 25 %", 25.0, 2611, 3001),
        VatRate("MP2", "Utgående moms 12 %", 12.0, 2621, 3002),
        VatRate("MP3", "Utgående moms 6 %", 6.0, 2631, 3003),
        VatRate("MF", "Momsfri försäljning", 0.0, None, 3004),
    ),
    input_vat_account=2641,
    receivables_account=1510,
    payables_account=2440,
    bank_account=1930,
    purchases_account=4010,
    rounding_account=3740,
    accounts=(
        (1510, "Kundfordringar"),
        (1930, "Företagskonto/checkkonto/affärskonto"),
        (2081, "Aktiekapital"),
        (2440, "Leverantörsskulder"),
        (2611, "Utgående moms på försäljning inom Sverige, 25 %"),
        (2621, "Utgående moms på försäljning inom Sverige, 12 %"),
        (2631, "Utgående moms på försäljning inom Sverige, 6 %"),
        (2641, "Debiterad ingående moms"),
        (3001, "Försäljning inom Sverige, 25 % moms"),
        (3002, "Försäljning inom Sverige, 12 % moms"),
        (3003, "Försäljning inom Sverige, 6 % moms"),
        (3004, "Försäljning inom Sverige, momsfri"),
        (3740, "Öres- och kronutjämning"),
        (4010, "Inköp av varor och material"),
        (5010, "Lokalhyra"),
        (6570, "Bankkostnader"),
        (7010, "Löner till kollektivanställda"),
    ),
    terms_of_payment=(("30 dagar netto", 30), ("10 dagar netto", 10), ("Kontant", 0)),
    units=(("st", "Styck", "st"), ("h", "Timme", "h"), ("kg", "Kilogram", "kg")),
    settings={"Address1": "Storgatan 1", "PostalCode": "111 22", "City": "Stockholm"},
    only=frozenset(
        {
            "update_rot_rut_settings",
            "get_document",
            "list_foreign_payment_codes",
            "get_foreign_payment_code",
        }
    ),
)

# Norway. Currency NOK. VAT 25/15/12/0 (Merverdiavgiftsloven §§ 5-1 to 5-3; 15 % food,
# 12 % transport/hotels). Chart of accounts: NS 4102 (Norsk Standard kontoplan). Totals rounded to
# whole kroner (øreavrunding, eAccounting NO default).
NO = Region(
    code="no",
    country="NO",
    company="Emulator Norge AS",
    currency="NOK",
    round_total_to_whole=True,
    vat=(
        VatRate("3", "Utgående mva, høy sats 25 %", 25.0, 2700, 3000),
        VatRate("31", "Utgående mva, middels sats 15 %", 15.0, 2701, 3010),
        VatRate("33", "Utgående mva, lav sats 12 %", 12.0, 2702, 3020),
        VatRate("5", "Innenlands omsetning fritatt for mva", 0.0, None, 3100),
    ),
    input_vat_account=2710,
    receivables_account=1500,
    payables_account=2400,
    bank_account=1920,
    purchases_account=4000,
    rounding_account=7770,
    accounts=(
        (1500, "Kundefordringer"),
        (1920, "Bankinnskudd"),
        (2000, "Aksjekapital"),
        (2400, "Leverandørgjeld"),
        (2700, "Utgående merverdiavgift, høy sats"),
        (2701, "Utgående merverdiavgift, middels sats"),
        (2702, "Utgående merverdiavgift, lav sats"),
        (2710, "Inngående merverdiavgift, høy sats"),
        (3000, "Salgsinntekt, avgiftspliktig"),
        (3010, "Salgsinntekt, avgiftspliktig, middels sats"),
        (3020, "Salgsinntekt, avgiftspliktig, lav sats"),
        (3100, "Salgsinntekt, avgiftsfri"),
        (4000, "Innkjøp av råvarer og halvfabrikata"),
        (6300, "Leie lokale"),
        (7770, "Bank- og kortgebyrer"),
    ),
    terms_of_payment=(("14 dager netto", 14), ("30 dager netto", 30), ("Kontant", 0)),
    units=(("stk", "Stykk", "stk"), ("t", "Time", "t"), ("kg", "Kilogram", "kg")),
    settings={"Address1": "Karl Johans gate 1", "PostalCode": "0154", "City": "Oslo"},
    only=frozenset(
        {
            "create_payment_voucher",
            "list_foreign_payment_codes",
            "get_foreign_payment_code",
            "list_voucher_relations",
            "create_over_under_payment_voucher",
        }
    ),
)

# Netherlands. Currency EUR. BTW 21/9/0 (Wet op de omzetbelasting 1968, art. 9). Chart of
# accounts: a small-business subset of the Referentie GrootboekSchema (RGS 3.x). No rounding of
# totals (cash rounding to 5 cents applies only to cash payments).
NL = Region(
    code="nl",
    country="NL",
    company="Emulator Nederland B.V.",
    currency="EUR",
    round_total_to_whole=False,
    vat=(
        VatRate("1", "BTW hoog 21%", 21.0, 1500, 8000),
        VatRate("2", "BTW laag 9%", 9.0, 1510, 8010),
        VatRate("0", "BTW 0%", 0.0, None, 8020),
    ),
    input_vat_account=1520,
    receivables_account=1300,
    payables_account=1600,
    bank_account=1100,
    purchases_account=7000,
    rounding_account=8990,
    accounts=(
        (1100, "Bank"),
        (1300, "Debiteuren"),
        (1500, "Af te dragen btw hoog"),
        (1510, "Af te dragen btw laag"),
        (1520, "Voorbelasting"),
        (1600, "Crediteuren"),
        (7000, "Inkoopwaarde van de omzet"),
        (4300, "Huisvestingskosten"),
        (8000, "Omzet hoog"),
        (8010, "Omzet laag"),
        (8020, "Omzet 0%"),
        (8990, "Afrondingsverschillen"),
    ),
    terms_of_payment=(("30 dagen", 30), ("14 dagen", 14), ("Contant", 0)),
    units=(("st", "Stuk", "st"), ("u", "Uur", "u"), ("kg", "Kilogram", "kg")),
    settings={"Address1": "Damrak 1", "PostalCode": "1012 LG", "City": "Amsterdam"},
    balance_sheet_below=4000,  # RGS: classes 0-3 balance sheet, 4-9 profit and loss
    only=frozenset(
        {
            "list_standard_accounts",
            "list_account_types",
            "create_payment_voucher",
            "get_document",
            "list_voucher_relations",
            "create_over_under_payment_voucher",
        }
    ),
)

# Finland. Currency EUR. ALV 25.5/14/13.5/10/0 (Arvonlisäverolaki 1501/1993 §84-85a as amended:
# general rate 25.5 % since 2024-09-01; 14 % for medicines, books, passenger transport,
# accommodation and culture since 2025-01-01; food/restaurant rate 13.5 % since 2026-01-01;
# 10 % for newspapers and periodicals). Chart of accounts: the common Finnish small-business
# tililuettelo. No rounding of totals.
FI = Region(
    code="fi",
    country="FI",
    company="Emulator Suomi Oy",
    currency="EUR",
    round_total_to_whole=False,
    vat=(
        VatRate("25.5", "ALV 25,5 %", 25.5, 2939, 3000),
        VatRate("14", "ALV 14 %", 14.0, 2936, 3005),
        VatRate("13.5", "ALV 13,5 %", 13.5, 2938, 3010),
        VatRate("10", "ALV 10 %", 10.0, 2937, 3020),
        VatRate("0", "ALV 0 %", 0.0, None, 3030),
    ),
    input_vat_account=1763,
    receivables_account=1700,
    payables_account=2871,
    bank_account=1910,
    purchases_account=4000,
    rounding_account=8590,
    accounts=(
        (1700, "Myyntisaamiset"),
        (1763, "Arvonlisäverosaamiset"),
        (1910, "Pankkitili"),
        (2871, "Ostovelat"),
        (2936, "Arvonlisäverovelka 14 %"),
        (2937, "Arvonlisäverovelka 10 %"),
        (2938, "Arvonlisäverovelka 13,5 %"),
        (2939, "Arvonlisäverovelka 25,5 %"),
        (3000, "Myynti 25,5 %"),
        (3005, "Myynti 14 %"),
        (3010, "Myynti 13,5 %"),
        (3020, "Myynti 10 %"),
        (3030, "Myynti 0 %"),
        (4000, "Ostot"),
        (8590, "Pyöristyserot"),
    ),
    terms_of_payment=(("14 päivää netto", 14), ("30 päivää netto", 30), ("Käteinen", 0)),
    units=(("kpl", "Kappale", "kpl"), ("h", "Tunti", "h"), ("kg", "Kilogramma", "kg")),
    settings={"Address1": "Mannerheimintie 1", "PostalCode": "00100", "City": "Helsinki"},
    only=frozenset({"list_voucher_relations", "create_over_under_payment_voucher"}),
)

REGIONS: dict[str, Region] = {r.code: r for r in (SE, NO, NL, FI)}

#: Operations gated to some regions: operationId → regions that serve it.
GATED: dict[str, frozenset[str]] = {}
for _r in REGIONS.values():
    for _op in _r.only:
        GATED[_op] = GATED.get(_op, frozenset()) | {_r.code}

COUNTRIES: tuple[tuple[str, str, bool], ...] = (
    ("SE", "Sweden", True),
    ("NO", "Norway", False),
    ("NL", "Netherlands", True),
    ("FI", "Finland", True),
    ("DK", "Denmark", True),
    ("DE", "Germany", True),
    ("GB", "United Kingdom", False),
    ("US", "United States", False),
)


def check_gates(
    operation_ids: Collection[str], gated: Mapping[str, frozenset[str]] = GATED
) -> None:
    """Refuse region gates naming operations the spec does not have (renamed or removed
    upstream): such a gate would silently gate nothing."""
    unknown = sorted(set(gated) - set(operation_ids))
    if unknown:
        listed = ", ".join(f"{op} ({'/'.join(sorted(gated[op]))} only)" for op in unknown)
        raise ValueError(
            "the emulator's region gates (eaccounting.testing.regions, Region.only) name "
            f"operations the effective spec does not have: {listed}"
        )


def get_region(code: str) -> Region:
    """The region for ``code`` (se, no, nl, fi), with a clear error otherwise."""
    try:
        return REGIONS[code.lower()]
    except KeyError:
        raise ValueError(
            f"region={code!r} is not supported; expected one of {sorted(REGIONS)}"
        ) from None
