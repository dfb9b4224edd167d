#!/usr/bin/env python3
"""One batch of 1,000 convertible prices against the same 1,000 as separate
sequential requests, on the same server; and a streamed batch's first line
against its last.

"Price only" is asked for as `convertibles.profile` with one share price: one
1,000-step lattice rollback giving price, bond floor, parity and the tree's
delta, without the price operation's bumped greeks and half-step convergence
run. The 1,000 notes differ in share price (10.00 to 19.99) and otherwise are
the README's CleanSpark-like note.

    python3 bench/batch.py http://127.0.0.1:18500 [rounds]

Prints each round's times and the medians. Standard library only.
"""

import http.client
import json
import statistics
import sys
import time
import urllib.parse

NOTE = {
    "issue_date": "2025-12-15",
    "maturity_date": "2032-12-15",
    "valuation_date": "2025-12-15",
    "conversion_price": 19.16,
    "volatility": 0.6,
    "risk_free_rate": 0.04,
    "credit_spread": 0.05,
    "steps": 1000,
}
PATH = "/v1/convertibles/profile"
N = 1000


def bodies():
    return [dict(NOTE, stock_prices=[round(10 + i / 100, 2)]) for i in range(N)]


def connect(base):
    url = urllib.parse.urlparse(base)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=600)


def post(conn, path, body, accept="application/json"):
    data = json.dumps(body).encode()
    conn.request(
        "POST", path, body=data,
        headers={"content-type": "application/json", "accept": accept},
    )
    return conn.getresponse()


def separate(base, items):
    conn = connect(base)
    started = time.perf_counter()
    for body in items:
        res = post(conn, PATH, body)
        res.read()
        assert res.status == 200, res.status
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def batch_request(items):
    return {
        "items": [
            {"id": str(i), "operation": "convertibles.profile", "body": body}
            for i, body in enumerate(items)
        ]
    }


def batch(base, items):
    conn = connect(base)
    request = batch_request(items)
    started = time.perf_counter()
    res = post(conn, "/v1/batch", request)
    answer = json.loads(res.read())
    elapsed = time.perf_counter() - started
    assert res.status == 200, res.status
    assert all(r["status"] == 200 for r in answer["results"])
    conn.close()
    return elapsed


def streamed(base, items):
    """Seconds to the first NDJSON line and to the last."""
    conn = connect(base)
    request = batch_request(items)
    started = time.perf_counter()
    res = post(conn, "/v1/batch", request, accept="application/x-ndjson")
    assert res.status == 200, res.status
    first = None
    lines = 0
    for line in res:
        if first is None:
            first = time.perf_counter() - started
        assert json.loads(line)["status"] == 200
        lines += 1
    total = time.perf_counter() - started
    assert lines == len(items), lines
    conn.close()
    return first, total


def main():
    base = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    items = bodies()
    # Warm up: page in the binary and the pools.
    separate(base, items[:50])
    batch(base, items[:50])
    rows = []
    for r in range(rounds):
        sep = separate(base, items)
        bat = batch(base, items)
        first, total = streamed(base, items)
        rows.append((sep, bat, first, total))
        print(
            f"round {r + 1}: separate {sep:.3f} s, batch {bat:.3f} s "
            f"({sep / bat:.2f}x); ndjson first line {first * 1000:.1f} ms, "
            f"last {total:.3f} s",
            flush=True,
        )
    med = [statistics.median(col) for col in zip(*rows)]
    sep, bat, first, total = med
    print(
        f"median of {rounds}: separate {sep:.3f} s, batch {bat:.3f} s, "
        f"speed-up {statistics.median(s / b for s, b, _, _ in rows):.2f}x; "
        f"ndjson first line {first * 1000:.1f} ms of {total:.3f} s"
    )


if __name__ == "__main__":
    main()
