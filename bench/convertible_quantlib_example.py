"""QuantLib's own convertible-bond example, for the lattice's regression test
of calls on coupon dates (issue 17, item 3; crates/core/tests/convertible_peers.rs).

The terms of QuantLib's Examples/ConvertibleBonds, without its puts and
discrete dividends (which the test leaves out too) and at spread 0, so that
QuantLib's blended discounting and Tsiveriotis-Fernandes agree: a 5% annual
coupon on 30/360, issued and valued 2026-03-16, maturing 2031-03-17 (the
first period, 2026-03-16 to 2027-03-17, is 361/360 of a year); calls at 101.5
(clean) on 2028-03-17 and 100.85 on 2030-03-17, both coupon dates, hard or
soft with a trigger of 1.2 x the conversion price; S = 36, vol 20%, r 6%,
q 2% (flat, continuous, Act/365F), 100/36 shares per 100 of face.

QuantLib pays the coupon due on a call date to every holder, also to one
forced to convert, and decides the call on the price with nothing accrued.
Its soft-call value swings with the step count, as its trigger falls between
node layers; the script prints it at several counts, with their mean and
range. "+1 day" moves both calls a day past the coupon dates.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install QuantLib
    /tmp/venv/bin/python bench/convertible_quantlib_example.py
"""
import statistics

import QuantLib as ql


def price(steps, soft, shift_days=0):
    today = ql.Date(16, 3, 2026)
    ql.Settings.instance().evaluationDate = today
    maturity = ql.Date(17, 3, 2031)
    dc = ql.Actual365Fixed()
    cal = ql.NullCalendar()
    dates = [today] + [ql.Date(17, 3, y) for y in range(2027, 2032)]
    schedule = ql.Schedule(dates, cal, ql.Unadjusted)
    callability = ql.CallabilitySchedule()
    for year, call_price in [(2028, 101.5), (2030, 100.85)]:
        date = ql.Date(17, 3, year) + shift_days
        bond_price = ql.BondPrice(call_price, ql.BondPrice.Clean)
        if soft:
            callability.append(ql.SoftCallability(bond_price, date, 1.20))
        else:
            callability.append(ql.Callability(bond_price, ql.Callability.Call, date))
    exercise = ql.AmericanExercise(today, maturity)
    bond = ql.ConvertibleFixedCouponBond(exercise, 100.0 / 36.0, callability, today, 0, [0.05],
                                         ql.Thirty360(ql.Thirty360.BondBasis), schedule, 100.0)
    spot = ql.QuoteHandle(ql.SimpleQuote(36.0))
    rate = ql.YieldTermStructureHandle(ql.FlatForward(today, 0.06, dc, ql.Continuous))
    dividend = ql.YieldTermStructureHandle(ql.FlatForward(today, 0.02, dc, ql.Continuous))
    vol = ql.BlackVolTermStructureHandle(ql.BlackConstantVol(today, cal, 0.20, dc))
    process = ql.BlackScholesMertonProcess(spot, dividend, rate, vol)
    spread = ql.QuoteHandle(ql.SimpleQuote(0.0))
    bond.setPricingEngine(
        ql.BinomialCRRConvertibleEngine(process, steps, spread, ql.DividendSchedule()))
    return bond.NPV()


def main():
    print(f"QuantLib {ql.__version__}")
    steps = list(range(4000, 10001, 500))
    for name, soft, shift in [("hard calls", False, 0), ("soft calls", True, 0),
                              ("hard calls +1 day", False, 1)]:
        values = [price(n, soft, shift) for n in steps]
        for n, v in zip(steps, values):
            print(f"{name:>18} {n:>6} steps: {v:.6f}")
        print(f"{name:>18} over {steps[0]}..{steps[-1]} steps: mean {statistics.mean(values):.6f}, "
              f"range {min(values):.6f} to {max(values):.6f}")


if __name__ == "__main__":
    main()
