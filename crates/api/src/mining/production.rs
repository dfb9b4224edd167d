//! Production and unit economics of a fleet: `POST /v1/mining/production`.

use chrono::NaiveDate;
use infraval_core::error::AtField;
use infraval_core::mining::{
    self, Btc, Fee, FeeShare, Fleet, Hashrate, JoulesPerTerahash, Miners, PeriodDays, PowerDraw,
    ProductionFleet, ProductionInput, SiteCosts, Subsidy,
};
use infraval_core::num::{Fraction, Megawatts, Price};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::cohort::{cohorts, CohortRequest};
use super::power::{PowerContractRequest, PowerFields, PriceBucketRequest, ShutoffRequest};
use super::{
    at_most_one, btc, cents, exactly_one, fraction_or, network, opt_usd, physical,
    HASHPRICE_BTC_DP, SHARE_DP,
};
use crate::num;

/// A fleet, its network and, optionally, its economics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "fleet_hashrate_ehs": 50,
    "miner_count": 245199,
    "th_per_miner": 204,
    "network_hashrate_ehs": 1070,
    "block_height": 927000,
    "fees_per_block_btc": 0.03,
    "uptime": 0.95,
    "pool_fee": 0,
    "period_days": 31,
    "btc_price": 90000,
    "efficiency_j_per_th": 16.1,
    "power_price_per_mwh": 45,
    "other_opex_per_day": 200000
}))]
pub struct ProductionRequest {
    /// The fleet's operating hashrate, EH/s: the one-cohort shorthand. Give
    /// this or `cohorts`. Range: > 0, at most the network.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 50, minimum = 0)]
    pub fleet_hashrate_ehs: Option<Decimal>,
    /// The fleet by cohort; give this or `fleet_hashrate_ehs`. At most 50;
    /// together at most the network. Each cohort hashes (subject to
    /// `shutoff`) and is depreciated at its straight-line run rate,
    /// `cost × (1 − residual) / life × 12 / 365` a day, until its life ends
    /// (dated by `start_date`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(max_items = 50)]
    pub cohorts: Vec<CohortRequest>,
    /// Number of machines; with `th_per_miner`, checked against
    /// `fleet_hashrate_ehs` (within 2%). Range: > 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 245199, minimum = 1)]
    pub miner_count: Option<u64>,
    /// Average hashrate per machine, TH/s; requires `miner_count`. Range: > 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 204, minimum = 0)]
    pub th_per_miner: Option<Decimal>,
    /// Network hashrate, EH/s; give this or `difficulty`. Range: > 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 1070, minimum = 0)]
    pub network_hashrate_ehs: Option<Decimal>,
    /// Network difficulty; the hashrate is `difficulty × 2^32 / 600` H/s.
    /// Give this or `network_hashrate_ehs`. Range: > 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 149300000000000_u64, minimum = 0)]
    pub difficulty: Option<Decimal>,
    /// Block subsidy, BTC; give this or `block_height`. Range: [0, 50].
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 3.125, minimum = 0, maximum = 50)]
    pub block_subsidy_btc: Option<Decimal>,
    /// Current block height; the subsidy is `50 × 2^−⌊height / 210,000⌋`.
    /// Give this or `block_subsidy_btc`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 927000, minimum = 0)]
    pub block_height: Option<u64>,
    /// Transaction fees per block, BTC; or give `fee_share`. Range: ≥ 0.
    /// Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.03, minimum = 0)]
    pub fees_per_block_btc: Option<Decimal>,
    /// Fees as a share of the whole block reward, `fees / (subsidy + fees)`;
    /// the reward is then `subsidy / (1 − fee_share)`. Or give
    /// `fees_per_block_btc`. Range: [0, 0.9].
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.01, minimum = 0, maximum = 0.9)]
    pub fee_share: Option<Decimal>,
    /// Share of the time the fleet hashes, a fraction in [0, 1]. Default 1.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.95, minimum = 0, maximum = 1)]
    pub uptime: Option<Decimal>,
    /// Share of the reward the pool keeps, a fraction in [0, 1]. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0, minimum = 0, maximum = 1)]
    pub pool_fee: Option<Decimal>,
    /// Days for `btc_for_period`. Range: (0, 3,660]. Default 1.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 31, minimum = 0, maximum = 3660)]
    pub period_days: Option<Decimal>,
    /// BTC price, USD; enables every USD figure. Range: > 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 90000, minimum = 0)]
    pub btc_price: Option<Decimal>,
    /// Fleet efficiency, J/TH (= W per TH/s); give this or `power_mw`. Range: > 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 16.1, minimum = 0)]
    pub efficiency_j_per_th: Option<Decimal>,
    /// Fleet power draw while running, MW; give this or `efficiency_j_per_th`.
    /// Range: > 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 805, minimum = 0)]
    pub power_mw: Option<Decimal>,
    /// Power price, USD per MWh; requires a power draw. Range: ≥ 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 45, minimum = 0)]
    pub power_price_per_mwh: Option<Decimal>,
    /// Other cash operating costs (hosting, staff, cash SG&A), USD per day,
    /// in the cash and all-in costs. Range: ≥ 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 200000, minimum = 0)]
    pub other_opex_per_day: Option<Decimal>,
    /// Depreciation of the site's infrastructure, USD per day, in the all-in
    /// cost. Range: ≥ 0. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 60000, minimum = 0)]
    pub infrastructure_depreciation_per_day: Option<Decimal>,
    /// Stock-based compensation, USD per day, in the all-in cost (as
    /// CoinShares counts it). Range: ≥ 0. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 40000, minimum = 0)]
    pub stock_compensation_per_day: Option<Decimal>,
    /// The period's first day (ISO 8601), with `cohorts`: a cohort past its
    /// useful life on this day is no longer depreciated, and one bought
    /// after it is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "2025-12-01")]
    pub start_date: Option<NaiveDate>,
    /// How the power price spreads over the period's hours: buckets of
    /// hours at multiples of `power_price_per_mwh`, their shares adding up
    /// to 1. At most 24. Default: every hour at the price.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(max_items = 24)]
    pub power_price_profile: Vec<PriceBucketRequest>,
    /// A fixed-price contract for part of the load; requires
    /// `power_price_per_mwh` (the market price for the rest and for power
    /// sold back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_contract: Option<PowerContractRequest>,
    /// Paid for each MWh of load the shut-off curtails, USD per MWh;
    /// requires `shutoff: economic`. Range: ≥ 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 10, minimum = 0)]
    pub demand_response_credit_per_mwh: Option<Decimal>,
    /// Paid each month for standing ready to curtail, USD (per day:
    /// `× 12 / 365`). Range: ≥ 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 1000000, minimum = 0)]
    pub demand_response_credit_per_month: Option<Decimal>,
    /// `economic`: a cohort hashes only in the hours its hashprice covers
    /// its hashcost; `never` (the default) switches nothing off. Economic
    /// needs `btc_price`, `power_price_per_mwh` and a power draw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shutoff: Option<ShutoffRequest>,
}

