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

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

use crate::error::{AtField, CoreError, ValueError};
use crate::num::{self, Checked, Fraction, Megawatts, Price, Usd};
use crate::Result;

/// Blocks per day at the 600-second target spacing.
pub const BLOCKS_PER_DAY: u64 = 144;
/// Blocks between two halvings of the subsidy.
pub const HALVING_INTERVAL_BLOCKS: u64 = 210_000;
/// The genesis subsidy, satoshis (50 BTC).
const INITIAL_SUBSIDY_SATS: u64 = 5_000_000_000;
/// Satoshi decimal places in a bitcoin.
const BTC_SCALE: u32 = 8;
/// The longest projection, months (ten years).
pub const MAX_PROJECTION_MONTHS: u32 = 120;
/// The longest production period, days (ten years of 366 days).
pub const MAX_PERIOD_DAYS: u32 = 3_660;
/// The largest block subsidy accepted, BTC: the genesis subsidy.
pub const MAX_BLOCK_SUBSIDY_BTC: u32 = 50;
/// The largest fleet or monthly network growth accepted, a fraction per month
/// (+1,000% a month; anything near it is a typo for a percentage).
pub const MAX_MONTHLY_GROWTH: u32 = 10;

/// The relative tolerance when reconciling `miner_count × th_per_miner` with
/// the stated fleet hashrate: 2% of the fleet hashrate.
///
/// Reported fleet hashrates are rounded (CleanSpark's "50.0 EH/s") and the
/// per-miner average is usually rounded to whole TH/s, so an exact match is
/// too strict; a gap beyond 2% means the two figures describe different
/// fleets (for example deployed versus operating machines).
pub fn miner_count_tolerance() -> Decimal {
    Decimal::new(2, 2)
}

fn blocks_per_day() -> Decimal {
    Decimal::from(BLOCKS_PER_DAY)
}

fn hours_per_day() -> Decimal {
    Decimal::from(24)
}

/// TH/s in one EH/s, and PH/s in one EH/s.
fn th_per_eh() -> Decimal {
    Decimal::from(1_000_000)
}

fn ph_per_eh() -> Decimal {
    Decimal::ONE_THOUSAND
}

/// A strictly positive hashrate in EH/s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hashrate(Decimal);

impl Hashrate {
    /// Checks `ehs > 0`.
    pub fn new(ehs: Decimal) -> Result<Self, ValueError> {
        num::positive(ehs).map(Hashrate)
    }

    /// The hashrate, EH/s.
    pub fn ehs(self) -> Decimal {
        self.0
    }
}

/// A strictly positive mining difficulty (the ratio to difficulty 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difficulty(Decimal);

impl Difficulty {
    /// Checks `difficulty > 0`.
    pub fn new(difficulty: Decimal) -> Result<Self, ValueError> {
        num::positive(difficulty).map(Difficulty)
    }

    /// The difficulty.
    pub fn get(self) -> Decimal {
        self.0
    }

    /// The network hashrate this difficulty implies.
    ///
    /// # Formula
    /// ```text
    /// H [H/s]  = difficulty × 2^32 / 600
    /// H [EH/s] = difficulty × 2^32 / (600 × 10^18)
    /// ```
    /// A block at difficulty D takes D × 2^32 hashes on average, and one is
    /// found every 600 seconds. Difficulty 150 × 10¹² is about 1,074 EH/s.
    pub fn hashrate_ehs(self) -> Result<Decimal> {
        let hashes_per_block = self
            .0
            .mul_or(Decimal::from(1u64 << 32), "network hashrate")?;
        // 600 s × 10^18 H/EH, built by multiplication: 6 × 10^20 needs 69 bits.
        let denominator = Decimal::from(600u64).mul_or(
            Decimal::from(1_000_000_000_000_000_000u64),
            "network hashrate",
        )?;
        hashes_per_block.div_or(denominator, "network hashrate")
    }
}

/// The network, stated by its hashrate or by its difficulty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Network {
    /// The network hashrate.
    Hashrate(Hashrate),
    /// The difficulty, converted with [`Difficulty::hashrate_ehs`].
    Difficulty(Difficulty),
}

impl Network {
    /// The network hashrate, EH/s; `field` names the input if it converts to
    /// zero (a difficulty so small that its hashrate rounds away).
    fn hashrate(self, field: &str) -> Result<Hashrate> {
        match self {
            Network::Hashrate(h) => Ok(h),
            Network::Difficulty(d) => Hashrate::new(d.hashrate_ehs()?).at(field),
        }
    }
}

/// A non-negative amount of bitcoin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Btc(Decimal);

impl Btc {
    /// No bitcoin.
    pub const ZERO: Btc = Btc(Decimal::ZERO);

    /// Checks `btc ≥ 0`.
    pub fn new(btc: Decimal) -> Result<Self, ValueError> {
        num::non_negative(btc).map(Btc)
    }

    /// A block subsidy: checks `0 ≤ btc ≤ 50`.
    pub fn subsidy(btc: Decimal) -> Result<Self, ValueError> {
        num::within(btc, Decimal::ZERO, Decimal::from(MAX_BLOCK_SUBSIDY_BTC)).map(Btc)
    }

    /// The amount, BTC.
    pub fn get(self) -> Decimal {
        self.0
    }
}

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

/// A strictly positive efficiency, joules per terahash (= W per TH/s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct JoulesPerTerahash(Decimal);

impl JoulesPerTerahash {
    /// Checks `j_per_th > 0`.
    pub fn new(j_per_th: Decimal) -> Result<Self, ValueError> {
        num::positive(j_per_th).map(JoulesPerTerahash)
    }

    /// The efficiency, J/TH.
    pub fn get(self) -> Decimal {
        self.0
    }
}

/// The fleet's power draw while running.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PowerDraw {
    /// From the fleet's efficiency: `power_mw = J/TH × fleet EH/s` (see
    /// [`power_mw`]).
    Efficiency(JoulesPerTerahash),
    /// Stated directly.
    Megawatts(Megawatts),
}

/// The power a fleet draws, MW.
///
/// # Formula
/// ```text
/// power [W]  = J/TH × TH/s = J/TH × EH/s × 10^6
/// power [MW] = J/TH × EH/s
/// ```
/// 50 EH/s at 16 J/TH draws 800 MW.
pub fn power_mw(efficiency: JoulesPerTerahash, fleet: Hashrate) -> Result<Decimal> {
    efficiency.get().mul_or(fleet.ehs(), "power_mw")
}

/// Power cost per PH/s per day of running, USD.
///
/// # Formula
/// ```text
/// $/PH/day = J/TH × $/MWh × 24 / 1,000
/// ```
/// One PH/s at `e` J/TH draws `e × 1,000` W, i.e. `e × 24` kWh a day, i.e.
/// `e × 24 / 1,000` MWh. The same shortcut gives $/TH/day only when the
/// power price is in $/kWh; with $/MWh it is per PH/s, and reading it as
/// per TH/s is the common 1,000× slip.
pub fn hashcost_usd_per_ph_day(
    efficiency: JoulesPerTerahash,
    power_price_per_mwh: Usd,
) -> Result<Decimal> {
    efficiency
        .get()
        .mul_or(power_price_per_mwh.get(), "hashcost")?
        .mul_or(hours_per_day(), "hashcost")?
        .div_or(Decimal::ONE_THOUSAND, "hashcost")
}

/// A count of machines and their average hashrate, to check a fleet figure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Miners {
    count: u64,
    th_per_miner: Decimal,
}

