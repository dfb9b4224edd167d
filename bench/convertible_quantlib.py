"""QuantLib's BinomialConvertibleEngine on the CleanSpark base case, timed.

Not a project dependency and not run in CI: `bench/convertible_vs_quantlib.sh`
installs QuantLib into a throwaway virtualenv and runs this beside our
criterion benchmark. Base case: 0% coupon, 2025-12-15 -> 2032-12-15,
conversion price 19.16 (100 / 19.16 shares per 100 of face), S = 15.03,
vol 60%, r = 4%, spread 5%, flat continuously compounded, Act/365F: the
reference file's `base` case (QuantLib 1.44 gives 97.903955 at 1,000 steps,
its `quantlib_blended_crr` figure).
"""
import sys
import time

import QuantLib as ql


def price(steps):
    today = ql.Date(15, 12, 2025)
    ql.Settings.instance().evaluationDate = today
    maturity = ql.Date(15, 12, 2032)
    dc = ql.Actual365Fixed()
    cal = ql.NullCalendar()
    schedule = ql.Schedule(today, maturity, ql.Period(ql.Once), cal,
                           ql.Unadjusted, ql.Unadjusted, ql.DateGeneration.Backward, False)
    exercise = ql.AmericanExercise(today, maturity)
    bond = ql.ConvertibleZeroCouponBond(exercise, 100.0 / 19.16, ql.CallabilitySchedule(),
                                        today, 0, dc, schedule, 100.0)
    spot = ql.QuoteHandle(ql.SimpleQuote(15.03))
    rate = ql.YieldTermStructureHandle(ql.FlatForward(today, 0.04, dc, ql.Continuous))
    div = ql.YieldTermStructureHandle(ql.FlatForward(today, 0.0, dc, ql.Continuous))
    vol = ql.BlackVolTermStructureHandle(ql.BlackConstantVol(today, cal, 0.6, dc))
    process = ql.BlackScholesMertonProcess(spot, div, rate, vol)
    spread = ql.QuoteHandle(ql.SimpleQuote(0.05))
    bond.setPricingEngine(ql.BinomialCRRConvertibleEngine(process, steps, spread, ql.DividendSchedule()))
    # Fresh instrument per call, so NPV is recomputed; time the NPV only.
    start = time.perf_counter()
    npv = bond.NPV()
    return npv, time.perf_counter() - start


def main():
    for steps in [int(s) for s in sys.argv[1:]] or [250, 1000, 2000]:
        best = min(price(steps)[1] for _ in range(5))
        npv = price(steps)[0]
        print(f"QuantLib CRR {steps:>5} steps: {npv:.6f} per 100, best of 5: {best * 1e3:.3f} ms")


if __name__ == "__main__":
    main()