/// A field of the one-fleet shorthand given with `cohorts`.
fn shorthand_only(field: &str) -> CoreError {
    CoreError::Inconsistent {
        field: field.into(),
        reason: "describes fleet_hashrate_ehs; with cohorts, each cohort states its own",
    }
}

impl TryFrom<ProductionRequest> for ProductionInput {
    type Error = CoreError;

    fn try_from(req: ProductionRequest) -> Result<Self, CoreError> {
        let fleet = match exactly_one(&[
            ("fleet_hashrate_ehs", req.fleet_hashrate_ehs.is_some()),
            ("cohorts", !req.cohorts.is_empty()),
        ])? {
            0 => {
                let miners = match (req.miner_count, req.th_per_miner) {
                    (Some(count), Some(th)) => Some(Miners::new(count, th)?),
                    (Some(_), None) => {
                        return Err(CoreError::MissingDependency {
                            field: "miner_count",
                            requires: "th_per_miner",
                        })
                    }
                    (None, Some(_)) => {
                        return Err(CoreError::MissingDependency {
                            field: "th_per_miner",
                            requires: "miner_count",
                        })
                    }
                    (None, None) => None,
                };
                let fleet = Fleet::new(
                    Hashrate::new(req.fleet_hashrate_ehs.unwrap_or_default())
                        .at("fleet_hashrate_ehs")?,
                    miners,
                )?;
                let power = match at_most_one(&[
                    ("efficiency_j_per_th", req.efficiency_j_per_th.is_some()),
                    ("power_mw", req.power_mw.is_some()),
                ])? {
                    Some(0) => Some(PowerDraw::Efficiency(
                        JoulesPerTerahash::new(req.efficiency_j_per_th.unwrap_or_default())
                            .at("efficiency_j_per_th")?,
                    )),
                    Some(_) => Some(PowerDraw::Megawatts(
                        Megawatts::new(req.power_mw.unwrap_or_default()).at("power_mw")?,
                    )),
                    None => None,
                };
                if req.start_date.is_some() {
                    return Err(CoreError::Inconsistent {
                        field: "start_date".into(),
                        reason: "dates the cohorts' purchases; fleet_hashrate_ehs has none",
                    });
                }
                ProductionFleet::Single { fleet, power }
            }
            _ => {
                let shorthand = [
                    ("miner_count", req.miner_count.is_some()),
                    ("th_per_miner", req.th_per_miner.is_some()),
                    ("efficiency_j_per_th", req.efficiency_j_per_th.is_some()),
                    ("power_mw", req.power_mw.is_some()),
                ];
                if let Some((field, _)) = shorthand.iter().find(|f| f.1) {
                    return Err(shorthand_only(field));
                }
                ProductionFleet::Cohorts(cohorts(&req.cohorts)?)
            }
        };
        let network = network(req.network_hashrate_ehs, req.difficulty)?;
        let subsidy = match exactly_one(&[
            ("block_subsidy_btc", req.block_subsidy_btc.is_some()),
            ("block_height", req.block_height.is_some()),
        ])? {
            0 => Subsidy::Given(
                Btc::subsidy(req.block_subsidy_btc.unwrap_or_default()).at("block_subsidy_btc")?,
            ),
            _ => Subsidy::FromHeight(req.block_height.unwrap_or_default()),
        };
        let fee = match at_most_one(&[
            ("fees_per_block_btc", req.fees_per_block_btc.is_some()),
            ("fee_share", req.fee_share.is_some()),
        ])? {
            Some(0) => Fee::PerBlock(
                Btc::new(req.fees_per_block_btc.unwrap_or_default()).at("fees_per_block_btc")?,
            ),
            Some(_) => {
                Fee::Share(FeeShare::new(req.fee_share.unwrap_or_default()).at("fee_share")?)
            }
            None => Fee::ZERO,
        };
        let power = PowerFields {
            profile: &req.power_price_profile,
            contract: req.power_contract.as_ref(),
            demand_response_per_mwh: req.demand_response_credit_per_mwh,
            demand_response_per_month: req.demand_response_credit_per_month,
            shutoff: req.shutoff,
        }
        .terms()?;
        Ok(ProductionInput {
            fleet,
            network,
            subsidy,
            fee,
            uptime: fraction_or(req.uptime, Fraction::ONE, "uptime")?,
            pool_fee: fraction_or(req.pool_fee, Fraction::ZERO, "pool_fee")?,
            period_days: PeriodDays::new(req.period_days.unwrap_or(Decimal::ONE))
                .at("period_days")?,
            btc_price: req
                .btc_price
                .map(|p| Price::new(p).at("btc_price"))
                .transpose()?,
            power_price_per_mwh: opt_usd(req.power_price_per_mwh, "power_price_per_mwh")?,
            power,
            costs: SiteCosts {
                other_opex_per_day: opt_usd(req.other_opex_per_day, "other_opex_per_day")?,
                infrastructure_depreciation_per_day: opt_usd(
                    req.infrastructure_depreciation_per_day,
                    "infrastructure_depreciation_per_day",
                )?,
                stock_compensation_per_day: opt_usd(
                    req.stock_compensation_per_day,
                    "stock_compensation_per_day",
                )?,
            },
            start_date: req.start_date,
        })
    }
}

