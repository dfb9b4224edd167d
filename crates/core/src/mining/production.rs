//! A fleet's production and unit economics over a period: bitcoin mined,
//! hashprice, hashcost, power cost, margins and breakevens.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::cohort::cohort_field;
use super::power::{dispatch, Period, Unit};
use super::{blocks_per_day, hours_per_day, ph_per_eh};
use super::{
    Cohort, Cohorts, Fee, Fleet, Hashrate, JoulesPerTerahash, Network, PowerDraw, PowerTerms,
    Subsidy,
};
use crate::error::{CoreError, ValueError};
use crate::num::{self, Checked, Fraction, Price, Usd};
use crate::Result;

/// The longest production period, days (ten years of 366 days).
pub const MAX_PERIOD_DAYS: u32 = 3_660;

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

/// A production request's fleet.
#[derive(Debug, Clone, PartialEq)]
pub enum ProductionFleet {
    /// One fleet, today's form and the one-cohort shorthand (fields
    /// `fleet_hashrate_ehs`, `miner_count`, `th_per_miner`,
    /// `efficiency_j_per_th` or `power_mw`).
    Single {
        /// The fleet.
        fleet: Fleet,
        /// Its power draw; enables `power_mw` and the power cost.
        power: Option<PowerDraw>,
    },
    /// Cohorts (field `cohorts`).
    Cohorts(Cohorts),
}

/// Site costs that are not power, USD per day.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SiteCosts {
    /// Other cash operating costs (hosting, staff, SG&A), in the cash cost.
    pub other_opex_per_day: Option<Usd>,
    /// Depreciation of the site's infrastructure, in the all-in cost.
    pub infrastructure_depreciation_per_day: Option<Usd>,
    /// Stock-based compensation, in the all-in cost.
    pub stock_compensation_per_day: Option<Usd>,
}

impl SiteCosts {
    fn other(&self) -> Decimal {
        self.other_opex_per_day.map_or(Decimal::ZERO, Usd::get)
    }
    fn infrastructure(&self) -> Decimal {
        self.infrastructure_depreciation_per_day
            .map_or(Decimal::ZERO, Usd::get)
    }
    fn stock_compensation(&self) -> Decimal {
        self.stock_compensation_per_day
            .map_or(Decimal::ZERO, Usd::get)
    }
}

/// The validated input of [`production`].
#[derive(Debug, Clone, PartialEq)]
pub struct ProductionInput {
    /// The fleet.
    pub fleet: ProductionFleet,
    /// The network (field `network_hashrate_ehs` or `difficulty`).
    pub network: Network,
    /// The block subsidy (field `block_subsidy_btc` or `block_height`).
    pub subsidy: Subsidy,
    /// Transaction fees (field `fees_per_block_btc` or `fee_share`).
    pub fee: Fee,
    /// Share of the time the fleet hashes.
    pub uptime: Fraction,
    /// Share of the reward the pool keeps.
    pub pool_fee: Fraction,
    /// The period for `btc_for_period` and `curtailed_hours`.
    pub period_days: PeriodDays,
    /// BTC price, USD; enables every USD figure.
    pub btc_price: Option<Price>,
    /// Power price, USD per MWh; requires a power draw.
    pub power_price_per_mwh: Option<Usd>,
    /// Price profile, contract, credits and shut-off.
    pub power: PowerTerms,
    /// Other costs.
    pub costs: SiteCosts,
    /// The period's first day; dates the cohorts' purchases.
    pub start_date: Option<NaiveDate>,
}

/// One cohort's production and costs, unrounded.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductionCohort {
    /// Its hashrate, EH/s.
    pub hashrate_ehs: Decimal,
    /// Its efficiency, J/TH, when known.
    pub efficiency_j_per_th: Option<Decimal>,
    /// Bitcoin mined per day, after uptime, pool fee and shut-off.
    pub btc_per_day: Decimal,
    /// Power cost per day charged to it, USD.
    pub power_cost_per_day: Option<Decimal>,
    /// Depreciation of its machines per day, USD.
    pub depreciation_per_day: Decimal,
    /// (Power + its share of other opex) per BTC, USD.
    pub cash_cost_per_btc: Option<Decimal>,
    /// Cash cost plus its depreciation and its share of the site's
    /// depreciation and stock compensation, per BTC, USD.
    pub all_in_cost_per_btc: Option<Decimal>,
    /// Hours switched off in the period.
    pub curtailed_hours: Decimal,
}

