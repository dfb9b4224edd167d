"""Independent check of the lattice's callable prices (crates/core/tests/convertible_convergence.rs).

A plain Cox-Ross-Rubinstein hazard-rate tree, written apart from the Rust
lattice: no tree centring, no snapping, exact comparisons S >= trigger. A call
barrier between node layers acts as if it sat on the next layer up, so the
step counts are chosen so that a layer lies only a hair above the barrier,
where such a tree converges like 1/N. The call window opens on the valuation
date, so no date falls between steps.

CleanSpark 0% 2032 notes: 52.1832 shares per 1,000, S = 15.03, vol 60%,
r = 4%, spread 5%, recovery 0, valuation 2025-12-15, maturity 2032-12-15.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy
    /tmp/venv/bin/python bench/convertible_barrier_tree.py soft   # or: hard
"""

import math
import sys

import numpy as np

R, SPREAD, RECOVERY, VOL, S0 = 0.04, 0.05, 0.0, 0.6, 15.03
H = SPREAD / (1 - RECOVERY)
SIGMA = math.sqrt(VOL * VOL - H)  # diffusion vol; total variance stays VOL^2
T = 2557 / 365
SHARES = 5.21832  # per 100 of face
CONVERSION_PRICE = 1000 / 52.1832


def barrier(case):
    trigger = 1.3 * CONVERSION_PRICE if case == "soft" else 0.0
    return trigger, max(100 / SHARES, trigger)


def steps_near(lo, hi, b):
    """The step count in [lo, hi) whose layer just above b is closest to it."""
    best = None
    for n in range(lo, hi):
        x = math.log(b / S0) / (SIGMA * math.sqrt(T / n))
        gap = math.ceil(x) - x
        if best is None or gap < best[0]:
            best = (gap, n)
    return best


def price(case, n):
    trigger, _ = barrier(case)
    dt = T / n
    u = math.exp(SIGMA * math.sqrt(dt))
    d = 1 / u
    growth, survival = math.exp(R * dt), math.exp(-H * dt)
    p_up = (growth - d * survival) / (u - d)
    p_down = (u * survival - growth) / (u - d)
    disc = math.exp(-R * dt)
    s = S0 * u ** (2 * np.arange(n + 1) - n)
    v = np.maximum(100.0, SHARES * s)
    for i in range(n - 1, -1, -1):
        s = S0 * u ** (2 * np.arange(i + 1) - i)
        v = disc * (p_up * v[1:] + p_down * v[:-1]) + disc * (1 - p_up - p_down) * RECOVERY * 100
        conv = SHARES * s
        called = (v > 100) & (s >= trigger)
        forced = np.maximum(100.0, conv) if case == "soft" else np.where(conv >= 100, conv, 100.0)
        v = np.where(called, forced, v)
        v = np.maximum(v, conv)
    return v[0]


if __name__ == "__main__":
    case = sys.argv[1] if len(sys.argv) > 1 else "soft"
    _, b = barrier(case)
    for lo, hi in [(900, 1100), (3800, 4200), (9000, 11000)]:
        gap, n = steps_near(lo, hi, b)
        print(f"{case} call, {n} steps (layer {gap:.4f} spacing above the barrier): {price(case, n):.5f}")
