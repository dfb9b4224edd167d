//! Yield to maturity, current yield and the accreted value schedule of a
//! note bought at a price per 100 of face.
//!
//! Conventions (the street convention for bonds):
//! - coupon dates fall every `12 / frequency` months, counted back from the
//!   maturity date (each one directly from maturity, so month ends do not
//!   drift);
//! - the yield is a nominal annual rate compounded `frequency` times a
//!   year (bond-equivalent when semiannual); the effective annual yield is
//!   also given;
//! - the first, broken period is discounted with a fractional exponent
//!   `w = days(settlement, next coupon) / days(previous coupon, next
//!   coupon)`, actual/actual within the period;
//! - the quoted price is clean; accrued interest is `coupon × (1 − w)`.
//!
//! For a zero-coupon note `frequency` only states the compounding.

use chrono::NaiveDate;
use rust_decimal::{Decimal, MathematicalOps};

pub use super::schedule::Frequency;
use super::schedule::{coupon_dates, CouponDates, ScheduleStart};
use crate::error::{AtField, CoreError, ValueError};
use crate::num::{self, Checked, Fraction, Price};
use crate::solve::{Goal, Inward, SolveError, Width};
use crate::tolerance::YIELD_ABS;
use crate::Result;

/// Face value the prices and the schedule are quoted on.
pub const FACE: Decimal = Decimal::ONE_HUNDRED;

/// The largest price accepted, per 100 of face: 10,000.
pub const MAX_PRICE_PER_100: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);

/// The lowest yield the solver searches: −95% a year.
pub const MIN_YIELD: Decimal = Decimal::from_parts(95, 0, 0, true, 2);

/// The highest yield the solver searches: 1,000% a year.
pub const MAX_YIELD: Decimal = Decimal::from_parts(10, 0, 0, false, 0);

/// Solver iterations: bisection alone would reach [`YIELD_ABS`]
/// in 44 and Brent's method takes about 10, so this is only a backstop.
const MAX_ITERATIONS: u32 = 100;

/// The validated input of [`yield_to_maturity`].
#[derive(Debug, Clone, PartialEq)]
pub struct YieldInput {
    /// Clean price per 100 of face, in `(0, MAX_PRICE_PER_100]`.
    pub price_per_100: Price,
    /// Annual coupon rate, a decimal fraction of face (0 for a zero).
    pub coupon_rate: Fraction,
    /// Coupons (or compounding periods) a year.
    pub frequency: Frequency,
    /// The date the note is bought; the issue date for a new issue.
    pub settlement_date: NaiveDate,
    /// The date the face is repaid.
    pub maturity_date: NaiveDate,
}

/// Checks a price per 100 of face.
pub fn price_per_100(value: Decimal) -> Result<Price, ValueError> {
    num::at_most(value, MAX_PRICE_PER_100).and_then(Price::new)
}

/// One row of the accreted value schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct AccretionRow {
    /// The settlement date (first row), then each coupon date.
    pub date: NaiveDate,
    /// Carrying value per 100 of face after that date's coupon: the value
    /// of the cash flows still to come at the yield (the full price on
    /// the first row, 100 at maturity).
    pub accreted_value: Decimal,
    /// Coupon paid on that date, per 100 (zero on the first row).
    pub coupon: Decimal,
    /// Interest earned over the period ending on that date at the yield:
    /// `accreted_value + coupon − previous accreted_value`.
    pub interest: Decimal,
}

/// A note's yields and its accretion to face.
#[derive(Debug, Clone, PartialEq)]
pub struct Yield {
    /// Nominal annual yield to maturity, compounded `frequency` times a
    /// year, a decimal fraction.
    pub yield_to_maturity: Decimal,
    /// `(1 + y / f)^f − 1`, a decimal fraction.
    pub effective_annual_yield: Decimal,
    /// Annual coupon over clean price, a decimal fraction.
    pub current_yield: Decimal,
    /// Accrued interest at settlement, per 100.
    pub accrued_interest: Decimal,
    /// Clean price plus accrued interest, per 100.
    pub full_price: Decimal,
    /// Coupon dates after settlement, maturity included.
    pub periods: u32,
    /// The settlement row, then one row per coupon date.
    pub schedule: Vec<AccretionRow>,
}