impl Miners {
    /// Checks `count > 0` (field `miner_count`) and `th_per_miner > 0`
    /// (field `th_per_miner`).
    pub fn new(count: u64, th_per_miner: Decimal) -> Result<Self> {
        if count == 0 {
            return Err(CoreError::invalid(
                "miner_count",
                ValueError::NotAbove {
                    bound: 0.0,
                    value: 0.0,
                },
            ));
        }
        let th_per_miner = num::positive(th_per_miner).at("th_per_miner")?;
        Ok(Miners {
            count,
            th_per_miner,
        })
    }

    /// The number of machines.
    pub fn count(self) -> u64 {
        self.count
    }

    /// The average hashrate per machine, TH/s.
    pub fn th_per_miner(self) -> Decimal {
        self.th_per_miner
    }

    /// `count × th_per_miner / 10^6`, EH/s.
    pub fn hashrate_ehs(self) -> Result<Decimal> {
        Decimal::from(self.count)
            .mul_or(self.th_per_miner, "miner hashrate")?
            .div_or(th_per_eh(), "miner hashrate")
    }
}

/// A fleet hashrate, reconciled with a miner count when one is given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fleet {
    hashrate: Hashrate,
    miners: Option<Miners>,
}

impl Fleet {
    /// Accepts the fleet hashrate, and checks it against the miners when
    /// they are given.
    ///
    /// # Formula
    /// ```text
    /// |miner_count × th_per_miner / 10^6 − fleet_hashrate_ehs| ≤ 2% × fleet_hashrate_ehs
    /// ```
    /// (see [`miner_count_tolerance`]); otherwise [`CoreError::Inconsistent`]
    /// on `th_per_miner`.
    pub fn new(hashrate: Hashrate, miners: Option<Miners>) -> Result<Self> {
        if let Some(m) = miners {
            let implied = m.hashrate_ehs()?;
            let gap = implied.sub_or(hashrate.ehs(), "miner hashrate gap")?.abs();
            let allowed = hashrate
                .ehs()
                .mul_or(miner_count_tolerance(), "miner hashrate gap")?;
            if gap > allowed {
                return Err(CoreError::Inconsistent {
                    field: "th_per_miner".into(),
                    reason: "miner_count × th_per_miner / 10^6 differs from fleet_hashrate_ehs by more than 2%",
                });
            }
        }
        Ok(Fleet { hashrate, miners })
    }

    /// The fleet hashrate.
    pub fn hashrate(self) -> Hashrate {
        self.hashrate
    }

    /// The miners, when given.
    pub fn miners(self) -> Option<Miners> {
        self.miners
    }
}

/// A production period in days: `0 < days ≤ 3,660`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PeriodDays(Decimal);

impl PeriodDays {
    /// Checks `0 < days ≤ 3,660`.
    pub fn new(days: Decimal) -> Result<Self, ValueError> {
        num::positive(days)
            .and_then(|d| num::at_most(d, Decimal::from(MAX_PERIOD_DAYS)))
            .map(PeriodDays)
    }

    /// The period, days.
    pub fn get(self) -> Decimal {
        self.0
    }
}

/// The validated input of [`production`].
#[derive(Debug, Clone, PartialEq)]
pub struct ProductionInput {
    /// The fleet (field `fleet_hashrate_ehs`).
    pub fleet: Fleet,
    /// The network (field `network_hashrate_ehs` or `difficulty`).
    pub network: Network,
    /// The block subsidy (field `block_subsidy_btc` or `block_height`).
    pub subsidy: Subsidy,
    /// Transaction fees per block, BTC.
    pub fees_per_block: Btc,
    /// Share of the time the fleet hashes.
    pub uptime: Fraction,
    /// Share of the reward the pool keeps.
    pub pool_fee: Fraction,
    /// The period for `btc_for_period`.
    pub period_days: PeriodDays,
    /// BTC price, USD; enables every USD figure.
    pub btc_price: Option<Price>,
    /// The power draw; enables `power_mw` and the power cost.
    pub power: Option<PowerDraw>,
    /// Power price, USD per MWh; requires `power`.
    pub power_price_per_mwh: Option<Usd>,
    /// Other operating costs, USD per day (all-in cost).
    pub other_opex_per_day: Option<Usd>,
}

/// Production and unit economics of a fleet, unrounded. USD figures are
/// `None` when the inputs they need are absent.
#[derive(Debug, Clone, PartialEq)]
pub struct Production {
    /// Network hashrate used, EH/s.
    pub network_hashrate_ehs: Decimal,
    /// Block subsidy used, BTC.
    pub block_subsidy_btc: Decimal,
    /// fleet / network.
    pub fleet_share: Decimal,
    /// Bitcoin mined per day, net of uptime and pool fee.
    pub btc_per_day: Decimal,
    /// `btc_per_day × period_days`.
    pub btc_for_period: Decimal,
    /// Gross reward per PH/s per day, BTC (before uptime and pool fee).
    pub hashprice_btc_per_ph_day: Decimal,
    /// `hashprice_btc_per_ph_day × btc_price`, USD.
    pub hashprice_usd_per_ph_day: Option<Decimal>,
    /// Power draw while running, MW.
    pub power_mw: Option<Decimal>,
    /// Fleet efficiency, J/TH (given, or power_mw / fleet EH/s).
    pub efficiency_j_per_th: Option<Decimal>,
    /// Power cost per PH/s per running day, USD.
    pub hashcost_usd_per_ph_day: Option<Decimal>,
    /// Power cost per day, USD.
    pub power_cost_per_day: Option<Decimal>,
    /// Revenue per day, USD.
    pub revenue_per_day: Option<Decimal>,
    /// Power cost plus other opex per day, USD.
    pub cost_per_day: Option<Decimal>,
    /// Revenue minus cost per day, USD.
    pub margin_per_day: Option<Decimal>,
    /// Power cost per BTC mined, USD.
    pub cost_per_btc: Option<Decimal>,
    /// (Power cost + other opex) per BTC mined, USD.
    pub all_in_cost_per_btc: Option<Decimal>,
    /// BTC price at which the daily margin is zero, USD.
    pub breakeven_btc_price: Option<Decimal>,
    /// Power price at which the daily margin is zero, USD per MWh. Negative
    /// when other opex alone exceeds revenue.
    pub breakeven_power_price_per_mwh: Option<Decimal>,
}

/// Bitcoin mined per day by a share of the network.
///
/// # Formula
/// ```text
/// btc_per_day = fleet_share × 144 × (subsidy + fees) × uptime × (1 − pool_fee)
/// ```
/// `fleet_share` in [0, 1]; subsidy and fees in BTC per block.
///
/// # Example
/// 50 EH/s of a 1,000 EH/s network at 3.125 + 0.125 BTC a block, always up,
/// no pool fee: `0.05 × 144 × 3.25 = 23.4` BTC a day.
/// ```
/// use infraval_core::mining::btc_per_day;
/// use infraval_core::num::Fraction;
/// use rust_decimal::Decimal;
///
/// let btc = btc_per_day(Decimal::new(5, 2), Decimal::new(325, 2), Fraction::ONE, Fraction::ZERO);
/// assert_eq!(btc.unwrap(), Decimal::new(234, 1));
/// ```
pub fn btc_per_day(
    fleet_share: Decimal,
    reward_per_block_btc: Decimal,
    uptime: Fraction,
    pool_fee: Fraction,
) -> Result<Decimal> {
    fleet_share
        .mul_or(blocks_per_day(), "btc_per_day")?
        .mul_or(reward_per_block_btc, "btc_per_day")?
        .mul_or(uptime.get(), "btc_per_day")?
        .mul_or(
            Decimal::ONE.sub_or(pool_fee.get(), "btc_per_day")?,
            "btc_per_day",
        )
}

