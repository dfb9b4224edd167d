//! Production and unit economics of a fleet: `POST /v1/mining/production`.

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
use serde_json::json;

use crate::wire::{Date, Int, Num, Wire, NESTED};
use crate::{bounds, Example, Examples};

/// A fleet, its network and, optionally, its economics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
#[wire(fill_nested = ProductionRequest::fill_purchase_dates)]
pub struct ProductionRequest {
    /// The fleet's operating hashrate, EH/s: the one-cohort shorthand. Give
    /// this or `cohorts`; at most the network.
    #[wire(bounds::HASHRATE_EHS)]
    pub fleet_hashrate_ehs: Option<Num>,
    /// The fleet by cohort; give this or `fleet_hashrate_ehs`. At most 50;
    /// together at most the network. Each cohort hashes (subject to
    /// `shutoff`) and is depreciated at its straight-line run rate,
    /// `cost × (1 − residual) / life × 12 / 365` a day, until its life ends
    /// (dated by `start_date`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[wire(bounds::COHORTS)]
    pub cohorts: Vec<CohortRequest>,
    /// Number of machines; with `th_per_miner`, checked against
    /// `fleet_hashrate_ehs` (within 2%).
    #[wire(bounds::MINER_COUNT)]
    pub miner_count: Option<Int>,
    /// Average hashrate per machine, TH/s; requires `miner_count`.
    #[wire(bounds::TH_PER_MINER)]
    pub th_per_miner: Option<Num>,
    /// Network hashrate, EH/s; give this or `difficulty`.
    #[wire(bounds::HASHRATE_EHS)]
    pub network_hashrate_ehs: Option<Num>,
    /// Network difficulty; the hashrate is `difficulty × 2^32 / 600` H/s.
    /// Give this or `network_hashrate_ehs`.
    #[wire(bounds::DIFFICULTY)]
    pub difficulty: Option<Num>,
    /// Block subsidy, BTC; give this or `block_height`.
    #[wire(bounds::BLOCK_SUBSIDY_BTC)]
    pub block_subsidy_btc: Option<Num>,
    /// Current block height; the subsidy is `50 × 2^−⌊height / 210,000⌋`.
    /// Give this or `block_subsidy_btc`.
    #[wire(bounds::BLOCK_HEIGHT)]
    pub block_height: Option<Int>,
    /// Transaction fees per block, BTC; or give `fee_share`.
    /// Default 0 when `fee_share` is not given.
    #[wire(bounds::FEES_PER_BLOCK_BTC, default_with = |r: &Self| r.fee_share.is_none().then_some(Num::ZERO))]
    pub fees_per_block_btc: Option<Num>,
    /// Fees as a share of the whole block reward, `fees / (subsidy + fees)`;
    /// the reward is then `subsidy / (1 − fee_share)`. Or give
    /// `fees_per_block_btc`.
    #[wire(bounds::FEE_SHARE)]
    pub fee_share: Option<Num>,
    /// Share of the time the fleet hashes. Default 1.
    #[wire(bounds::FRACTION, default = Decimal::ONE)]
    pub uptime: Option<Num>,
    /// Share of the reward the pool keeps. Default 0.
    #[wire(bounds::POOL_FEE, default = Decimal::ZERO)]
    pub pool_fee: Option<Num>,
    /// Days for `btc_for_period`. Default 1.
    #[wire(bounds::PERIOD_DAYS, default = Decimal::ONE)]
    pub period_days: Option<Num>,
    /// BTC price, USD; enables every USD figure.
    #[wire(bounds::BTC_PRICE)]
    pub btc_price: Option<Num>,
    /// Fleet efficiency, J/TH (= W per TH/s); give this or `power_mw`.
    #[wire(bounds::EFFICIENCY_J_PER_TH)]
    pub efficiency_j_per_th: Option<Num>,
    /// Fleet power draw while running, MW; give this or `efficiency_j_per_th`.
    #[wire(bounds::POWER_MW)]
    pub power_mw: Option<Num>,
    /// Power price, USD per MWh; requires a power draw.
    #[wire(bounds::POWER_PRICE_PER_MWH)]
    pub power_price_per_mwh: Option<Num>,
    /// Other cash operating costs (hosting, staff, cash SG&A), USD per day,
    /// in the cash and all-in costs. Default 0.
    #[wire(bounds::USD, default = Decimal::ZERO)]
    pub other_opex_per_day: Option<Num>,
    /// Depreciation of the site's infrastructure, USD per day, in the all-in
    /// cost. Default 0.
    #[wire(bounds::USD, default = Decimal::ZERO)]
    pub infrastructure_depreciation_per_day: Option<Num>,
    /// Stock-based compensation, USD per day, in the all-in cost (as
    /// CoinShares counts it). Default 0.
    #[wire(bounds::USD, default = Decimal::ZERO)]
    pub stock_compensation_per_day: Option<Num>,
    /// The period's first day (ISO 8601), with `cohorts`: a cohort past its
    /// useful life on this day is no longer depreciated, and one bought
    /// after it is refused.
    pub start_date: Option<Date>,
    /// How the power price spreads over the period's hours: buckets of
    /// hours at multiples of `power_price_per_mwh`, their shares adding up
    /// to 1. At most 24. Default: every hour at the price.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[wire(bounds::PRICE_PROFILE)]
    pub power_price_profile: Vec<PriceBucketRequest>,
    /// A fixed-price contract for part of the load; requires
    /// `power_price_per_mwh` (the market price for the rest and for power
    /// sold back).
    #[wire(NESTED)]
    pub power_contract: Option<PowerContractRequest>,
    /// Paid for each MWh of load the shut-off curtails, USD per MWh;
    /// requires `shutoff: economic`.
    #[wire(bounds::POWER_PRICE_PER_MWH)]
    pub demand_response_credit_per_mwh: Option<Num>,
    /// Paid each month for standing ready to curtail, USD (per day:
    /// `× 12 / 365`).
    #[wire(bounds::USD)]
    pub demand_response_credit_per_month: Option<Num>,
    /// `economic`: a cohort hashes only in the hours its hashprice covers
    /// its hashcost; `never` (the default) switches nothing off. Economic
    /// needs `btc_price`, `power_price_per_mwh` and a power draw.
    #[wire(default = ShutoffRequest::Never)]
    pub shutoff: Option<ShutoffRequest>,
}