/// The cash flows of a note from settlement, per 100 of face.
struct Flows {
    /// Coupon dates after settlement, in order; the last is maturity.
    dates: Vec<NaiveDate>,
    /// Coupon per period.
    coupon: Decimal,
    /// Fraction of the first period still to run, in (0, 1].
    w: Decimal,
    /// Periods a year.
    f: Decimal,
    /// Paid on the last date besides its coupon share: 100 at maturity,
    /// a call or put price on an earlier date.
    redemption: Decimal,
    /// The share of the last period run by the last date: 1 on a coupon
    /// date; less for a redemption between coupon dates, which pays that
    /// share of the coupon as accrued.
    last_share: Decimal,
}

impl Flows {
    /// The full price at nominal yield `y`, or `None` when it exceeds
    /// Decimal's range (only for deeply negative yields, where it exceeds
    /// any accepted price).
    fn full_price(&self, y: Decimal) -> Option<Decimal> {
        let growth = Decimal::ONE.checked_add(y.checked_div(self.f)?)?;
        let v = Decimal::ONE.checked_div(growth)?;
        let mut discount = if self.w == Decimal::ONE {
            v
        } else {
            v.checked_powd(self.w)?
        };
        let last = self.dates.len().checked_sub(1)?;
        let mut total = Decimal::ZERO;
        for _ in 0..last {
            total = total.checked_add(self.coupon.checked_mul(discount)?)?;
            discount = discount.checked_mul(v)?;
        }
        // `discount` is v^(w + last); the last date lies `last_share` into
        // its period, at w + last − 1 + last_share periods.
        if self.last_share < Decimal::ONE {
            discount = discount
                .checked_div(v.checked_powd(Decimal::ONE.checked_sub(self.last_share)?)?)?;
        }
        let last_flow = self
            .coupon
            .checked_mul(self.last_share)?
            .checked_add(self.redemption)?;
        total = total.checked_add(last_flow.checked_mul(discount)?)?;
        Some(total)
    }
}

fn coupon_flows(input: &YieldInput) -> Result<Flows> {
    coupon_flows_to(input, input.maturity_date, FACE)
}

/// The flows of `input`'s note redeemed at `redemption` per 100 (plus the
/// accrued coupon) on `date`, settlement < `date` ≤ maturity.
fn coupon_flows_to(input: &YieldInput, date: NaiveDate, redemption: Decimal) -> Result<Flows> {
    let settle = input.settlement_date;
    let CouponDates {
        mut payments,
        previous,
    } = coupon_dates(
        ScheduleStart::Settlement(settle),
        input.maturity_date,
        input.frequency,
    )?;
    let k = payments.partition_point(|p| *p < date);
    let last_share = match payments.get(k) {
        Some(&end) => {
            let start = if k == 0 { previous } else { payments[k - 1] };
            Decimal::from((date - start).num_days())
                .div_or(Decimal::from((end - start).num_days()), "accrual fraction")?
        }
        None => Decimal::ONE,
    };
    payments.truncate(k + 1);
    let next = *payments.first().ok_or(CoreError::Overflow {
        quantity: "coupon dates",
    })?;
    let w = Decimal::from((next - settle).num_days()).div_or(
        Decimal::from((next - previous).num_days()),
        "accrual fraction",
    )?;
    let f = Decimal::from(input.frequency.per_year());
    let coupon = input
        .coupon_rate
        .get()
        .mul_or(FACE, "coupon")?
        .div_or(f, "coupon")?;
    Ok(Flows {
        dates: payments,
        coupon,
        w,
        f,
        redemption,
        last_share,
    })
}

