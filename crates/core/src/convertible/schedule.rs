//! Coupon dates, day counts, accrued interest and the bond floor of a
//! convertible note, all per 100 of face.
//!
//! [`coupon_dates`] is the one coupon-schedule generator: the lattice's
//! coupon periods ([`coupon_periods`]) and the yield's cash flows
//! ([`super::yield_`]) both come from it, under the one cap
//! [`MAX_SCHEDULE_YEARS`].
//!
//! Time is Actual/365 Fixed from the valuation date: `t = days / 365`.

use chrono::{Datelike, Months, NaiveDate};

use crate::error::CoreError;
use crate::Result;

/// Days in the Actual/365 Fixed year.
pub const DAYS_PER_YEAR: f64 = 365.0;

/// How coupons accrue between two dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DayCount {
    /// Actual/365 Fixed: actual days / 365.
    #[default]
    Act365F,
    /// 30/360 (US bond basis): months count 30 days, years 360.
    Thirty360,
}

impl DayCount {
    /// The year fraction from `start` to `end` (`end ≥ start`).
    ///
    /// # Formula
    /// ```text
    /// Act/365F: (end − start in days) / 365
    /// 30/360:   (360·(y2 − y1) + 30·(m2 − m1) + (d2 − d1)) / 360,
    ///           d1 = min(d1, 30); d2 = min(d2, 30) when d1 = 30
    /// ```
    pub fn year_fraction(self, start: NaiveDate, end: NaiveDate) -> f64 {
        match self {
            DayCount::Act365F => years_between(start, end),
            DayCount::Thirty360 => {
                let d1 = start.day().min(30) as i64;
                let d2 = if d1 == 30 {
                    end.day().min(30) as i64
                } else {
                    end.day() as i64
                };
                let days = 360 * (end.year() as i64 - start.year() as i64)
                    + 30 * (end.month() as i64 - start.month() as i64)
                    + (d2 - d1);
                days as f64 / 360.0
            }
        }
    }
}

/// Years from `from` to `to` on Actual/365 Fixed (negative when `to` is earlier).
pub fn years_between(from: NaiveDate, to: NaiveDate) -> f64 {
    (to - from).num_days() as f64 / DAYS_PER_YEAR
}

/// One coupon period of the note.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CouponPeriod {
    /// The date the period starts accruing (the issue date for the first one).
    pub accrual_start: NaiveDate,
    /// The payment date, which ends the period.
    pub payment_date: NaiveDate,
    /// The coupon paid, per 100 of face.
    pub amount_per_100: f64,
}

/// Coupon payments (or compounding periods) a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    /// Once a year.
    Annual,
    /// Twice a year.
    SemiAnnual,
    /// Four times a year.
    Quarterly,
    /// Twelve times a year.
    Monthly,
}

impl Frequency {
    /// From payments a year: 1, 2, 4 or 12; errors name `frequency`.
    pub fn from_per_year(per_year: u32) -> Result<Self> {
        match per_year {
            1 => Ok(Frequency::Annual),
            2 => Ok(Frequency::SemiAnnual),
            4 => Ok(Frequency::Quarterly),
            12 => Ok(Frequency::Monthly),
            _ => Err(CoreError::Inconsistent {
                field: "frequency".into(),
                reason: "must be 1, 2, 4 or 12 payments a year",
            }),
        }
    }

    /// Payments a year.
    pub fn per_year(self) -> u32 {
        match self {
            Frequency::Annual => 1,
            Frequency::SemiAnnual => 2,
            Frequency::Quarterly => 4,
            Frequency::Monthly => 12,
        }
    }

    /// Months between two payments.
    pub fn months(self) -> u32 {
        12 / self.per_year()
    }
}

/// The longest coupon schedule, in calendar years from its start (the issue
/// date of a note being priced, the settlement date of a note being bought)
/// to maturity: at most 720 monthly periods, which bounds the work of every
/// function over a schedule.
pub const MAX_SCHEDULE_YEARS: u32 = 60;

/// The date a coupon schedule runs from, and so the field its errors name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduleStart {
    /// A note being priced: coupons accrue from its `issue_date`.
    Issue(NaiveDate),
    /// A note being bought: its flows run from the `settlement_date`.
    Settlement(NaiveDate),
}

impl ScheduleStart {
    /// The start date.
    pub fn date(self) -> NaiveDate {
        match self {
            ScheduleStart::Issue(d) | ScheduleStart::Settlement(d) => d,
        }
    }

    fn field(self) -> &'static str {
        match self {
            ScheduleStart::Issue(_) => "issue_date",
            ScheduleStart::Settlement(_) => "settlement_date",
        }
    }

    fn too_long(self) -> &'static str {
        match self {
            ScheduleStart::Issue(_) => "must be at most 60 years after `issue_date`",
            ScheduleStart::Settlement(_) => "must be at most 60 years after `settlement_date`",
        }
    }
}