/// A fleet's production and unit economics. USD figures are `null` when
/// the inputs they need are absent, and per-BTC figures when no bitcoin is
/// mined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductionResponse {
    /// Network hashrate used, EH/s (6 dp).
    #[serde(with = "num::decimal")]
    #[schema(example = 1070)]
    pub network_hashrate_ehs: Decimal,
    /// Block subsidy used, BTC.
    #[serde(with = "num::decimal")]
    #[schema(example = 3.125)]
    pub block_subsidy_btc: Decimal,
    /// Fees per block used, BTC: `fees_per_block_btc`, or
    /// `subsidy × fee_share / (1 − fee_share)`.
    #[serde(with = "num::decimal")]
    #[schema(example = 0.03)]
    pub fees_per_block_btc: Decimal,
    /// fleet / network, a fraction (12 dp).
    #[serde(with = "num::decimal")]
    #[schema(example = 0.046728971963)]
    pub fleet_share: Decimal,
    /// `fleet_share × 144 × (subsidy + fees) × uptime × (1 − pool_fee)`, BTC
    /// per day, less the hours the shut-off switches cohorts off.
    #[serde(with = "num::decimal")]
    #[schema(example = 20.16841121)]
    pub btc_per_day: Decimal,
    /// `btc_per_day × period_days`, BTC.
    #[serde(with = "num::decimal")]
    #[schema(example = 625.22074766)]
    pub btc_for_period: Decimal,
    /// Gross reward per PH/s per day, `144 × (subsidy + fees) / (network_ehs × 1,000)`,
    /// BTC (10 dp), before uptime and pool fee.
    #[serde(with = "num::decimal")]
    #[schema(example = 0.0004245981)]
    pub hashprice_btc_per_ph_day: Decimal,
    /// `hashprice_btc_per_ph_day × btc_price`, USD per PH/s per day.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 38.21)]
    pub hashprice_usd_per_ph_day: Option<Decimal>,
    /// Power draw while running, MW (`efficiency_j_per_th × fleet_hashrate_ehs`, or given).
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 805)]
    pub power_mw: Option<Decimal>,
    /// Fleet efficiency, J/TH (given, or `power_mw / fleet_hashrate_ehs`).
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 16.1)]
    pub efficiency_j_per_th: Option<Decimal>,
    /// Power cost per PH/s per running day, `J/TH × $/MWh × 24 / 1,000`, USD.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 17.39)]
    pub hashcost_usd_per_ph_day: Option<Decimal>,
    /// `power_mw × 24 × uptime × power_price_per_mwh`, USD per day, for the
    /// hours hashing (at each bucket's price with a profile); with a
    /// contract, its payments plus the power bought above it.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 825930)]
    pub power_cost_per_day: Option<Decimal>,
    /// `btc_per_day × btc_price`, USD per day.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 1815157.01)]
    pub revenue_per_day: Option<Decimal>,
    /// Power cost plus other opex, USD per day (cash).
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 1025930)]
    pub cost_per_day: Option<Decimal>,
    /// Revenue plus credits (power sold back, demand response) minus cost,
    /// USD per day.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 789227.01)]
    pub margin_per_day: Option<Decimal>,
    /// Contracted power sold back at the market price, USD per day: revenue
    /// shown apart.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub power_sold_back_per_day: Decimal,
    /// Demand-response credits, USD per day: revenue shown apart.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub demand_response_credits_per_day: Decimal,
    /// Depreciation of the cohorts' machines and of the site, USD per day.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub depreciation_per_day: Decimal,
    /// Power cost per BTC mined, USD (Galaxy's marginal cost).
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 40951.66)]
    pub cost_per_btc: Option<Decimal>,
    /// (Power cost + other opex) per BTC mined, USD: CoinShares' cash cost.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 50868.16)]
    pub cash_cost_per_btc: Option<Decimal>,
    /// Cash cost plus depreciation (machines and site) and stock-based
    /// compensation, per BTC mined, USD: CoinShares' all-in cost. Equals
    /// the cash cost when none of those is given.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 50868.16)]
    pub all_in_cost_per_btc: Option<Decimal>,
    /// BTC price at which the daily margin is zero, USD:
    /// `(cost − credits) / btc_per_day` (the cash cost without credits).
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 50868.16)]
    pub breakeven_btc_price: Option<Decimal>,
    /// Power price at which the daily margin is zero, USD per MWh:
    /// `(revenue + demand response − other_opex) / MWh drawn a day`.
    /// Negative when other opex alone exceeds revenue; `null` with a
    /// contract or a price profile, where no single price applies.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 88)]
    pub breakeven_power_price_per_mwh: Option<Decimal>,
    /// Hours of the period the fleet was switched off, weighted by
    /// hashrate (6 dp).
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub curtailed_hours: Decimal,
    /// One per cohort, in order; one for `fleet_hashrate_ehs`.
    pub cohorts: Vec<ProductionCohortResponse>,
}