/// Yield to maturity, current yield and the accreted value schedule.
///
/// # Formula
/// Per 100 of face, with `f` periods a year, coupon `c = coupon_rate × 100 / f`,
/// `n` coupon dates after settlement and `w ∈ (0, 1]` the share of the first
/// period still to run:
/// ```text
/// accrued    = c × (1 − w)
/// full_price = clean_price + accrued
///            = Σ_{j=1..n} CF_j / (1 + y/f)^(j − 1 + w),  CF_j = c (+ 100 at j = n)
/// effective_annual_yield = (1 + y/f)^f − 1
/// current_yield          = coupon_rate × 100 / clean_price
/// AV_n = 100;  AV_{j−1} = (AV_j + c) / (1 + y/f)  for j ≥ 2;  AV_0 = full_price
/// interest_j = AV_j + c − AV_{j−1}
/// ```
/// `y` is found by Brent's method ([`crate::solve`]) on `[MIN_YIELD,
/// MAX_YIELD]` to within [`YIELD_ABS`], the bracket and every price
/// in exact decimals; the full price falls as `y` rises, so the root is
/// unique. For a zero bought at a discount `AV_j = 100 / (1 + y/f)^(n − j)`.
///
/// # Errors
/// [`CoreError::DateOrder`] when maturity is not after settlement;
/// [`CoreError::Inconsistent`] on `maturity_date` beyond
/// [`MAX_SCHEDULE_YEARS`](super::schedule::MAX_SCHEDULE_YEARS) (60) years; [`CoreError::Unattainable`] on `price` when
/// no yield in the searched range gives it.
pub fn yield_to_maturity(input: &YieldInput) -> Result<Yield> {
    let flows = coupon_flows(input)?;
    let clean = input.price_per_100.get();
    let accrued = flows.coupon.mul_or(
        Decimal::ONE.sub_or(flows.w, "accrued_interest")?,
        "accrued_interest",
    )?;
    let full_price = clean.add_or(accrued, "full_price")?;

    let y = solve(&flows, full_price)?;

    let f = flows.f;
    let growth = Decimal::ONE.add_or(y.div_or(f, "yield_to_maturity")?, "yield_to_maturity")?;
    let effective_annual_yield = growth
        .checked_powu(u64::from(input.frequency.per_year()))
        .ok_or(CoreError::Overflow {
            quantity: "effective_annual_yield",
        })?
        .sub_or(Decimal::ONE, "effective_annual_yield")?;
    let current_yield = input
        .coupon_rate
        .get()
        .mul_or(FACE, "current_yield")?
        .div_or(clean, "current_yield")?;

    let n = flows.dates.len();
    let mut values = vec![FACE; n];
    for j in (0..n.saturating_sub(1)).rev() {
        let later = values.get(j + 1).copied().unwrap_or(FACE);
        let value = later
            .add_or(flows.coupon, "accreted_value")?
            .div_or(growth, "accreted_value")?;
        if let Some(slot) = values.get_mut(j) {
            *slot = value;
        }
    }
    let mut schedule = Vec::with_capacity(n + 1);
    schedule.push(AccretionRow {
        date: input.settlement_date,
        accreted_value: full_price,
        coupon: Decimal::ZERO,
        interest: Decimal::ZERO,
    });
    let mut before = full_price;
    for (date, value) in flows.dates.iter().zip(values) {
        let interest = value
            .add_or(flows.coupon, "interest")?
            .sub_or(before, "interest")?;
        schedule.push(AccretionRow {
            date: *date,
            accreted_value: value,
            coupon: flows.coupon,
            interest,
        });
        before = value;
    }

    Ok(Yield {
        yield_to_maturity: y,
        effective_annual_yield,
        current_yield,
        accrued_interest: accrued,
        full_price,
        periods: u32::try_from(n).unwrap_or(u32::MAX),
        schedule,
    })
}

