"""Calls a running infraval server through the Python client that
openapi-python-client generated from openapi/openapi.json, and checks the
typed results.

Run by .ci/python-client, which generates the client, starts the server with
an API key and sets INFRAVAL_URL and INFRAVAL_API_KEY.
"""

import datetime
import math
import os
import sys

from infraval_client import AuthenticatedClient
from infraval_client.api.colocation import colocation_arr
from infraval_client.api.convertibles import (
    convertible_capped_call,
    convertible_dilution,
    convertible_hedge,
    convertible_price,
)
from infraval_client.models import (
    ArrRequest,
    ArrAnswer,
    CappedCallPriceRequest,
    CappedCallPriceAnswer,
    ConvergenceResponse,
    CreditModel,
    DilutionRequest,
    HedgeRequest,
    HedgeAnswer,
    PowerBillResponse,
    PriceRequest,
    PriceAnswer,
    Meta,
    Problem,
    SettlementMethod,
    SolvedFor,
)
from infraval_client.types import Unset

URL = os.environ["INFRAVAL_URL"]
KEY = os.environ["INFRAVAL_API_KEY"]

checks = []


def check(name, condition, shown):
    checks.append((name, bool(condition), shown))


def number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def colocation_arr_with_its_power_bill(client):
    request = ArrRequest(it_capacity_mw=250, rate_per_kw_month=133.33, pue=1.3, power_price_per_mwh=45)
    response = colocation_arr.sync_detailed(client=client, body=request)
    arr = response.parsed
    check("arr: 200 and an ArrAnswer", response.status_code == 200 and isinstance(arr, ArrAnswer), response.content)
    # Every answer carries its provenance: a typed Meta whose input_hash is a
    # SHA-256 in hex, and the list of defaulted inputs. The generated model
    # fills occupancy with the spec's declared default (1) and sends it, so
    # nothing was left to the server to default.
    check("arr: meta is a typed Meta", isinstance(arr.meta, Meta), arr.meta)
    check(
        "arr: input_hash is 64 hex digits",
        len(arr.meta.input_hash) == 64 and all(c in "0123456789abcdef" for c in arr.meta.input_hash),
        arr.meta.input_hash,
    )
    check("arr: the client sent the declared default, so no assumptions", arr.assumptions == [], arr.assumptions)
    # 250 MW x 1,000 kW x $133.33 x 12 = $399,990,000 (seed-figures.md).
    check("arr: the seed figure", number(arr.arr) and arr.arr == 399_990_000, arr.arr)
    check("arr: solved is the enum", arr.solved is SolvedFor.ARR, arr.solved)
    # Leased kW x PUE x 8,760 h / 1,000: 250,000 x 1.3 x 8.76 = 2,847,000 MWh; x $45.
    bill = arr.power_bill
    check("arr: the power bill is a typed object", isinstance(bill, PowerBillResponse), bill)
    check("arr: energy", bill.energy_mwh_per_year == 2_847_000, bill.energy_mwh_per_year)
    check("arr: annual power cost", bill.annual_cost == 128_115_000, bill.annual_cost)


def convertible_price_of_the_2032_notes(client):
    request = PriceRequest(
        issue_date=datetime.date(2025, 12, 15),
        maturity_date=datetime.date(2032, 12, 15),
        valuation_date=datetime.date(2025, 12, 15),
        conversion_rate=52.1832,
        stock_price=15.03,
        volatility=0.6,
        risk_free_rate=0.04,
        credit_spread=0.05,
    )
    response = convertible_price.sync_detailed(client=client, body=request)
    price = response.parsed
    check("price: 200 and a PriceAnswer", response.status_code == 200 and isinstance(price, PriceAnswer), response.content)
    # tests/data/convertibles.json, base: a textbook 1,000-step TF tree gives 103.67754.
    check("price: within 0.5% of the textbook tree", abs(price.price_per_100 - 103.67754) / 103.67754 < 0.005, price.price_per_100)
    # 100 x exp(-(0.04 + 0.05) x 2,557 / 365): 2,557 days from 2025-12-15 to 2032-12-15.
    floor = 100 * math.exp(-(0.04 + 0.05) * 2557 / 365)
    check("price: the bond floor in closed form", abs(price.bond_floor_per_100 - floor) < 1e-6, price.bond_floor_per_100)
    check("price: the default model is the enum", price.model is CreditModel.TSIVERIOTIS_FERNANDES, price.model)
    check("price: steps is an int", isinstance(price.steps, int) and price.steps == 1000, price.steps)
    convergence = price.convergence
    check("price: convergence is a typed object", isinstance(convergence, ConvergenceResponse), convergence)
    check("price: half the steps", convergence.half_steps == 500, convergence.half_steps)


