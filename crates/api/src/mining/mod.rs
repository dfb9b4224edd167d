//! Bitcoin-mining economics: `POST /v1/mining/production` and
//! `POST /v1/mining/projection`.
//!
//! # Rounding
//! Bitcoin amounts are rounded to satoshis (8 decimal places; the BTC
//! hashprice to 10), money to cents, hashrates, power, efficiency, blocks,
//! difficulty and hours to 6 decimal places and the fleet share to 12, all
//! half away from zero. Totals and cumulative figures are summed before
//! rounding.

use infraval_core::error::AtField;
use infraval_core::mining::{Difficulty, Hashrate, Network};
use infraval_core::num::Fraction;
use infraval_core::num::Usd;
use infraval_core::CoreError;
use rust_decimal::Decimal;

use crate::num;
use crate::wire::Num;

pub mod cohort;
pub mod power;
pub mod production;
pub mod projection;

/// Satoshi precision.
pub(crate) const BTC_DP: u32 = 8;
/// Precision of the hashprice in BTC, a hundredth of a satoshi: at
/// 0.0004 BTC per PH/s per day, satoshis would leave four digits.
pub(crate) const HASHPRICE_BTC_DP: u32 = 10;
/// Precision of hashrates, power and efficiency.
pub(crate) const PHYSICAL_DP: u32 = 6;
/// Precision of the fleet share.
pub(crate) const SHARE_DP: u32 = 12;

pub(crate) fn btc(v: Decimal) -> Num {
    num::round(v, BTC_DP)
}

pub(crate) fn physical(v: Decimal) -> Num {
    num::round(v, PHYSICAL_DP)
}

pub(crate) fn cents(v: Decimal) -> Num {
    num::cents(v)
}

/// Which of a group of alternatives was given; exactly one must be.
pub(crate) fn exactly_one(options: &[(&'static str, bool)]) -> Result<usize, CoreError> {
    let given: Vec<&'static str> = options.iter().filter(|o| o.1).map(|o| o.0).collect();
    match (given.len(), options.iter().position(|o| o.1)) {
        (1, Some(i)) => Ok(i),
        _ => Err(CoreError::exactly_one_of(
            &options.iter().map(|o| o.0).collect::<Vec<_>>(),
            &given,
        )),
    }
}

/// Which of a group of alternatives was given, if any; at most one may be.
pub(crate) fn at_most_one(options: &[(&'static str, bool)]) -> Result<Option<usize>, CoreError> {
    if options.iter().all(|o| !o.1) {
        Ok(None)
    } else {
        exactly_one(options).map(Some)
    }
}

pub(crate) fn fraction_or(
    v: Option<Num>,
    default: Fraction,
    field: &str,
) -> Result<Fraction, CoreError> {
    v.map_or(Ok(default), |v| Fraction::new(v.get()).at(field))
}

pub(crate) fn opt_usd(v: Option<Num>, field: &str) -> Result<Option<Usd>, CoreError> {
    v.map(|v| Usd::new(v.get()).at(field)).transpose()
}

pub(crate) fn network(
    hashrate: Option<Num>,
    difficulty: Option<Num>,
) -> Result<Network, CoreError> {
    match exactly_one(&[
        ("network_hashrate_ehs", hashrate.is_some()),
        ("difficulty", difficulty.is_some()),
    ])? {
        0 => Ok(Network::Hashrate(
            Hashrate::new(hashrate.unwrap_or_default().get()).at("network_hashrate_ehs")?,
        )),
        _ => Ok(Network::Difficulty(
            Difficulty::new(difficulty.unwrap_or_default().get()).at("difficulty")?,
        )),
    }
}
