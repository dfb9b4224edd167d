//! A fleet by cohort: machines bought together, with one efficiency, one
//! purchase cost and one useful life, and the straight-line depreciation of
//! each.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

use super::{th_per_eh, Hashrate, JoulesPerTerahash};
use crate::error::{CoreError, ValueError};
use crate::num::{self, Checked, Fraction, Usd};
use crate::Result;

/// The most cohorts a fleet may have. A listed miner reports a handful of
/// machine generations; 50 leaves room for one cohort per purchase.
pub const MAX_COHORTS: usize = 50;

/// The longest useful life accepted, months (ten years). Miners depreciate
/// ASICs over 2 to 5 years; anything near ten is a typo for days or weeks.
pub const MAX_USEFUL_LIFE_MONTHS: u32 = 120;

/// Days in the year of a production request's daily run-rate of
/// depreciation.
const DAYS_PER_YEAR: u32 = 365;

/// A useful life in whole months: `1 ≤ months ≤ 120`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct UsefulLife(u32);

impl UsefulLife {
    /// Checks `1 ≤ months ≤ 120` ([`MAX_USEFUL_LIFE_MONTHS`]).
    pub fn new(months: u32) -> Result<Self, ValueError> {
        num::within(
            Decimal::from(months),
            Decimal::ONE,
            Decimal::from(MAX_USEFUL_LIFE_MONTHS),
        )
        .map(|_| UsefulLife(months))
    }

    /// The life, months.
    pub fn months(self) -> u32 {
        self.0
    }
}

/// What a cohort cost and how it is depreciated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Purchase {
    /// Total purchase cost, USD.
    pub cost: Usd,
    /// Useful life.
    pub useful_life: UsefulLife,
    /// Residual value at the end of the life, a fraction of the cost.
    pub residual: Fraction,
}

impl Purchase {
    /// The total cost of `hashrate` bought at `usd_per_th` a TH/s.
    ///
    /// # Formula
    /// ```text
    /// cost = usd_per_th × hashrate_ehs × 10^6
    /// ```
    /// 10 EH/s at $15/TH cost $150,000,000.
    pub fn cost_from_usd_per_th(usd_per_th: Usd, hashrate: Hashrate) -> Result<Usd> {
        let cost = usd_per_th
            .get()
            .mul_or(hashrate.ehs(), "purchase_cost_usd")?
            .mul_or(th_per_eh(), "purchase_cost_usd")?;
        Usd::new(cost).map_err(|error| CoreError::invalid("purchase_cost_usd", error))
    }

    /// `cost × (1 − residual)`, USD: what is depreciated over the life.
    pub fn depreciable(&self) -> Result<Decimal> {
        self.cost.get().mul_or(
            Decimal::ONE.sub_or(self.residual.get(), "depreciation")?,
            "depreciation",
        )
    }

    /// Depreciation a day at the straight-line run rate, USD, for a
    /// production snapshot.
    ///
    /// # Formula
    /// ```text
    /// per_day = cost × (1 − residual) / useful_life_months × 12 / 365
    /// ```
    pub fn run_rate_per_day(&self) -> Result<Decimal> {
        self.depreciable()?
            .mul_or(Decimal::from(12), "depreciation")?
            .div_or(
                Decimal::from(self.useful_life.months())
                    .mul_or(Decimal::from(DAYS_PER_YEAR), "depreciation")?,
                "depreciation",
            )
    }
}

/// Machines bought together: one hashrate, one efficiency, one purchase.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cohort {
    /// The cohort's hashrate.
    pub hashrate: Hashrate,
    /// Its efficiency.
    pub efficiency: JoulesPerTerahash,
    /// When it was bought and placed in service; `None` for a cohort in
    /// service and new on the start date.
    pub purchase_date: Option<NaiveDate>,
    /// Its cost and depreciation; `None` for no depreciation.
    pub purchase: Option<Purchase>,
}

impl Cohort {
    /// The end of the useful life: `purchase_date + useful_life_months`
    /// (calendar months; from a 31st, short months end on their last day).
    pub(super) fn end_of_life(&self, placed: NaiveDate) -> Option<Result<NaiveDate>> {
        self.purchase.map(|p| {
            placed
                .checked_add_months(Months::new(p.useful_life.months()))
                .ok_or(CoreError::Overflow {
                    quantity: "end of useful life",
                })
        })
    }
}

/// A fleet's cohorts: at least one, at most [`MAX_COHORTS`].
#[derive(Debug, Clone, PartialEq)]
pub struct Cohorts(Vec<Cohort>);

impl Cohorts {
    /// Checks `1 ≤ len ≤ 50`.
    pub fn new(cohorts: Vec<Cohort>) -> Result<Self, ValueError> {
        if cohorts.is_empty() {
            return Err(ValueError::Empty);
        }
        num::capped_len(&cohorts, MAX_COHORTS)?;
        Ok(Cohorts(cohorts))
    }

    /// The cohorts, in the order given.
    pub fn get(&self) -> &[Cohort] {
        &self.0
    }
}

/// The wire path of a cohort's field, for errors.
pub(super) fn cohort_field(index: usize, field: &str) -> String {
    format!("cohorts[{index}].{field}")
}