/// The yield to a redemption before (or at) maturity: the nominal yield,
/// compounded as [`yield_to_maturity`]'s, at which the note's coupons up to
/// `date` and `redemption_per_100` plus accrued on `date` are worth
/// `input`'s clean price plus accrued. The one schedule generator and the
/// one solver of [`yield_to_maturity`].
///
/// # Formula
/// As [`yield_to_maturity`], with the last flow on `date`, `a` of the way
/// into its period (`a = 1` on a coupon date):
/// ```text
/// full_price = Σ_{j<n} c / (1 + y/f)^(j − 1 + w) + (c·a + redemption) / (1 + y/f)^(n − 2 + w + a)
/// ```
///
/// # Errors
/// [`CoreError::DateOrder`] on `date` unless settlement < `date` ≤
/// maturity; those of [`yield_to_maturity`].
pub fn yield_to_date(
    input: &YieldInput,
    date: NaiveDate,
    redemption_per_100: Decimal,
) -> Result<Decimal> {
    if date <= input.settlement_date || date > input.maturity_date {
        return Err(CoreError::DateOrder {
            field: "date".into(),
            date,
            relation: if date <= input.settlement_date {
                "after"
            } else {
                "on or before"
            },
            other_field: if date <= input.settlement_date {
                "settlement_date"
            } else {
                "maturity_date"
            },
            other: if date <= input.settlement_date {
                input.settlement_date
            } else {
                input.maturity_date
            },
        });
    }
    let flows = coupon_flows_to(input, date, redemption_per_100)?;
    let accrued = flows.coupon.mul_or(
        Decimal::ONE.sub_or(flows.w, "accrued_interest")?,
        "accrued_interest",
    )?;
    let full_price = input.price_per_100.get().add_or(accrued, "full_price")?;
    solve(&flows, full_price)
}

/// The nominal yield whose full price is `target`, by [`crate::solve`] in
/// exact decimals.
fn solve(flows: &Flows, target: Decimal) -> Result<Decimal> {
    let overflow = CoreError::Overflow {
        quantity: "yield_to_maturity",
    };
    let goal = Goal {
        target,
        value_tolerance: Decimal::ZERO,
        width: Width {
            absolute: num::to_f64(YIELD_ABS),
            relative: 0.0,
        },
        max_iterations: MAX_ITERATIONS,
        quantity: "yield_to_maturity",
    };
    let price = |y: Decimal| flows.full_price(y).ok_or(overflow.clone());
    // Deeply negative yields overflow the price (it exceeds Decimal's
    // range, so any accepted price lies above them): the low end moves to
    // the edge of where the price exists.
    let low = (MIN_YIELD, Inward::Edge { tries: 40 });
    let failed = |e: SolveError<Decimal>| match e {
        SolveError::Overflow(error) | SolveError::Undefined { error, .. } => error,
        _ => overflow.clone(),
    };
    let ends = goal
        .ends(low, (MAX_YIELD, Inward::Never), price)
        .map_err(failed)?;
    match goal.solve(ends.low, ends.high, price) {
        Ok(root) => Ok(root.x),
        Err(SolveError::NoSignChange { low, high }) => Err(CoreError::Unattainable {
            quantity: "price",
            target: num::to_f64(target),
            min: num::to_f64(high.value),
            max: num::to_f64(low.value),
            moved: ends.moved_ends(),
        }),
        Err(e) => Err(failed(e)),
    }
}

/// Validates a coupon rate field in `[0, 1]`, named `coupon_rate`.
pub fn coupon_rate(value: Decimal) -> Result<Fraction> {
    Fraction::new(value).at("coupon_rate")
}

#[cfg(test)]
mod tests {
    use approx::assert_abs_diff_eq;
    use rust_decimal_macros::dec;

    use super::*;
    use crate::tolerance::{
        Exact, ACCRETED_PER_100_ABS, QUOTED_YIELD_ABS, SCHEDULE_PER_100_ABS, YIELD_CLOSED_FORM_ABS,
    };

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn input(
        price: Decimal,
        coupon: Decimal,
        f: u32,
        settle: NaiveDate,
        maturity: NaiveDate,
    ) -> YieldInput {
        YieldInput {
            price_per_100: price_per_100(price).unwrap(),
            coupon_rate: coupon_rate(coupon).unwrap(),
            frequency: Frequency::from_per_year(f).unwrap(),
            settlement_date: settle,
            maturity_date: maturity,
        }
    }