/// One cohort's production and costs. Site costs (other opex, site
/// depreciation, stock compensation, a contract's payments) are shared by
/// hashrate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductionCohortResponse {
    /// Its hashrate, EH/s.
    #[serde(with = "num::decimal")]
    #[schema(example = 50)]
    pub hashrate_ehs: Decimal,
    /// Its efficiency, J/TH; `null` when unknown.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 16.1)]
    pub efficiency_j_per_th: Option<Decimal>,
    /// Bitcoin it mines per day.
    #[serde(with = "num::decimal")]
    #[schema(example = 20.16841121)]
    pub btc_per_day: Decimal,
    /// Power cost charged to it, USD per day.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 825930)]
    pub power_cost_per_day: Option<Decimal>,
    /// Depreciation of its machines, USD per day.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub depreciation_per_day: Decimal,
    /// Its cash cost per BTC, USD.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 50868.16)]
    pub cash_cost_per_btc: Option<Decimal>,
    /// Its all-in cost per BTC, USD.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 50868.16)]
    pub all_in_cost_per_btc: Option<Decimal>,
    /// Hours of the period it was switched off (6 dp).
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub curtailed_hours: Decimal,
}

impl From<&mining::Production> for ProductionResponse {
    fn from(p: &mining::Production) -> Self {
        let usd = |v: Option<Decimal>| v.map(cents);
        ProductionResponse {
            network_hashrate_ehs: physical(p.network_hashrate_ehs),
            block_subsidy_btc: btc(p.block_subsidy_btc),
            fees_per_block_btc: btc(p.fees_per_block_btc),
            fleet_share: num::round(p.fleet_share, SHARE_DP).normalize(),
            btc_per_day: btc(p.btc_per_day),
            btc_for_period: btc(p.btc_for_period),
            hashprice_btc_per_ph_day: num::round(p.hashprice_btc_per_ph_day, HASHPRICE_BTC_DP)
                .normalize(),
            hashprice_usd_per_ph_day: usd(p.hashprice_usd_per_ph_day),
            power_mw: p.power_mw.map(physical),
            efficiency_j_per_th: p.efficiency_j_per_th.map(physical),
            hashcost_usd_per_ph_day: usd(p.hashcost_usd_per_ph_day),
            power_cost_per_day: usd(p.power_cost_per_day),
            revenue_per_day: usd(p.revenue_per_day),
            cost_per_day: usd(p.cost_per_day),
            margin_per_day: usd(p.margin_per_day),
            power_sold_back_per_day: cents(p.power_sold_back_per_day),
            demand_response_credits_per_day: cents(p.demand_response_credits_per_day),
            depreciation_per_day: cents(p.depreciation_per_day),
            cost_per_btc: usd(p.cost_per_btc),
            cash_cost_per_btc: usd(p.cash_cost_per_btc),
            all_in_cost_per_btc: usd(p.all_in_cost_per_btc),
            breakeven_btc_price: usd(p.breakeven_btc_price),
            breakeven_power_price_per_mwh: usd(p.breakeven_power_price_per_mwh),
            curtailed_hours: physical(p.curtailed_hours),
            cohorts: p
                .cohorts
                .iter()
                .map(|c| ProductionCohortResponse {
                    hashrate_ehs: physical(c.hashrate_ehs),
                    efficiency_j_per_th: c.efficiency_j_per_th.map(physical),
                    btc_per_day: btc(c.btc_per_day),
                    power_cost_per_day: usd(c.power_cost_per_day),
                    depreciation_per_day: cents(c.depreciation_per_day),
                    cash_cost_per_btc: usd(c.cash_cost_per_btc),
                    all_in_cost_per_btc: usd(c.all_in_cost_per_btc),
                    curtailed_hours: physical(c.curtailed_hours),
                })
                .collect(),
        }
    }
}

