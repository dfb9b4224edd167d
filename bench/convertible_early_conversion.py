"""Independent check of early conversion under a dividend yield.

A numpy Tsiveriotis-Fernandes binomial tree written apart from the Rust
lattice and the exact engine (crates/core/src/convertible/): its own
Cox-Ross-Rubinstein tree on the stock with the yield in the drift, its own
rollback and conversion rule, Richardson-extrapolated over two step counts.
It prices the notes of bench/RESULTS.md's "Early conversion on dividend
payers" table:

  0% note, 52.1832 shares per $1,000, valued 2025-12-15, maturity
  2032-02-15 (2,253 days, Act/365F), r = 4%, no call, convertible at any
  time; at maturity the holder takes max(100, conversion value).

At each node the holder converts when the conversion value beats holding:
V = max(N S, hold). Tsiveriotis-Fernandes splits the holding value into a
cash part (the redemption, discounted at r + s) and an equity part
(discounted at r); on conversion the whole value is equity. Without a
spread this is the American exchange option priced under Black-Scholes,
and it is compared with the European note (held to maturity, closed form)
to show the early-conversion premium the yield creates.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy
    /tmp/venv/bin/python bench/convertible_early_conversion.py     # a few seconds
"""

import math

import numpy as np

SHARES = 5.21832  # per 100 of face
R = 0.04
T = 2253 / 365  # 2025-12-15 to 2032-02-15


def tf_tree(s0, vol, q, spread, steps):
    """The note per 100 on a CRR tree of `steps` steps."""
    dt = T / steps
    u = math.exp(vol * math.sqrt(dt))
    d = 1 / u
    p = (math.exp((R - q) * dt) - d) / (u - d)
    assert 0 < p < 1, p
    disc_equity = math.exp(-R * dt)
    disc_cash = math.exp(-(R + spread) * dt)
    j = np.arange(steps + 1)
    stock = s0 * u ** (steps - 2 * j)  # j down-moves
    parity = SHARES * stock
    converts = parity >= 100
    equity = np.where(converts, parity, 0.0)
    cash = np.where(converts, 0.0, 100.0)
    for n in range(steps - 1, -1, -1):
        stock = s0 * u ** (n - 2 * np.arange(n + 1))
        parity = SHARES * stock
        equity = disc_equity * (p * equity[:-1] + (1 - p) * equity[1:])
        cash = disc_cash * (p * cash[:-1] + (1 - p) * cash[1:])
        convert = parity > equity + cash
        equity = np.where(convert, parity, equity)
        cash = np.where(convert, 0.0, cash)
    return equity[0] + cash[0]


def richardson(s0, vol, q, spread, steps=8000):
    """2·V(N) − V(N/2), the CRR tree's error falling about like 1/N."""
    full = tf_tree(s0, vol, q, spread, steps)
    half = tf_tree(s0, vol, q, spread, steps // 2)
    return full, 2 * full - half


def ncdf(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def european(s0, vol, q):
    """Held to maturity without a spread: 100 e^{−rT} + N × BS call(K = 100/N)."""
    k = 100 / SHARES
    sd = vol * math.sqrt(T)
    d1 = (math.log(s0 / k) + (R - q + vol * vol / 2) * T) / sd
    call = s0 * math.exp(-q * T) * ncdf(d1) - k * math.exp(-R * T) * ncdf(d1 - sd)
    return 100 * math.exp(-R * T) + SHARES * call


CASES = [
    # (yield, vol, spot, spread): the table's yield cases.
    (0.04, 0.30, 22.0, 0.0),
    (0.04, 0.30, 15.03, 0.0),
    (0.06, 0.45, 22.0, 0.03),
]


def main():
    print("| dividends | vol | spot | spread | numpy tree 8,000 | numpy Richardson | held (closed form) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for q, vol, s0, spread in CASES:
        full, extrapolated = richardson(s0, vol, q, spread)
        held = f"{european(s0, vol, q):.3f}" if spread == 0 else ""
        print(f"| yield {q:.0%} | {vol:.2f} | {s0} | {spread} | {full:.3f} | {extrapolated:.3f} | {held} |")


if __name__ == "__main__":
    main()
