//! The block subsidy: its halving at a height, and as a step function of
//! days over a projection.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{blocks_per_day, Btc};
use crate::error::CoreError;
use crate::num::Checked;
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
    /// The block height on the start date; blocks then come every 10
    /// minutes (144 a day) and the subsidy follows [`subsidy_at_height`].
    FromHeight {
        /// Block height at the start date.
        start_height: u64,
    },
    /// A subsidy that halves on a given date, then every 210,000 blocks
    /// at 144 blocks a day (1,458⅓ days).
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

/// Subsidy as a step function of days since the start date.
pub(super) struct SubsidyCurve {
    initial: Decimal,
    /// `(day, subsidy from that day on)`, increasing in day.
    changes: Vec<(Decimal, Decimal)>,
}

impl SubsidyCurve {
    pub(super) fn new(
        schedule: &HalvingSchedule,
        start: NaiveDate,
        horizon_days: Decimal,
    ) -> Result<Self> {
        let interval_days =
            Decimal::from(HALVING_INTERVAL_BLOCKS).div_or(blocks_per_day(), "halving interval")?;
        let mut changes = Vec::new();
        let initial = match *schedule {
            HalvingSchedule::Constant { subsidy } => subsidy.get(),
            HalvingSchedule::FromHeight { start_height } => {
                let mut epoch = start_height / HALVING_INTERVAL_BLOCKS;
                loop {
                    epoch += 1;
                    let Some(height) = epoch.checked_mul(HALVING_INTERVAL_BLOCKS) else {
                        break;
                    };
                    // bounded: height = (start_height / interval + 1) × interval > start_height.
                    let day = Decimal::from(height - start_height)
                        .div_or(blocks_per_day(), "halving day")?;
                    if day >= horizon_days {
                        break;
                    }
                    changes.push((day, subsidy_at_height(height)));
                }
                subsidy_at_height(start_height)
            }
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
                let mut day = Decimal::from((next_halving - start).num_days());
                let mut current = subsidy.get();
                while day < horizon_days {
                    // Halve in whole satoshis, rounding down, as consensus does.
                    current = current
                        .div_or(Decimal::TWO, "halved subsidy")?
                        .trunc_with_scale(BTC_SCALE);
                    changes.push((day, current));
                    day = day.add_or(interval_days, "halving day")?;
                }
                subsidy.get()
            }
        };
        Ok(SubsidyCurve { initial, changes })
    }

    /// Subsidy in force on `day`.
    pub(super) fn at(&self, day: Decimal) -> Decimal {
        self.changes
            .iter()
            .take_while(|(d, _)| *d <= day)
            .last()
            .map_or(self.initial, |(_, s)| *s)
    }

    /// `∫ subsidy dt` over `[from, to)`, BTC-days per block.
    pub(super) fn integral(&self, from: Decimal, to: Decimal) -> Result<Decimal> {
        let mut total = Decimal::ZERO;
        let mut piece_start = from;
        let mut level = self.at(from);
        for &(day, subsidy) in self.changes.iter().filter(|(d, _)| *d > from && *d < to) {
            let length = day.sub_or(piece_start, "subsidy integral")?;
            total = total.add_or(
                level.mul_or(length, "subsidy integral")?,
                "subsidy integral",
            )?;
            piece_start = day;
            level = subsidy;
        }
        let length = to.sub_or(piece_start, "subsidy integral")?;
        total.add_or(
            level.mul_or(length, "subsidy integral")?,
            "subsidy integral",
        )
    }

    pub(super) fn changes_within(&self, from: Decimal, to: Decimal) -> bool {
        self.changes.iter().any(|(d, _)| *d >= from && *d < to)
    }
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