impl Examples for ProductionRequest {
    fn examples() -> Vec<Example> {
        vec![
            Example {
                name: "cleanspark_fleet",
                summary: "CleanSpark's 50 EH/s fleet on a 1,070 EH/s network, at $90,000 and $45 per MWh",
                body: json!({
                    "fleet_hashrate_ehs": 50,
                    "network_hashrate_ehs": 1070,
                    "block_height": 927000,
                    "fees_per_block_btc": 0.03,
                    "uptime": 0.95,
                    "pool_fee": 0.01,
                    "period_days": 31,
                    "btc_price": 90000,
                    "efficiency_j_per_th": 16.1,
                    "power_price_per_mwh": 45,
                    "other_opex_per_day": 200000
                }),
            },
            Example {
                name: "machines_difficulty_and_power",
                summary: "The same fleet as 245,199 machines of 204 TH/s, from the difficulty, a given subsidy and its power draw",
                body: json!({
                    "fleet_hashrate_ehs": 50,
                    "miner_count": 245199,
                    "th_per_miner": 204,
                    "difficulty": 149300000000000_u64,
                    "block_subsidy_btc": 3.125,
                    "btc_price": 90000,
                    "power_mw": 805,
                    "power_price_per_mwh": 45
                }),
            },
            Example {
                name: "three_cohorts_and_cost_per_btc",
                summary: "The same 50 EH/s as three cohorts bought from 2023 to 2025, with site depreciation and stock pay: cash and all-in cost per BTC",
                body: json!({
                    "start_date": "2025-12-01",
                    "cohorts": super::cohort::cleanspark_cohorts(),
                    "network_hashrate_ehs": 1070,
                    "block_height": 927000,
                    "fees_per_block_btc": 0.03,
                    "uptime": 0.95,
                    "period_days": 31,
                    "btc_price": 90000,
                    "power_price_per_mwh": 45,
                    "other_opex_per_day": 200000,
                    "infrastructure_depreciation_per_day": 150000,
                    "stock_compensation_per_day": 80000
                }),
            },
            Example {
                name: "power_terms_and_shutoff",
                summary: "Two cohorts under a price profile, a 300 MW contract and demand-response credits, switched off while power costs more than they earn",
                body: json!({
                    "start_date": "2025-12-01",
                    "cohorts": [
                        {"hashrate_ehs": 10, "efficiency_j_per_th": 20, "purchase_cost_usd": 150000000,
                         "purchase_date": "2025-01-01", "useful_life_months": 36, "residual_fraction": 0.1},
                        {"hashrate_ehs": 10, "efficiency_j_per_th": 30}
                    ],
                    "network_hashrate_ehs": 1000,
                    "block_subsidy_btc": 3.125,
                    "fee_share": 0.04,
                    "period_days": 30,
                    "btc_price": 100000,
                    "power_price_per_mwh": 40,
                    "power_price_profile": [
                        {"share_of_hours": 0.9, "price_multiple": 0.8},
                        {"share_of_hours": 0.1, "price_multiple": 2.8}
                    ],
                    "power_contract": {"mw": 300, "price_per_mwh": 35},
                    "demand_response_credit_per_mwh": 10,
                    "demand_response_credit_per_month": 1000000,
                    "shutoff": "economic",
                    "other_opex_per_day": 50000
                }),
            },
        ]
    }
}

