//! The block clock of a projection: blocks, difficulty retargets and
//! halvings as the network hashrate moves.
//!
//! # The approximation
//! The network's hashrate `H` is a step function: `H_m` for all of month
//! `m`. The difficulty is carried as the hashrate `D` it is tuned to (the
//! hashrate that finds a block every 600 seconds, see
//! [`Difficulty::hashrate_ehs`](super::Difficulty::hashrate_ehs)). Between
//! retargets, blocks are expected at
//! ```text
//! blocks per day = 144 × H / D
//! ```
//! so they come faster than every 10 minutes while the network outgrows its
//! difficulty. Every 2,016 blocks the difficulty retargets to the time
//! average of the hashrate over the epoch just ended,
//! ```text
//! D' = ∫ H dt / (epoch length)     (= D × 14 days / epoch length)
//! ```
//! which is consensus's `D × 2 weeks / actual timespan` with expected
//! block times, clamped as consensus clamps it to `[D / 4, 4 × D]`
//! (consensus measures 2,015 intervals; the clock ignores that off-by-one).
//! A fleet of hashrate `h` finds `h / H` of the blocks, so it mines
//! ```text
//! BTC per day = h / H × 144 × H / D × reward = 144 × h × reward / D
//! ```
//! Epochs and halvings are counted in blocks: the first epoch is the one the
//! block height is in (`height mod 2,016` blocks already found, at the
//! network's starting hashrate), or one starting on the start date without
//! a height; halvings fall every 210,000 blocks of this clock.

use rust_decimal::Decimal;

use super::subsidy::{halved, next_halving_after, NextHalving};
use super::{blocks_per_day, Fee, HalvingSchedule, HALVING_INTERVAL_BLOCKS};
use crate::error::CoreError;
use crate::num::Checked;
use crate::Result;

/// Blocks between two difficulty retargets.
pub const RETARGET_INTERVAL_BLOCKS: u64 = 2_016;

/// The most a retarget may move the difficulty, either way.
const MAX_RETARGET_FACTOR: u32 = 4;

/// The most events (retargets, halvings, month ends and cohort start dates)
/// a projection's clock may pass. Ten years at ten times today's network
/// growth stay below 5,000; a path that jumps by many orders of magnitude
/// reaches it only through hundreds of clamped retargets a month.
pub const MAX_CLOCK_EVENTS: u32 = 20_000;

/// How the difficulty follows the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DifficultyRule {
    /// Retargets every 2,016 blocks as described in the module docs.
    Retarget,
    /// Given for every month (a difficulty path): `D = H` each month, so
    /// blocks come every 10 minutes.
    Given,
}

/// A stretch of a month with one difficulty and one subsidy.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Piece {
    /// Where it starts, days from the projection's start.
    pub from_day: Decimal,
    /// The difficulty, as the hashrate it is tuned to, EH/s.
    pub difficulty_ehs: Decimal,
    /// The block reward times the piece's length, BTC-days per block.
    pub reward_days: Decimal,
}

/// What the clock saw in one month.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ChainMonth {
    /// The month's pieces, in order.
    pub pieces: Vec<Piece>,
    /// Blocks the network is expected to find in the month.
    pub blocks: Decimal,
    /// The difficulty on the month's first day, as a hashrate, EH/s.
    pub difficulty_ehs_at_start: Decimal,
    /// The subsidy on the month's first day, BTC.
    pub subsidy_at_start: Decimal,
    /// Whether a halving falls in the month.
    pub halving_in_month: bool,
    /// Retargets in the month.
    pub retargets: u32,
}

impl ChainMonth {
    /// Bitcoin mined by 1 EH/s hashing from `from_day` to the month's end,
    /// before uptime and pool fee.
    ///
    /// # Formula
    /// ```text
    /// Σ over pieces from from_day:  144 × reward_days / difficulty_ehs
    /// ```
    pub(super) fn btc_per_ehs_from(&self, from_day: Decimal) -> Result<Decimal> {
        let mut total = Decimal::ZERO;
        for p in self.pieces.iter().filter(|p| p.from_day >= from_day) {
            total = total.add_or(
                blocks_per_day()
                    .mul_or(p.reward_days, "btc_mined")?
                    .div_or(p.difficulty_ehs, "btc_mined")?,
                "btc_mined",
            )?;
        }
        Ok(total)
    }
}