/// Checks fleet ≤ network and returns fleet / network.
fn fleet_share(fleet: Decimal, network: Hashrate, field: &str) -> Result<Decimal> {
    if fleet > network.ehs() {
        return Err(CoreError::Inconsistent {
            field: field.into(),
            reason: "the fleet hashrate exceeds the network hashrate",
        });
    }
    fleet.div_or(network.ehs(), "fleet_share")
}

/// `a / b`, or `None` when `b` is zero.
fn ratio(a: Decimal, b: Decimal, quantity: &'static str) -> Result<Option<Decimal>> {
    if b.is_zero() {
        Ok(None)
    } else {
        a.div_or(b, quantity).map(Some)
    }
}

/// A fleet's production and unit economics.
///
/// # Formula
/// ```text
/// network_ehs        = given, or difficulty × 2^32 / 600 / 10^18
/// subsidy            = given, or 50 × 2^−⌊height / 210,000⌋
/// btc_per_day        = fleet / network × 144 × (subsidy + fees) × uptime × (1 − pool_fee)
/// hashprice_btc      = 144 × (subsidy + fees) / (network_ehs × 1,000)      BTC per PH/s per day
/// power_mw           = J/TH × fleet_ehs, or given
/// power_cost_per_day = power_mw × 24 × uptime × $/MWh
/// cost_per_btc       = power_cost_per_day / btc_per_day
/// all_in_cost_per_btc= (power_cost_per_day + other_opex_per_day) / btc_per_day  (= breakeven_btc_price)
/// breakeven $/MWh    = (revenue_per_day − other_opex_per_day) / (power_mw × 24 × uptime)
/// ```
/// Ratios whose denominator is zero (no bitcoin mined at zero uptime) are
/// `None`.
///
/// # Errors
/// [`CoreError::Inconsistent`] on `fleet_hashrate_ehs` when the fleet is
/// larger than the network; [`CoreError::MissingDependency`] when a power
/// price comes without a power draw.
pub fn production(input: &ProductionInput) -> Result<Production> {
    let network = input.network.hashrate(match input.network {
        Network::Hashrate(_) => "network_hashrate_ehs",
        Network::Difficulty(_) => "difficulty",
    })?;
    if input.power_price_per_mwh.is_some() && input.power.is_none() {
        return Err(CoreError::MissingDependency {
            field: "power_price_per_mwh",
            requires: "efficiency_j_per_th",
        });
    }
    let fleet = input.fleet.hashrate();
    let share = fleet_share(fleet.ehs(), network, "fleet_hashrate_ehs")?;
    let subsidy = input.subsidy.btc();
    let reward = subsidy.add_or(input.fees_per_block.get(), "reward per block")?;
    let btc_day = btc_per_day(share, reward, input.uptime, input.pool_fee)?;
    let btc_for_period = btc_day.mul_or(input.period_days.get(), "btc_for_period")?;
    let hashprice_btc = blocks_per_day()
        .mul_or(reward, "hashprice")?
        .div_or(network.ehs().mul_or(ph_per_eh(), "hashprice")?, "hashprice")?;
    let price = input.btc_price.map(Price::get);
    let hashprice_usd = price
        .map(|p| hashprice_btc.mul_or(p, "hashprice_usd_per_ph_day"))
        .transpose()?;

    let power = match input.power {
        Some(PowerDraw::Efficiency(e)) => Some(power_mw(e, fleet)?),
        Some(PowerDraw::Megawatts(mw)) => Some(mw.get()),
        None => None,
    };
    let efficiency = match input.power {
        Some(PowerDraw::Efficiency(e)) => Some(e.get()),
        Some(PowerDraw::Megawatts(mw)) => Some(mw.get().div_or(fleet.ehs(), "efficiency")?),
        None => None,
    };
    let running_mwh_per_day = power
        .map(|mw| {
            mw.mul_or(hours_per_day(), "energy per day")?
                .mul_or(input.uptime.get(), "energy per day")
        })
        .transpose()?;
    let power_price = input.power_price_per_mwh.map(Usd::get);
    let power_cost = match (running_mwh_per_day, power_price) {
        (Some(mwh), Some(p)) => Some(mwh.mul_or(p, "power_cost_per_day")?),
        _ => None,
    };
    let hashcost = match (efficiency, power_price) {
        (Some(e), Some(p)) => Some(
            e.mul_or(p, "hashcost")?
                .mul_or(hours_per_day(), "hashcost")?
                .div_or(Decimal::ONE_THOUSAND, "hashcost")?,
        ),
        _ => None,
    };
    let other = input
        .other_opex_per_day
        .map(Usd::get)
        .unwrap_or(Decimal::ZERO);
    let revenue = price
        .map(|p| btc_day.mul_or(p, "revenue_per_day"))
        .transpose()?;
    let cost = power_cost
        .map(|c| c.add_or(other, "cost_per_day"))
        .transpose()?;
    let margin = match (revenue, cost) {
        (Some(r), Some(c)) => Some(r.sub_or(c, "margin_per_day")?),
        _ => None,
    };
    let cost_per_btc = match power_cost {
        Some(c) => ratio(c, btc_day, "cost_per_btc")?,
        None => None,
    };
    let all_in = match cost {
        Some(c) => ratio(c, btc_day, "all_in_cost_per_btc")?,
        None => None,
    };
    let breakeven_power = match (revenue, running_mwh_per_day) {
        (Some(r), Some(mwh)) => ratio(
            r.sub_or(other, "breakeven_power_price_per_mwh")?,
            mwh,
            "breakeven_power_price_per_mwh",
        )?,
        _ => None,
    };

    Ok(Production {
        network_hashrate_ehs: network.ehs(),
        block_subsidy_btc: subsidy,
        fleet_share: share,
        btc_per_day: btc_day,
        btc_for_period,
        hashprice_btc_per_ph_day: hashprice_btc,
        hashprice_usd_per_ph_day: hashprice_usd,
        power_mw: power,
        efficiency_j_per_th: efficiency,
        hashcost_usd_per_ph_day: hashcost,
        power_cost_per_day: power_cost,
        revenue_per_day: revenue,
        cost_per_day: cost,
        margin_per_day: margin,
        cost_per_btc,
        all_in_cost_per_btc: all_in,
        breakeven_btc_price: all_in,
        breakeven_power_price_per_mwh: breakeven_power,
    })
}

/// A monthly growth rate: `−1 < g ≤ 10`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MonthlyGrowth(Decimal);

impl MonthlyGrowth {
    /// Checks `−1 < g ≤ 10` (a level can shrink, never to zero).
    pub fn new(g: Decimal) -> Result<Self, ValueError> {
        if g <= Decimal::NEGATIVE_ONE {
            return Err(ValueError::NotAbove {
                bound: -1.0,
                value: num::to_f64(g),
            });
        }
        num::at_most(g, Decimal::from(MAX_MONTHLY_GROWTH)).map(MonthlyGrowth)
    }

    /// The growth, a fraction per month.
    pub fn get(self) -> Decimal {
        self.0
    }

    /// `1 + g`, the monthly multiplier.
    pub fn factor(self) -> Result<Decimal> {
        Decimal::ONE.add_or(self.0, "monthly growth")
    }
}

/// A projection length: `1 ≤ months ≤ 120`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ProjectionMonths(u32);

