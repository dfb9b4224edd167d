"""Independent Tsiveriotis-Fernandes prices by finite differences, for the
lattice's regression tests (issue 17, items 2, 3 and 4).

Written apart from the Rust lattice: no tree. The TF value V = E + C splits
into an equity part E, discounted at r, and a cash part C, discounted at
r + s; both solve the Black-Scholes equation in x = ln S,

    dE/dtau = L E - r E,   dC/dtau = L C - (r + s) C,
    L = sigma^2/2 d2/dx2 + (r - q - sigma^2/2) d/dx,

backward from maturity by Crank-Nicolson, with two fully implicit steps
after maturity and after each event (Rannacher) so that the payoff's kinks
do not ring. Events, on dates that are grid times:
- a call (dirty price K; soft: only where S >= trigger): where V > K the
  issuer calls; the holder converts if n S >= K (E = n S, C = 0), else the
  issuer pays K in cash (E = 0, C = K: the whole note moves to the cash
  part);
- a put at P: where V < P, E = 0 and C = P;
- a coupon, after the call and put decisions: added to C everywhere, so a
  holder forced to convert on a coupon date still receives that coupon;
- conversion, at every time from the conversion start: where n S > V,
  E = n S and C = 0.
At maturity V = max(100 + final coupon, n S). Decisions on a date are
averaged over each node's cell (16 points, E and C interpolated linearly),
so a threshold between nodes costs O(dx^2), not O(dx).

Each case prints the price at two grids (the second twice as fine in x and
in time) and their Richardson extrapolation, (4 V_fine - V_coarse) / 3.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy scipy
    /tmp/venv/bin/python bench/convertible_tf_pde.py
"""

import math

import numpy as np
from scipy.linalg import solve_banded

SUBCELL = 16


def cell_average(x, dx, e, c, rule):
    """rule(x, e, c) -> (e, c), applied at SUBCELL points across each node's
    cell and averaged; e and c are interpolated linearly between nodes."""
    offsets = (np.arange(SUBCELL) + 0.5) / SUBCELL - 0.5
    e_sum = np.zeros_like(e)
    c_sum = np.zeros_like(c)
    for o in offsets:
        xs = np.clip(x + o * dx, x[0], x[-1])
        e2, c2 = rule(xs, np.interp(xs, x, e), np.interp(xs, x, c))
        e_sum += e2
        c_sum += c2
    return e_sum / SUBCELL, c_sum / SUBCELL


def tf_price(note, nx, steps_per_year):
    s0, vol, r, q, spread = note["S"], note["vol"], note["r"], note["q"], note["spread"]
    n, horizon = note["shares"], note["T"]
    coupons = note.get("coupons", [])  # (t, amount per 100)
    calls = note.get("calls", [])  # (t, dirty price per 100, trigger stock or 0)
    puts = note.get("puts", [])  # (t, dirty price per 100)
    conversion_start = note.get("conversion_start", 0.0)

    width = 7.0 * vol * math.sqrt(horizon) + abs(r - q) * horizon
    half = nx // 2
    dx = width / half
    x = math.log(s0) + dx * np.arange(-half, half + 1)
    stock = np.exp(x)
    a = 0.5 * vol * vol / dx**2
    b = (r - q - 0.5 * vol * vol) / (2 * dx)
    lower, diag, upper = a - b, -2 * a, a + b

    def operator(rate):
        """(lower, diagonal, upper) of L - rate, with L = 0 on the edges."""
        lo = np.full(x.size, lower)
        di = np.full(x.size, diag - rate)
        up = np.full(x.size, upper)
        lo[-1] = up[0] = 0.0
        di[0] = di[-1] = -rate
        lo[0] = up[-1] = 0.0
        return lo, di, up

    def step(u, op, dt, theta):
        lo, di, up = op
        rhs = u + (1 - theta) * dt * (di * u + np.r_[0.0, lo[1:] * u[:-1]] + np.r_[up[:-1] * u[1:], 0.0])
        ab = np.zeros((3, u.size))
        ab[0, 1:] = -theta * dt * up[:-1]
        ab[1] = 1 - theta * dt * di
        ab[2, :-1] = -theta * dt * lo[1:]
        return solve_banded((1, 1), ab, rhs)

    op_e, op_c = operator(r), operator(r + spread)
    final = sum(amt for t, amt in coupons if abs(t - horizon) < 1e-12)
    redemption = 100.0 + final

    def terminal(xs, e, c):
        conv = n * np.exp(xs)
        converts = conv > redemption
        return np.where(converts, conv, 0.0), np.where(converts, 0.0, redemption)

    e, c = cell_average(x, dx, np.zeros_like(x), np.zeros_like(x), terminal)

    events = sorted({t for t, *_ in coupons + calls + puts if 0 < t < horizon}
                    | ({conversion_start} if 0 < conversion_start < horizon else set()))
    times = [0.0] + events + [horizon]
    for k in range(len(times) - 1, 0, -1):
        t_hi, t_lo = times[k], times[k - 1]
        m = max(4, math.ceil((t_hi - t_lo) * steps_per_year))
        dt = (t_hi - t_lo) / m
        for i in range(m):
            theta = 1.0 if i < 2 else 0.5
            e = step(e, op_e, dt, theta)
            c = step(c, op_c, dt, theta)
            t = t_hi - (i + 1) * dt
            if t >= conversion_start - 1e-12:
                conv = n * stock
                convert = conv > e + c
                e = np.where(convert, conv, e)
                c = np.where(convert, 0.0, c)
        t = t_lo
        for tc, price, trigger in calls:
            if abs(tc - t) < 1e-12:
                def call(xs, e, c, price=price, trigger=trigger):
                    s = np.exp(xs)
                    conv = n * s
                    called = (e + c > price) & (s >= trigger)
                    forced = called & (conv >= price)
                    cash = called & ~forced
                    return (np.where(forced, conv, np.where(cash, 0.0, e)),
                            np.where(forced, 0.0, np.where(cash, price, c)))
                e, c = cell_average(x, dx, e, c, call)
        for tp, price in puts:
            if abs(tp - t) < 1e-12:
                def put(xs, e, c, price=price):
                    exercised = e + c < price
                    return np.where(exercised, 0.0, e), np.where(exercised, price, c)
                e, c = cell_average(x, dx, e, c, put)
        for tc, amount in coupons:
            if abs(tc - t) < 1e-12 and t > 0:
                c = c + amount
        if t >= conversion_start - 1e-12:
            conv = n * stock
            convert = conv > e + c
            e = np.where(convert, conv, e)
            c = np.where(convert, 0.0, c)
    return float((e + c)[half])


