//! Discounted cash flow: net present value, internal rate of return and
//! payback of a series of period-end cash flows.
//!
//! Conventions, shared by every function here: `flows[0]` falls at time 0
//! (today, undiscounted), `flows[t]` at the end of period `t`. This is the
//! convention of Excel's `IRR` and of `NPV(r, flows[1..]) + flows[0]`; note
//! that Excel's own `NPV` discounts its first value by one period.
//!
//! Money stays in `Decimal`. The IRR root is searched in `f64` (the answer
//! is a rate, not money), then checked by recomputing the NPV at that rate
//! in `Decimal`.

use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;

use crate::error::{AtField, CoreError, ValueError};
use crate::num::{capped_len, to_f64, Num};
use crate::solve::{Crossing, Goal, Width};
use crate::tolerance::{IRR_NPV_REL, IRR_RATE_ABS};
use crate::Result;

/// The most periods a cash-flow series may have: 50 years of months.
pub const MAX_PERIODS: usize = 601;

/// The most IRR solver iterations inside a bracket.
pub const IRR_MAX_ITERATIONS: u32 = 200;

/// The lowest and highest discount rates accepted by [`npv`].
pub const MIN_RATE: Decimal = Decimal::from_parts(99, 0, 0, true, 2);
/// See [`MIN_RATE`]: 100 = 10,000% a period.
pub const MAX_RATE: Decimal = Decimal::from_parts(100, 0, 0, false, 0);

/// Net present value of period-end cash flows at `rate` per period.
///
/// # Formula
/// ```text
/// NPV(r) = Σ_{t=0}^{n-1} flows[t] / (1 + r)^t        r in [-0.99, 100]
/// ```
///
/// # Example
/// ```
/// use infraval_core::cash_flow::npv;
/// use rust_decimal::Decimal;
/// // -100 now, +110 in a year, at 10%: -100 + 110 / 1.1 = 0.
/// let flows = [Decimal::from(-100), Decimal::from(110)];
/// assert_eq!(npv(Decimal::new(1, 1), &flows).unwrap(), Decimal::ZERO);
/// ```
pub fn npv(rate: Decimal, flows: &[Decimal]) -> Result<Decimal> {
    check_rate(rate, "discount_rate")?;
    capped_len(flows, MAX_PERIODS).at("cash_flows")?;
    npv_in(rate, flows)
}

/// [`npv`] in any [`Num`], for a rate already checked.
pub(crate) fn npv_in<N: Num>(rate: N, flows: &[N]) -> Result<N> {
    let growth = N::ONE.add_or(rate, "npv")?;
    let mut total = N::ZERO;
    let mut factor = N::ONE;
    for (t, flow) in flows.iter().enumerate() {
        if t > 0 {
            factor = factor.mul_or(growth, "npv")?;
        }
        total = total.add_or(flow.div_or(factor, "npv")?, "npv")?;
    }
    Ok(total)
}

fn check_rate(rate: Decimal, field: &'static str) -> Result<()> {
    crate::num::within(rate, MIN_RATE, MAX_RATE).at(field)?;
    Ok(())
}

