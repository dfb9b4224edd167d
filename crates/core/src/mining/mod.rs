//! Bitcoin-mining production and unit economics, and a monthly projection.
//!
//! # Conventions
//! - Hashrates are in EH/s (10¹⁸ hashes per second); hashprice and hashcost
//!   are quoted per PH/s (10¹⁵) per day, the unit miners publish.
//! - A block is found every 600 seconds on average, so 144 blocks a day. The
//!   model does not shorten block times when the network grows faster than
//!   difficulty adjusts; it is an expected-value model.
//! - The fleet's expected share of blocks is its share of the network
//!   hashrate; uptime and the pool fee scale what it keeps.
//! - Power is drawn only while the fleet is up: energy per day is
//!   `power_mw × 24 × uptime` MWh.
//!
//! The module is split into `units` (the validated quantities: [`Hashrate`],
//! [`Difficulty`], [`Btc`], [`JoulesPerTerahash`], a [`Fleet`] …),
//! `subsidy` (the halving and the subsidy curve), `production` (a fleet's
//! unit economics over a period) and `projection` (the monthly projection).

use rust_decimal::Decimal;

mod production;
mod projection;
mod subsidy;
mod units;

pub use production::{
    btc_per_day, hashcost_usd_per_ph_day, power_mw, production, PeriodDays, Production,
    ProductionInput, MAX_PERIOD_DAYS,
};
pub use projection::{
    projection, MonthlyGrowth, NetworkPath, PricePath, Projection, ProjectionInput,
    ProjectionMonth, ProjectionMonths, MAX_MONTHLY_GROWTH, MAX_PROJECTION_MONTHS,
};
pub use subsidy::{subsidy_at_height, HalvingSchedule, Subsidy, HALVING_INTERVAL_BLOCKS};
pub use units::{
    Btc, Difficulty, Fleet, Hashrate, JoulesPerTerahash, Miners, Network, PowerDraw,
    MAX_BLOCK_SUBSIDY_BTC,
};

/// Blocks per day at the 600-second target spacing.
pub const BLOCKS_PER_DAY: u64 = 144;

pub(crate) fn blocks_per_day() -> Decimal {
    Decimal::from(BLOCKS_PER_DAY)
}

pub(crate) fn hours_per_day() -> Decimal {
    Decimal::from(24)
}

/// TH/s in one EH/s, and PH/s in one EH/s.
pub(crate) fn th_per_eh() -> Decimal {
    Decimal::from(1_000_000)
}

pub(crate) fn ph_per_eh() -> Decimal {
    Decimal::ONE_THOUSAND
}

#[cfg(test)]
pub(crate) mod tests {
    use chrono::NaiveDate;
    use rust_decimal_macros::dec;

    use approx::relative_eq;

    use super::*;
    use crate::num::{Fraction, Price, Usd};
    use crate::tolerance::{Exact, DECIMAL_DIVISION_REL};

    /// Decimal results through a 28-digit division (fleet / network),
    /// against the closed form.
    pub(crate) fn close(actual: Decimal, expected: Decimal) -> bool {
        relative_eq!(
            Exact(actual),
            Exact(expected),
            max_relative = DECIMAL_DIVISION_REL
        )
    }

    pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    pub(crate) fn hashrate(ehs: Decimal) -> Hashrate {
        Hashrate::new(ehs).unwrap()
    }

    /// 50 EH/s of a 1,000 EH/s network, 3.125 + 0.125 BTC a block, no
    /// downtime, no pool fee, at $100,000, 20 J/TH and $50/MWh.
    pub(crate) fn round_numbers() -> ProductionInput {
        ProductionInput {
            fleet: Fleet::new(hashrate(dec!(50)), None).unwrap(),
            network: Network::Hashrate(hashrate(dec!(1000))),
            subsidy: Subsidy::Given(Btc::subsidy(dec!(3.125)).unwrap()),
            fees_per_block: Btc::new(dec!(0.125)).unwrap(),
            uptime: Fraction::ONE,
            pool_fee: Fraction::ZERO,
            period_days: PeriodDays::new(dec!(30)).unwrap(),
            btc_price: Some(Price::new(dec!(100000)).unwrap()),
            power: Some(PowerDraw::Efficiency(
                JoulesPerTerahash::new(dec!(20)).unwrap(),
            )),
            power_price_per_mwh: Some(Usd::new(dec!(50)).unwrap()),
            other_opex_per_day: Some(Usd::new(dec!(204000)).unwrap()),
        }
    }

    pub(crate) fn projection_input() -> ProjectionInput {
        ProjectionInput {
            start_date: date(2025, 12, 1),
            months: ProjectionMonths::new(1).unwrap(),
            network: NetworkPath::Growth {
                initial: Network::Hashrate(hashrate(dec!(1000))),
                monthly_growth: MonthlyGrowth::new(Decimal::ZERO).unwrap(),
            },
            fleet: hashrate(dec!(50)),
            fleet_additions_ehs: vec![],
            halving: HalvingSchedule::Constant {
                subsidy: Btc::subsidy(dec!(3.125)).unwrap(),
            },
            fees_per_block: Btc::ZERO,
            uptime: Fraction::ONE,
            pool_fee: Fraction::ZERO,
            btc_price: PricePath::Flat(Price::new(dec!(100000)).unwrap()),
            efficiency: None,
            power_price_per_mwh: None,
            other_opex_per_day: None,
        }
    }
}
