//! Make-whole additional shares: the indenture's table of effective dates ×
//! stock prices that adds shares to a conversion in connection with a
//! make-whole fundamental change or a notice of redemption.
//!
//! The miners' 144A notes all use one rule (industry-terms.md):
//! - the additional shares per $1,000 come from the table, interpolated
//!   linearly on both axes, with a 365-day year between dates;
//! - none above the table's highest stock price or below its lowest;
//! - the total conversion rate, base plus additional, is capped at a
//!   maximum (usually the rate at the reference price).
//!
//! [`MakeWholeTable`] is validated once from [`MakeWholeFields`]. It answers
//! in exact `Decimal` ([`MakeWholeTable::additional_shares_per_1000`]), for
//! share counts, and in `f64` ([`MakeWholeTable::additional_shares_per_1000_f64`]),
//! for the pricing engines, which ask millions of times; both run the one
//! interpolation, written over [`Num`].

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::lattice::date_within;
use super::terms::MAX_CONVERSION_RATE;
use crate::error::{AtField, CoreError, ValueError};
use crate::num::{self, Checked, Num};
use crate::Result;

/// The most effective dates (rows) in a make-whole table. Indentures have
/// about 7 to 10, one a year and the maturity date.
pub const MAX_MAKE_WHOLE_DATES: usize = 100;

/// The most stock prices (columns) in a make-whole table. Indentures have
/// about 10 to 20.
pub const MAX_MAKE_WHOLE_PRICES: usize = 100;

/// The largest stock price a make-whole table may list, USD per share.
pub const MAX_MAKE_WHOLE_PRICE: Decimal = super::terms::MAX_SHARE_PRICE;

/// The field every error of this module names, under which a request
/// carries the table.
const FIELD: &str = "make_whole";

/// A make-whole table as a request carries it, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MakeWholeFields {
    /// The table's effective dates (rows), strictly increasing; 1 to
    /// [`MAX_MAKE_WHOLE_DATES`] of them.
    pub effective_dates: Vec<NaiveDate>,
    /// The table's stock prices (columns), USD per share, strictly
    /// increasing, each in `(0, MAX_MAKE_WHOLE_PRICE]`; 1 to
    /// [`MAX_MAKE_WHOLE_PRICES`] of them.
    pub stock_prices: Vec<Decimal>,
    /// Additional shares per $1,000 of principal: one row per effective
    /// date, one entry per stock price, each in `[0, MAX_CONVERSION_RATE]`.
    pub additional_shares_per_1000: Vec<Vec<Decimal>>,
    /// The cap on the total conversion rate (base plus additional), shares
    /// per $1,000: at least the note's conversion rate, at most
    /// [`MAX_CONVERSION_RATE`].
    pub max_conversion_rate: Decimal,
}

/// A validated make-whole table, with the note's base conversion rate it
/// adds to.
#[derive(Debug, Clone, PartialEq)]
pub struct MakeWholeTable {
    effective_dates: Vec<NaiveDate>,
    stock_prices: Vec<Decimal>,
    additional: Vec<Vec<Decimal>>,
    max_conversion_rate: Decimal,
    /// `max_conversion_rate − conversion_rate`: the most additional shares.
    cap: Decimal,
    stock_prices_f64: Vec<f64>,
    additional_f64: Vec<Vec<f64>>,
    cap_f64: f64,
}

fn strictly_increasing<T: PartialOrd>(items: &[T]) -> bool {
    items.windows(2).all(|w| w[0] < w[1])
}

fn list_length<T>(items: &[T], cap: usize, field: String) -> Result<()> {
    if items.is_empty() {
        return Err(CoreError::invalid(field, ValueError::Empty));
    }
    num::capped_len(items, cap).at(field)?;
    Ok(())
}