impl ProjectionMonths {
    /// Checks `1 ≤ months ≤ 120` ([`MAX_PROJECTION_MONTHS`]).
    pub fn new(months: u32) -> Result<Self, ValueError> {
        if months == 0 {
            Err(ValueError::BelowMinimum {
                bound: 1.0,
                value: 0.0,
            })
        } else if months > MAX_PROJECTION_MONTHS {
            Err(ValueError::AboveMaximum {
                bound: f64::from(MAX_PROJECTION_MONTHS),
                value: f64::from(months),
            })
        } else {
            Ok(ProjectionMonths(months))
        }
    }

    /// The number of months.
    pub fn get(self) -> u32 {
        self.0
    }
}

/// The network hashrate month by month.
#[derive(Debug, Clone, PartialEq)]
pub enum NetworkPath {
    /// A starting network that grows by a constant rate each month:
    /// `network_m = network_0 × (1 + g)^m`, `m = 0, 1, …`.
    Growth {
        /// The network in the first month.
        initial: Network,
        /// Growth per month.
        monthly_growth: MonthlyGrowth,
    },
    /// One hashrate per month (field `network_hashrate_path_ehs`).
    Hashrates(Vec<Hashrate>),
    /// One difficulty per month (field `difficulty_path`).
    Difficulties(Vec<Difficulty>),
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

/// The BTC price month by month, USD.
#[derive(Debug, Clone, PartialEq)]
pub enum PricePath {
    /// The same price every month.
    Flat(Price),
    /// `price_m = price_0 × (1 + g)^m`, `m = 0, 1, …`.
    Growth {
        /// The price in the first month.
        initial: Price,
        /// Growth per month.
        monthly_growth: MonthlyGrowth,
    },
    /// One price per month (field `btc_price_path`).
    List(Vec<Price>),
}

/// The validated input of [`projection`].
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionInput {
    /// The first day of month 1; months are calendar months from here.
    pub start_date: NaiveDate,
    /// Number of months.
    pub months: ProjectionMonths,
    /// The network path.
    pub network: NetworkPath,
    /// Fleet hashrate in month 1, before its additions (field
    /// `fleet_hashrate_ehs`).
    pub fleet: Hashrate,
    /// Fleet hashrate added at the start of each month, EH/s, month 1
    /// first; negative for retirements; at most one per month.
    pub fleet_additions_ehs: Vec<Decimal>,
    /// The halving schedule.
    pub halving: HalvingSchedule,
    /// Transaction fees per block, BTC, constant.
    pub fees_per_block: Btc,
    /// Share of the time the fleet hashes.
    pub uptime: Fraction,
    /// Share of the reward the pool keeps.
    pub pool_fee: Fraction,
    /// The BTC price path.
    pub btc_price: PricePath,
    /// Fleet efficiency, J/TH; with a power price, enables power cost.
    pub efficiency: Option<JoulesPerTerahash>,
    /// Power price, USD per MWh; requires `efficiency`.
    pub power_price_per_mwh: Option<Usd>,
    /// Other operating costs, USD per day.
    pub other_opex_per_day: Option<Usd>,
}

/// One month of a projection, unrounded.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionMonth {
    /// 1 for the first month.
    pub month: u32,
    /// First day of the month.
    pub start_date: NaiveDate,
    /// Days in the month.
    pub days: u32,
    /// Network hashrate used for the month, EH/s.
    pub network_hashrate_ehs: Decimal,
    /// Fleet hashrate used for the month, EH/s.
    pub fleet_hashrate_ehs: Decimal,
    /// Subsidy on the month's first day, BTC.
    pub block_subsidy_btc: Decimal,
    /// Whether a halving falls in the month.
    pub halving_in_month: bool,
    /// Bitcoin mined in the month.
    pub btc_mined: Decimal,
    /// BTC price used for the month, USD.
    pub btc_price: Decimal,
    /// `btc_mined × btc_price`, USD.
    pub revenue: Decimal,
    /// Power cost for the month, USD; `None` without efficiency and power price.
    pub power_cost: Option<Decimal>,
    /// Other opex for the month, USD.
    pub other_opex: Decimal,
    /// `revenue − power_cost − other_opex`, USD; `None` without power cost.
    pub margin: Option<Decimal>,
    /// Bitcoin mined from month 1 to this month.
    pub cumulative_btc: Decimal,
}

/// A monthly projection and its totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// One row per month.
    pub months: Vec<ProjectionMonth>,
    /// Bitcoin mined over the horizon.
    pub total_btc: Decimal,
    /// Revenue over the horizon, USD.
    pub total_revenue: Decimal,
    /// Power cost over the horizon, USD.
    pub total_power_cost: Option<Decimal>,
    /// Margin over the horizon, USD.
    pub total_margin: Option<Decimal>,
}

/// Subsidy as a step function of days since the start date.
struct SubsidyCurve {
    initial: Decimal,
    /// `(day, subsidy from that day on)`, increasing in day.
    changes: Vec<(Decimal, Decimal)>,
}