/// Internal rate of return: the rate per period at which [`npv`] is zero.
///
/// # Method
/// 1. The flows must change sign; otherwise no rate can zero the NPV and
///    the answer is [`CoreError::NoSolution`].
/// 2. The NPV is evaluated on a fixed grid of rates from -99% to 10,000%;
///    the first sign change from the bottom brackets the root. When the
///    flows change sign once (conventional flows) the NPV is monotonic and
///    the root unique, and the grid is searched outward from 0% instead;
///    for other flows this is the lowest root on the grid.
///    No bracket is [`CoreError::NoSolution`].
/// 3. The bracket is narrowed by [`crate::solve`] (Brent's method) until
///    it is narrower than [`IRR_RATE_ABS`].
/// 4. The NPV at the root is recomputed in `Decimal` and must be within
///    [`IRR_NPV_REL`] × Σ|flows|. Terms whose discount factor exceeds
///    `Decimal`'s range (below 1.3e-29 of their flow) are left out of that
///    sum, so any IRR up to the grid's 10,000% a period gets its number.
///
/// # Example
/// Excel's `IRR` documentation: -70,000 then 12,000, 15,000, 18,000,
/// 21,000, 26,000 has an IRR of 8.66%.
/// ```
/// use infraval_core::cash_flow::irr;
/// use rust_decimal::Decimal;
/// let flows: Vec<Decimal> = [-70_000, 12_000, 15_000, 18_000, 21_000, 26_000]
///     .into_iter().map(Decimal::from).collect();
/// let r = irr(&flows).unwrap();
/// assert_eq!(r.round_dp(4), Decimal::new(866, 4));
/// ```
pub fn irr(flows: &[Decimal]) -> Result<Decimal> {
    capped_len(flows, MAX_PERIODS).at("cash_flows")?;
    let float: Vec<f64> = flows.iter().map(|f| to_f64(*f)).collect();
    let scale: f64 = float.iter().map(|f| f.abs()).sum();
    let root = irr_root(&float)?;
    let rate = Decimal::from_f64(root).ok_or(CoreError::NoSolution {
        quantity: "irr",
        reason: "the solver did not converge",
    })?;
    // The acceptance check: the NPV at the rate, in exact arithmetic.
    let residual = to_f64(npv_at_root(rate, flows)?).abs();
    if residual > IRR_NPV_REL * scale {
        return Err(CoreError::NoSolution {
            quantity: "irr",
            reason: "the solver did not converge to a rate with zero NPV",
        });
    }
    Ok(rate)
}

/// The NPV at an IRR candidate, for [`irr`]'s acceptance check.
///
/// Unlike [`npv`], for a positive rate it stops once `(1 + r)^t` leaves
/// `Decimal`'s range (about 7.9e28): every later term is then below
/// `|flows[s]| / 7.9e28`, so the terms left out move the sum by less than
/// `1.3e-29 × Σ|flows|`, nineteen orders of magnitude inside
/// [`IRR_NPV_REL`]. Without this an IRR of thousands of percent a year
/// (101^20 > 7.9e28) would answer an overflow instead of its rate.
fn npv_at_root(rate: Decimal, flows: &[Decimal]) -> Result<Decimal> {
    if rate <= Decimal::ZERO {
        return npv_in(rate, flows);
    }
    let overflow = CoreError::Overflow { quantity: "npv" };
    let growth = Decimal::ONE.checked_add(rate).ok_or(overflow.clone())?;
    let mut total = Decimal::ZERO;
    let mut factor = Decimal::ONE;
    for (t, flow) in flows.iter().enumerate() {
        if t > 0 {
            match factor.checked_mul(growth) {
                Some(next) => factor = next,
                None => break,
            }
        }
        let term = flow.checked_div(factor).ok_or(overflow.clone())?;
        total = total.checked_add(term).ok_or(overflow.clone())?;
    }
    Ok(total)
}

/// The IRR of `f64` flows, with its acceptance check done in `f64`: the
/// sensitivity grid's path.
pub(crate) fn irr_f64(flows: &[f64]) -> Result<f64> {
    let root = irr_root(flows)?;
    let scale: f64 = flows.iter().map(|f| f.abs()).sum();
    if npv_f64(root, flows).abs() > IRR_NPV_REL * scale {
        return Err(CoreError::NoSolution {
            quantity: "irr",
            reason: "the solver did not converge to a rate with zero NPV",
        });
    }
    Ok(root)
}

/// Steps 1 to 3 of [`irr`]: the sign check, the bracket and the root.
fn irr_root(flows: &[f64]) -> Result<f64> {
    let has_positive = flows.iter().any(|f| *f > 0.0);
    let has_negative = flows.iter().any(|f| *f < 0.0);
    if !(has_positive && has_negative) {
        return Err(CoreError::NoSolution {
            quantity: "irr",
            reason: "the cash flows never change sign, so no rate makes the NPV zero",
        });
    }
    solve_irr(flows).ok_or(CoreError::NoSolution {
        quantity: "irr",
        reason: "the NPV does not cross zero between -99% and 10,000% a period",
    })
}

/// The rates scanned for a bracket, ascending.
const SCAN: [f64; 20] = [
    -0.99, -0.9, -0.75, -0.5, -0.3, -0.15, -0.05, 0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1.0,
    2.0, 5.0, 20.0, 100.0,
];

/// NPV in `f64`, by Horner's rule in v = 1 / (1 + r).
fn npv_f64(rate: f64, flows: &[f64]) -> f64 {
    let v = 1.0 / (1.0 + rate);
    flows.iter().rev().fold(0.0, |value, f| value * v + f)
}

