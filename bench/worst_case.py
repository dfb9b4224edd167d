#!/usr/bin/env python3
"""Times the worst request each endpoint's caps allow.

Each body starts from the operation's own example in openapi/openapi.json
and pushes the documented caps to their limits (steps, grid cells, horizon,
list lengths). Run it against a release server pinned to one core:

    taskset -c 0 target/release/infraval serve --addr 127.0.0.1:18600 --workers 1 &
    python3 bench/worst_case.py http://127.0.0.1:18600

Prints the status and wall time of each request (the best of 3); every
answer should be a 200 or a documented 4xx, in under 1 s.
"""
import copy
import json
import sys
import time
import urllib.error
import urllib.request

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:18600"
SPEC = json.load(open("openapi/openapi.json"))


def example(path):
    op = SPEC["paths"][path]["post"]
    media = op["requestBody"]["content"]["application/json"]
    if "example" in media:
        return copy.deepcopy(media["example"])
    name = media["schema"]["$ref"].rsplit("/", 1)[-1]
    return copy.deepcopy(SPEC["components"]["schemas"][name]["example"])


def post(path, body):
    data = json.dumps(body).encode()
    req = urllib.request.Request(BASE + path, data=data, headers={"content-type": "application/json"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=60) as res:
            res.read()
            status = res.status
    except urllib.error.HTTPError as err:
        status = err.code
        err.read()
    return status, time.perf_counter() - start


def cases():
    long_life = {"valuation_date": "2025-12-15", "issue_date": "2025-12-15", "maturity_date": "2085-11-01"}

    price = example("/v1/convertibles/price")
    yield "convertible price, TF, 20,000 steps, 7 years", "/v1/convertibles/price", {**price, "steps": 20000}
    yield "convertible price, TF, 20,000 steps, 60 years", "/v1/convertibles/price", {**price, **long_life, "steps": 20000}
    hz = {**price, "steps": 20000, "model": "hazard_rate", "recovery_rate": 0.4, "volatility": 1.0}
    yield "convertible price, hazard rate, 20,000 steps", "/v1/convertibles/price", hz
    callable_ = {**price, "steps": 20000, "call_schedule": [{"from_date": "2028-12-15", "to_date": "2032-12-15", "price": 100, "trigger": 1.3}],
                 "put_schedule": [{"date": "2029-12-15", "price": 100}]}
    yield "convertible price, soft call + put, 20,000 steps", "/v1/convertibles/price", callable_

    implied = example("/v1/convertibles/implied")
    yield "implied volatility, 20,000 steps", "/v1/convertibles/implied", {**implied, "steps": 20000}
    implied_spread = {k: v for k, v in implied.items() if k != "credit_spread"}
    implied_spread.update({"solve_for": "credit_spread", "volatility": 0.6, "steps": 20000})
    yield "implied spread, 20,000 steps", "/v1/convertibles/implied", implied_spread

    profile = example("/v1/convertibles/profile")
    yield "profile, 500 prices at 2,000 steps", "/v1/convertibles/profile", {**profile, "stock_prices": [1 + i * 0.2 for i in range(500)], "steps": 2000}
    yield "profile, 15 prices at 20,000 steps", "/v1/convertibles/profile", {**profile, "stock_prices": [1 + i * 3 for i in range(15)], "steps": 20000}
    yield "profile, 16 prices at 20,000 steps (above the cap)", "/v1/convertibles/profile", {**profile, "stock_prices": [1 + i * 3 for i in range(16)], "steps": 20000}
    call = {"call_schedule": callable_["call_schedule"], "put_schedule": callable_["put_schedule"]}
    yield "profile, soft call + put, 15 prices at 20,000 steps", "/v1/convertibles/profile", {**profile, **call, "stock_prices": [1 + i * 3 for i in range(15)], "steps": 20000}
    hard = {"call_schedule": [{"from_date": "2026-12-15", "to_date": "2032-12-15", "price": 100}]}
    yield "profile, hard call, 45 prices at 10,000 steps", "/v1/convertibles/profile", {**profile, **hard, "stock_prices": [1 + i for i in range(45)], "steps": 10000}
    yield "profile, hard call, 500 prices at 2,000 steps", "/v1/convertibles/profile", {**profile, **hard, "stock_prices": [1 + i * 0.2 for i in range(500)], "steps": 2000}
    yield "convertible price, hard call, 20,000 steps", "/v1/convertibles/price", {**price, **hard, "steps": 20000}
    hz_hard = {**hz, **hard, "volatility": 0.6}
    yield "convertible price, hazard rate, hard call, 20,000 steps", "/v1/convertibles/price", hz_hard

    grid = example("/v1/colocation/sensitivity")
    grid["project"]["horizon_years"] = 50
    grid["rows"] = {"variable": "rate_per_kw_month", "range": {"from": 50, "to": 250, "steps": 100}}
    grid["columns"] = {"variable": "cost_per_mw", "range": {"from": 5000000, "to": 15000000, "steps": 100}}
    grid["outputs"] = ["npv", "irr", "yield_on_cost", "payback_years", "equity_multiple", "exit_value", "stabilized_noi", "development_spread", "arr"]
    yield "sensitivity, 100 x 100 cells, 50 years, 9 outputs", "/v1/colocation/sensitivity", grid

    seek = example("/v1/colocation/goal-seek")
    seek["project"]["horizon_years"] = 50
    yield "goal seek, 50-year project", "/v1/colocation/goal-seek", seek

    project = example("/v1/colocation/project")
    yield "project, 50 years", "/v1/colocation/project", {**project, "horizon_years": 50}

    dilution = example("/v1/convertibles/dilution")
    dilution["share_prices"] = {"from": 1, "to": 1000, "steps": 999}
    yield "dilution, 1,000 prices", "/v1/convertibles/dilution", dilution

    yld = example("/v1/convertibles/yield")
    yield "yield, 50 years monthly", "/v1/convertibles/yield", {**yld, "frequency": 12, "maturity_date": "2075-12-15"}

    mining = example("/v1/mining/projection")
    mining["months"] = 120
    yield "mining projection, 120 months", "/v1/mining/projection", mining

    sotp = example("/v1/valuations/sum-of-parts")
    dev = example("/v1/colocation/project")
    dev["horizon_years"] = 50
    notes = [{**sotp["scenarios"][0]["convertibles"][0], "name": f"note {i}"} for i in range(10)]
    scenarios = []
    for i in range(5):
        scenario = copy.deepcopy(sotp["scenarios"][i % len(sotp["scenarios"])])
        scenario["name"] = f"scenario {i}"
        scenario["data_centers"] = [{"name": f"site {j}", "development": dev} for j in range(50)]
        scenario["convertibles"] = notes
        scenarios.append(scenario)
    yield "sum of the parts, 5 scenarios x 50 developments (50 y) x 10 notes", "/v1/valuations/sum-of-parts", {"scenarios": scenarios}


def main():
    worst = 0.0
    print(f"{'request':55} {'status':>6} {'best of 3 (ms)':>15}")
    for name, path, body in cases():
        runs = [post(path, body) for _ in range(3)]
        status = runs[0][0]
        best = min(t for _, t in runs)
        worst = max(worst, best)
        print(f"{name:55} {status:>6} {best * 1000:>15.1f}")
    print(f"slowest: {worst * 1000:.1f} ms")


if __name__ == "__main__":
    main()