/// A field of the one-fleet shorthand given with `cohorts`.
fn shorthand_only(field: &str) -> CoreError {
    CoreError::Inconsistent {
        field: field.into(),
        reason: "describes fleet_hashrate_ehs; with cohorts, each cohort states its own",
    }
}

impl ProductionRequest {
    /// A cohort without a purchase date is in service and new on
    /// `start_date`, when the period is dated.
    fn fill_purchase_dates(&mut self) {
        if let Some(start) = self.start_date {
            CohortRequest::fill_purchase_dates(&mut self.cohorts, start);
        }
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
                    (Some(count), Some(th)) => Some(Miners::new(count.to_u64(), th.get())?),
                    (Some(_), None) => {
                        return Err(CoreError::missing_dependency("miner_count", "th_per_miner"))
                    }
                    (None, Some(_)) => {
                        return Err(CoreError::missing_dependency("th_per_miner", "miner_count"))
                    }
                    (None, None) => None,
                };
                let fleet = Fleet::new(
                    Hashrate::new(req.fleet_hashrate_ehs.unwrap_or_default().get())
                        .at("fleet_hashrate_ehs")?,
                    miners,
                )?;
                let power = match at_most_one(&[
                    ("efficiency_j_per_th", req.efficiency_j_per_th.is_some()),
                    ("power_mw", req.power_mw.is_some()),
                ])? {
                    Some(0) => Some(PowerDraw::Efficiency(
                        JoulesPerTerahash::new(req.efficiency_j_per_th.unwrap_or_default().get())
                            .at("efficiency_j_per_th")?,
                    )),
                    Some(_) => Some(PowerDraw::Megawatts(
                        Megawatts::new(req.power_mw.unwrap_or_default().get()).at("power_mw")?,
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
                Btc::subsidy(req.block_subsidy_btc.unwrap_or_default().get())
                    .at("block_subsidy_btc")?,
            ),
            _ => Subsidy::FromHeight(req.block_height.unwrap_or_default().to_u64()),
        };
        let fee = match at_most_one(&[
            ("fees_per_block_btc", req.fees_per_block_btc.is_some()),
            ("fee_share", req.fee_share.is_some()),
        ])? {
            Some(0) => Fee::PerBlock(
                Btc::new(req.fees_per_block_btc.unwrap_or_default().get())
                    .at("fees_per_block_btc")?,
            ),
            Some(_) => {
                Fee::Share(FeeShare::new(req.fee_share.unwrap_or_default().get()).at("fee_share")?)
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
            period_days: PeriodDays::new(req.period_days.map_or(Decimal::ONE, Num::get))
                .at("period_days")?,
            btc_price: req
                .btc_price
                .map(|p| Price::new(p.get()).at("btc_price"))
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
            start_date: req.start_date.map(Date::get),
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
    pub network_hashrate_ehs: Num,
    /// Block subsidy used, BTC.
    pub block_subsidy_btc: Num,
    /// Fees per block used, BTC: `fees_per_block_btc`, or
    /// `subsidy × fee_share / (1 − fee_share)`.
    pub fees_per_block_btc: Num,
    /// fleet / network, a fraction (12 dp).
    pub fleet_share: Num,
    /// `fleet_share × 144 × (subsidy + fees) × uptime × (1 − pool_fee)`, BTC
    /// per day, less the hours the shut-off switches cohorts off.
    pub btc_per_day: Num,
    /// `btc_per_day × period_days`, BTC.
    pub btc_for_period: Num,
    /// Gross reward per PH/s per day, `144 × (subsidy + fees) / (network_ehs × 1,000)`,
    /// BTC (10 dp), before uptime and pool fee.
    pub hashprice_btc_per_ph_day: Num,
    /// `hashprice_btc_per_ph_day × btc_price`, USD per PH/s per day.
    pub hashprice_usd_per_ph_day: Option<Num>,
    /// Power draw while running, MW (`efficiency_j_per_th × fleet_hashrate_ehs`, or given).
    pub power_mw: Option<Num>,
    /// Fleet efficiency, J/TH (given, or `power_mw / fleet_hashrate_ehs`).
    pub efficiency_j_per_th: Option<Num>,
    /// Power cost per PH/s per running day, `J/TH × $/MWh × 24 / 1,000`, USD.
    pub hashcost_usd_per_ph_day: Option<Num>,
    /// `power_mw × 24 × uptime × power_price_per_mwh`, USD per day, for the
    /// hours hashing (at each bucket's price with a profile); with a
    /// contract, its payments plus the power bought above it.
    pub power_cost_per_day: Option<Num>,
    /// `btc_per_day × btc_price`, USD per day.
    pub revenue_per_day: Option<Num>,
    /// Power cost plus other opex, USD per day (cash).
    pub cost_per_day: Option<Num>,
    /// Revenue plus credits (power sold back, demand response) minus cost,
    /// USD per day.
    pub margin_per_day: Option<Num>,
    /// Contracted power sold back at the market price, USD per day: revenue
    /// shown apart.
    pub power_sold_back_per_day: Num,
    /// Demand-response credits, USD per day: revenue shown apart.
    pub demand_response_credits_per_day: Num,
    /// Depreciation of the cohorts' machines and of the site, USD per day.
    pub depreciation_per_day: Num,
    /// Power cost per BTC mined, USD (Galaxy's marginal cost).
    pub cost_per_btc: Option<Num>,
    /// (Power cost + other opex) per BTC mined, USD: CoinShares' cash cost.
    pub cash_cost_per_btc: Option<Num>,
    /// Cash cost plus depreciation (machines and site) and stock-based
    /// compensation, per BTC mined, USD: CoinShares' all-in cost. Equals
    /// the cash cost when none of those is given.
    pub all_in_cost_per_btc: Option<Num>,
    /// BTC price at which the daily margin is zero, USD:
    /// `(cost − credits) / btc_per_day` (the cash cost without credits).
    pub breakeven_btc_price: Option<Num>,
    /// Power price at which the daily margin is zero, USD per MWh:
    /// `(revenue + demand response − other_opex) / MWh drawn a day`.
    /// Negative when other opex alone exceeds revenue; `null` with a
    /// contract or a price profile, where no single price applies.
    pub breakeven_power_price_per_mwh: Option<Num>,
    /// Hours of the period the fleet was switched off, weighted by
    /// hashrate (6 dp).
    pub curtailed_hours: Num,
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
    pub hashrate_ehs: Num,
    /// Its efficiency, J/TH; `null` when unknown.
    pub efficiency_j_per_th: Option<Num>,
    /// Bitcoin it mines per day.
    pub btc_per_day: Num,
    /// Power cost charged to it, USD per day.
    pub power_cost_per_day: Option<Num>,
    /// Depreciation of its machines, USD per day.
    pub depreciation_per_day: Num,
    /// Its cash cost per BTC, USD.
    pub cash_cost_per_btc: Option<Num>,
    /// Its all-in cost per BTC, USD.
    pub all_in_cost_per_btc: Option<Num>,
    /// Hours of the period it was switched off (6 dp).
    pub curtailed_hours: Num,
}

impl From<&mining::Production> for ProductionResponse {
    fn from(p: &mining::Production) -> Self {
        let usd = |v: Option<Decimal>| v.map(cents);
        ProductionResponse {
            network_hashrate_ehs: physical(p.network_hashrate_ehs),
            block_subsidy_btc: btc(p.block_subsidy_btc),
            fees_per_block_btc: btc(p.fees_per_block_btc),
            fleet_share: crate::num::round(p.fleet_share, SHARE_DP),
            btc_per_day: btc(p.btc_per_day),
            btc_for_period: btc(p.btc_for_period),
            hashprice_btc_per_ph_day: crate::num::round(
                p.hashprice_btc_per_ph_day,
                HASHPRICE_BTC_DP,
            ),
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
            difficulty: Some(dec!(1).into()),
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
            miner_count: Some(10.into()),
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