    fn f64_of(d: Decimal) -> f64 {
        num::to_f64(d)
    }

    #[test]
    fn a_textbook_ten_year_eight_percent_bond_at_87_5378_yields_ten_percent() {
        // Fabozzi's classic: 20 semiannual coupons of 4 at 5% a period,
        // 4 × (1 − 1.05^−20) / 0.05 + 100 × 1.05^−20 = 49.8488 + 37.6889 = 87.5378.
        let out = yield_to_maturity(&input(
            dec!(87.5378),
            dec!(0.08),
            2,
            date(2020, 1, 15),
            date(2030, 1, 15),
        ))
        .unwrap();
        assert_abs_diff_eq!(
            f64_of(out.yield_to_maturity),
            0.10,
            epsilon = QUOTED_YIELD_ABS
        );
        assert_eq!(out.periods, 20);
        assert_eq!(out.accrued_interest, Decimal::ZERO);
        // 8 / 87.5378 = 0.091390...
        assert_abs_diff_eq!(
            f64_of(out.current_yield),
            8.0 / 87.5378,
            epsilon = YIELD_CLOSED_FORM_ABS
        );
    }

    #[test]
    fn a_zero_redeemed_between_coupon_dates_counts_the_share_of_its_period() {
        // Bought at 90 on 2026-01-01 (a quasi-coupon date, w = 1); called
        // at 100 on 2027-04-01, 90 of the 181 days from 2027-01-01 to
        // 2027-07-01: 2 + 90/181 half-years, so
        // y = 2 × ((100 / 90)^(1 / (2 + 90/181)) − 1).
        let input = input(dec!(90), dec!(0), 2, date(2026, 1, 1), date(2030, 1, 1));
        let y = yield_to_date(&input, date(2027, 4, 1), dec!(100)).unwrap();
        let expected = 2.0 * ((100.0_f64 / 90.0).powf(1.0 / (2.0 + 90.0 / 181.0)) - 1.0);
        assert_abs_diff_eq!(f64_of(y), expected, epsilon = YIELD_CLOSED_FORM_ABS);
        // To maturity at 100 it is the yield to maturity.
        let to_maturity = yield_to_date(&input, date(2030, 1, 1), dec!(100)).unwrap();
        let ytm = yield_to_maturity(&input).unwrap().yield_to_maturity;
        assert_abs_diff_eq!(
            f64_of(to_maturity),
            f64_of(ytm),
            epsilon = YIELD_CLOSED_FORM_ABS
        );
        assert!(yield_to_date(&input, date(2026, 1, 1), dec!(100)).is_err());
    }

    #[test]
    fn a_coupon_bond_called_at_par_on_a_coupon_date_yields_its_coupon() {
        // 5% semiannual bought at par on a coupon date, called at 100 on a
        // later coupon date: every flow is 2.5 a half-year, y = 5%.
        let input = input(
            dec!(100),
            dec!(0.05),
            2,
            date(2025, 6, 30),
            date(2032, 6, 30),
        );
        let y = yield_to_date(&input, date(2028, 12, 30), dec!(100)).unwrap();
        assert_abs_diff_eq!(f64_of(y), 0.05, epsilon = YIELD_CLOSED_FORM_ABS);
    }

    #[test]
    fn a_bond_priced_at_par_on_a_coupon_date_yields_its_coupon() {
        let out = yield_to_maturity(&input(
            dec!(100),
            dec!(0.05),
            2,
            date(2025, 6, 30),
            date(2032, 6, 30),
        ))
        .unwrap();
        assert_abs_diff_eq!(
            f64_of(out.yield_to_maturity),
            0.05,
            epsilon = YIELD_CLOSED_FORM_ABS
        );
        // (1.025)^2 − 1 = 0.050625
        assert_abs_diff_eq!(
            f64_of(out.effective_annual_yield),
            0.050625,
            epsilon = YIELD_CLOSED_FORM_ABS
        );
    }