/// Checks `start < maturity ≤ start + MAX_SCHEDULE_YEARS` (calendar years),
/// naming `maturity_date`: [`CoreError::DateOrder`] when maturity is not
/// after the start, [`CoreError::Inconsistent`] when it is too far.
pub fn check_horizon(start: ScheduleStart, maturity: NaiveDate) -> Result<()> {
    if maturity <= start.date() {
        return Err(CoreError::DateOrder {
            field: "maturity_date".into(),
            date: maturity,
            relation: "after",
            other_field: start.field(),
            other: start.date(),
        });
    }
    let end = start
        .date()
        .checked_add_months(Months::new(12 * MAX_SCHEDULE_YEARS));
    if end.is_none_or(|end| maturity > end) {
        return Err(CoreError::Inconsistent {
            field: "maturity_date".into(),
            reason: start.too_long(),
        });
    }
    Ok(())
}

/// A note's regular coupon dates after its schedule's start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponDates {
    /// The payment dates after the start, ascending; the last is maturity.
    pub payments: Vec<NaiveDate>,
    /// The regular date on or before the start: the quasi-coupon date that
    /// opens the period running over the start.
    pub previous: NaiveDate,
}

/// The regular coupon dates of a note, counted back from maturity: the one
/// schedule generator, behind both pricing and yields.
///
/// # Formula
/// ```text
/// date_k = maturity − k × 12/frequency months,  k = 0, 1, 2, …
/// ```
/// each counted from maturity, so month-end clamping never drifts
/// (2027-01-31 quarterly: 2026-10-31, 2026-07-31, 2026-04-30, …). The
/// payments are the dates after `start`; `previous` is the first one on
/// or before it.
///
/// # Errors
/// Those of [`check_horizon`]: maturity must be after the start and at most
/// [`MAX_SCHEDULE_YEARS`] later.
pub fn coupon_dates(
    start: ScheduleStart,
    maturity: NaiveDate,
    frequency: Frequency,
) -> Result<CouponDates> {
    check_horizon(start, maturity)?;
    let overflow = || CoreError::Overflow {
        quantity: "coupon dates",
    };
    let step = frequency.months();
    let mut payments = Vec::new();
    let mut k: u32 = 0;
    let previous = loop {
        let months = k.checked_mul(step).ok_or_else(overflow)?;
        let date = maturity
            .checked_sub_months(Months::new(months))
            .ok_or_else(overflow)?;
        if date <= start.date() {
            break date;
        }
        payments.push(date);
        k = k.checked_add(1).ok_or_else(overflow)?;
    };
    payments.reverse();
    Ok(CouponDates { payments, previous })
}

/// The coupon periods of a note being priced, from [`coupon_dates`]
/// started at `issue`: the first period starts at `issue` and may be
/// short. A frequency of 0 or a zero rate is a zero-coupon note and has no
/// periods.
///
/// # Formula
/// ```text
/// amount_per_100 = coupon_rate × 100 × year_fraction(accrual_start, payment_date)
/// ```
///
/// # Errors
/// Those of [`coupon_dates`] (maturity after `issue`, at most 60 years
/// later), and a frequency other than 0, 1, 2, 4 or 12.
pub fn coupon_periods(
    issue: NaiveDate,
    maturity: NaiveDate,
    coupon_rate: f64,
    frequency: u32,
    day_count: DayCount,
) -> Result<Vec<CouponPeriod>> {
    if frequency == 0 || coupon_rate == 0.0 {
        return Ok(Vec::new());
    }
    let dates = coupon_dates(
        ScheduleStart::Issue(issue),
        maturity,
        Frequency::from_per_year(frequency)?,
    )?;
    let mut start = issue;
    Ok(dates
        .payments
        .into_iter()
        .map(|payment_date| {
            let period = CouponPeriod {
                accrual_start: start,
                payment_date,
                amount_per_100: coupon_rate * 100.0 * day_count.year_fraction(start, payment_date),
            };
            start = payment_date;
            period
        })
        .collect())
}

/// Interest accrued on `date` since the last payment, per 100 of face.
///
/// On a payment date the coupon has just been paid, so the accrued is 0.
///
/// # Formula
/// ```text
/// accrued = coupon_rate × 100 × year_fraction(accrual_start, date)
/// ```
pub fn accrued_per_100(
    periods: &[CouponPeriod],
    date: NaiveDate,
    coupon_rate: f64,
    day_count: DayCount,
) -> f64 {
    periods
        .iter()
        .find(|p| p.accrual_start <= date && date < p.payment_date)
        .map_or(0.0, |p| {
            coupon_rate * 100.0 * day_count.year_fraction(p.accrual_start, date)
        })
}

/// The bond floor: the note's remaining cash flows without the conversion
/// right, per 100 of face.
///
/// # Formula
/// ```text
/// floor = Σ_{payment > valuation} coupon_k × e^{−(r + s)·t_k} + 100 × e^{−(r + s)·T}
/// ```
/// with `t_k` and `T` in Act/365F years from the valuation date, `r` the
/// risk-free rate and `s` the credit spread (both continuously compounded).
pub fn bond_floor_per_100(
    periods: &[CouponPeriod],
    valuation: NaiveDate,
    maturity: NaiveDate,
    risky_rate: f64,
) -> f64 {
    let coupons: f64 = periods
        .iter()
        .filter(|p| p.payment_date > valuation)
        .map(|p| p.amount_per_100 * (-risky_rate * years_between(valuation, p.payment_date)).exp())
        .sum();
    coupons + 100.0 * (-risky_rate * years_between(valuation, maturity)).exp()
}