/// The clock's state between months.
#[derive(Debug, Clone)]
pub(super) struct Clock {
    rule: DifficultyRule,
    start_height: u64,
    day: Decimal,
    blocks: Decimal,
    epoch_blocks: Decimal,
    epoch_days: Decimal,
    epoch_hash_days: Decimal,
    difficulty_ehs: Decimal,
    subsidy: Decimal,
    next_halving: NextHalving,
    events: u32,
}

/// What ends a step of the clock.
#[derive(Debug, Clone, Copy, Default)]
struct Due {
    month_end: bool,
    breakpoint: Option<Decimal>,
    retarget: bool,
    halving: bool,
}

impl Clock {
    /// A clock on the start date, with the difficulty tuned to
    /// `difficulty_ehs`.
    pub(super) fn new(
        rule: DifficultyRule,
        difficulty_ehs: Decimal,
        schedule: &HalvingSchedule,
        start: chrono::NaiveDate,
    ) -> Result<Self> {
        let (subsidy, next_halving) = schedule.start(start)?;
        let start_height = match *schedule {
            HalvingSchedule::FromHeight { start_height } => start_height,
            _ => 0,
        };
        let epoch_blocks = Decimal::from(start_height % RETARGET_INTERVAL_BLOCKS);
        // The blocks already in the epoch came at the starting hashrate.
        let epoch_days = epoch_blocks.div_or(blocks_per_day(), "retarget epoch")?;
        Ok(Clock {
            rule,
            start_height,
            day: Decimal::ZERO,
            blocks: Decimal::ZERO,
            epoch_blocks,
            epoch_days,
            epoch_hash_days: difficulty_ehs.mul_or(epoch_days, "retarget epoch")?,
            difficulty_ehs,
            subsidy,
            next_halving,
            events: 0,
        })
    }

    /// Days to the next halving at `rate` blocks a day (zero when due).
    fn days_to_halving(&self, rate: Decimal) -> Result<Option<Decimal>> {
        let days = match self.next_halving {
            NextHalving::AtHeight { blocks, .. } | NextHalving::AfterBlocks(blocks) => blocks
                .sub_or(self.blocks, "halving")?
                .max(Decimal::ZERO)
                .div_or(rate, "halving")?,
            NextHalving::OnDay(day) => day.sub_or(self.day, "halving")?.max(Decimal::ZERO),
            NextHalving::Never => return Ok(None),
        };
        Ok(Some(days))
    }

    fn halve(&mut self) -> Result<()> {
        match self.next_halving {
            NextHalving::AtHeight { height, .. } => {
                self.blocks = Decimal::from(height - self.start_height);
                self.subsidy = super::subsidy_at_height(height);
                self.next_halving = next_halving_after(height, self.start_height);
            }
            NextHalving::AfterBlocks(blocks) => {
                self.blocks = blocks;
                self.subsidy = halved(self.subsidy)?;
                self.next_halving = NextHalving::AfterBlocks(
                    blocks.add_or(Decimal::from(HALVING_INTERVAL_BLOCKS), "halving")?,
                );
            }
            NextHalving::OnDay(day) => {
                self.day = day;
                self.subsidy = halved(self.subsidy)?;
                self.next_halving = NextHalving::AfterBlocks(
                    self.blocks
                        .add_or(Decimal::from(HALVING_INTERVAL_BLOCKS), "halving")?,
                );
            }
            NextHalving::Never => {}
        }
        self.count_event()
    }

    fn retarget(&mut self) -> Result<()> {
        let average = self.epoch_hash_days.div_or(self.epoch_days, "retarget")?;
        let factor = Decimal::from(MAX_RETARGET_FACTOR);
        let high = self.difficulty_ehs.mul_or(factor, "retarget")?;
        let low = self.difficulty_ehs.div_or(factor, "retarget")?;
        self.difficulty_ehs = average.clamp(low, high);
        self.epoch_blocks = Decimal::ZERO;
        self.epoch_days = Decimal::ZERO;
        self.epoch_hash_days = Decimal::ZERO;
        self.count_event()
    }

    fn count_event(&mut self) -> Result<()> {
        self.events += 1;
        if self.events > MAX_CLOCK_EVENTS {
            return Err(CoreError::Overflow {
                quantity: "retarget epochs",
            });
        }
        Ok(())
    }