/// `NPV(r) = 0`, stopping when the bracket is narrower than
/// [`IRR_RATE_ABS`].
const IRR: Goal<f64> = Goal {
    target: 0.0,
    value_tolerance: 0.0,
    width: Width {
        absolute: IRR_RATE_ABS,
        relative: 0.0,
    },
    max_iterations: IRR_MAX_ITERATIONS,
    quantity: "irr",
};

fn solve_irr(flows: &[f64]) -> Option<f64> {
    let npv = |r: f64| Ok(npv_f64(r, flows));
    let crossing = if sign_changes(flows) == 1 {
        // With one sign change the NPV is monotonic in r on (-1, ∞), so the
        // root is unique and any bracket finds it: search the grid outward
        // from 0%, where most IRRs lie, to take fewer evaluations than a
        // full scan.
        let zero = SCAN.iter().position(|r| *r == 0.0)?;
        IRR.crossings(SCAN[zero..].iter().copied(), npv)
            .next()
            .or_else(|| {
                IRR.crossings(SCAN[..=zero].iter().rev().copied(), npv)
                    .next()
            })
    } else {
        IRR.crossings(SCAN, npv).next()
    }?;
    match crossing {
        Crossing::At(point) => Some(point.x),
        Crossing::Between(low, high) => IRR.solve(low, high, npv).ok().map(|root| root.x),
    }
}

/// How often the flows change sign, zeros skipped.
fn sign_changes(flows: &[f64]) -> usize {
    let mut changes = 0;
    let mut last = 0.0f64;
    for &f in flows.iter().filter(|f| **f != 0.0) {
        if last != 0.0 && (f < 0.0) != (last < 0.0) {
            changes += 1;
        }
        last = f;
    }
    changes
}

/// Payback period: when the running total of the flows first turns
/// non-negative, in periods, or `None` if it never does.
///
/// # Formula
/// With `C_t = Σ_{s≤t} flows[s]` and `f` the first period with a non-zero
/// flow, the first `t ≥ f` with `C_t ≥ 0`:
/// ```text
/// payback = f                                   if C_f ≥ 0
/// payback = (t - 1) + (-C_{t-1}) / flows[t]     otherwise
/// ```
/// Leading zero flows (a build that starts later, a site still mining
/// until its conversion) do not count as paid back; the payback is still
/// counted from period 0. No non-zero flow: `None`.
/// The fraction assumes the period's flow arrives evenly through it.
/// Undiscounted; a later dip below zero does not undo the payback.
///
/// # Example
/// ```
/// use infraval_core::cash_flow::payback;
/// use rust_decimal::Decimal;
/// // -100, +40, +40, +40: 20 short after two periods, half of the third.
/// let flows = [-100, 40, 40, 40].map(Decimal::from);
/// assert_eq!(payback(&flows).unwrap(), Some(Decimal::new(25, 1)));
/// ```
pub fn payback(flows: &[Decimal]) -> Result<Option<Decimal>> {
    capped_len(flows, MAX_PERIODS).at("cash_flows")?;
    payback_in(flows)
}

/// [`payback`] in any [`Num`].
pub(crate) fn payback_in<N: Num>(flows: &[N]) -> Result<Option<N>> {
    let mut cumulative = N::ZERO;
    for (t, flow) in flows.iter().enumerate() {
        let before = cumulative;
        if before == N::ZERO && *flow == N::ZERO {
            continue;
        }
        cumulative = cumulative.add_or(*flow, "payback")?;
        if !cumulative.is_negative() {
            if before == N::ZERO {
                // The first non-zero flow is an inflow.
                return Ok(Some(N::from_u64(t as u64)));
            }
            // flow > 0 here, since before < 0 ≤ cumulative.
            let fraction = N::ZERO
                .sub_or(before, "payback")?
                .div_or(*flow, "payback")?;
            // bounded: t ≥ 1, as t == 0 returned above.
            let whole = N::from_u64(t as u64 - 1);
            return Ok(Some(whole.add_or(fraction, "payback")?));
        }
    }
    Ok(None)
}

/// Checks that a discount rate lies in `[MIN_RATE, MAX_RATE]`.
pub fn discount_rate(value: Decimal) -> Result<Decimal, ValueError> {
    crate::num::within(value, MIN_RATE, MAX_RATE)
}