#[cfg(test)]
mod tests {
    use approx::assert_abs_diff_eq;

    use super::*;
    use crate::tolerance::F64_ROUNDING_ABS;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn semiannual_coupons_run_backward_from_maturity_to_the_issue_date() {
        let periods = coupon_periods(
            date(2025, 12, 15),
            date(2032, 12, 15),
            0.04,
            2,
            DayCount::Act365F,
        )
        .unwrap();
        assert_eq!(periods.len(), 14);
        assert_eq!(periods[0].accrual_start, date(2025, 12, 15));
        assert_eq!(periods[0].payment_date, date(2026, 6, 15));
        // 2025-12-15 → 2026-06-15 is 182 days: 4 × 182 / 365 = 1.994520...
        assert_abs_diff_eq!(
            periods[0].amount_per_100,
            4.0 * 182.0 / 365.0,
            epsilon = F64_ROUNDING_ABS
        );
    }

    #[test]
    fn thirty_360_pays_exactly_rate_over_frequency_on_regular_periods() {
        let periods = coupon_periods(
            date(2025, 12, 15),
            date(2032, 12, 15),
            0.04,
            4,
            DayCount::Thirty360,
        )
        .unwrap();
        for p in &periods {
            assert_abs_diff_eq!(p.amount_per_100, 1.0, epsilon = F64_ROUNDING_ABS);
        }
    }

    #[test]
    fn thirty_360_treats_the_31st_as_the_30th() {
        // 2026-01-31 → 2026-03-31: 30/360 counts 60 days.
        let yf = DayCount::Thirty360.year_fraction(date(2026, 1, 31), date(2026, 3, 31));
        assert_abs_diff_eq!(yf, 60.0 / 360.0, epsilon = F64_ROUNDING_ABS);
    }

    #[test]
    fn accrued_after_91_days_of_a_4pct_coupon_is_0_997_per_100() {
        // Reference file, case seasoned_cpn4_semi: 4 × 91/365 = 0.9972602739726.
        let periods = coupon_periods(
            date(2025, 12, 15),
            date(2032, 12, 15),
            0.04,
            2,
            DayCount::Act365F,
        )
        .unwrap();
        let accrued = accrued_per_100(&periods, date(2026, 3, 16), 0.04, DayCount::Act365F);
        assert_abs_diff_eq!(accrued, 0.997_260_273_972_6, epsilon = F64_ROUNDING_ABS);
        let on_payment = accrued_per_100(&periods, date(2026, 6, 15), 0.04, DayCount::Act365F);
        assert_eq!(on_payment, 0.0);
    }

    #[test]
    fn coupon_dates_count_back_from_maturity_without_month_end_drift() {
        // Monthly to 2026-05-31 from mid-January: each date is counted from
        // maturity, so February clamps to the 28th and March is back on
        // the 31st; the quasi-coupon date before the start is 2025-12-31.
        let dates = coupon_dates(
            ScheduleStart::Issue(date(2026, 1, 15)),
            date(2026, 5, 31),
            Frequency::Monthly,
        )
        .unwrap();
        let days: Vec<(u32, u32)> = dates
            .payments
            .iter()
            .map(|d| (d.month(), d.day()))
            .collect();
        assert_eq!(days, [(1, 31), (2, 28), (3, 31), (4, 30), (5, 31)]);
        assert_eq!(dates.previous, date(2025, 12, 31));
    }

    #[test]
    fn a_schedule_runs_at_most_sixty_years_from_its_start() {
        let monthly = |start, maturity| coupon_dates(start, maturity, Frequency::Monthly);
        let settle = date(2026, 1, 1);
        let longest = monthly(ScheduleStart::Settlement(settle), date(2086, 1, 1)).unwrap();
        assert_eq!(longest.payments.len(), 12 * MAX_SCHEDULE_YEARS as usize);
        for start in [
            ScheduleStart::Settlement(settle),
            ScheduleStart::Issue(settle),
        ] {
            let err = monthly(start, date(2086, 1, 2)).unwrap_err();
            assert_eq!(err.field(), Some("maturity_date"));
            let message = err.to_string();
            assert!(message.contains("60 years"), "{message}");
            let err = monthly(start, settle).unwrap_err();
            assert!(matches!(err, CoreError::DateOrder { .. }), "{err:?}");
        }
    }

    #[test]
    fn the_bond_floor_of_a_zero_coupon_note_is_its_discounted_face() {
        // 100 × e^{−0.09 × 2557/365} = 53.2329..., the reference file's bond_floor.
        let floor = bond_floor_per_100(&[], date(2025, 12, 15), date(2032, 12, 15), 0.09);
        assert_abs_diff_eq!(floor, 53.232_921_774_732_06, epsilon = F64_ROUNDING_ABS);
    }
}