def report(name, note, nx=2000, steps_per_year=400):
    coarse = tf_price(note, nx, steps_per_year)
    fine = tf_price(note, 2 * nx, 2 * steps_per_year)
    print(f"{name}: {coarse:.4f} ({nx} x {steps_per_year}/yr), {fine:.4f} "
          f"({2 * nx} x {2 * steps_per_year}/yr), extrapolated {(4 * fine - coarse) / 3:.4f}")


def years(days):
    return days / 365.0


def european_tf(note):
    """The closed form of a zero-coupon TF note convertible only at maturity:
    equity n S e^{-qT} N(d1) at r, cash 100 e^{-(r+s)T} N(-d2) at r + s."""
    s, vol, r, q, spread, n, t = (note[k] for k in ("S", "vol", "r", "q", "spread", "shares", "T"))
    norm = lambda z: 0.5 * math.erfc(-z / math.sqrt(2))
    d1 = (math.log(n * s / 100) + (r - q + vol * vol / 2) * t) / (vol * math.sqrt(t))
    d2 = d1 - vol * math.sqrt(t)
    return n * s * math.exp(-q * t) * norm(d1) + 100 * math.exp(-(r + spread) * t) * norm(-d2)


def main():
    # CleanSpark 0% notes due 2032 (52.1832 shares per 1,000), 2025-12-15 to
    # 2032-12-15 (2,557 days).
    cleanspark = dict(S=15.03, vol=0.6, r=0.04, q=0.0, spread=0.05, shares=5.21832, T=years(2557))
    report("item 2: CleanSpark TF, callable at 100 on 2028-12-15 only",
           dict(cleanspark, calls=[(years(1096), 100.0, 0.0)]))
    european = dict(cleanspark, conversion_start=cleanspark["T"])
    print(f"item 4: CleanSpark TF convertible only at maturity, closed form {european_tf(european):.6f}")
    report("item 4: the same by finite differences", european)

    # QuantLib's convertible-bond example: 5% annual coupon on 30/360 (the
    # first period 2026-03-16 to 2027-03-17 is 361/360 of a year), calls at
    # 101.5 on 2028-03-17 and 100.85 on 2030-03-17 (coupon dates: accrued 0),
    # S 36, vol 20%, r 6%, q 2%, 100/36 shares per 100, spread 0, valuation
    # 2026-03-16, maturity 2031-03-17 (1,827 days).
    day = {2027: 366, 2028: 732, 2029: 1097, 2030: 1462, 2031: 1827}
    example = dict(S=36.0, vol=0.2, r=0.06, q=0.02, spread=0.0, shares=100 / 36, T=years(1827),
                   coupons=[(years(day[2027]), 5 * 361 / 360)]
                   + [(years(day[y]), 5.0) for y in (2028, 2029, 2030, 2031)])
    calls = [(years(day[2028]), 101.5), (years(day[2030]), 100.85)]
    report("item 3: QuantLib example, hard calls",
           dict(example, calls=[(t, p, 0.0) for t, p in calls]))
    report("item 3: QuantLib example, soft calls (trigger 1.2 x 36)",
           dict(example, calls=[(t, p, 1.2 * 36) for t, p in calls]))


if __name__ == "__main__":
    main()