#[cfg(test)]
mod tests {
    use approx::assert_abs_diff_eq;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    use super::*;

    fn flows(values: &[i64]) -> Vec<Decimal> {
        values.iter().copied().map(Decimal::from).collect()
    }

    #[test]
    fn npv_of_a_three_year_project_matches_the_hand_calculation() {
        // -1,000 now; +500, +400, +300 at 10%:
        //   500 / 1.1   = 454.545454...
        //   400 / 1.21  = 330.578512...
        //   300 / 1.331 = 225.394440...
        // sum 1,010.518407... less 1,000 = 10.518407...
        let v = npv(dec!(0.1), &flows(&[-1000, 500, 400, 300])).unwrap();
        assert_eq!(v.round_dp(6), dec!(10.518407));
    }

    #[test]
    fn irr_matches_excels_documented_examples() {
        // Microsoft's IRR function page: -70,000, 12,000, 15,000, 18,000,
        // 21,000 → -2.1%; adding 26,000 → 8.7%; four years of inflows and
        // the first two → IRR(A2:A4) = -44.4%.
        let five = flows(&[-70000, 12000, 15000, 18000, 21000, 26000]);
        assert_eq!(irr(&five).unwrap().round_dp(3), dec!(0.087));
        let four = flows(&[-70000, 12000, 15000, 18000, 21000]);
        assert_eq!(irr(&four).unwrap().round_dp(3), dec!(-0.021));
        let two = flows(&[-70000, 12000, 15000]);
        assert_eq!(irr(&two).unwrap().round_dp(3), dec!(-0.444));
    }

    #[test]
    fn irr_of_a_one_period_doubling_is_one_hundred_percent() {
        // -100 now, +200 later: 200 / (1 + r) = 100 ⇒ r = 1.
        let r = irr(&flows(&[-100, 200])).unwrap();
        assert_abs_diff_eq!(to_f64(r), 1.0, epsilon = IRR_RATE_ABS);
    }

    #[test]
    fn irr_of_one_then_a_hundred_a_year_later_is_ninety_nine() {
        // -1 now, +100 later: 100 / (1 + r) = 1 ⇒ r = 99 (9,900%).
        let r = irr(&flows(&[-1, 100])).unwrap();
        assert_abs_diff_eq!(to_f64(r), 99.0, epsilon = IRR_RATE_ABS);
    }

    #[test]
    fn an_irr_whose_discount_factor_leaves_decimals_range_still_gets_its_number() {
        // -1 now, +50 at the end of each of 20 periods. Closed form: the
        // annuity 50 × (1 − (1 + r)^-20) / r = 1 ⇒ r = 50 × (1 − (1 + r)^-20),
        // so r = 50 − 50 × 51^-20 = 50 − 3.6e-33, i.e. 50 to any f64
        // precision. 51^20 = 1.4e34 exceeds Decimal's 7.9e28: the exact
        // check used to answer an overflow here.
        let mut cash = vec![-1];
        cash.extend([50; 20]);
        let r = irr(&flows(&cash)).unwrap();
        assert_abs_diff_eq!(to_f64(r), 50.0, epsilon = IRR_RATE_ABS);
        // Thirty periods: 51^30, further still beyond the range.
        let mut cash = vec![-1];
        cash.extend([50; 30]);
        let r = irr(&flows(&cash)).unwrap();
        assert_abs_diff_eq!(to_f64(r), 50.0, epsilon = IRR_RATE_ABS);
    }

    #[test]
    fn flows_that_never_change_sign_have_no_irr() {
        let err = irr(&flows(&[100, 200, 300])).unwrap_err();
        assert!(matches!(
            err,
            CoreError::NoSolution {
                quantity: "irr",
                ..
            }
        ));
        assert!(irr(&flows(&[-100, -5])).is_err());
        assert!(irr(&flows(&[0, 0])).is_err());
    }

    #[test]
    fn flows_whose_npv_never_crosses_zero_have_no_irr() {
        // -100, +250, -160: NPV(v) = -100 + 250v - 160v², discriminant
        // 62,500 - 64,000 < 0, so negative for every rate.
        let err = irr(&flows(&[-100, 250, -160])).unwrap_err();
        assert!(matches!(
            err,
            CoreError::NoSolution {
                quantity: "irr",
                ..
            }
        ));
    }

