//! Convertible notes, as the core's `convertible` module: terms, dilution
//! and yield (exact decimal arithmetic), and fair value on a lattice
//! (pricing, with the profile, and implied volatility or spread).
//!
//! # Rounding of terms, dilution and yield responses
//! - money (USD): to cents, [`num::cents`];
//! - per-share prices: to [`PRICE_DECIMALS`] places;
//! - share counts: to [`SHARE_DECIMALS`] places (net-share settlement issues
//!   fractional shares in aggregate; each holder is paid cash for its own
//!   fraction);
//! - fractions and yields: to [`FRACTION_DECIMALS`] places;
//! - values per 100 of face: to [`PER_100_DECIMALS`] places;
//! - conversion rates: the contractual rate has four decimals as it is; the
//!   unrounded rate is given to [`FRACTION_DECIMALS`] places.
//!
//! All rounding is half away from zero and happens only here; the core
//! computes unrounded. The lattice responses round as [`pricing`] says.

use rust_decimal::Decimal;

use crate::num;
use crate::wire::Num;

pub mod capped_call;
pub mod contract;
pub mod dilution;
pub mod hedge;
pub mod implied;
pub mod pricing;
pub mod terms;
pub mod yield_;

/// Decimal places of per-share prices in responses.
pub const PRICE_DECIMALS: u32 = 6;
/// Decimal places of share counts in responses.
pub const SHARE_DECIMALS: u32 = 4;
/// Decimal places of fractions and yields in responses.
pub const FRACTION_DECIMALS: u32 = 10;
/// Decimal places of values per 100 of face in responses.
pub const PER_100_DECIMALS: u32 = 6;

pub(crate) fn price(value: Decimal) -> Num {
    num::round(value, PRICE_DECIMALS)
}

pub(crate) fn shares(value: Decimal) -> Num {
    num::round(value, SHARE_DECIMALS)
}

pub(crate) fn fraction(value: Decimal) -> Num {
    num::round(value, FRACTION_DECIMALS)
}

pub(crate) fn per_100(value: Decimal) -> Num {
    num::round(value, PER_100_DECIMALS)
}

pub(crate) fn cents(value: Decimal) -> Num {
    num::cents(value)
}