impl MakeWholeTable {
    /// Validates a table for a note whose conversion rate is
    /// `conversion_rate` shares per $1,000.
    ///
    /// # Errors
    /// Each names the field under `make_whole.`:
    /// - `effective_dates` or `stock_prices` empty, longer than their cap,
    ///   or not strictly increasing;
    /// - `stock_prices[j]` not in `(0, MAX_MAKE_WHOLE_PRICE]`;
    /// - `additional_shares_per_1000` without one row per effective date,
    ///   `additional_shares_per_1000[i]` without one entry per stock price;
    /// - `additional_shares_per_1000[i][j]` negative or above
    ///   [`MAX_CONVERSION_RATE`];
    /// - `max_conversion_rate` below `conversion_rate` or above
    ///   [`MAX_CONVERSION_RATE`].
    pub fn new(fields: MakeWholeFields, conversion_rate: Decimal) -> Result<Self> {
        let MakeWholeFields {
            effective_dates,
            stock_prices,
            additional_shares_per_1000: additional,
            max_conversion_rate,
        } = fields;
        let dates_field = format!("{FIELD}.effective_dates");
        list_length(&effective_dates, MAX_MAKE_WHOLE_DATES, dates_field.clone())?;
        if !strictly_increasing(&effective_dates) {
            return Err(CoreError::invalid(dates_field, ValueError::NotIncreasing));
        }
        let prices_field = format!("{FIELD}.stock_prices");
        list_length(&stock_prices, MAX_MAKE_WHOLE_PRICES, prices_field.clone())?;
        for (j, &p) in stock_prices.iter().enumerate() {
            num::positive(p)
                .and_then(|p| num::at_most(p, MAX_MAKE_WHOLE_PRICE))
                .at(format!("{prices_field}[{j}]"))?;
        }
        if !strictly_increasing(&stock_prices) {
            return Err(CoreError::invalid(prices_field, ValueError::NotIncreasing));
        }
        let rows_field = format!("{FIELD}.additional_shares_per_1000");
        if additional.len() != effective_dates.len() {
            return Err(CoreError::Inconsistent {
                field: rows_field,
                reason: "must have one row per effective date",
            });
        }
        for (i, row) in additional.iter().enumerate() {
            if row.len() != stock_prices.len() {
                return Err(CoreError::Inconsistent {
                    field: format!("{rows_field}[{i}]"),
                    reason: "must have one entry per stock price",
                });
            }
            for (j, &shares) in row.iter().enumerate() {
                num::within(shares, Decimal::ZERO, MAX_CONVERSION_RATE)
                    .at(format!("{rows_field}[{i}][{j}]"))?;
            }
        }
        let max_field = format!("{FIELD}.max_conversion_rate");
        num::within(max_conversion_rate, conversion_rate, MAX_CONVERSION_RATE).at(max_field)?;
        let cap = max_conversion_rate.sub_or(conversion_rate, "make-whole cap")?;
        Ok(MakeWholeTable {
            stock_prices_f64: stock_prices.iter().copied().map(num::to_f64).collect(),
            additional_f64: additional
                .iter()
                .map(|row| row.iter().copied().map(num::to_f64).collect())
                .collect(),
            cap_f64: num::to_f64(cap),
            effective_dates,
            stock_prices,
            additional,
            max_conversion_rate,
            cap,
        })
    }