/// Production and unit economics of a fleet, unrounded. USD figures are
/// `None` when the inputs they need are absent.
#[derive(Debug, Clone, PartialEq)]
pub struct Production {
    /// Network hashrate used, EH/s.
    pub network_hashrate_ehs: Decimal,
    /// Block subsidy used, BTC.
    pub block_subsidy_btc: Decimal,
    /// Fees per block used, BTC (given, or from the fee share).
    pub fees_per_block_btc: Decimal,
    /// fleet / network.
    pub fleet_share: Decimal,
    /// Bitcoin mined per day, net of uptime, pool fee and shut-off.
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
    /// Power cost per PH/s per running day at the power price, USD.
    pub hashcost_usd_per_ph_day: Option<Decimal>,
    /// Power cost per day, USD (contract payments plus purchases).
    pub power_cost_per_day: Option<Decimal>,
    /// Revenue per day, USD.
    pub revenue_per_day: Option<Decimal>,
    /// Contracted power sold back per day, USD.
    pub power_sold_back_per_day: Decimal,
    /// Demand-response credits per day, USD.
    pub demand_response_credits_per_day: Decimal,
    /// Power cost plus other opex per day, USD.
    pub cost_per_day: Option<Decimal>,
    /// Revenue plus credits minus cost per day, USD.
    pub margin_per_day: Option<Decimal>,
    /// Depreciation of machines and infrastructure per day, USD.
    pub depreciation_per_day: Decimal,
    /// Power cost per BTC mined, USD.
    pub cost_per_btc: Option<Decimal>,
    /// (Power cost + other opex) per BTC mined, USD.
    pub cash_cost_per_btc: Option<Decimal>,
    /// Cash cost plus depreciation and stock compensation per BTC, USD.
    pub all_in_cost_per_btc: Option<Decimal>,
    /// BTC price at which the daily margin is zero, USD.
    pub breakeven_btc_price: Option<Decimal>,
    /// Flat power price at which the daily margin is zero, USD per MWh.
    /// Negative when other opex alone exceeds revenue; `None` with a
    /// contract or a price profile.
    pub breakeven_power_price_per_mwh: Option<Decimal>,
    /// Hours of the period the fleet was switched off, weighted by
    /// hashrate.
    pub curtailed_hours: Decimal,
    /// One per cohort (one for a single fleet).
    pub cohorts: Vec<ProductionCohort>,
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
pub(super) fn fleet_share(fleet: Decimal, network: Hashrate, field: &str) -> Result<Decimal> {
    if fleet > network.ehs() {
        return Err(CoreError::Inconsistent {
            field: field.into(),
            reason: "the fleet hashrate exceeds the network hashrate",
        });
    }
    fleet.div_or(network.ehs(), "fleet_share")
}

/// `a / b`, or `None` when `b` is zero.
pub(super) fn ratio(a: Decimal, b: Decimal, quantity: &'static str) -> Result<Option<Decimal>> {
    if b.is_zero() {
        Ok(None)
    } else {
        a.div_or(b, quantity).map(Some)
    }
}

/// A cohort's machine depreciation per day in a production period.
fn cohort_run_rate(
    index: usize,
    cohort: &Cohort,
    start_date: Option<NaiveDate>,
) -> Result<Decimal> {
    let Some(purchase) = cohort.purchase else {
        return Ok(Decimal::ZERO);
    };
    match (cohort.purchase_date, start_date) {
        (None, _) => purchase.run_rate_per_day(),
        (Some(_), None) => Err(CoreError::Inconsistent {
            field: cohort_field(index, "purchase_date"),
            reason: "a production request dates purchases against its start_date, which is missing",
        }),
        (Some(bought), Some(start)) => {
            if bought > start {
                return Err(CoreError::DateOrder {
                    field: cohort_field(index, "purchase_date"),
                    date: bought,
                    relation: "on or before",
                    other_field: "start_date",
                    other: start,
                });
            }
            if cohort.end_of_life(bought).transpose()? <= Some(start) {
                Ok(Decimal::ZERO)
            } else {
                purchase.run_rate_per_day()
            }
        }
    }
}

/// A fleet's production and unit economics.
///
/// # Formula
/// ```text
/// network_ehs        = given, or difficulty × 2^32 / 600 / 10^18
/// subsidy            = given, or 50 × 2^−⌊height / 210,000⌋
/// reward             = subsidy + fees, or subsidy / (1 − fee_share)
/// btc_per_day_c      = h_c / network × 144 × reward × uptime × (1 − pool_fee) × hashing share
/// hashprice_btc      = 144 × reward / (network_ehs × 1,000)      BTC per PH/s per day
/// power_mw           = Σ J/TH_c × h_c, or given
/// power_cost_per_day = power_mw × 24 × uptime × $/MWh   (see `power` for contracts and profiles)
/// cost_per_day       = power_cost_per_day + other_opex_per_day
/// cost_per_btc       = power_cost_per_day / btc_per_day
/// cash_cost_per_btc  = cost_per_day / btc_per_day
/// all_in_cost_per_btc= (cost_per_day + depreciation + stock compensation) / btc_per_day
/// depreciation       = Σ_c cost_c × (1 − residual_c) / life_months_c × 12 / 365 + infrastructure
/// margin_per_day     = revenue + power sold back + demand response − cost_per_day
/// breakeven_btc_price= (cost_per_day − credits) / btc_per_day
/// breakeven $/MWh    = (revenue + demand response − other_opex) / MWh drawn per day
/// ```
/// A cohort's machine depreciation stops at the end of its useful life
/// when `start_date` dates it; site costs are shared among cohorts by
/// hashrate. Ratios whose denominator is zero (no bitcoin mined) are
/// `None`.
///
/// # Errors
/// [`CoreError::Inconsistent`] when the fleet is larger than the network;
/// [`CoreError::MissingDependency`] when a power price comes without a
/// power draw, or power terms without what they need.
pub fn production(input: &ProductionInput) -> Result<Production> {
    let network = input.network.hashrate(match input.network {
        Network::Hashrate(_) => "network_hashrate_ehs",
        Network::Difficulty(_) => "difficulty",
    })?;
    let has_power = match &input.fleet {
        ProductionFleet::Single { power, .. } => power.is_some(),
        ProductionFleet::Cohorts(_) => true,
    };
    if input.power_price_per_mwh.is_some() && !has_power {
        return Err(CoreError::missing_dependency(
            "power_price_per_mwh",
            "efficiency_j_per_th",
        ));
    }
    input.power.check(
        input.power_price_per_mwh.is_some(),
        input.btc_price.is_some(),
        has_power,
    )?;
    let subsidy = input.subsidy.btc();
    let reward = input.fee.reward(subsidy)?;
    let per_block_144 = blocks_per_day().mul_or(reward, "btc_per_day")?;

    // One unit per cohort: its hashrate, power and run-rate depreciation.
    let mut units = Vec::new();
    let mut depreciation = Vec::new();
    let mut efficiencies = Vec::new();
    let (fleet_ehs, power, efficiency) = match &input.fleet {
        ProductionFleet::Single { fleet, power } => {
            let h = fleet.hashrate();
            let share = fleet_share(h.ehs(), network, "fleet_hashrate_ehs")?;
            let (mw, e) = match power {
                Some(PowerDraw::Efficiency(e)) => (Some(power_mw(*e, h)?), Some(e.get())),
                Some(PowerDraw::Megawatts(mw)) => (
                    Some(mw.get()),
                    Some(mw.get().div_or(h.ehs(), "efficiency")?),
                ),
                None => (None, None),
            };
            units.push(Unit {
                hashrate_ehs: h.ehs(),
                power_mw: mw,
                gross_btc: btc_per_day(share, reward, Fraction::ONE, Fraction::ZERO)?,
                days: Decimal::ONE,
            });
            depreciation.push(Decimal::ZERO);
            efficiencies.push(e);
            (h.ehs(), mw, e)
        }
        ProductionFleet::Cohorts(cohorts) => {
            let mut total = Decimal::ZERO;
            let mut mw_total = Decimal::ZERO;
            for (i, c) in cohorts.get().iter().enumerate() {
                total = total.add_or(c.hashrate.ehs(), "fleet hashrate")?;
                if total > network.ehs() {
                    return Err(CoreError::Inconsistent {
                        field: cohort_field(i, "hashrate_ehs"),
                        reason: "the cohorts' hashrate exceeds the network hashrate",
                    });
                }
                let mw = power_mw(c.efficiency, c.hashrate)?;
                mw_total = mw_total.add_or(mw, "power_mw")?;
                let share = c.hashrate.ehs().div_or(network.ehs(), "fleet_share")?;
                units.push(Unit {
                    hashrate_ehs: c.hashrate.ehs(),
                    power_mw: Some(mw),
                    gross_btc: btc_per_day(share, reward, Fraction::ONE, Fraction::ZERO)?,
                    days: Decimal::ONE,
                });
                depreciation.push(cohort_run_rate(i, c, input.start_date)?);
                efficiencies.push(Some(c.efficiency.get()));
            }
            let e = mw_total.div_or(total, "efficiency")?;
            (total, Some(mw_total), Some(e))
        }
    };
    let share = fleet_ehs.div_or(network.ehs(), "fleet_share")?;

    let price = input.btc_price.map(Price::get);
    let power_price = input.power_price_per_mwh.map(Usd::get);
    let out = dispatch(
        &Period {
            days: Decimal::ONE,
            uptime: input.uptime,
            pool_fee: input.pool_fee,
            btc_price: price,
            power_price,
            terms: &input.power,
        },
        &units,
    )?;
    let mut btc_day = Decimal::ZERO;
    for u in &out.units {
        btc_day = btc_day.add_or(u.btc, "btc_per_day")?;
    }
    let btc_for_period = btc_day.mul_or(input.period_days.get(), "btc_for_period")?;
    let hashprice_btc =
        per_block_144.div_or(network.ehs().mul_or(ph_per_eh(), "hashprice")?, "hashprice")?;
    let hashprice_usd = price
        .map(|p| hashprice_btc.mul_or(p, "hashprice_usd_per_ph_day"))
        .transpose()?;
    let hashcost = match (efficiency, power_price) {
        (Some(e), Some(p)) => Some(
            e.mul_or(p, "hashcost")?
                .mul_or(hours_per_day(), "hashcost")?
                .div_or(Decimal::ONE_THOUSAND, "hashcost")?,
        ),
        _ => None,
    };

    let costs = &input.costs;
    let other = costs.other();
    let dr_month = input
        .power
        .demand_response_per_month
        .map_or(Ok(Decimal::ZERO), |m| {
            m.get()
                .mul_or(Decimal::from(12), "demand response")?
                .div_or(Decimal::from(365), "demand response")
        })?;
    let demand_response = out.demand_response.add_or(dr_month, "demand response")?;
    let credits = out.power_sold_back.add_or(demand_response, "credits")?;
    let revenue = price
        .map(|p| btc_day.mul_or(p, "revenue_per_day"))
        .transpose()?;
    let power_cost = out.power_cost;
    let cost = power_cost
        .map(|c| c.add_or(other, "cost_per_day"))
        .transpose()?;
    let margin = match (revenue, cost) {
        (Some(r), Some(c)) => Some(
            r.add_or(credits, "margin_per_day")?
                .sub_or(c, "margin_per_day")?,
        ),
        _ => None,
    };
    let mut machine_depreciation = Decimal::ZERO;
    for d in &depreciation {
        machine_depreciation = machine_depreciation.add_or(*d, "depreciation")?;
    }
    let total_depreciation = machine_depreciation.add_or(costs.infrastructure(), "depreciation")?;
    let non_cash = total_depreciation.add_or(costs.stock_compensation(), "all_in_cost_per_btc")?;
    let per_btc = |v: Option<Decimal>, q: &'static str| match v {
        Some(v) => ratio(v, btc_day, q),
        None => Ok(None),
    };
    let cost_per_btc = per_btc(power_cost, "cost_per_btc")?;
    let cash_cost_per_btc = per_btc(cost, "cash_cost_per_btc")?;
    let all_in = per_btc(
        cost.map(|c| c.add_or(non_cash, "all_in_cost_per_btc"))
            .transpose()?,
        "all_in_cost_per_btc",
    )?;
    let breakeven_btc = per_btc(
        cost.map(|c| c.sub_or(credits, "breakeven_btc_price"))
            .transpose()?,
        "breakeven_btc_price",
    )?;
    let flat = input.power.contract.is_none() && input.power.profile.is_none();
    let breakeven_power = match (revenue, power_cost) {
        (Some(r), Some(_)) if flat => ratio(
            r.add_or(demand_response, "breakeven_power_price_per_mwh")?
                .sub_or(other, "breakeven_power_price_per_mwh")?,
            out.energy_mwh,
            "breakeven_power_price_per_mwh",
        )?,
        _ => None,
    };