    #[test]
    fn payback_interpolates_within_the_crossing_period() {
        // -1,000, +300, +300, +300, +300: after three periods 100 short,
        // a third of the fourth period's 300 → 3 + 1/3 periods.
        let p = payback(&flows(&[-1000, 300, 300, 300, 300]))
            .unwrap()
            .unwrap();
        assert_eq!(p.round_dp(6), dec!(3.333333));
    }

    #[test]
    fn payback_is_none_when_the_money_never_comes_back() {
        assert_eq!(payback(&flows(&[-1000, 300, 300])).unwrap(), None);
        assert_eq!(payback(&flows(&[5, -1])).unwrap(), Some(Decimal::ZERO));
    }

    #[test]
    fn leading_zero_flows_are_not_a_payback() {
        // 0, 0, −10, 5, 10: 5 short after period 3, half of period 4's 10
        // → 3.5 periods from period 0. It used to answer 0 at period 0.
        assert_eq!(
            payback(&flows(&[0, 0, -10, 5, 10])).unwrap(),
            Some(dec!(3.5))
        );
        assert_eq!(payback(&flows(&[0, 0, 5])).unwrap(), Some(dec!(2)));
        assert_eq!(payback(&flows(&[0, 0])).unwrap(), None);
    }

    #[test]
    fn a_rate_of_minus_one_is_refused() {
        let err = npv(dec!(-1), &flows(&[1, 2])).unwrap_err();
        assert_eq!(err.field(), Some("discount_rate"));
    }

    #[test]
    fn too_many_periods_are_refused() {
        let long = vec![Decimal::ONE; MAX_PERIODS + 1];
        assert!(matches!(
            irr(&long),
            Err(CoreError::InvalidValue {
                error: ValueError::TooLong { .. },
                ..
            })
        ));
    }

    fn conventional() -> impl Strategy<Value = Vec<Decimal>> {
        (
            1i64..1_000_000_000,
            proptest::collection::vec(0i64..500_000_000, 1..40),
        )
            .prop_filter("some inflow", |(_, ins)| ins.iter().any(|v| *v > 0))
            .prop_map(|(out, ins)| {
                let mut f = vec![Decimal::from(-out)];
                f.extend(ins.into_iter().map(|c| Decimal::new(c, 2)));
                f
            })
    }

    proptest! {
        #[test]
        fn npv_falls_as_the_discount_rate_rises_for_conventional_flows(
            f in conventional(),
            a in 0u32..5000,
            b in 0u32..5000,
        ) {
            prop_assume!(a != b);
            let (lo, hi) = (a.min(b), a.max(b));
            let n_lo = npv(Decimal::new(lo.into(), 4), &f).unwrap();
            let n_hi = npv(Decimal::new(hi.into(), 4), &f).unwrap();
            prop_assert!(n_hi <= n_lo, "{n_hi} > {n_lo}");
        }

        #[test]
        fn the_irr_makes_the_npv_zero_to_one_part_in_a_billion(f in conventional()) {
            let scale: f64 = f.iter().map(|v| to_f64(*v).abs()).sum();
            let float: Vec<f64> = f.iter().map(|v| to_f64(*v)).collect();
            match irr(&f) {
                Ok(r) => {
                    let residual = match npv(r, &f) {
                        Ok(v) => to_f64(v).abs(),
                        // An IRR of thousands of percent takes (1 + r)^t
                        // past Decimal's range: the residual is then taken
                        // in f64, whose error is far below the bound.
                        Err(CoreError::Overflow { .. }) => npv_f64(to_f64(r), &float).abs(),
                        Err(e) => return Err(TestCaseError::fail(e.to_string())),
                    };
                    prop_assert!(residual <= IRR_NPV_REL * scale, "{residual} at {r}");
                }
                // Rates near -99% over many periods leave Decimal's range.
                Err(CoreError::Overflow { .. }) => {}
                // Only when the IRR lies outside the scan: inflows too
                // small to reach -99%, or so large it is above 10,000%.
                Err(e) => {
                    prop_assert!(
                        npv_f64(SCAN[0], &float) < 0.0 || npv_f64(SCAN[SCAN.len() - 1], &float) > 0.0,
                        "{e}"
                    );
                }
            }
        }
    }
}