    /// Runs the clock to `to_day` (days from the start) with the network at
    /// `network_ehs` and fees `fee`, splitting at `breakpoints` (days from
    /// the start, where cohorts are placed in service).
    pub(super) fn month(
        &mut self,
        to_day: Decimal,
        network_ehs: Decimal,
        fee: Fee,
        breakpoints: &[Decimal],
    ) -> Result<ChainMonth> {
        if self.rule == DifficultyRule::Given {
            self.difficulty_ehs = network_ehs;
        }
        let mut halving_in_month = false;
        let mut retargets = 0;
        // A halving due on the month's first day is in force all month.
        let rate = blocks_per_day()
            .mul_or(network_ehs, "blocks")?
            .div_or(self.difficulty_ehs, "blocks")?;
        while self.days_to_halving(rate)? == Some(Decimal::ZERO) {
            self.halve()?;
            halving_in_month = true;
        }
        let difficulty_ehs_at_start = self.difficulty_ehs;
        let subsidy_at_start = self.subsidy;
        let blocks_at_start = self.blocks;
        let mut pieces = Vec::new();

        while self.day < to_day {
            let rate = blocks_per_day()
                .mul_or(network_ehs, "blocks")?
                .div_or(self.difficulty_ehs, "blocks")?;
            let mut step = to_day.sub_or(self.day, "month days")?;
            let mut due = Due {
                month_end: true,
                ..Due::default()
            };
            let mut consider = |days: Decimal, set: &dyn Fn(&mut Due)| {
                if days < step {
                    step = days;
                    due = Due::default();
                }
                if days == step {
                    set(&mut due);
                }
            };
            if let Some(bp) = breakpoints
                .iter()
                .copied()
                .filter(|bp| *bp > self.day && *bp < to_day)
                .min()
            {
                consider(bp.sub_or(self.day, "month days")?, &|d| {
                    d.breakpoint = Some(bp)
                });
            }
            if self.rule == DifficultyRule::Retarget {
                let left = Decimal::from(RETARGET_INTERVAL_BLOCKS)
                    .sub_or(self.epoch_blocks, "retarget")?
                    .max(Decimal::ZERO)
                    .div_or(rate, "retarget")?;
                consider(left, &|d| d.retarget = true);
            }
            if let Some(days) = self.days_to_halving(rate)? {
                consider(days, &|d| d.halving = true);
            }

            if step > Decimal::ZERO {
                let reward = fee.reward(self.subsidy)?;
                pieces.push(Piece {
                    from_day: self.day,
                    difficulty_ehs: self.difficulty_ehs,
                    reward_days: reward.mul_or(step, "btc_mined")?,
                });
                let found = rate.mul_or(step, "blocks")?;
                self.blocks = self.blocks.add_or(found, "blocks")?;
                self.epoch_blocks = self.epoch_blocks.add_or(found, "blocks")?;
                self.epoch_days = self.epoch_days.add_or(step, "retarget epoch")?;
                self.epoch_hash_days = self.epoch_hash_days.add_or(
                    network_ehs.mul_or(step, "retarget epoch")?,
                    "retarget epoch",
                )?;
                self.day = self.day.add_or(step, "month days")?;
            }
            if due.month_end {
                self.day = to_day;
            }
            if let Some(bp) = due.breakpoint {
                self.day = bp;
                self.count_event()?;
            }
            if due.retarget {
                self.retarget()?;
                retargets += 1;
            }
            if due.halving {
                if due.month_end {
                    // A halving on the month's last instant belongs to the next
                    // month, whose first day it sets: pin the clock on it exactly.
                    if let NextHalving::AtHeight { blocks, .. } | NextHalving::AfterBlocks(blocks) =
                        self.next_halving
                    {
                        self.blocks = blocks;
                    }
                } else {
                    self.halve()?;
                    halving_in_month = true;
                }
            }
        }
        self.count_event()?;
        Ok(ChainMonth {
            pieces,
            blocks: self.blocks.sub_or(blocks_at_start, "blocks")?,
            difficulty_ehs_at_start,
            subsidy_at_start,
            halving_in_month,
            retargets,
        })
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::mining::tests::{close, date};
    use crate::mining::Btc;

    fn constant_subsidy() -> HalvingSchedule {
        HalvingSchedule::Constant {
            subsidy: Btc::subsidy(dec!(3.125)).unwrap(),
        }
    }

    #[test]
    fn a_network_at_its_difficulty_finds_144_blocks_a_day_and_keeps_its_difficulty() {
        // 1,000 EH/s against a difficulty tuned to 1,000: 144 × 1,000 / 1,000 = 144 a day;
        // 31 days = 4,464 blocks, two retargets (2,016 and 4,032), each to the average 1,000.
        let mut clock = Clock::new(
            DifficultyRule::Retarget,
            dec!(1000),
            &constant_subsidy(),
            date(2026, 3, 1),
        )
        .unwrap();
        let m = clock.month(dec!(31), dec!(1000), Fee::ZERO, &[]).unwrap();
        assert_eq!(m.blocks, dec!(4464));
        assert_eq!(m.retargets, 2);
        assert_eq!(clock.difficulty_ehs, dec!(1000));
        // 144 × 3.125 × 31 / 1,000 = 13.95 BTC per EH/s.
        assert_eq!(m.btc_per_ehs_from(Decimal::ZERO).unwrap(), dec!(13.95));
    }

    #[test]
    fn ten_percent_more_hashrate_finds_blocks_faster_until_the_retarget_resets_the_pace() {
        // February 2026 (28 days) at 1,000 EH/s is exactly two epochs: 28 × 144 = 4,032.
        // March at 1,100 EH/s: 144 × 1,100 / 1,000 = 158.4 blocks a day, so the epoch's
        // 2,016 blocks take 2,016 / 158.4 = 140/11 = 12.7272… days, not 14. The retarget
        // sets the difficulty to that epoch's average, 1,100, and the remaining
        // 31 − 140/11 = 201/11 days find 144 a day: 28,944/11 blocks (with one more
        // retarget, to 1,100 again, 14 days later).
        // March: 2,016 + 28,944/11 = 51,120/11 = 4,647.27… blocks, 149.9 a day.
        let mut clock = Clock::new(
            DifficultyRule::Retarget,
            dec!(1000),
            &constant_subsidy(),
            date(2026, 2, 1),
        )
        .unwrap();
        let feb = clock.month(dec!(28), dec!(1000), Fee::ZERO, &[]).unwrap();
        assert_eq!(feb.blocks, dec!(4032));
        let march = clock.month(dec!(59), dec!(1100), Fee::ZERO, &[]).unwrap();
        assert!(close(march.blocks, dec!(51120) / dec!(11)));
        assert!(march.blocks / dec!(31) > dec!(144));
        assert_eq!(march.retargets, 2);
        assert_eq!(march.pieces[0].difficulty_ehs, dec!(1000));
        assert!(close(
            march.pieces[1].from_day,
            dec!(28) + dec!(140) / dec!(11)
        ));
        assert!(close(march.pieces[1].difficulty_ehs, dec!(1100)));
        // Per EH/s: 144 × 3.125 × (140/11) / 1,000 + 144 × 3.125 × (201/11) / 1,100
        //         = 450 × 140 / 11,000 + 450 × 201 / 12,100 = 5.72727… + 7.47520… = 13.20247…
        let expected = dec!(63000) / dec!(11000) + dec!(90450) / dec!(12100);
        assert!(close(march.btc_per_ehs_from(dec!(28)).unwrap(), expected));
    }

    #[test]
    fn the_clock_refuses_to_pass_more_than_its_cap_of_events() {
        // A month at the difficulty passes two retargets (after 2,016 and 4,032 of its
        // 4,464 blocks) and its end: three events. With 19,998 already passed the third is
        // the 20,001st, over the cap.
        let mut clock = Clock::new(
            DifficultyRule::Retarget,
            dec!(1000),
            &constant_subsidy(),
            date(2026, 3, 1),
        )
        .unwrap();
        clock.events = MAX_CLOCK_EVENTS - 2;
        assert!(matches!(
            clock.month(dec!(31), dec!(1000), Fee::ZERO, &[]),
            Err(CoreError::Overflow {
                quantity: "retarget epochs"
            })
        ));
        let mut clock = Clock::new(
            DifficultyRule::Retarget,
            dec!(1000),
            &constant_subsidy(),
            date(2026, 3, 1),
        )
        .unwrap();
        clock.events = MAX_CLOCK_EVENTS - 3;
        assert!(clock.month(dec!(31), dec!(1000), Fee::ZERO, &[]).is_ok());
    }

    #[test]
    fn a_retarget_moves_the_difficulty_at_most_fourfold() {
        // A network ten times its difficulty: 1,440 blocks a day, the epoch ends after
        // 1.4 days and the difficulty rises to 4 × 100, not to 1,000.
        let mut clock = Clock::new(
            DifficultyRule::Retarget,
            dec!(100),
            &constant_subsidy(),
            date(2026, 1, 1),
        )
        .unwrap();
        let m = clock.month(dec!(1.4), dec!(1000), Fee::ZERO, &[]).unwrap();
        assert_eq!(m.retargets, 1);
        assert_eq!(clock.difficulty_ehs, dec!(400));
    }

    #[test]
    fn the_first_epoch_is_the_one_the_block_height_is_in() {
        // Height 927,000 = 459 × 2,016 + 1,656: the retarget is 360 blocks, 2.5 days, away.
        let mut clock = Clock::new(
            DifficultyRule::Retarget,
            dec!(1000),
            &HalvingSchedule::FromHeight {
                start_height: 927_000,
            },
            date(2025, 12, 1),
        )
        .unwrap();
        let m = clock.month(dec!(3), dec!(1100), Fee::ZERO, &[]).unwrap();
        // 360 blocks at 158.4 a day take 2.2727… days; the epoch then averages
        // (1,656 / 144 × 1,000 + 2.2727… × 1,100) / (11.5 + 2.2727…) EH/s.
        assert_eq!(m.retargets, 1);
        let days = dec!(360) / dec!(158.4);
        let average = (dec!(11500) + days * dec!(1100)) / (dec!(11.5) + days);
        assert!(close(clock.difficulty_ehs, average));
    }

    #[test]
    fn a_halving_at_a_month_s_end_belongs_to_the_next_month() {
        // 4,464 blocks to the halving = 31 days at 144 a day: it falls as January ends,
        // so February starts at 1.5625 BTC and carries the halving flag.
        let mut clock = Clock::new(
            DifficultyRule::Retarget,
            dec!(1000),
            &HalvingSchedule::FromHeight {
                start_height: 1_050_000 - 4_464,
            },
            date(2028, 1, 1),
        )
        .unwrap();
        let jan = clock.month(dec!(31), dec!(1000), Fee::ZERO, &[]).unwrap();
        assert!(!jan.halving_in_month);
        let feb = clock.month(dec!(60), dec!(1000), Fee::ZERO, &[]).unwrap();
        assert!(feb.halving_in_month);
        assert_eq!(feb.subsidy_at_start, dec!(1.5625));
    }

    #[test]
    fn a_halving_counts_blocks_so_it_comes_sooner_on_a_faster_network() {
        // 1,440 blocks to the halving at 158.4 a day: 9.0909… days, not 10. Fees as a 20%
        // share: the reward is 3.125 / 0.8 = 3.90625 before and 1.953125 after.
        let mut clock = Clock::new(
            DifficultyRule::Given,
            dec!(1100),
            &HalvingSchedule::FromHeight {
                start_height: 1_050_000 - 1_440,
            },
            date(2028, 3, 1),
        )
        .unwrap();
        // A given difficulty keeps 144 a day: 10 days to the halving.
        let share = Fee::Share(super::super::FeeShare::new(dec!(0.2)).unwrap());
        let m = clock.month(dec!(31), dec!(1100), share, &[]).unwrap();
        assert!(m.halving_in_month);
        assert_eq!(m.pieces[1].from_day, dec!(10));
        assert_eq!(m.pieces[0].reward_days, dec!(39.0625));

        let mut faster = Clock::new(
            DifficultyRule::Retarget,
            dec!(1000),
            &HalvingSchedule::FromHeight {
                start_height: 1_050_000 - 1_440,
            },
            date(2028, 3, 1),
        )
        .unwrap();
        let m = faster.month(dec!(31), dec!(1100), share, &[]).unwrap();
        // Height 1,048,560 = 520 × 2,016 + 240: the retarget is 1,776 blocks away, after
        // the halving at 1,440 / 158.4 = 9.0909… days.
        assert!(close(m.pieces[1].from_day, dec!(1440) / dec!(158.4)));
        assert_eq!(m.pieces[1].difficulty_ehs, dec!(1000));
    }
}