def capped_call_of_the_2030_notes(client):
    request = CappedCallPriceRequest(
        stock_price=12.33,
        volatility=0.65,
        risk_free_rate=0.04,
        cap_price=24.66,
        valuation_date=datetime.date(2024, 12, 17),
        expiry_date=datetime.date(2030, 6, 15),
        principal=650_000_000,
        conversion_rate=67.5858,
    )
    response = convertible_capped_call.sync_detailed(client=client, body=request)
    value = response.parsed
    check("capped call: 200 and a CappedCallPriceAnswer", response.status_code == 200 and isinstance(value, CappedCallPriceAnswer), response.content)
    # Black-Scholes written out: 2,006 days, lower strike 1,000 / 67.5858.
    t = 2006 / 365
    n = lambda x: 0.5 * math.erfc(-x / math.sqrt(2))

    def call(k):
        d1 = (math.log(12.33 / k) + (0.04 + 0.65**2 / 2) * t) / (0.65 * math.sqrt(t))
        return 12.33 * n(d1) - k * math.exp(-0.04 * t) * n(d1 - 0.65 * math.sqrt(t))

    expected = call(1000 / 67.5858) - call(24.66)
    check("capped call: the closed-form call spread", abs(value.value_per_share - expected) < 1e-6, value.value_per_share)
    check("capped call: the underlying shares", value.shares == 43_930_770, value.shares)


def hedge_of_the_2032_notes(client):
    request = HedgeRequest(
        issue_date=datetime.date(2025, 12, 15),
        maturity_date=datetime.date(2032, 12, 15),
        valuation_date=datetime.date(2025, 12, 15),
        conversion_rate=52.1832,
        stock_price=15.03,
        volatility=0.6,
        risk_free_rate=0.04,
        credit_spread=0.05,
        position_face=10_000_000,
        stock_borrow_rate=0.01,
        short_rebate_rate=0.035,
        financing_rate=0.05,
        haircut=0.2,
        holding_period_days=30,
    )
    response = convertible_hedge.sync_detailed(client=client, body=request)
    hedge = response.parsed
    check("hedge: 200 and a HedgeAnswer", response.status_code == 200 and isinstance(hedge, HedgeAnswer), response.content)
    check("hedge: a zero coupon earns no coupon", hedge.coupon_per_day == 0, hedge.coupon_per_day)
    check("hedge: capital is the haircut of the bond", abs(hedge.capital - 0.2 * hedge.bond_value) <= 0.01, hedge.capital)


def dilution_with_share_prices_out_of_order(client):
    request = DilutionRequest(
        principal=1_150_000_000,
        conversion_rate=52.1832,
        basic_shares_outstanding=280_000_000,
        share_prices=[10, 30, 20],
        settlement=SettlementMethod.NET_SHARE,
    )
    response = convertible_dilution.sync_detailed(client=client, body=request)
    problem = response.parsed
    check("dilution: 422 and a Problem", response.status_code == 422 and isinstance(problem, Problem), response.content)
    check("dilution: the code", problem.code == "not_increasing", problem.code)
    check("dilution: the field at fault", problem.field == "share_prices[2]", problem.field)
    check("dilution: the status is an int", problem.status == 422, problem.status)
    check("dilution: the request id", isinstance(problem.request_id, str) and not isinstance(problem.request_id, Unset), problem.request_id)


def without_the_key(_client):
    wrong = AuthenticatedClient(base_url=URL, token=KEY + "!")
    response = colocation_arr.sync_detailed(client=wrong, body=ArrRequest(it_capacity_mw=250, rate_per_kw_month=133.33))
    problem = response.parsed
    check("a wrong key: 401 and a Problem", response.status_code == 401 and isinstance(problem, Problem), response.content)
    check("a wrong key: the code", problem.code == "unauthorized", problem.code)


def main():
    client = AuthenticatedClient(base_url=URL, token=KEY, raise_on_unexpected_status=True)
    for case in (
        colocation_arr_with_its_power_bill,
        convertible_price_of_the_2032_notes,
        capped_call_of_the_2030_notes,
        hedge_of_the_2032_notes,
        dilution_with_share_prices_out_of_order,
        without_the_key,
    ):
        try:
            case(client)
        except Exception as error:  # a crash in the generated code fails its case
            check(f"{case.__name__}: ran", False, repr(error))
    failed = [c for c in checks if not c[1]]
    for name, _, shown in failed:
        print(f"FAILED {name}: {shown!r}", file=sys.stderr)
    print(f"roundtrip: {len(checks) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
