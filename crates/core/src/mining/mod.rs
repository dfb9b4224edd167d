//! Bitcoin-mining production and unit economics, and a monthly projection.
//!
//! # Conventions
//! - Hashrates are in EH/s (10¹⁸ hashes per second); hashprice and hashcost
//!   are quoted per PH/s (10¹⁵) per day, the unit miners publish.
//! - A production snapshot assumes the network runs at its difficulty: a
//!   block every 600 seconds, 144 a day. A projection runs a block clock
//!   (`clock`): between retargets blocks come at `144 × H / D` a day, faster
//!   while the network outgrows its difficulty, and the difficulty
//!   retargets every 2,016 blocks; halvings are counted in blocks.
//! - The fleet's expected share of blocks is its share of the network
//!   hashrate; uptime and the pool fee scale what it keeps.
//! - Power is drawn only while the fleet is up: energy per day is
//!   `power_mw × 24 × uptime` MWh.
//! - A fleet is one hashrate (today's form) or up to 50 cohorts, each with
//!   its efficiency, purchase cost and useful life (`cohort`); power comes
//!   at a market price with an optional spread over the hours, a
//!   fixed-price contract, demand-response credits and an economic
//!   shut-off (`power`).
//!
//! # Cost per BTC
//! - `cost_per_btc`: power only. Galaxy's *marginal* cost; CoinShares'
//!   "cost of revenue (electricity)".
//! - `cash_cost_per_btc`: power plus other cash opex (`other_opex_per_day`:
//!   hosting, staff, cash SG&A). CoinShares' *cash cost* ($82,162 for the
//!   listed miners in Q4 2024) and Galaxy's *direct* cost when other opex
//!   holds the direct costs of revenue only.
//! - `all_in_cost_per_btc`: cash cost plus depreciation of the machines
//!   (each cohort's straight line) and of the site
//!   (`infrastructure_depreciation_per_day`), plus stock-based compensation
//!   (`stock_compensation_per_day`). CoinShares' *all-in* (total) cost
//!   ($137,018 in Q4 2024, which includes stock-based compensation) and
//!   Galaxy's *total* cost.
//! - Credits (power sold back, demand response) are revenue shown apart,
//!   not netted from the costs; Riot's "cost to mine" nets its power
//!   credits, which is `(cash cost − credits) / BTC`
//!   (`breakeven_btc_price` in a production request).
//!
//! The module is split into `units` (the validated quantities: [`Hashrate`],
//! [`Difficulty`], [`Btc`], [`JoulesPerTerahash`], a [`Fleet`] …),
//! `subsidy` (the halving, the subsidy curve and fees), `cohort` (cohorts
//! and their depreciation), `power` (prices, contracts, credits and the
//! shut-off), `clock` (blocks, retargets and halvings over time),
//! `production` (a fleet's unit economics over a period) and `projection`
//! (the monthly projection).

use rust_decimal::Decimal;

mod clock;
mod cohort;
mod fleet_life;
mod power;
mod production;
mod projection;
mod subsidy;
mod units;

pub use clock::{MAX_CLOCK_EVENTS, RETARGET_INTERVAL_BLOCKS};
pub use cohort::{Cohort, Cohorts, Purchase, UsefulLife, MAX_COHORTS, MAX_USEFUL_LIFE_MONTHS};
pub use fleet_life::{fleet_life, FleetLife};
pub use power::{
    PowerContract, PowerTerms, PriceBucket, PriceProfile, Shutoff, MAX_PRICE_BUCKETS,
    MAX_PRICE_MULTIPLE,
};
pub use production::{
    btc_per_day, hashcost_usd_per_ph_day, power_mw, production, PeriodDays, Production,
    ProductionCohort, ProductionFleet, ProductionInput, SiteCosts, MAX_PERIOD_DAYS,
};
pub use projection::{
    projection, HashpriceForward, MonthlyGrowth, NetworkPath, PowerPricePath, PricePath,
    Projection, ProjectionCohort, ProjectionCohortMonth, ProjectionFleet, ProjectionInput,
    ProjectionMonth, ProjectionMonths, MAX_MONTHLY_GROWTH, MAX_PROJECTION_MONTHS,
};
pub use subsidy::{
    subsidy_at_height, Fee, FeeSchedule, FeeShare, HalvingSchedule, Subsidy,
    HALVING_INTERVAL_BLOCKS, MAX_FEE_SHARE,
};
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
            fleet: ProductionFleet::Single {
                fleet: Fleet::new(hashrate(dec!(50)), None).unwrap(),
                power: Some(PowerDraw::Efficiency(
                    JoulesPerTerahash::new(dec!(20)).unwrap(),
                )),
            },
            network: Network::Hashrate(hashrate(dec!(1000))),
            subsidy: Subsidy::Given(Btc::subsidy(dec!(3.125)).unwrap()),
            fee: Fee::PerBlock(Btc::new(dec!(0.125)).unwrap()),
            uptime: Fraction::ONE,
            pool_fee: Fraction::ZERO,
            period_days: PeriodDays::new(dec!(30)).unwrap(),
            btc_price: Some(Price::new(dec!(100000)).unwrap()),
            power_price_per_mwh: Some(Usd::new(dec!(50)).unwrap()),
            power: PowerTerms::default(),
            costs: SiteCosts {
                other_opex_per_day: Some(Usd::new(dec!(204000)).unwrap()),
                ..SiteCosts::default()
            },
            start_date: None,
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
            fleet: ProjectionFleet::Single {
                fleet: hashrate(dec!(50)),
                additions_ehs: vec![],
                efficiency: None,
            },
            halving: HalvingSchedule::Constant {
                subsidy: Btc::subsidy(dec!(3.125)).unwrap(),
            },
            fees: FeeSchedule::Flat(Fee::ZERO),
            uptime: Fraction::ONE,
            pool_fee: Fraction::ZERO,
            btc_price: PricePath::Flat(Price::new(dec!(100000)).unwrap()),
            power_price_per_mwh: None,
            power: PowerTerms::default(),
            costs: SiteCosts::default(),
            hashprice_forward: vec![],
        }
    }
}
