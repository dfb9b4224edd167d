//! The monitoring grid of the daily engine: trading days are weekdays
//! (Monday to Friday), with no holiday calendar.
//!
//! A date that falls on a weekend is placed on the next weekday; the
//! maturity date ends the grid whatever day it falls on.

use chrono::{Datelike, NaiveDate, Weekday};

/// Whether `date` is a trading day: a weekday.
pub fn is_trading_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The trading days after `valuation` and before `maturity`, then
/// `maturity` itself: the days on which the daily engine reads the stock.
pub fn grid(valuation: NaiveDate, maturity: NaiveDate) -> Vec<NaiveDate> {
    let mut days: Vec<NaiveDate> = valuation
        .iter_days()
        .skip(1)
        .take_while(|d| *d < maturity)
        .filter(|d| is_trading_day(*d))
        .collect();
    if maturity > valuation {
        days.push(maturity);
    }
    days
}

/// The index in `grid` of the first day on or after `date`, or `None`
/// when `date` is after the grid's last day.
pub fn place(grid: &[NaiveDate], date: NaiveDate) -> Option<usize> {
    let i = grid.partition_point(|d| *d < date);
    (i < grid.len()).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_grid_holds_the_weekdays_after_valuation_and_ends_on_maturity() {
        // Monday 2025-12-15 to Sunday 2025-12-28: 9 weekdays after the
        // 15th (16-19, 22-26), then the Sunday maturity.
        let g = grid(date(2025, 12, 15), date(2025, 12, 28));
        assert_eq!(g.len(), 10);
        assert_eq!(g[0], date(2025, 12, 16));
        assert_eq!(g[8], date(2025, 12, 26));
        assert_eq!(g[9], date(2025, 12, 28));
        // A Saturday is placed on the Monday after it.
        assert_eq!(place(&g, date(2025, 12, 20)), Some(4));
        assert_eq!(g[4], date(2025, 12, 22));
        assert_eq!(place(&g, date(2026, 1, 1)), None);
    }

    #[test]
    fn the_cleanspark_2032_notes_have_1610_days_on_the_grid_from_december_2025() {
        // 2025-12-16 to 2032-02-14 holds 1,609 weekdays (counted apart, with
        // Python's datetime: `sum(d.weekday() < 5 for d in ...)`), then the
        // Sunday maturity 2032-02-15.
        let g = grid(date(2025, 12, 15), date(2032, 2, 15));
        assert_eq!(g.len(), 1_610);
        assert_eq!(g[1_608], date(2032, 2, 13));
    }
}
