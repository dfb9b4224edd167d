//! The book of issue 18's floor: 1,000 CleanSpark-like callable notes (the
//! 0% 2032 notes, soft call from 2029 at 130% of the conversion price),
//! shared by the greeks bench and the greeks accuracy test.

use infraval_core::convertible::lattice::{CallPeriod, ConvertibleSpec, Model};

#[path = "cleanspark.rs"]
mod cleanspark;

use cleanspark::date;

/// The notes in the book.
pub const BOOK_NOTES: usize = 1_000;

/// The CleanSpark note at a share price of `stock_price` (USD), soft-callable
/// at 100 from 2029-01-01 to maturity while the share trades at 130% of the
/// conversion price ($19.16), at the default steps. Issued a month before
/// the valuation date so that theta can be bumped both ways.
pub fn book_note(stock_price: f64) -> ConvertibleSpec {
    let mut spec = cleanspark::cleanspark_spec(Model::TsiveriotisFernandes, None);
    spec.issue_date = date(2025, 11, 15);
    spec.stock_price = stock_price;
    spec.call_schedule = vec![CallPeriod {
        from_date: date(2029, 1, 1),
        to_date: date(2032, 12, 15),
        price_per_100: 100.0,
        trigger: Some(1.3),
        test: None,
    }];
    spec
}

/// The book: [`BOOK_NOTES`] notes at share prices spread evenly from $10
/// to $25 (parity 52 to 130 per 100; the call's barrier is $24.91).
pub fn book() -> Vec<ConvertibleSpec> {
    (0..BOOK_NOTES)
        .map(|k| book_note(10.0 + 15.0 * k as f64 / (BOOK_NOTES - 1) as f64))
        .collect()
}
