"""Independent check of the exact engine (crates/core/src/convertible/monte_carlo.rs).

A few lines of numpy, written apart from the Rust engine: its own weekday
calendar (Python's datetime), its own random stream (numpy's PCG64), the
same N-of-M rule read from the indenture's words. It prices the no-spread
cases of issue 15's grid, where TF is plain Black-Scholes:

  CleanSpark-like 0% note, 52.1832 shares per $1,000, valued 2025-12-15,
  maturity 2032-02-15, r = 4%, no dividends, no spread; the issuer may call
  at 100 from 2029-02-20 on a day when the stock closed at or above 130% of
  the conversion price on at least 20 of the 30 trading days before it;
  the holder then takes the better of conversion and 100. Trading days are
  weekdays; days before the valuation date count as below the trigger.

The Rust engine calls only when the note is worth more than the call price
plus accrued, which here differs from "call whenever the test passes" only
on a path whose stock fell from 130% to below the conversion price within
ten days: 0.003 per 100 at vol 0.65 in a prototype of this script.

Variance reduction: antithetic pairs, and two control variates read where
each path stops, the discounted stock and the Black-Scholes value of the
European note (both martingales). The standard error is that of the
adjusted pair means.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy
    /tmp/venv/bin/python bench/convertible_daily_mc.py            # 2^17 paths a case, ~3 min
"""

import datetime as dt
import math
import sys

import numpy as np

VALUATION = dt.date(2025, 12, 15)
MATURITY = dt.date(2032, 2, 15)
CALL_FROM = dt.date(2029, 2, 20)
SHARES = 5.21832  # per 100 of face
CONVERSION_PRICE = 1000 / 52.1832
STRIKE = 100 / SHARES
R = 0.04
TRIGGER = 1.3 * CONVERSION_PRICE
NEEDED, WINDOW = 20, 30


def trading_days():
    days, d = [], VALUATION + dt.timedelta(days=1)
    while d < MATURITY:
        if d.weekday() < 5:
            days.append(d)
        d += dt.timedelta(days=1)
    return days + [MATURITY]


def ncdf(x):
    return 0.5 * (1 + np.vectorize(math.erf)(np.asarray(x, dtype=float) / math.sqrt(2)))


def european(s, t, T, vol):
    """E_t of the European note's payoff discounted to time 0 (a martingale)."""
    left = np.maximum(T - t, 0.0)
    live = left > 0
    sd = vol * np.sqrt(np.where(live, left, 1.0))
    d1 = (np.log(s / STRIKE) + (R + 0.5 * vol * vol) * left) / sd
    n1 = np.where(live, ncdf(d1), (s >= STRIKE) * 1.0)
    n2 = np.where(live, ncdf(-(d1 - sd)), (s < STRIKE) * 1.0)
    return np.exp(-R * t) * SHARES * s * n1 + 100 * math.exp(-R * T) * n2


def price(vol, s0, paths, seed):
    days = trading_days()
    t = np.array([(d - VALUATION).days / 365 for d in days])
    dts = np.diff(np.concatenate([[0.0], t]))
    T = t[-1]
    rng = np.random.default_rng(seed)
    half = paths // 2
    log_s = np.full(paths, math.log(s0))
    alive = np.ones(paths, bool)
    window = np.zeros((WINDOW, paths), bool)
    count = np.zeros(paths, np.int32)
    value = np.zeros(paths)
    stop_s = np.zeros(paths)
    stop_t = np.full(paths, T)
    for k, d in enumerate(days):
        z = rng.standard_normal(half)
        z = np.concatenate([z, -z])
        log_s += (R - 0.5 * vol * vol) * dts[k] + vol * math.sqrt(dts[k]) * z
        s = np.exp(log_s)
        if d >= CALL_FROM and k < len(days) - 1:
            called = alive & (count >= NEEDED)
            value[called] = np.maximum(SHARES * s[called], 100) * math.exp(-R * t[k])
            stop_s[called], stop_t[called] = s[called], t[k]
            alive &= ~called
        above = log_s >= math.log(TRIGGER)
        count += above.astype(np.int32) - window[k % WINDOW]
        window[k % WINDOW] = above
    value[alive] = np.maximum(SHARES * s[alive], 100) * math.exp(-R * T)
    stop_s[alive] = s[alive]

    def pair(y):
        return 0.5 * (y[:half] + y[half:])

    v = pair(value)
    a = pair(stop_s * np.exp(-R * stop_t)) - s0
    b = pair(european(stop_s, stop_t, T, vol)) - european(np.array([s0]), 0.0, T, vol)[0]
    x = np.column_stack([np.ones(half), a, b])
    beta = np.linalg.lstsq(x, v, rcond=None)[0]
    residual = v - a * beta[1] - b * beta[2]
    return residual.mean(), residual.std(ddof=3) / math.sqrt(half)


def main():
    paths = int(sys.argv[1]) if len(sys.argv) > 1 else 1 << 17
    print(f"paths {paths}, seed 15 + case index; vol, spot, price per 100, standard error")
    case = 0
    for vol in (0.45, 0.65, 0.85):
        for s0 in (10.0, 15.03, 22.0):
            p, se = price(vol, s0, paths, 15 + case)
            print(f"{vol:.2f} {s0:6.2f} {p:9.4f} {se:.4f}", flush=True)
            case += 1


if __name__ == "__main__":
    main()
