#!/usr/bin/env python3
"""Reference values of the standard normal distribution for the lattice's
norm_cdf test (crates/core/src/convertible/lattice/kernels.rs).

N(x) = (1 + erf(x / sqrt 2)) / 2 and Q(x) = 1 - N(x), with erf summed from
its Maclaurin series erf(z) = 2/sqrt(pi) * sum (-1)^n z^(2n+1) / (n! (2n+1))
in 90-digit decimal arithmetic (pi by Machin's formula): no floating point
and no libm, so independent of the code under test. The central values
agree with Abramowitz & Stegun, Table 26.1, to its 15 decimals.

Run: python3 bench/normal_cdf_reference.py
"""
from decimal import Decimal as D, getcontext

getcontext().prec = 90


def arctan_inv(n):
    x = D(1) / n
    x2, term, total, k = x * x, x, x, 1
    while True:
        term *= -x2
        k += 2
        step = term / k
        if abs(step) < D(10) ** -95:
            return total
        total += step


PI = 4 * (4 * arctan_inv(5) - arctan_inv(239))


def erf(z):
    total, term, n = D(0), z, 0
    while True:
        total += term / (2 * n + 1)
        n += 1
        term = -term * z * z / n
        if n > 10 and abs(term) < D(10) ** -85:
            return 2 / PI.sqrt() * total


for x in ["0.5", "1", "1.96", "2", "3", "5", "8"]:
    e = erf(D(x) / D(2).sqrt())
    print(f"x = {x:>4}: N(x) = {(1 + e) / 2:.20f}  Q(x) = {(1 - e) / 2:.17e}")