    #[test]
    fn a_zero_bought_at_par_yields_nothing_and_never_accretes() {
        // CleanSpark's 0% notes bought at 100: the yield is zero.
        let out = yield_to_maturity(&input(
            dec!(100),
            dec!(0),
            2,
            date(2025, 12, 15),
            date(2032, 6, 15),
        ))
        .unwrap();
        assert_abs_diff_eq!(
            f64_of(out.yield_to_maturity),
            0.0,
            epsilon = YIELD_CLOSED_FORM_ABS
        );
        assert_eq!(out.current_yield, Decimal::ZERO);
        for row in &out.schedule {
            assert_abs_diff_eq!(
                Exact(row.accreted_value),
                Exact(dec!(100)),
                epsilon = SCHEDULE_PER_100_ABS
            );
        }
    }

    #[test]
    fn a_zero_issued_at_a_discount_accretes_geometrically_to_face() {
        // Two years, semiannual compounding, issued at 90.5:
        // y = 2 × ((100 / 90.5)^(1/4) − 1); AV_j = 100 / (1 + y/2)^(4 − j).
        let out = yield_to_maturity(&input(
            dec!(90.5),
            dec!(0),
            2,
            date(2026, 1, 1),
            date(2028, 1, 1),
        ))
        .unwrap();
        let expected = 2.0 * ((100.0_f64 / 90.5).powf(0.25) - 1.0);
        assert_abs_diff_eq!(
            f64_of(out.yield_to_maturity),
            expected,
            epsilon = YIELD_CLOSED_FORM_ABS
        );
        assert_eq!(out.schedule.len(), 5);
        let growth = 1.0 + expected / 2.0;
        for (j, row) in out.schedule.iter().enumerate() {
            let av = 100.0 / growth.powi(4 - j as i32);
            assert_abs_diff_eq!(
                f64_of(row.accreted_value),
                av,
                epsilon = ACCRETED_PER_100_ABS
            );
        }
        assert_eq!(out.schedule[4].date, date(2028, 1, 1));
        assert_eq!(out.schedule[4].accreted_value, dec!(100));
        // All interest earned sums to the discount, 100 − 90.5 = 9.5.
        let total: Decimal = out.schedule.iter().map(|r| r.interest).sum();
        assert_abs_diff_eq!(
            Exact(total),
            Exact(dec!(9.5)),
            epsilon = SCHEDULE_PER_100_ABS
        );
    }

    #[test]
    fn accrued_interest_counts_actual_days_in_the_coupon_period() {
        // Coupon 6% semiannual = 3 a period. Settlement 2025-04-15 falls in
        // the period 2025-01-15 .. 2025-07-15 of 181 days, 90 of them gone:
        // accrued = 3 × 90 / 181 = 1.4917127...
        let out = yield_to_maturity(&input(
            dec!(98),
            dec!(0.06),
            2,
            date(2025, 4, 15),
            date(2030, 7, 15),
        ))
        .unwrap();
        assert_abs_diff_eq!(
            Exact(out.accrued_interest),
            Exact(dec!(3) * dec!(90) / dec!(181)),
            epsilon = SCHEDULE_PER_100_ABS
        );
        assert_eq!(out.full_price, dec!(98) + out.accrued_interest);
        assert_eq!(out.periods, 11);
    }

    #[test]
    fn a_broken_first_period_is_discounted_with_a_fractional_exponent() {
        // Annual zero maturing 2027-07-01, bought 2026-01-01: the period
        // 2025-07-01 .. 2026-07-01 has 365 days, 181 still to run, so at 5%
        // the price is 100 / 1.05^(1 + 181/365) = 92.9812...
        let exponent = 1.0 + 181.0 / 365.0;
        let price = 100.0 / 1.05_f64.powf(exponent);
        let price = Decimal::from_f64_retain(price).unwrap().round_dp(10);
        let out = yield_to_maturity(&input(
            price,
            dec!(0),
            1,
            date(2026, 1, 1),
            date(2027, 7, 1),
        ))
        .unwrap();
        assert_eq!(out.periods, 2);
        assert_abs_diff_eq!(
            f64_of(out.yield_to_maturity),
            0.05,
            epsilon = YIELD_CLOSED_FORM_ABS
        );
    }