    let period = input.period_days.get();
    let mut curtailed = Decimal::ZERO;
    let mut cohorts = Vec::with_capacity(units.len());
    for (((u, o), dep), e) in units
        .iter()
        .zip(&out.units)
        .zip(&depreciation)
        .zip(&efficiencies)
    {
        let hours = o.curtailed_hours.mul_or(period, "curtailed_hours")?;
        curtailed = curtailed.add_or(
            hours.mul_or(o.weight, "curtailed_hours")?,
            "curtailed_hours",
        )?;
        let cash = o
            .power_cost
            .map(|c| {
                c.add_or(
                    other.mul_or(o.weight, "cash_cost_per_btc")?,
                    "cash_cost_per_btc",
                )
            })
            .transpose()?;
        let shared = costs
            .infrastructure()
            .add_or(costs.stock_compensation(), "all_in_cost_per_btc")?
            .mul_or(o.weight, "all_in_cost_per_btc")?;
        let all_in_c = cash
            .map(|c| {
                c.add_or(*dep, "all_in_cost_per_btc")?
                    .add_or(shared, "all_in_cost_per_btc")
            })
            .transpose()?;
        cohorts.push(ProductionCohort {
            hashrate_ehs: u.hashrate_ehs,
            efficiency_j_per_th: *e,
            btc_per_day: o.btc,
            power_cost_per_day: o.power_cost,
            depreciation_per_day: *dep,
            cash_cost_per_btc: match cash {
                Some(c) => ratio(c, o.btc, "cash_cost_per_btc")?,
                None => None,
            },
            all_in_cost_per_btc: match all_in_c {
                Some(c) => ratio(c, o.btc, "all_in_cost_per_btc")?,
                None => None,
            },
            curtailed_hours: hours,
        });
    }