    /// Checks that every effective date lies in `[first, last]` (a note's
    /// issue and maturity dates, say), naming `make_whole.effective_dates[i]`
    /// and the bound's field.
    pub fn check_within(
        &self,
        first: (NaiveDate, &'static str),
        last: (NaiveDate, &'static str),
    ) -> Result<()> {
        for (i, &date) in self.effective_dates.iter().enumerate() {
            date_within(date, format!("{FIELD}.effective_dates[{i}]"), first, last)?;
        }
        Ok(())
    }

    /// The effective dates (rows), increasing.
    pub fn effective_dates(&self) -> &[NaiveDate] {
        &self.effective_dates
    }

    /// The stock prices (columns), USD per share, increasing.
    pub fn stock_prices(&self) -> &[Decimal] {
        &self.stock_prices
    }

    /// The cap on the total conversion rate, shares per $1,000.
    pub fn max_conversion_rate(&self) -> Decimal {
        self.max_conversion_rate
    }

    /// The most additional shares per $1,000 a conversion can receive:
    /// `max_conversion_rate − conversion_rate`.
    pub fn cap_per_1000(&self) -> Decimal {
        self.cap
    }

    /// The additional shares per $1,000 of principal for a conversion whose
    /// make-whole effective date is `date` at a stock price of `price` USD,
    /// in exact decimals.
    ///
    /// # Formula
    /// With the dates `d_i ≤ date < d_{i+1}` and the prices
    /// `p_j ≤ price ≤ p_{j+1}` that bracket the event:
    /// ```text
    /// w_p = (price − p_j) / (p_{j+1} − p_j)
    /// w_d = (date − d_i) / 365 ÷ (d_{i+1} − d_i) / 365      (calendar days)
    /// a_i = A[i][j] + (A[i][j+1] − A[i][j]) × w_p             (same for a_{i+1})
    /// additional = min(a_i + (a_{i+1} − a_i) × w_d,  max_conversion_rate − conversion_rate)
    /// ```
    /// `additional = 0` when `price` is below the lowest or above the
    /// highest listed price; on a listed price or date the table's entry is
    /// used as it is. Before the first effective date the first row
    /// applies, on or after the last the last row (indentures end the table
    /// at maturity, after which nothing converts).
    ///
    /// # Errors
    /// [`CoreError::Overflow`] only if the arithmetic overflows, which the
    /// validated ranges rule out.
    pub fn additional_shares_per_1000(&self, date: NaiveDate, price: Decimal) -> Result<Decimal> {
        interpolate(
            &self.effective_dates,
            &self.stock_prices,
            &self.additional,
            self.cap,
            date,
            price,
        )
    }

    /// [`MakeWholeTable::additional_shares_per_1000`] before the cap: the
    /// same interpolation, for a caller that needs to know where the cap
    /// starts to bind between two listed prices (the sum of the parts cuts
    /// its fixed point there).
    ///
    /// # Errors
    /// As [`MakeWholeTable::additional_shares_per_1000`].
    pub fn uncapped_additional_shares_per_1000(
        &self,
        date: NaiveDate,
        price: Decimal,
    ) -> Result<Decimal> {
        interpolate(
            &self.effective_dates,
            &self.stock_prices,
            &self.additional,
            Decimal::MAX,
            date,
            price,
        )
    }

    /// [`MakeWholeTable::additional_shares_per_1000`] in `f64`, for the
    /// pricing engines: the same interpolation on the table converted once
    /// to the nearest doubles. A price that is not finite gets 0.
    pub fn additional_shares_per_1000_f64(&self, date: NaiveDate, price: f64) -> f64 {
        interpolate(
            &self.effective_dates,
            &self.stock_prices_f64,
            &self.additional_f64,
            self.cap_f64,
            date,
            price,
        )
        .unwrap_or(0.0)
    }
}

/// The one interpolation of a make-whole table, in either number type:
/// see [`MakeWholeTable::additional_shares_per_1000`].
fn interpolate<T: Num>(
    dates: &[NaiveDate],
    prices: &[T],
    rows: &[Vec<T>],
    cap: T,
    date: NaiveDate,
    price: T,
) -> Result<T> {
    const Q: &str = "make-whole additional shares";
    let (Some(&lowest), Some(&highest)) = (prices.first(), prices.last()) else {
        return Ok(T::ZERO);
    };
    // `!(a <= b)` rather than `a > b`, so that NaN falls outside too.
    if !(lowest <= price && price <= highest) {
        return Ok(T::ZERO);
    }
    // The price bracket: j with p_j ≤ price, and its weight towards p_{j+1}.
    let j = prices.partition_point(|&p| p <= price).saturating_sub(1);
    let price_weight = match prices.get(j + 1) {
        Some(&above) => {
            let below = prices[j];
            price.sub_or(below, Q)?.div_or(above.sub_or(below, Q)?, Q)?
        }
        None => T::ZERO,
    };
    let at_price = |row: &[T]| -> Result<T> {
        let here = row[j];
        match row.get(j + 1) {
            Some(&next) => here.add_or(next.sub_or(here, Q)?.mul_or(price_weight, Q)?, Q),
            None => Ok(here),
        }
    };
    // The date bracket: i with d_i ≤ date (the first row before the table).
    let i = dates.partition_point(|&d| d <= date).saturating_sub(1);
    let earlier = at_price(&rows[i])?;
    let additional = match dates.get(i + 1) {
        Some(&later_date) if date > dates[i] => {
            let days = |from: NaiveDate, to: NaiveDate| {
                T::from_u64(u64::try_from((to - from).num_days()).unwrap_or(0))
            };
            let date_weight = days(dates[i], date).div_or(days(dates[i], later_date), Q)?;
            let later = at_price(&rows[i + 1])?;
            earlier.add_or(later.sub_or(earlier, Q)?.mul_or(date_weight, Q)?, Q)?
        }
        _ => earlier,
    };
    Ok(if additional > cap { cap } else { additional })
}

#[cfg(test)]
mod tests {
    use approx::assert_abs_diff_eq;
    use rust_decimal_macros::dec;

    use super::*;
    use crate::tolerance::{Exact, DECIMAL_DIGITS_ABS, F64_ROUNDING_ABS};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The CleanSpark 2032 notes' base rate, 52.1832 per $1,000.
    const RATE: Decimal = Decimal::from_parts(521_832, 0, 0, false, 4);

    /// A small table written for hand calculation: three dates a year apart
    /// (2025-12-15, 2026-12-15, 2027-12-15: 365 days each) and a fourth a
    /// leap year later (2028-12-15: 366 days), prices 15, 20 and 30.
    fn fields() -> MakeWholeFields {
        MakeWholeFields {
            effective_dates: vec![
                date(2025, 12, 15),
                date(2026, 12, 15),
                date(2027, 12, 15),
                date(2028, 12, 15),
            ],
            stock_prices: vec![dec!(15), dec!(20), dec!(30)],
            additional_shares_per_1000: vec![
                vec![dec!(14), dec!(8), dec!(2)],
                vec![dec!(12), dec!(6), dec!(1)],
                vec![dec!(10), dec!(4), dec!(0)],
                vec![dec!(8), dec!(2), dec!(0)],
            ],
            // 1000 / 15.03 = 66.5336, the rate at the reference price: a cap
            // of 14.3504 additional shares, above every entry.
            max_conversion_rate: dec!(66.5336),
        }
    }

    fn table() -> MakeWholeTable {
        MakeWholeTable::new(fields(), RATE).unwrap()
    }

    fn shares(t: &MakeWholeTable, d: NaiveDate, p: Decimal) -> Decimal {
        t.additional_shares_per_1000(d, p).unwrap()
    }

    #[test]
    fn inside_the_table_the_shares_are_interpolated_on_price_then_date() {
        // 2026-06-15 is 182 of the 365 days from 2025-12-15 to 2026-12-15;
        // 17.5 is half-way from 15 to 20.
        // a_0 = 14 + (8 − 14) × 0.5 = 11;  a_1 = 12 + (6 − 12) × 0.5 = 9;
        // 11 + (9 − 11) × 182/365 = 11 − 364/365 = 3651/365 = 10.0027397260…
        let t = table();
        let got = shares(&t, date(2026, 6, 15), dec!(17.5));
        assert_abs_diff_eq!(
            Exact(got),
            Exact(dec!(3651) / dec!(365)),
            epsilon = DECIMAL_DIGITS_ABS
        );
        let f = t.additional_shares_per_1000_f64(date(2026, 6, 15), 17.5);
        assert_abs_diff_eq!(f, 3651.0 / 365.0, epsilon = F64_ROUNDING_ABS);
    }

    #[test]
    fn a_year_with_a_leap_day_counts_its_366_days() {
        // 2028-06-15 is 183 of the 366 days from 2027-12-15 to 2028-12-15;
        // at 25 (half-way from 20 to 30): a_2 = 4 + (0 − 4) × 0.5 = 2,
        // a_3 = 2 + (0 − 2) × 0.5 = 1; 2 + (1 − 2) × 183/366 = 1.5 exactly.
        assert_eq!(shares(&table(), date(2028, 6, 15), dec!(25)), dec!(1.5));
    }

    #[test]
    fn at_the_corners_the_table_entry_is_used_as_it_is() {
        let t = table();
        assert_eq!(shares(&t, date(2025, 12, 15), dec!(15)), dec!(14));
        assert_eq!(shares(&t, date(2025, 12, 15), dec!(30)), dec!(2));
        assert_eq!(shares(&t, date(2028, 12, 15), dec!(15)), dec!(8));
        assert_eq!(shares(&t, date(2028, 12, 15), dec!(30)), dec!(0));
        // A listed date and price inside the table: no interpolation.
        assert_eq!(shares(&t, date(2026, 12, 15), dec!(20)), dec!(6));
    }

    #[test]
    fn outside_the_price_range_there_are_no_additional_shares() {
        let t = table();
        for d in [date(2025, 12, 15), date(2026, 6, 15), date(2030, 1, 1)] {
            assert_eq!(shares(&t, d, dec!(14.99)), dec!(0));
            assert_eq!(shares(&t, d, dec!(30.01)), dec!(0));
            assert_eq!(t.additional_shares_per_1000_f64(d, 14.99), 0.0);
            assert_eq!(t.additional_shares_per_1000_f64(d, 30.01), 0.0);
        }
        assert_eq!(
            t.additional_shares_per_1000_f64(date(2026, 6, 15), f64::NAN),
            0.0
        );
    }

    #[test]
    fn past_the_last_date_the_last_row_applies() {
        // At 17.5 on the last row: 8 + (2 − 8) × 0.5 = 5.
        let t = table();
        assert_eq!(shares(&t, date(2030, 1, 1), dec!(17.5)), dec!(5));
        // Before the first date, the first row: 14 + (8 − 14) × 0.5 = 11.
        assert_eq!(shares(&t, date(2025, 1, 1), dec!(17.5)), dec!(11));
    }

    #[test]
    fn the_total_rate_is_capped_at_the_maximum_conversion_rate() {
        // max 62.1832 − base 52.1832 = 10 additional shares at most.
        let mut f = fields();
        f.max_conversion_rate = dec!(62.1832);
        let t = MakeWholeTable::new(f, RATE).unwrap();
        assert_eq!(t.cap_per_1000(), dec!(10));
        assert_eq!(shares(&t, date(2025, 12, 15), dec!(15)), dec!(10));
        // 2025-12-15 at 17.5: 11 capped at 10; at 20: 8, under the cap.
        assert_eq!(shares(&t, date(2025, 12, 15), dec!(17.5)), dec!(10));
        assert_eq!(shares(&t, date(2025, 12, 15), dec!(20)), dec!(8));
        assert_eq!(
            t.additional_shares_per_1000_f64(date(2025, 12, 15), 15.0),
            10.0
        );
        // A maximum equal to the base rate leaves no additional shares.
        let mut f = fields();
        f.max_conversion_rate = RATE;
        let t = MakeWholeTable::new(f, RATE).unwrap();
        assert_eq!(shares(&t, date(2026, 6, 15), dec!(17.5)), dec!(0));
    }

    fn field_of(change: impl FnOnce(&mut MakeWholeFields)) -> String {
        let mut f = fields();
        change(&mut f);
        MakeWholeTable::new(f, RATE)
            .unwrap_err()
            .field()
            .unwrap_or_default()
            .to_string()
    }

    #[test]
    fn a_bad_table_is_refused_naming_the_field() {
        assert_eq!(
            field_of(|f| f.effective_dates.swap(0, 1)),
            "make_whole.effective_dates"
        );
        assert_eq!(
            field_of(|f| f.effective_dates[1] = f.effective_dates[0]),
            "make_whole.effective_dates"
        );
        assert_eq!(
            field_of(|f| f.effective_dates.clear()),
            "make_whole.effective_dates"
        );
        assert_eq!(
            field_of(|f| f.stock_prices.swap(1, 2)),
            "make_whole.stock_prices"
        );
        assert_eq!(
            field_of(|f| f.stock_prices[0] = dec!(0)),
            "make_whole.stock_prices[0]"
        );
        assert_eq!(
            field_of(|f| f.additional_shares_per_1000[1][2] = dec!(-0.5)),
            "make_whole.additional_shares_per_1000[1][2]"
        );
        assert_eq!(
            field_of(|f| {
                f.additional_shares_per_1000.pop();
            }),
            "make_whole.additional_shares_per_1000"
        );
        assert_eq!(
            field_of(|f| f.additional_shares_per_1000[2].push(dec!(0))),
            "make_whole.additional_shares_per_1000[2]"
        );
        assert_eq!(
            field_of(|f| f.max_conversion_rate = dec!(52.1831)),
            "make_whole.max_conversion_rate"
        );
        assert_eq!(
            field_of(|f| f.stock_prices = (1..=101).map(Decimal::from).collect()),
            "make_whole.stock_prices"
        );
    }

    #[test]
    fn effective_dates_outside_the_notes_life_are_refused() {
        let t = table();
        let issue = (date(2025, 12, 15), "issue_date");
        assert!(t
            .check_within(issue, (date(2032, 2, 15), "maturity_date"))
            .is_ok());
        let err = t
            .check_within(issue, (date(2028, 6, 15), "maturity_date"))
            .unwrap_err();
        assert_eq!(err.field(), Some("make_whole.effective_dates[3]"));
        let err = t
            .check_within(
                (date(2026, 1, 1), "issue_date"),
                (date(2032, 2, 15), "maturity_date"),
            )
            .unwrap_err();
        assert_eq!(err.field(), Some("make_whole.effective_dates[0]"));
    }

    #[test]
    fn the_f64_answer_is_the_decimal_answer_rounded() {
        let t = table();
        for (d, p) in [
            (date(2026, 3, 1), dec!(16.25)),
            (date(2027, 7, 4), dec!(22.5)),
            (date(2028, 2, 29), dec!(29.99)),
        ] {
            let exact = num::to_f64(shares(&t, d, p));
            let f = t.additional_shares_per_1000_f64(d, num::to_f64(p));
            assert_abs_diff_eq!(f, exact, epsilon = F64_ROUNDING_ABS);
        }
    }
}