    #[test]
    fn month_end_maturities_do_not_drift() {
        let out = yield_to_maturity(&input(
            dec!(95),
            dec!(0),
            4,
            date(2026, 1, 1),
            date(2027, 1, 31),
        ))
        .unwrap();
        let dates: Vec<NaiveDate> = out.schedule.iter().skip(1).map(|r| r.date).collect();
        assert_eq!(
            dates,
            vec![
                date(2026, 1, 31),
                date(2026, 4, 30),
                date(2026, 7, 31),
                date(2026, 10, 31),
                date(2027, 1, 31)
            ]
        );
    }

    #[test]
    fn maturity_on_or_before_settlement_is_refused() {
        let err = yield_to_maturity(&input(
            dec!(95),
            dec!(0),
            2,
            date(2026, 1, 1),
            date(2026, 1, 1),
        ))
        .unwrap_err();
        assert_eq!(err.field(), Some("maturity_date"));
    }

    #[test]
    fn a_horizon_over_sixty_years_is_refused() {
        let err = yield_to_maturity(&input(
            dec!(95),
            dec!(0),
            12,
            date(2026, 1, 1),
            date(2086, 1, 2),
        ))
        .unwrap_err();
        assert_eq!(err.field(), Some("maturity_date"));
        assert!(yield_to_maturity(&input(
            dec!(95),
            dec!(0),
            12,
            date(2026, 1, 1),
            date(2086, 1, 1),
        ))
        .is_ok());
    }

    #[test]
    fn a_price_no_yield_can_reach_is_unattainable() {
        // A one-year zero is worth at most 100 / (1 − 0.95) = 2,000 at −95%.
        let err = yield_to_maturity(&input(
            dec!(5000),
            dec!(0),
            1,
            date(2026, 1, 1),
            date(2027, 1, 1),
        ))
        .unwrap_err();
        assert!(matches!(
            err,
            CoreError::Unattainable {
                quantity: "price",
                ..
            }
        ));
    }

    #[test]
    fn a_deep_in_the_money_convertible_price_gives_a_negative_yield() {
        // 100 / 1.3^... : one year, annual, at 130: y = 100/130 − 1 = −0.230769...
        let out = yield_to_maturity(&input(
            dec!(130),
            dec!(0),
            1,
            date(2026, 1, 1),
            date(2027, 1, 1),
        ))
        .unwrap();
        assert_abs_diff_eq!(
            f64_of(out.yield_to_maturity),
            (100.0 / 130.0 - 1.0),
            epsilon = YIELD_CLOSED_FORM_ABS
        );
    }

    proptest::proptest! {
        // Each case solves two yields in Decimal; 32 keep the suite quick.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]

        #[test]
        fn a_higher_price_never_gives_a_higher_yield(
            low_cents in 1_000u32..20_000,
            extra_cents in 1u32..5_000,
            coupon_bp in 0u32..1_500,
            f in proptest::sample::select(vec![1u32, 2, 4, 12]),
            years in 1u32..15,
        ) {
            let low = Decimal::new(i64::from(low_cents), 2);
            let high = Decimal::new(i64::from(low_cents + extra_cents), 2);
            let coupon = Decimal::new(i64::from(coupon_bp), 4);
            let settle = date(2026, 3, 9);
            let maturity = date(2026 + years as i32, 11, 30);
            let a = yield_to_maturity(&input(low, coupon, f, settle, maturity)).unwrap();
            let b = yield_to_maturity(&input(high, coupon, f, settle, maturity)).unwrap();
            proptest::prop_assert!(b.yield_to_maturity <= a.yield_to_maturity);
        }
    }

    #[test]
    fn an_unsupported_frequency_is_refused() {
        assert_eq!(
            Frequency::from_per_year(3).unwrap_err().field(),
            Some("frequency")
        );
    }
}
