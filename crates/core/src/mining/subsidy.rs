//! The block subsidy: its halving at a height, and as a step function of
//! days over a projection.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::Btc;
use crate::error::{CoreError, ValueError};
use crate::num::{self, Checked};
use crate::Result;

/// Blocks between two halvings of the subsidy.
pub const HALVING_INTERVAL_BLOCKS: u64 = 210_000;

/// The genesis subsidy, satoshis (50 BTC).
const INITIAL_SUBSIDY_SATS: u64 = 5_000_000_000;

/// Satoshi decimal places in a bitcoin.
const BTC_SCALE: u32 = 8;

/// The block subsidy at a block height.
///
/// # Formula
/// ```text
/// subsidy = 50 × 2^−⌊height / 210,000⌋ BTC
/// ```
/// computed as the consensus rule does, in whole satoshis with a right
/// shift, so it is exact (3.125 BTC from height 840,000) and becomes zero
/// after 33 halvings; heights of any size are accepted.
///
/// # Example
/// ```
/// use infraval_core::mining::subsidy_at_height;
/// use rust_decimal::Decimal;
///
/// assert_eq!(subsidy_at_height(927_000), Decimal::new(3125, 3));
/// assert_eq!(subsidy_at_height(u64::MAX), Decimal::ZERO);
/// ```
pub fn subsidy_at_height(height: u64) -> Decimal {
    let halvings = height / HALVING_INTERVAL_BLOCKS;
    let sats = if halvings >= 64 {
        0
    } else {
        INITIAL_SUBSIDY_SATS >> halvings
    };
    Decimal::new(i64::try_from(sats).unwrap_or(0), BTC_SCALE)
}

/// The block subsidy, given or derived from the block height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Subsidy {
    /// The subsidy, BTC per block.
    Given(Btc),
    /// The current block height; the subsidy is [`subsidy_at_height`].
    FromHeight(u64),
}

impl Subsidy {
    /// The subsidy, BTC per block.
    pub fn btc(self) -> Decimal {
        match self {
            Subsidy::Given(b) => b.get(),
            Subsidy::FromHeight(h) => subsidy_at_height(h),
        }
    }
}

/// When the subsidy halves during a projection.
#[derive(Debug, Clone, PartialEq)]
pub enum HalvingSchedule {
    /// The block height on the start date; the subsidy follows
    /// [`subsidy_at_height`] as the projection's block clock counts blocks.
    FromHeight {
        /// Block height at the start date.
        start_height: u64,
    },
    /// A subsidy that halves on a given date, then every 210,000 blocks
    /// of the projection's block clock.
    OnDate {
        /// Subsidy before the next halving, BTC.
        subsidy: Btc,
        /// The date of the next halving (field `next_halving_date`).
        next_halving: NaiveDate,
    },
    /// A subsidy that never changes over the horizon.
    Constant {
        /// The subsidy, BTC.
        subsidy: Btc,
    },
}

/// The largest fee share accepted: fees nine times the subsidy. Fees have
/// been above half of a day's reward only on a few days (April 2024); a
/// share near 1 would be a typo for a percentage.
pub const MAX_FEE_SHARE: Decimal = Decimal::from_parts(9, 0, 0, false, 1);

/// Fees as a fraction of the whole block reward, `fees / (subsidy + fees)`:
/// `0 ≤ share ≤ 0.9`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FeeShare(Decimal);

impl FeeShare {
    /// Checks `0 ≤ share ≤ 0.9` ([`MAX_FEE_SHARE`]).
    pub fn new(share: Decimal) -> Result<Self, ValueError> {
        num::within(share, Decimal::ZERO, MAX_FEE_SHARE).map(FeeShare)
    }

    /// The share, a fraction.
    pub fn get(self) -> Decimal {
        self.0
    }
}

/// Transaction fees in a block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fee {
    /// A fixed amount per block, BTC.
    PerBlock(Btc),
    /// A share of the whole block reward.
    Share(FeeShare),
}

impl Fee {
    /// No fees.
    pub const ZERO: Fee = Fee::PerBlock(Btc::ZERO);

    /// The whole reward of a block whose subsidy is `subsidy` BTC.
    ///
    /// # Formula
    /// ```text
    /// per block:  reward = subsidy + fees_per_block
    /// share s:    reward = subsidy / (1 − s)      (so fees = s × reward)
    /// ```
    pub fn reward(self, subsidy: Decimal) -> Result<Decimal> {
        match self {
            Fee::PerBlock(f) => subsidy.add_or(f.get(), "block reward"),
            Fee::Share(s) => subsidy.div_or(
                Decimal::ONE.sub_or(s.get(), "block reward")?,
                "block reward",
            ),
        }
    }
}

/// Fees over a projection: the same every month, or one per month.
#[derive(Debug, Clone, PartialEq)]
pub enum FeeSchedule {
    /// The same every month.
    Flat(Fee),
    /// BTC per block for each month, month 1 first (field
    /// `fees_per_block_btc_path`).
    PerBlockPath(Vec<Btc>),
    /// The fee share for each month (field `fee_share_path`).
    SharePath(Vec<FeeShare>),
}