impl SubsidyCurve {
    fn new(schedule: &HalvingSchedule, start: NaiveDate, horizon_days: Decimal) -> Result<Self> {
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
    fn at(&self, day: Decimal) -> Decimal {
        self.changes
            .iter()
            .take_while(|(d, _)| *d <= day)
            .last()
            .map_or(self.initial, |(_, s)| *s)
    }

    /// `∫ subsidy dt` over `[from, to)`, BTC-days per block.
    fn integral(&self, from: Decimal, to: Decimal) -> Result<Decimal> {
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

    fn changes_within(&self, from: Decimal, to: Decimal) -> bool {
        self.changes.iter().any(|(d, _)| *d >= from && *d < to)
    }
}

/// A path given as a list must have one entry per month.
fn check_path_len(len: usize, months: u32, field: &str) -> Result<()> {
    let cap = MAX_PROJECTION_MONTHS as usize;
    if len > cap {
        return Err(CoreError::invalid(field, ValueError::TooLong { len, cap }));
    }
    if len != months as usize {
        return Err(CoreError::Inconsistent {
            field: field.into(),
            reason: "must have exactly one entry per month",
        });
    }
    Ok(())
}

/// `start + n` calendar months.
fn add_months(start: NaiveDate, n: u32) -> Result<NaiveDate> {
    start
        .checked_add_months(Months::new(n))
        .ok_or(CoreError::Overflow {
            quantity: "month dates",
        })
}

/// A monthly projection of bitcoin mined, revenue, power cost and margin.
///
/// # Months
/// Month `m` (1-based) runs from `start_date + (m − 1)` calendar months to
/// `start_date + m` calendar months, so its length is that of the calendar
/// month (28 to 31 days; from a 31st, short months end on their last day).
///
/// # Formula
/// For each month, with `network_m`, `fleet_m` and `price_m` held for the
/// whole month:
/// ```text
/// fleet_m      = fleet_hashrate_ehs + Σ_{k ≤ m} fleet_additions_ehs[k]
/// btc_m        = fleet_m / network_m × 144 × (∫ subsidy dt + fees × days) × uptime × (1 − pool_fee)
/// revenue_m    = btc_m × price_m
/// power_cost_m = J/TH × fleet_m × 24 × days × uptime × $/MWh
/// margin_m     = revenue_m − power_cost_m − other_opex_per_day × days
/// ```
/// The subsidy integral splits a month at a halving: with a height `h₀` on
/// the start date, halving `k` falls `(210,000·k − h₀) / 144` days later.
///
/// # Errors
/// [`CoreError::Inconsistent`] when a path's length is not the number of
/// months, or when the fleet exceeds the network or turns negative in some
/// month; [`CoreError::DateOrder`] for a halving date before the start.
pub fn projection(input: &ProjectionInput) -> Result<Projection> {
    let months = input.months.get();
    if input.fleet_additions_ehs.len() > months as usize {
        return Err(CoreError::invalid(
            "fleet_additions_ehs",
            ValueError::TooLong {
                len: input.fleet_additions_ehs.len(),
                cap: months as usize,
            },
        ));
    }
    if input.power_price_per_mwh.is_some() && input.efficiency.is_none() {
        return Err(CoreError::MissingDependency {
            field: "power_price_per_mwh",
            requires: "efficiency_j_per_th",
        });
    }
    match &input.network {
        NetworkPath::Hashrates(p) => check_path_len(p.len(), months, "network_hashrate_path_ehs")?,
        NetworkPath::Difficulties(p) => check_path_len(p.len(), months, "difficulty_path")?,
        NetworkPath::Growth { .. } => {}
    }
    if let PricePath::List(p) = &input.btc_price {
        check_path_len(p.len(), months, "btc_price_path")?;
    }

    let end = add_months(input.start_date, months)?;
    let horizon_days = Decimal::from((end - input.start_date).num_days());
    let subsidy = SubsidyCurve::new(&input.halving, input.start_date, horizon_days)?;
    let fees = input.fees_per_block.get();
    let keep = blocks_per_day()
        .mul_or(input.uptime.get(), "btc_mined")?
        .mul_or(
            Decimal::ONE.sub_or(input.pool_fee.get(), "btc_mined")?,
            "btc_mined",
        )?;
    let power_per_ehs_day = match (input.efficiency, input.power_price_per_mwh) {
        // J/TH × EH/s = MW; × 24 h × uptime × $/MWh = $ per EH/s per day.
        (Some(e), Some(p)) => Some(
            e.get()
                .mul_or(hours_per_day(), "power_cost")?
                .mul_or(input.uptime.get(), "power_cost")?
                .mul_or(p.get(), "power_cost")?,
        ),
        _ => None,
    };
    let other_per_day = input
        .other_opex_per_day
        .map(Usd::get)
        .unwrap_or(Decimal::ZERO);

    let mut rows = Vec::with_capacity(months as usize);
    let mut fleet = input.fleet.ehs();
    let mut last_addition: Option<usize> = None;
    let mut network_level: Option<Decimal> = None;
    let mut price_level: Option<Decimal> = None;
    let mut cumulative = Decimal::ZERO;
    let mut total_revenue = Decimal::ZERO;
    let mut total_power = Decimal::ZERO;
    let mut total_other = Decimal::ZERO;
    let mut month_start = input.start_date;

    for m in 0..months {
        let idx = m as usize;
        let month_end = add_months(input.start_date, m + 1)?;
        let days = (month_end - month_start).num_days();
        let from = Decimal::from((month_start - input.start_date).num_days());
        let to = from.add_or(Decimal::from(days), "month days")?;

        let network = match &input.network {
            NetworkPath::Growth {
                initial,
                monthly_growth,
            } => {
                let level = match network_level {
                    None => initial
                        .hashrate(match initial {
                            Network::Hashrate(_) => "network_hashrate_ehs",
                            Network::Difficulty(_) => "difficulty",
                        })?
                        .ehs(),
                    Some(prev) => prev.mul_or(monthly_growth.factor()?, "network hashrate path")?,
                };
                network_level = Some(level);
                level
            }
            NetworkPath::Hashrates(p) => p.get(idx).map_or(Decimal::ZERO, |h| h.ehs()),
            NetworkPath::Difficulties(p) => match p.get(idx) {
                Some(d) => Hashrate::new(d.hashrate_ehs()?)
                    .at(format!("difficulty_path[{idx}]"))?
                    .ehs(),
                None => Decimal::ZERO,
            },
        };
        let price = match &input.btc_price {
            PricePath::Flat(p) => p.get(),
            PricePath::Growth {
                initial,
                monthly_growth,
            } => {
                let level = match price_level {
                    None => initial.get(),
                    Some(prev) => prev.mul_or(monthly_growth.factor()?, "btc price path")?,
                };
                price_level = Some(level);
                level
            }
            PricePath::List(p) => p.get(idx).map_or(Decimal::ZERO, |p| p.get()),
        };

        if let Some(add) = input.fleet_additions_ehs.get(idx) {
            fleet = fleet.add_or(*add, "fleet hashrate path")?;
            if !add.is_zero() {
                last_addition = Some(idx);
            }
        }
        // Blame the latest addition that changed the fleet, else the fleet itself.
        let fleet_field = last_addition.map_or_else(
            || "fleet_hashrate_ehs".to_string(),
            |i| format!("fleet_additions_ehs[{i}]"),
        );
        if fleet < Decimal::ZERO {
            return Err(CoreError::Inconsistent {
                field: fleet_field,
                reason: "the additions turn the fleet hashrate negative",
            });
        }
        let network_h = Hashrate::new(network).at("network_hashrate_ehs")?;
        let share = fleet_share(fleet, network_h, &fleet_field)?;

        let reward_days = subsidy
            .integral(from, to)?
            .add_or(fees.mul_or(Decimal::from(days), "btc_mined")?, "btc_mined")?;
        let btc = share
            .mul_or(keep, "btc_mined")?
            .mul_or(reward_days, "btc_mined")?;
        cumulative = cumulative.add_or(btc, "cumulative_btc")?;
        let revenue = btc.mul_or(price, "revenue")?;
        total_revenue = total_revenue.add_or(revenue, "total_revenue")?;
        let other = other_per_day.mul_or(Decimal::from(days), "other_opex")?;
        total_other = total_other.add_or(other, "other_opex")?;
        let power_cost = power_per_ehs_day
            .map(|c| {
                c.mul_or(fleet, "power_cost")?
                    .mul_or(Decimal::from(days), "power_cost")
            })
            .transpose()?;
        let margin = power_cost
            .map(|c| revenue.sub_or(c, "margin")?.sub_or(other, "margin"))
            .transpose()?;
        if let Some(c) = power_cost {
            total_power = total_power.add_or(c, "total_power_cost")?;
        }

        rows.push(ProjectionMonth {
            month: m + 1,
            start_date: month_start,
            days: u32::try_from(days).unwrap_or(0),
            network_hashrate_ehs: network,
            fleet_hashrate_ehs: fleet,
            block_subsidy_btc: subsidy.at(from),
            halving_in_month: subsidy.changes_within(from, to),
            btc_mined: btc,
            btc_price: price,
            revenue,
            power_cost,
            other_opex: other,
            margin,
            cumulative_btc: cumulative,
        });
        month_start = month_end;
    }

    let (total_power_cost, total_margin) = if power_per_ehs_day.is_some() {
        let margin = total_revenue
            .sub_or(total_power, "total_margin")?
            .sub_or(total_other, "total_margin")?;
        (Some(total_power), Some(margin))
    } else {
        (None, None)
    };
    Ok(Projection {
        months: rows,
        total_btc: cumulative,
        total_revenue,
        total_power_cost,
        total_margin,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    use super::*;

    /// The one tolerance of these tests: relative, for Decimal results that
    /// go through a 28-digit division (fleet / network) and so can differ
    /// from the closed form in the last digits.
    const RELATIVE_TOLERANCE: Decimal = Decimal::from_parts(1, 0, 0, false, 20);

    fn close(actual: Decimal, expected: Decimal) -> bool {
        (actual - expected).abs() <= expected.abs() * RELATIVE_TOLERANCE
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn hashrate(ehs: Decimal) -> Hashrate {
        Hashrate::new(ehs).unwrap()
    }

    /// 50 EH/s of a 1,000 EH/s network, 3.125 + 0.125 BTC a block, no
    /// downtime, no pool fee, at $100,000, 20 J/TH and $50/MWh.
    fn round_numbers() -> ProductionInput {
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

    #[test]
    fn a_difficulty_converts_to_hashes_per_600_seconds() {
        // 150e12 × 2^32 / 600 H/s = 150e12 × 4,294,967,296 / 600 / 1e18 EH/s
        //                         = 4,294,967,296 / 4 / 1e6 = 1,073.741824 EH/s.
        let d = Difficulty::new(dec!(150_000_000_000_000)).unwrap();
        assert_eq!(d.hashrate_ehs().unwrap(), dec!(1073.741824));
    }

    #[test]
    fn an_absurd_difficulty_overflows_into_an_error() {
        let d = Difficulty::new(Decimal::MAX).unwrap();
        assert!(matches!(d.hashrate_ehs(), Err(CoreError::Overflow { .. })));
    }

    #[test]
    fn hashcost_is_dollars_per_ph_per_day_when_power_is_priced_per_mwh() {
        // 1 PH/s = 1,000 TH/s; at 16 J/TH it draws 16,000 W = 16 kW.
        // 16 kW × 24 h = 384 kWh = 0.384 MWh; × $40/MWh = $15.36 per PH/s per day,
        // i.e. $0.01536 per TH/s per day. J/TH × $/MWh × 24 / 1,000 = 16 × 40 × 24 / 1,000
        // = 15.36 is therefore $/PH/day, not $/TH/day (that would be 1,000× too high).
        let e = JoulesPerTerahash::new(dec!(16)).unwrap();
        let cost = hashcost_usd_per_ph_day(e, Usd::new(dec!(40)).unwrap()).unwrap();
        assert_eq!(cost, dec!(15.36));
        assert_eq!(cost / dec!(1000), dec!(0.01536));
    }

    #[test]
    fn power_in_megawatts_is_efficiency_times_exahashes() {
        // 50 EH/s = 50e6 TH/s; × 16 W per TH/s = 800e6 W = 800 MW.
        let p = power_mw(
            JoulesPerTerahash::new(dec!(16)).unwrap(),
            hashrate(dec!(50)),
        );
        assert_eq!(p.unwrap(), dec!(800));
    }

    #[test]
    fn unit_economics_match_a_hand_calculation() {
        // share = 50 / 1,000 = 0.05
        // btc/day = 0.05 × 144 × (3.125 + 0.125) = 7.2 × 3.25 = 23.4
        // hashprice = 144 × 3.25 / (1,000 × 1,000 PH/s) = 0.000468 BTC = $46.80 per PH/day
        // power = 20 J/TH × 50 EH/s = 1,000 MW; cost = 1,000 × 24 × $50 = $1,200,000/day
        // hashcost = 20 × 50 × 24 / 1,000 = $24/PH/day (= 1,200,000 / 50,000 PH/s)
        // revenue = 23.4 × 100,000 = $2,340,000; cost = 1,200,000 + 204,000 = $1,404,000
        // margin = $936,000; all-in/BTC = 1,404,000 / 23.4 = $60,000
        // breakeven $/MWh = (2,340,000 − 204,000) / 24,000 MWh = $89
        let out = production(&round_numbers()).unwrap();
        assert_eq!(out.fleet_share, dec!(0.05));
        assert_eq!(out.btc_per_day, dec!(23.4));
        assert_eq!(out.btc_for_period, dec!(702));
        assert_eq!(out.hashprice_btc_per_ph_day, dec!(0.000468));
        assert_eq!(out.hashprice_usd_per_ph_day, Some(dec!(46.8)));
        assert_eq!(out.power_mw, Some(dec!(1000)));
        assert_eq!(out.hashcost_usd_per_ph_day, Some(dec!(24)));
        assert_eq!(out.power_cost_per_day, Some(dec!(1200000)));
        assert_eq!(out.revenue_per_day, Some(dec!(2340000)));
        assert_eq!(out.cost_per_day, Some(dec!(1404000)));
        assert_eq!(out.margin_per_day, Some(dec!(936000)));
        assert_eq!(out.all_in_cost_per_btc, Some(dec!(60000)));
        assert_eq!(out.breakeven_btc_price, Some(dec!(60000)));
        assert!(close(out.cost_per_btc.unwrap(), dec!(1200000) / dec!(23.4)));
        assert_eq!(out.breakeven_power_price_per_mwh, Some(dec!(89)));
    }

    #[test]
    fn december_2025_conditions_give_about_20_btc_a_day_for_50_ehs() {
        // Assumed network: 1,070 EH/s (December 2025), subsidy 3.125, fees 0.03 BTC a block.
        // 50 / 1,070 × 144 × 3.155 = 22,716 / 1,070 ≈ 21.23 BTC/day at full uptime;
        // CleanSpark reported 622 BTC in December 2025 ≈ 20.06 a day.
        let input = ProductionInput {
            network: Network::Hashrate(hashrate(dec!(1070))),
            subsidy: Subsidy::FromHeight(927_000),
            fees_per_block: Btc::new(dec!(0.03)).unwrap(),
            ..round_numbers()
        };
        let out = production(&input).unwrap();
        assert!(close(out.btc_per_day, dec!(22716) / dec!(1070)));
        let reported = dec!(622) / dec!(31);
        assert!((out.btc_per_day / reported - Decimal::ONE).abs() < dec!(0.1));
    }

    #[test]
    fn a_difficulty_stands_in_for_the_network_hashrate() {
        let input = ProductionInput {
            network: Network::Difficulty(Difficulty::new(dec!(150_000_000_000_000)).unwrap()),
            ..round_numbers()
        };
        assert_eq!(
            production(&input).unwrap().network_hashrate_ehs,
            dec!(1073.741824)
        );
    }

    #[test]
    fn a_fleet_larger_than_the_network_is_inconsistent() {
        let input = ProductionInput {
            network: Network::Hashrate(hashrate(dec!(49))),
            ..round_numbers()
        };
        let err = production(&input).unwrap_err();
        assert_eq!(err.field(), Some("fleet_hashrate_ehs"));
    }

    #[test]
    fn miners_reconcile_with_the_fleet_within_two_percent() {
        // 245,199 miners × 204 TH/s = 50,020,596 TH/s = 50.02 EH/s: 0.04% from 50.0.
        let ok = Fleet::new(
            hashrate(dec!(50)),
            Some(Miners::new(245_199, dec!(204)).unwrap()),
        );
        assert!(ok.is_ok());
        // 1,000 × 1,020 TH/s = 1.02 EH/s against 1 EH/s: exactly 2%, accepted.
        assert!(Fleet::new(
            hashrate(dec!(1)),
            Some(Miners::new(1000, dec!(1020)).unwrap())
        )
        .is_ok());
        // 1,000 × 1,021 TH/s = 1.021 EH/s: 2.1%, refused.
        let err = Fleet::new(
            hashrate(dec!(1)),
            Some(Miners::new(1000, dec!(1021)).unwrap()),
        )
        .unwrap_err();
        assert!(
            matches!(err, CoreError::Inconsistent { ref field, .. } if field == "th_per_miner")
        );
    }

    #[test]
    fn zero_miners_are_refused_naming_the_count() {
        assert_eq!(
            Miners::new(0, dec!(200)).unwrap_err().field(),
            Some("miner_count")
        );
    }

    #[test]
    fn zero_uptime_mines_nothing_and_leaves_per_btc_costs_undefined() {
        let input = ProductionInput {
            uptime: Fraction::ZERO,
            ..round_numbers()
        };
        let out = production(&input).unwrap();
        assert_eq!(out.btc_per_day, Decimal::ZERO);
        assert_eq!(out.power_cost_per_day, Some(Decimal::ZERO));
        assert_eq!(out.cost_per_btc, None);
        assert_eq!(out.breakeven_btc_price, None);
        assert_eq!(out.breakeven_power_price_per_mwh, None);
    }

    #[test]
    fn a_power_price_without_a_power_draw_is_refused() {
        let input = ProductionInput {
            power: None,
            ..round_numbers()
        };
        assert!(matches!(
            production(&input),
            Err(CoreError::MissingDependency {
                field: "power_price_per_mwh",
                ..
            })
        ));
    }

    #[test]
    fn a_stated_power_draw_implies_the_efficiency() {
        let input = ProductionInput {
            power: Some(PowerDraw::Megawatts(Megawatts::new(dec!(800)).unwrap())),
            ..round_numbers()
        };
        // 800 MW / 50 EH/s = 16 J/TH; hashcost 16 × 50 × 24 / 1,000 = $19.20/PH/day.
        let out = production(&input).unwrap();
        assert_eq!(out.efficiency_j_per_th, Some(dec!(16)));
        assert_eq!(out.hashcost_usd_per_ph_day, Some(dec!(19.2)));
    }

    fn projection_input() -> ProjectionInput {
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

    #[test]
    fn a_december_2025_month_at_1070_ehs_is_near_the_622_btc_cleanspark_reported() {
        // Network 1,070 EH/s held flat, height 927,000 (subsidy 3.125, next halving
        // 123,000 blocks ≈ 854 days away), fees 0.03 BTC, full uptime, no pool fee.
        // 31 days × 50 / 1,070 × 144 × 3.155 = 31 × 21.2299 ≈ 658.1 BTC, within 10% of 622.
        let input = ProjectionInput {
            network: NetworkPath::Growth {
                initial: Network::Hashrate(hashrate(dec!(1070))),
                monthly_growth: MonthlyGrowth::new(Decimal::ZERO).unwrap(),
            },
            halving: HalvingSchedule::FromHeight {
                start_height: 927_000,
            },
            fees_per_block: Btc::new(dec!(0.03)).unwrap(),
            ..projection_input()
        };
        let out = projection(&input).unwrap();
        let dec_row = &out.months[0];
        assert_eq!(dec_row.days, 31);
        assert!(close(
            dec_row.btc_mined,
            dec!(31) * dec!(22716) / dec!(1070)
        ));
        assert!((dec_row.btc_mined / dec!(622) - Decimal::ONE).abs() < dec!(0.1));
    }

    #[test]
    fn a_halving_inside_a_month_splits_its_subsidy() {
        // Height 1,050,000 − 1,512 on 2028-01-01: the halving comes 1,512 / 144 = 10.5 days in.
        // January: 0.05 × 144 × (3.125 × 10.5 + 1.5625 × 20.5) = 7.2 × 64.84375 = 466.875 BTC.
        // February 2028 (29 days): 7.2 × 1.5625 × 29 = 326.25 BTC; cumulative 793.125.
        let input = ProjectionInput {
            start_date: date(2028, 1, 1),
            months: ProjectionMonths::new(2).unwrap(),
            halving: HalvingSchedule::FromHeight {
                start_height: 1_050_000 - 1_512,
            },
            ..projection_input()
        };
        let out = projection(&input).unwrap();
        assert_eq!(out.months[0].btc_mined, dec!(466.875));
        assert!(out.months[0].halving_in_month);
        assert_eq!(out.months[0].block_subsidy_btc, dec!(3.125));
        assert_eq!(out.months[1].days, 29);
        assert_eq!(out.months[1].btc_mined, dec!(326.25));
        assert!(!out.months[1].halving_in_month);
        assert_eq!(out.months[1].block_subsidy_btc, dec!(1.5625));
        assert_eq!(out.total_btc, dec!(793.125));
    }

    #[test]
    fn a_halving_date_splits_the_month_at_that_day() {
        // April 2028, halving on the 15th (day 14 from the 1st): 0.05 × 144 ×
        // (3.125 × 14 + 1.5625 × 16) = 7.2 × 68.75 = 495 BTC.
        let input = ProjectionInput {
            start_date: date(2028, 4, 1),
            halving: HalvingSchedule::OnDate {
                subsidy: Btc::subsidy(dec!(3.125)).unwrap(),
                next_halving: date(2028, 4, 15),
            },
            ..projection_input()
        };
        assert_eq!(projection(&input).unwrap().total_btc, dec!(495));
    }

    #[test]
    fn a_halving_date_before_the_start_is_refused() {
        let input = ProjectionInput {
            halving: HalvingSchedule::OnDate {
                subsidy: Btc::subsidy(dec!(3.125)).unwrap(),
                next_halving: date(2025, 11, 30),
            },
            ..projection_input()
        };
        assert_eq!(
            projection(&input).unwrap_err().field(),
            Some("next_halving_date")
        );
    }

    #[test]
    fn months_are_calendar_months_from_the_start_date() {
        // From 2025-01-31: to 2025-02-28 (28 days), to 2025-03-31 (31), to 2025-04-30 (30).
        let input = ProjectionInput {
            start_date: date(2025, 1, 31),
            months: ProjectionMonths::new(3).unwrap(),
            ..projection_input()
        };
        let out = projection(&input).unwrap();
        let days: Vec<u32> = out.months.iter().map(|m| m.days).collect();
        assert_eq!(days, vec![28, 31, 30]);
        assert_eq!(out.months[1].start_date, date(2025, 2, 28));
        // 89 days × 7.2 × 3.125 = 2,002.5 BTC.
        assert_eq!(out.total_btc, dec!(2002.5));
    }

    #[test]
    fn growth_additions_and_costs_follow_the_closed_form() {
        // Month 1 (Dec 2025, 31 d): network 1,000, fleet 50 + 10 = 60, price 100,000.
        //   btc = 60/1,000 × 144 × 3.125 × 31 = 837; revenue $83,700,000.
        //   power = 20 J/TH × 60 EH/s = 1,200 MW × 24 × 31 × $50 = $44,640,000.
        //   other opex 100,000 × 31 = $3,100,000; margin 83.7M − 44.64M − 3.1M = $35,960,000.
        // Month 2 (Jan 2026, 31 d): network 1,250 (+25%), fleet 60 − 10 = 50, price 110,000.
        //   btc = 50/1,250 × 144 × 3.125 × 31 = 558; revenue $61,380,000.
        //   power = 1,000 MW × 24 × 31 × 50 = $37,200,000; margin 61.38M − 37.2M − 3.1M = $21,080,000.
        let input = ProjectionInput {
            months: ProjectionMonths::new(2).unwrap(),
            network: NetworkPath::Growth {
                initial: Network::Hashrate(hashrate(dec!(1000))),
                monthly_growth: MonthlyGrowth::new(dec!(0.25)).unwrap(),
            },
            fleet_additions_ehs: vec![dec!(10), dec!(-10)],
            btc_price: PricePath::Growth {
                initial: Price::new(dec!(100000)).unwrap(),
                monthly_growth: MonthlyGrowth::new(dec!(0.1)).unwrap(),
            },
            efficiency: Some(JoulesPerTerahash::new(dec!(20)).unwrap()),
            power_price_per_mwh: Some(Usd::new(dec!(50)).unwrap()),
            other_opex_per_day: Some(Usd::new(dec!(100000)).unwrap()),
            ..projection_input()
        };
        let out = projection(&input).unwrap();
        let (m1, m2) = (&out.months[0], &out.months[1]);
        assert_eq!(m1.fleet_hashrate_ehs, dec!(60));
        assert_eq!(m1.btc_mined, dec!(837));
        assert_eq!(m1.revenue, dec!(83700000));
        assert_eq!(m1.power_cost, Some(dec!(44640000)));
        assert_eq!(m1.margin, Some(dec!(35960000)));
        assert_eq!(m2.network_hashrate_ehs, dec!(1250));
        assert_eq!(m2.btc_mined, dec!(558));
        assert_eq!(m2.btc_price, dec!(110000));
        assert_eq!(m2.margin, Some(dec!(21080000)));
        assert_eq!(m2.cumulative_btc, dec!(1395));
        assert_eq!(out.total_margin, Some(dec!(57040000)));
    }

    #[test]
    fn a_difficulty_path_sets_each_month_s_network() {
        // 150e12 → 1,073.741824 EH/s; 300e12 → 2,147.483648 EH/s.
        let input = ProjectionInput {
            months: ProjectionMonths::new(2).unwrap(),
            network: NetworkPath::Difficulties(vec![
                Difficulty::new(dec!(150_000_000_000_000)).unwrap(),
                Difficulty::new(dec!(300_000_000_000_000)).unwrap(),
            ]),
            ..projection_input()
        };
        let out = projection(&input).unwrap();
        assert_eq!(out.months[1].network_hashrate_ehs, dec!(2147.483648));
    }

    #[test]
    fn a_path_of_the_wrong_length_is_refused_naming_it() {
        let input = ProjectionInput {
            months: ProjectionMonths::new(3).unwrap(),
            btc_price: PricePath::List(vec![Price::new(dec!(1)).unwrap()]),
            ..projection_input()
        };
        assert_eq!(
            projection(&input).unwrap_err().field(),
            Some("btc_price_path")
        );
    }

    #[test]
    fn more_than_120_months_are_refused() {
        assert!(ProjectionMonths::new(120).is_ok());
        assert_eq!(
            ProjectionMonths::new(121),
            Err(ValueError::AboveMaximum {
                bound: 120.0,
                value: 121.0
            })
        );
        assert!(ProjectionMonths::new(0).is_err());
    }

    #[test]
    fn a_fleet_outgrowing_the_network_names_the_addition() {
        let input = ProjectionInput {
            months: ProjectionMonths::new(2).unwrap(),
            fleet_additions_ehs: vec![dec!(0), dec!(951)],
            ..projection_input()
        };
        assert_eq!(
            projection(&input).unwrap_err().field(),
            Some("fleet_additions_ehs[1]")
        );
    }

    #[test]
    fn a_fleet_already_larger_than_the_network_names_the_fleet_not_an_addition() {
        let input = ProjectionInput {
            fleet: hashrate(dec!(1001)),
            months: ProjectionMonths::new(2).unwrap(),
            fleet_additions_ehs: vec![dec!(0), dec!(5)],
            ..projection_input()
        };
        assert_eq!(
            projection(&input).unwrap_err().field(),
            Some("fleet_hashrate_ehs")
        );
    }

    #[test]
    fn ten_years_from_a_huge_height_run_without_overflow() {
        let input = ProjectionInput {
            months: ProjectionMonths::new(120).unwrap(),
            halving: HalvingSchedule::FromHeight {
                start_height: u64::MAX - 5,
            },
            ..projection_input()
        };
        let out = projection(&input).unwrap();
        assert_eq!(out.total_btc, Decimal::ZERO);
        assert_eq!(out.months.len(), 120);
    }

    #[test]
    fn ten_years_from_2025_pass_three_halvings() {
        // From height 927,000 on 2025-12-01 the halvings at 1,050,000, 1,260,000 and
        // 1,470,000 fall 854.2, 2,312.5 and 3,770.8 days in; ten years are 3,653 days,
        // so two of them are inside.
        let input = ProjectionInput {
            months: ProjectionMonths::new(120).unwrap(),
            halving: HalvingSchedule::FromHeight {
                start_height: 927_000,
            },
            ..projection_input()
        };
        let out = projection(&input).unwrap();
        let halvings = out.months.iter().filter(|m| m.halving_in_month).count();
        assert_eq!(halvings, 2);
        assert_eq!(out.months[119].block_subsidy_btc, dec!(0.78125));
    }

    proptest! {
        #[test]
        fn btc_per_day_is_linear_in_the_fleet_share(
            fleet_ph in 1u64..1_000_000,
            k in 1u64..1_000,
        ) {
            // Fleet in whole PH/s up to 1,000 EH/s; the network is 2,000,000 EH/s so k × fleet fits.
            let fleet = Decimal::from(fleet_ph) / dec!(1000);
            let base = ProductionInput {
                network: Network::Hashrate(hashrate(dec!(2000000))),
                fleet: Fleet::new(hashrate(fleet), None).unwrap(),
                ..round_numbers()
            };
            let scaled = ProductionInput {
                fleet: Fleet::new(hashrate(fleet * Decimal::from(k)), None).unwrap(),
                ..base.clone()
            };
            let one = production(&base).unwrap().btc_per_day;
            let many = production(&scaled).unwrap().btc_per_day;
            prop_assert!(close(many, one * Decimal::from(k)), "{many} vs {k} × {one}");
        }

        #[test]
        fn a_constant_projection_mines_production_per_day_times_its_days(
            fleet_ph in 1u64..1_000_000,
            fees_sats in 0u64..100_000_000,
            uptime_pct in 0u64..=100,
            months in 1u32..=24,
        ) {
            // Far from a halving (height 927,000 leaves 854 days), so the subsidy is constant.
            let fleet = hashrate(Decimal::from(fleet_ph) / dec!(1000));
            let fees = Btc::new(Decimal::new(i64::try_from(fees_sats).unwrap(), 8)).unwrap();
            let uptime = Fraction::new(Decimal::from(uptime_pct) / dec!(100)).unwrap();
            let daily = production(&ProductionInput {
                fleet: Fleet::new(fleet, None).unwrap(),
                subsidy: Subsidy::FromHeight(927_000),
                fees_per_block: fees,
                uptime,
                ..round_numbers()
            })
            .unwrap()
            .btc_per_day;
            let out = projection(&ProjectionInput {
                months: ProjectionMonths::new(months).unwrap(),
                fleet,
                halving: HalvingSchedule::FromHeight { start_height: 927_000 },
                fees_per_block: fees,
                uptime,
                ..projection_input()
            })
            .unwrap();
            let days: u32 = out.months.iter().map(|m| m.days).sum();
            let expected = daily * Decimal::from(days);
            prop_assert!((out.total_btc - expected).abs() <= dec!(0.000000000001), "{} vs {expected}", out.total_btc);
        }

        #[test]
        fn the_subsidy_never_rises_with_height(h in any::<u64>(), step in 0u64..10_000_000) {
            prop_assert!(subsidy_at_height(h.saturating_add(step)) <= subsidy_at_height(h));
        }
    }
}
