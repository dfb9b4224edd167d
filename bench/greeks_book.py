#!/usr/bin/env python3
"""Issue 18's book with greeks, the way a user meets it: 1,000 CleanSpark-like
soft-callable notes (0%, 52.1832 shares per $1,000, 2025-12-15 to
2032-12-15, callable from 2029-01-01 at par when the stock is at least 130% of
the conversion price), each a full `convertibles.price` answer (price, delta,
gamma, theta from the tree; vega, rho, CS01 by bumps; the half-step
convergence run) at the default steps (2,000 for a callable note, aligned
to 1,985 by the call date), in one `POST /v1/batch`.

    python3 bench/greeks_book.py http://127.0.0.1:18500 [rounds]

Prints each round's wall time, the median and the spread, then the median of
60 single full answers sent one after another. Standard library only.
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
    "conversion_rate": 52.1832,
    "volatility": 0.6,
    "risk_free_rate": 0.04,
    "credit_spread": 0.05,
    "call_schedule": [
        {"from_date": "2029-01-01", "to_date": "2032-12-15", "price": 100, "trigger": 1.3}
    ],
}
N = 1000


def main():
    url = urllib.parse.urlparse(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    items = [
        {"id": f"n{i}", "operation": "convertibles.price",
         "body": dict(NOTE, stock_price=round(10 + i * 15 / N, 3))}
        for i in range(N)
    ]
    body = json.dumps({"items": items})
    times = []
    for r in range(rounds):
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
        start = time.perf_counter()
        conn.request("POST", "/v1/batch", body, {"content-type": "application/json"})
        res = conn.getresponse()
        answer = json.loads(res.read())
        elapsed = time.perf_counter() - start
        conn.close()
        ok = sum(1 for x in answer["results"] if x["status"] == 200)
        assert res.status == 200 and ok == N, (res.status, ok)
        greeks = ("delta_per_100", "gamma_per_100", "theta_per_100_per_day",
                  "vega_per_100", "rho_per_100_per_bp", "cs01_per_100_per_bp")
        assert all(x["body"].get(g) is not None for x in answer["results"] for g in greeks)
        times.append(elapsed)
        print(f"round {r + 1}: {elapsed:.3f} s for {ok} notes with greeks")
    print(f"median: {statistics.median(times):.3f} s, spread {min(times):.3f} to {max(times):.3f} s")
    # One full answer at a time on a keep-alive connection: the cost of one
    # answer (a single request runs on one core).
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    single = json.dumps(dict(NOTE, stock_price=15.03))
    each = []
    for _ in range(60):
        start = time.perf_counter()
        conn.request("POST", "/v1/convertibles/price", single,
                     {"content-type": "application/json"})
        res = conn.getresponse()
        res.read()
        each.append(time.perf_counter() - start)
        assert res.status == 200, res.status
    conn.close()
    print(f"one full answer, sequential: median {1e3 * statistics.median(each):.2f} ms of 60")


if __name__ == "__main__":
    main()