/// Computes [`crate::operations::MiningProduction`].
pub fn production(input: ProductionInput) -> Result<ProductionResponse, CoreError> {
    Ok(ProductionResponse::from(&mining::production(&input)?))
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn production_example() -> ProductionRequest {
        serde_json::from_value(serde_json::json!({
            "fleet_hashrate_ehs": 50,
            "network_hashrate_ehs": 1070,
            "block_height": 927000
        }))
        .unwrap()
    }

    #[test]
    fn both_network_forms_are_refused() {
        let req = ProductionRequest {
            difficulty: Some(dec!(1)),
            ..production_example()
        };
        assert!(matches!(
            ProductionInput::try_from(req),
            Err(CoreError::ExactlyOneOf { .. })
        ));
    }

    #[test]
    fn a_miner_count_without_its_hashrate_is_refused() {
        let req = ProductionRequest {
            miner_count: Some(10),
            ..production_example()
        };
        assert_eq!(
            ProductionInput::try_from(req).unwrap_err().field(),
            Some("miner_count")
        );
    }

    #[test]
    fn cohorts_refuse_the_one_fleet_fields_naming_them() {
        let req: ProductionRequest = serde_json::from_value(serde_json::json!({
            "cohorts": [{"hashrate_ehs": 10, "efficiency_j_per_th": 17.5}],
            "efficiency_j_per_th": 17.5,
            "network_hashrate_ehs": 1070,
            "block_height": 927000
        }))
        .unwrap();
        assert_eq!(
            ProductionInput::try_from(req).unwrap_err().field(),
            Some("efficiency_j_per_th")
        );
    }
}