    Ok(Production {
        network_hashrate_ehs: network.ehs(),
        block_subsidy_btc: subsidy,
        fees_per_block_btc: reward.sub_or(subsidy, "fees_per_block_btc")?,
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
        power_sold_back_per_day: out.power_sold_back,
        demand_response_credits_per_day: demand_response,
        cost_per_day: cost,
        margin_per_day: margin,
        depreciation_per_day: total_depreciation,
        cost_per_btc,
        cash_cost_per_btc,
        all_in_cost_per_btc: all_in,
        breakeven_btc_price: breakeven_btc,
        breakeven_power_price_per_mwh: breakeven_power,
        curtailed_hours: curtailed,
        cohorts,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    use approx::assert_relative_eq;

    use super::*;
    use crate::mining::tests::{close, hashrate, round_numbers};
    use crate::mining::{Btc, Difficulty};
    use crate::num::Megawatts;

    fn single(ehs: Decimal, power: Option<PowerDraw>) -> ProductionFleet {
        ProductionFleet::Single {
            fleet: Fleet::new(hashrate(ehs), None).unwrap(),
            power,
        }
    }
    use crate::tolerance::{Exact, REPORTED_PRODUCTION_REL};

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
            fee: Fee::PerBlock(Btc::new(dec!(0.03)).unwrap()),
            ..round_numbers()
        };
        let out = production(&input).unwrap();
        assert!(close(out.btc_per_day, dec!(22716) / dec!(1070)));
        let reported = dec!(622) / dec!(31);
        assert_relative_eq!(
            Exact(out.btc_per_day),
            Exact(reported),
            max_relative = REPORTED_PRODUCTION_REL
        );
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
            fleet: single(dec!(50), None),
            ..round_numbers()
        };
        assert!(matches!(
            production(&input),
            Err(CoreError::MissingDependency { ref field, .. }) if field == "power_price_per_mwh"
        ));
    }

    #[test]
    fn a_stated_power_draw_implies_the_efficiency() {
        let input = ProductionInput {
            fleet: single(
                dec!(50),
                Some(PowerDraw::Megawatts(Megawatts::new(dec!(800)).unwrap())),
            ),
            ..round_numbers()
        };
        // 800 MW / 50 EH/s = 16 J/TH; hashcost 16 × 50 × 24 / 1,000 = $19.20/PH/day.
        let out = production(&input).unwrap();
        assert_eq!(out.efficiency_j_per_th, Some(dec!(16)));
        assert_eq!(out.hashcost_usd_per_ph_day, Some(dec!(19.2)));
    }

    /// Cohort A: 10 EH/s at 20 J/TH bought for $14,235,000, 36 months, 10% residual;
    /// cohort B: 10 EH/s at 30 J/TH, no purchase given. Round numbers otherwise, with
    /// power at $46.80/MWh, other opex $93,600 and infrastructure $9,360 a day.
    fn two_cohorts(bought: Option<NaiveDate>) -> ProductionInput {
        let a = Cohort {
            hashrate: hashrate(dec!(10)),
            efficiency: JoulesPerTerahash::new(dec!(20)).unwrap(),
            purchase_date: bought,
            purchase: Some(crate::mining::Purchase {
                cost: Usd::new(dec!(14235000)).unwrap(),
                useful_life: crate::mining::UsefulLife::new(36).unwrap(),
                residual: Fraction::new(dec!(0.1)).unwrap(),
            }),
        };
        let b = Cohort {
            efficiency: JoulesPerTerahash::new(dec!(30)).unwrap(),
            purchase: None,
            purchase_date: None,
            ..a
        };
        ProductionInput {
            fleet: ProductionFleet::Cohorts(Cohorts::new(vec![a, b]).unwrap()),
            power_price_per_mwh: Some(Usd::new(dec!(46.8)).unwrap()),
            costs: SiteCosts {
                other_opex_per_day: Some(Usd::new(dec!(93600)).unwrap()),
                infrastructure_depreciation_per_day: Some(Usd::new(dec!(9360)).unwrap()),
                stock_compensation_per_day: None,
            },
            ..round_numbers()
        }
    }

    #[test]
    fn cohorts_have_their_own_cash_and_all_in_costs_and_the_fleet_averages_them() {
        // Each cohort: 10/1,000 × 144 × 3.25 = 4.68 BTC a day.
        // Power: A 200 MW × 24 × 46.8 = $224,640 (48,000/BTC); B 300 × 24 × 46.8 = $336,960
        // (72,000/BTC). Other opex 93,600 shared by hashrate: 46,800 each (10,000/BTC).
        //   cash:   A 58,000, B 82,000, fleet (224,640 + 336,960 + 93,600) / 9.36 = 70,000.
        // A's machines: 14,235,000 × 0.9 / 36 × 12 / 365 = 355,875 × 12 / 365 = $11,700 a day
        // (2,500/BTC); infrastructure 9,360 shared: 4,680 each (1,000/BTC).
        //   all-in: A 61,500, B 83,000, fleet (655,200 + 11,700 + 9,360) / 9.36 = 72,250.
        let out = production(&two_cohorts(None)).unwrap();
        assert_eq!(out.btc_per_day, dec!(9.36));
        assert_eq!(out.power_mw, Some(dec!(500)));
        assert_eq!(out.efficiency_j_per_th, Some(dec!(25)));
        assert_eq!(out.cohorts[0].cash_cost_per_btc, Some(dec!(58000)));
        assert_eq!(out.cohorts[1].cash_cost_per_btc, Some(dec!(82000)));
        assert_eq!(out.cash_cost_per_btc, Some(dec!(70000)));
        assert_eq!(out.cohorts[0].depreciation_per_day, dec!(11700));
        assert_eq!(out.cohorts[0].all_in_cost_per_btc, Some(dec!(61500)));
        assert_eq!(out.cohorts[1].all_in_cost_per_btc, Some(dec!(83000)));
        assert_eq!(out.all_in_cost_per_btc, Some(dec!(72250)));
        assert_eq!(out.depreciation_per_day, dec!(21060));
    }

    #[test]
    fn a_cohort_past_its_useful_life_is_no_longer_depreciated() {
        // Bought 1 January 2023 with a 36-month life: fully depreciated on 1 January 2026,
        // so on 1 April 2026 A's all-in is 58,000 + 1,000 = 59,000.
        let input = ProductionInput {
            start_date: Some(crate::mining::tests::date(2026, 4, 1)),
            ..two_cohorts(Some(crate::mining::tests::date(2023, 1, 1)))
        };
        let out = production(&input).unwrap();
        assert_eq!(out.cohorts[0].depreciation_per_day, Decimal::ZERO);
        assert_eq!(out.cohorts[0].all_in_cost_per_btc, Some(dec!(59000)));

        // A purchase after the period starts, or a purchase date with no start date, is
        // refused naming the cohort's field.
        let later = ProductionInput {
            start_date: Some(crate::mining::tests::date(2022, 4, 1)),
            ..two_cohorts(Some(crate::mining::tests::date(2023, 1, 1)))
        };
        assert_eq!(
            production(&later).unwrap_err().field(),
            Some("cohorts[0].purchase_date")
        );
        let undated = two_cohorts(Some(crate::mining::tests::date(2023, 1, 1)));
        assert_eq!(
            production(&undated).unwrap_err().field(),
            Some("cohorts[0].purchase_date")
        );
    }

    #[test]
    fn at_a_dear_power_price_the_less_efficient_cohort_is_switched_off() {
        // Hashprice 144 × 3.25 / 1,000,000 × 100,000 = $46.80 per PH/s per day. At $70/MWh
        // B's hashcost is 30 × 70 × 24 / 1,000 = $50.40 > $46.80: off, 30 × 24 = 720 hours
        // of the 30-day period; A's $33.60 keeps it on. The fleet: 720 × 10/20 = 360 hours.
        let input = ProductionInput {
            power_price_per_mwh: Some(Usd::new(dec!(70)).unwrap()),
            power: PowerTerms {
                shutoff: crate::mining::Shutoff::Economic,
                ..PowerTerms::default()
            },
            ..two_cohorts(None)
        };
        let out = production(&input).unwrap();
        assert_eq!(out.cohorts[1].btc_per_day, Decimal::ZERO);
        assert_eq!(out.cohorts[1].curtailed_hours, dec!(720));
        assert_eq!(out.cohorts[0].curtailed_hours, Decimal::ZERO);
        assert_eq!(out.btc_per_day, dec!(4.68));
        assert_eq!(out.curtailed_hours, dec!(360));
        // Power: A only, 200 × 24 × 70 = $336,000.
        assert_eq!(out.power_cost_per_day, Some(dec!(336000)));
    }

    #[test]
    fn a_fee_share_sets_the_fees_per_block() {
        // 20% of the reward: 3.125 / 0.8 = 3.90625 a block, of which 0.78125 in fees.
        let input = ProductionInput {
            fee: Fee::Share(crate::mining::FeeShare::new(dec!(0.2)).unwrap()),
            ..round_numbers()
        };
        let out = production(&input).unwrap();
        assert_eq!(out.fees_per_block_btc, dec!(0.78125));
        // 0.05 × 144 × 3.90625 = 28.125 BTC a day.
        assert_eq!(out.btc_per_day, dec!(28.125));
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
                fleet: single(fleet, None),
                power_price_per_mwh: None,
                ..round_numbers()
            };
            let scaled = ProductionInput {
                fleet: single(fleet * Decimal::from(k), None),
                ..base.clone()
            };
            let one = production(&base).unwrap().btc_per_day;
            let many = production(&scaled).unwrap().btc_per_day;
            prop_assert!(close(many, one * Decimal::from(k)), "{many} vs {k} × {one}");
        }
    }
}
