"""Cross-checks the project model's NPV and IRR against numpy-financial.

Posts seeded random data-center projects (half of them financed) to a
running server's POST /v1/colocation/project, then recomputes, from the
cash flows the server returns, with numpy_financial (an independent
implementation):
- `npv` from `years[].cash_flow` at `discount_rate`, and `irr`;
- with financing, `financing.levered_npv` and `financing.levered_irr` from
  `financing.debt_schedule[].levered_cash_flow`.

Conventions match: numpy_financial.npv discounts values[t] by (1 + r)^t,
t = 0 undiscounted, as the model does. The server rounds each cash flow to
cents but computes NPV and IRR unrounded, so NPVs agree within half a cent
per period; IRRs are rounded to 8 decimals, and the cents move them by far
less than 1e-7.

Half the projects run with `periods: "monthly"`: their flows are
`monthly_cash_flows` (and the monthly debt schedule), discounted at the
monthly rate (1 + r)^(1/12) - 1, and the IRR the server reports is the
monthly IRR compounded to a year, (1 + irr)^12 - 1.

Usage: INFRAVAL_URL=http://127.0.0.1:8080 python bench/project_numpy_financial.py [count]
Exit status 1 if any value disagrees.
"""

import json
import os
import random
import sys
import urllib.error
import urllib.request

import numpy_financial as npf

URL = os.environ.get("INFRAVAL_URL", "http://127.0.0.1:8080")
API_KEY = os.environ.get("INFRAVAL_API_KEY")
IRR_ABS = 1e-7


def post(body):
    headers = {"content-type": "application/json"}
    if API_KEY:
        headers["authorization"] = f"Bearer {API_KEY}"
    req = urllib.request.Request(
        f"{URL}/v1/colocation/project", data=json.dumps(body).encode(), headers=headers
    )
    try:
        with urllib.request.urlopen(req) as res:
            return res.status, json.load(res)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err)


def random_project(rng):
    horizon = rng.randint(3, 30)
    body = {
        "it_capacity_mw": rng.choice([10, 50, 120, 250]),
        "cost_per_mw": rng.randint(6, 14) * 1_000_000,
        "rate_per_kw_month": round(rng.uniform(90, 180), 2),
        "lease_start_month": rng.randint(6, 30),
        "months_to_stabilize": rng.randint(1, 24),
        "stabilized_occupancy": round(rng.uniform(0.7, 1.0), 2),
        "rent_escalator": round(rng.uniform(0, 0.04), 3),
        "opex_fraction": round(rng.uniform(0.05, 0.3), 2),
        "discount_rate": round(rng.uniform(0.06, 0.14), 3),
        "horizon_years": horizon,
        "exit_cap_rate": round(rng.uniform(0.06, 0.1), 3),
    }
    if rng.random() < 0.5:
        body["periods"] = "monthly"
    if rng.random() < 0.5:
        body["financing"] = {
            "construction_loan": {
                "loan_to_cost": round(rng.uniform(0.5, 0.75), 2),
                "rate": round(rng.uniform(0.06, 0.11), 3),
                "capitalize_interest": rng.random() < 0.5,
            },
            "term_loan": {
                "rate": round(rng.uniform(0.05, 0.09), 3),
                "amortization_years": rng.randint(10, 30),
                "target_dscr": round(rng.uniform(1.2, 1.8), 2),
                "max_loan_to_value": round(rng.uniform(0.5, 0.7), 2),
                "fees": round(rng.uniform(0, 0.02), 3),
            },
        }
    return body


def check(name, ours, flows, rate, failures, label, per_year):
    rate = (1 + rate) ** (1 / per_year) - 1
    npv = npf.npv(rate, flows)
    if abs(npv - ours["npv"]) > 0.005 * len(flows) + 1e-6:
        failures.append(f"{name} {label} npv: ours {ours['npv']}, numpy-financial {npv}")
    if ours.get("irr") is not None:
        irr = (1 + npf.irr(flows)) ** per_year - 1
        if irr != irr or abs(irr - ours["irr"]) > IRR_ABS:
            failures.append(f"{name} {label} irr: ours {ours['irr']}, numpy-financial {irr}")
        return 1
    return 0


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rng = random.Random(20261201)
    failures = []
    checked = {"npv": 0, "monthly": 0, "irr": 0, "levered_npv": 0, "levered_irr": 0}
    for i in range(count):
        body = random_project(rng)
        status, out = post(body)
        if status != 200:
            # A project with no IRR answers 422 no_solution; nothing to compare.
            if out.get("code") != "no_solution":
                failures.append(f"project {i}: {status} {out}")
            continue
        monthly = body.get("periods") == "monthly"
        per_year = 12 if monthly else 1
        if monthly:
            flows = out["monthly_cash_flows"]
            checked["monthly"] += 1
        else:
            flows = [y["cash_flow"] for y in out["years"]]
        checked["npv"] += 1
        checked["irr"] += check(
            f"project {i}", {"npv": out["npv"], "irr": out["irr"]}, flows,
            body["discount_rate"], failures, "unlevered", per_year,
        )
        if "financing" in out:
            f = out["financing"]
            levered = [row["levered_cash_flow"] for row in f["debt_schedule"]]
            checked["levered_npv"] += 1
            checked["levered_irr"] += check(
                f"project {i}", {"npv": f["levered_npv"], "irr": f.get("levered_irr")},
                levered, body["discount_rate"], failures, "levered", per_year,
            )
    print(f"numpy-financial cross-check: {count} projects, compared {checked}")
    for line in failures:
        print("MISMATCH", line)
    if (
        failures
        or checked["irr"] < count // 2
        or checked["levered_irr"] < count // 5
        or checked["monthly"] < count // 5
    ):
        sys.exit(1)


if __name__ == "__main__":
    main()