/// Depreciation of a cohort over `[from, to)`, USD: straight line by
/// calendar month over its useful life.
///
/// # Formula
/// ```text
/// per_month  = cost × (1 − residual) / useful_life_months
/// in [from, to) = Σ over calendar months of the life, per_month × days of
///                 the month inside [from, to) / days in that month
/// ```
/// Life months run from the purchase date (month `k` is `[purchase + k
/// months, purchase + k + 1 months)`), so a full projection month inside
/// the life is charged exactly `per_month` when the purchase is on the 1st,
/// and a month straddling two life months is charged pro rata by days.
/// Over the whole life the charges add up to `cost × (1 − residual)`.
pub(super) fn depreciation_between(
    purchase: &Purchase,
    placed: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Decimal> {
    let per_month = purchase
        .depreciable()?
        .div_or(Decimal::from(purchase.useful_life.months()), "depreciation")?;
    let mut total = Decimal::ZERO;
    // Life months wholly before `from` charge nothing: start one month
    // before the calendar months between the two dates.
    let elapsed = (from.year() - placed.year()) * 12 + from.month() as i32 - placed.month() as i32;
    let first = u32::try_from(elapsed.saturating_sub(1)).unwrap_or(0);
    for k in first..purchase.useful_life.months() {
        let add = |n: u32| {
            placed
                .checked_add_months(Months::new(n))
                .ok_or(CoreError::Overflow {
                    quantity: "depreciation months",
                })
        };
        let (start, end) = (add(k)?, add(k + 1)?);
        if end <= from {
            continue;
        }
        if start >= to {
            break;
        }
        let overlap = (end.min(to) - start.max(from)).num_days();
        let length = (end - start).num_days();
        if overlap == length {
            total = total.add_or(per_month, "depreciation")?;
        } else {
            total = total.add_or(
                per_month
                    .mul_or(Decimal::from(overlap), "depreciation")?
                    .div_or(Decimal::from(length), "depreciation")?,
                "depreciation",
            )?;
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::mining::tests::{date, hashrate};

    fn s21(cost: Decimal, life: u32, residual: Decimal) -> Purchase {
        Purchase {
            cost: Usd::new(cost).unwrap(),
            useful_life: UsefulLife::new(life).unwrap(),
            residual: Fraction::new(residual).unwrap(),
        }
    }

    #[test]
    fn a_price_per_terahash_gives_the_total_cost() {
        // 10 EH/s = 10,000,000 TH/s × $15 = $150,000,000.
        let cost = Purchase::cost_from_usd_per_th(Usd::new(dec!(15)).unwrap(), hashrate(dec!(10)));
        assert_eq!(cost.unwrap().get(), dec!(150000000));
    }

    #[test]
    fn a_full_month_of_the_life_is_charged_one_month_of_straight_line() {
        // $36,000,000 with 10% residual over 36 months: 32,400,000 / 36 = $900,000 a month.
        let p = s21(dec!(36000000), 36, dec!(0.1));
        let dec_2025 =
            depreciation_between(&p, date(2025, 1, 1), date(2025, 12, 1), date(2026, 1, 1));
        assert_eq!(dec_2025.unwrap(), dec!(900000));
    }

    #[test]
    fn a_purchase_mid_month_is_charged_by_the_days_in_service() {
        // Bought 16 December 2025: its first life month is 16 Dec – 16 Jan (31 days), of
        // which 16 days fall in December: 900,000 × 16 / 31 = 464,516.129… ; January holds
        // the other 15 days of that life month and 15 of the next (16 Jan – 16 Feb, 31 days):
        // 900,000 × 15/31 + 900,000 × 16/31 = 900,000.
        let p = s21(dec!(36000000), 36, dec!(0.1));
        let placed = date(2025, 12, 16);
        let dec = depreciation_between(&p, placed, date(2025, 12, 1), date(2026, 1, 1)).unwrap();
        assert_eq!(dec.round_dp(6), dec!(464516.129032));
        let jan = depreciation_between(&p, placed, date(2026, 1, 1), date(2026, 2, 1)).unwrap();
        assert_eq!(jan.round_dp(12), dec!(900000));
    }

    #[test]
    fn depreciation_stops_at_the_end_of_the_life_and_adds_up_to_cost_less_residual() {
        // 12 months from 1 Jan 2025: nothing from 1 Jan 2026; the whole life charges
        // 12,000,000 × (1 − 0.25) = 9,000,000.
        let p = s21(dec!(12000000), 12, dec!(0.25));
        let placed = date(2025, 1, 1);
        let after = depreciation_between(&p, placed, date(2026, 1, 1), date(2026, 2, 1));
        assert_eq!(after.unwrap(), Decimal::ZERO);
        let whole = depreciation_between(&p, placed, date(2024, 6, 1), date(2027, 1, 1));
        assert_eq!(whole.unwrap(), dec!(9000000));
    }

    #[test]
    fn the_run_rate_is_a_month_of_depreciation_times_twelve_over_365() {
        // 32,400,000 / 36 × 12 / 365 = 10,800,000 / 365 = 29,589.04… a day.
        let p = s21(dec!(36000000), 36, dec!(0.1));
        assert_eq!(
            p.run_rate_per_day().unwrap().round_dp(6),
            dec!(29589.041096)
        );
    }

    #[test]
    fn lives_and_cohort_lists_are_capped() {
        assert!(UsefulLife::new(0).is_err());
        assert!(UsefulLife::new(120).is_ok());
        assert!(UsefulLife::new(121).is_err());
        assert_eq!(Cohorts::new(vec![]), Err(ValueError::Empty));
        let one = Cohort {
            hashrate: hashrate(dec!(1)),
            efficiency: JoulesPerTerahash::new(dec!(16)).unwrap(),
            purchase_date: None,
            purchase: None,
        };
        assert!(Cohorts::new(vec![one; MAX_COHORTS]).is_ok());
        assert_eq!(
            Cohorts::new(vec![one; MAX_COHORTS + 1]),
            Err(ValueError::TooLong {
                len: 51,
                cap: MAX_COHORTS
            })
        );
    }
}