impl FeeSchedule {
    /// The fee of month `index` (0-based); a path has been checked to
    /// cover every month.
    pub(super) fn at(&self, index: usize) -> Fee {
        match self {
            FeeSchedule::Flat(f) => *f,
            FeeSchedule::PerBlockPath(p) => p.get(index).map_or(Fee::ZERO, |f| Fee::PerBlock(*f)),
            FeeSchedule::SharePath(p) => p.get(index).map_or(Fee::ZERO, |s| Fee::Share(*s)),
        }
    }

    /// A path's length and field, for the length check.
    pub(super) fn path(&self) -> Option<(usize, &'static str)> {
        match self {
            FeeSchedule::Flat(_) => None,
            FeeSchedule::PerBlockPath(p) => Some((p.len(), "fees_per_block_btc_path")),
            FeeSchedule::SharePath(p) => Some((p.len(), "fee_share_path")),
        }
    }
}

/// The next halving as the block clock sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum NextHalving {
    /// At a block height, `blocks` blocks after the start; the subsidy then
    /// becomes [`subsidy_at_height`] of that height.
    AtHeight {
        /// Blocks from the start to the halving.
        blocks: Decimal,
        /// The halving's height.
        height: u64,
    },
    /// A given number of blocks after the start; the subsidy then halves
    /// in whole satoshis.
    AfterBlocks(Decimal),
    /// On a day (days from the start); the subsidy then halves in whole
    /// satoshis, and the next comes 210,000 blocks later.
    OnDay(Decimal),
    /// Not within the model (a constant subsidy, or no halving left).
    Never,
}

impl HalvingSchedule {
    /// The subsidy on the start date and the first halving after it.
    ///
    /// # Errors
    /// [`CoreError::DateOrder`] for a halving date before the start.
    pub(super) fn start(&self, start: NaiveDate) -> Result<(Decimal, NextHalving)> {
        match *self {
            HalvingSchedule::Constant { subsidy } => Ok((subsidy.get(), NextHalving::Never)),
            HalvingSchedule::FromHeight { start_height } => Ok((
                subsidy_at_height(start_height),
                next_halving_after(start_height, start_height),
            )),
            HalvingSchedule::OnDate {
                subsidy,
                next_halving,
            } => {
                if next_halving < start {
                    return Err(CoreError::DateOrder {
                        field: "next_halving_date".into(),
                        date: next_halving,
                        relation: "on or after",
                        other_field: "start_date",
                        other: start,
                    });
                }
                Ok((
                    subsidy.get(),
                    NextHalving::OnDay(Decimal::from((next_halving - start).num_days())),
                ))
            }
        }
    }
}

/// The first halving height above `height`, as blocks after `start_height`;
/// `Never` once the heights leave `u64`.
pub(super) fn next_halving_after(height: u64, start_height: u64) -> NextHalving {
    let next = (height / HALVING_INTERVAL_BLOCKS + 1).checked_mul(HALVING_INTERVAL_BLOCKS);
    match next {
        // bounded: next > height ≥ start_height.
        Some(next) => NextHalving::AtHeight {
            blocks: Decimal::from(next - start_height),
            height: next,
        },
        None => NextHalving::Never,
    }
}

/// A subsidy halved as consensus does: in whole satoshis, rounding down.
pub(super) fn halved(subsidy: Decimal) -> Result<Decimal> {
    Ok(subsidy
        .div_or(Decimal::TWO, "halved subsidy")?
        .trunc_with_scale(BTC_SCALE))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn the_subsidy_halves_every_210000_blocks_and_reaches_zero() {
        assert_eq!(subsidy_at_height(0), dec!(50));
        assert_eq!(subsidy_at_height(209_999), dec!(50));
        assert_eq!(subsidy_at_height(210_000), dec!(25));
        assert_eq!(subsidy_at_height(630_000), dec!(6.25));
        // The fourth halving, April 2024.
        assert_eq!(subsidy_at_height(840_000), dec!(3.125));
        assert_eq!(subsidy_at_height(1_050_000), dec!(1.5625));
        // 5,000,000,000 sats >> 32 = 1 sat (2^32 < 5e9 < 2^33); >> 33 = 0.
        assert_eq!(subsidy_at_height(32 * 210_000), dec!(0.00000001));
        assert_eq!(subsidy_at_height(33 * 210_000), Decimal::ZERO);
        assert_eq!(subsidy_at_height(u64::MAX), Decimal::ZERO);
    }

    proptest! {
        #[test]
        fn the_subsidy_never_rises_with_height(h in any::<u64>(), step in 0u64..10_000_000) {
            prop_assert!(subsidy_at_height(h.saturating_add(step)) <= subsidy_at_height(h));
        }
    }
}
