//! Monthly projections of a fleet: `POST /v1/mining/projection`.

use infraval_core::error::AtField;
use infraval_core::mining::{
    self, Btc, Difficulty, Fee, FeeSchedule, FeeShare, HalvingSchedule, HashpriceForward, Hashrate,
    JoulesPerTerahash, MonthlyGrowth, NetworkPath, PowerPricePath, PricePath, ProjectionFleet,
    ProjectionInput, ProjectionMonths, SiteCosts,
};
use infraval_core::num::{Fraction, Price, Usd};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::cohort::{cohorts, CohortRequest};
use super::power::{PowerContractRequest, PowerFields, PriceBucketRequest, ShutoffRequest};
use super::{at_most_one, btc, cents, exactly_one, fraction_or, network, opt_usd, physical};
use serde_json::json;

use crate::wire::{Date, Int, Num, Wire, NESTED};
use crate::{bounds, Example, Examples};

/// A monthly projection's assumptions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
#[wire(fill_nested = ProjectionRequest::fill_purchase_dates)]
pub struct ProjectionRequest {
    /// First day of month 1 (ISO 8601). Months are calendar months from
    /// this date.
    pub start_date: Date,
    /// Number of months.
    #[wire(bounds::PROJECTION_MONTHS)]
    pub months: Int,
    /// Fleet hashrate at the start, EH/s: the one-cohort shorthand. Give
    /// this or `cohorts`.
    #[wire(bounds::HASHRATE_EHS)]
    pub fleet_hashrate_ehs: Option<Num>,
    /// The fleet by cohort; give this or `fleet_hashrate_ehs`. At most 50.
    /// Each cohort hashes from its `purchase_date` (a breakpoint of the
    /// month it falls in) and is depreciated straight line by calendar
    /// month over its useful life; the cohorts in service together at most
    /// the network.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[wire(bounds::COHORTS)]
    pub cohorts: Vec<CohortRequest>,
    /// Hashrate added at the start of each month, EH/s, month 1 first;
    /// negative for retirements; with `fleet_hashrate_ehs`. At most one
    /// entry per month; missing months add nothing. Default none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[wire(bounds::FLEET_ADDITIONS_EHS)]
    pub fleet_additions_ehs: Vec<Num>,
    /// Network hashrate in month 1, EH/s; grows by
    /// `network_growth_per_month`. Give exactly one of this, `difficulty`,
    /// `network_hashrate_path_ehs` or `difficulty_path`.
    #[wire(bounds::HASHRATE_EHS)]
    pub network_hashrate_ehs: Option<Num>,
    /// Difficulty in month 1 (hashrate `difficulty × 2^32 / 600` H/s);
    /// grows by `network_growth_per_month`.
    #[wire(bounds::DIFFICULTY)]
    pub difficulty: Option<Num>,
    /// Growth of the network hashrate per month, a fraction (0.02 = 2%),
    /// with `network_hashrate_ehs` or `difficulty`. Default 0.
    #[wire(bounds::GROWTH_PER_MONTH, default_with = |r: &Self| (r.network_hashrate_ehs.is_some() || r.difficulty.is_some()).then_some(Num::ZERO))]
    pub network_growth_per_month: Option<Num>,
    /// Network hashrate for each month, EH/s; exactly `months` entries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[wire(bounds::NETWORK_HASHRATE_PATH_EHS)]
    pub network_hashrate_path_ehs: Vec<Num>,
    /// Difficulty for each month; exactly `months` entries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[wire(bounds::DIFFICULTY_PATH)]
    pub difficulty_path: Vec<Num>,
    /// Block height on `start_date`; blocks then come every 10 minutes and
    /// the subsidy halves every 210,000 blocks. Give this or `block_subsidy_btc`.
    #[wire(bounds::BLOCK_HEIGHT)]
    pub block_height: Option<Int>,
    /// Block subsidy at the start, BTC; constant unless `next_halving_date`
    /// is given.
    #[wire(bounds::BLOCK_SUBSIDY_BTC)]
    pub block_subsidy_btc: Option<Num>,
    /// Date of the next halving (with `block_subsidy_btc`); later halvings
    /// follow every 210,000 blocks at 144 a day (1,458⅓ days). On or after
    /// `start_date`.
    pub next_halving_date: Option<Date>,
    /// Transaction fees per block, BTC, held constant. Give at most one of
    /// this, `fees_per_block_btc_path`, `fee_share` and `fee_share_path`.
    /// Default 0 when none of the four is given.
    #[wire(bounds::FEES_PER_BLOCK_BTC, default_with = |r: &Self| (r.fees_per_block_btc_path.is_empty() && r.fee_share.is_none() && r.fee_share_path.is_empty()).then_some(Num::ZERO))]
    pub fees_per_block_btc: Option<Num>,
    /// Fees per block for each month, BTC; exactly `months` entries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[wire(bounds::FEES_PER_BLOCK_BTC_PATH)]
    pub fees_per_block_btc_path: Vec<Num>,
    /// Fees as a share of the whole block reward, `fees / (subsidy + fees)`,
    /// held constant; the reward is `subsidy / (1 − fee_share)`, so fees
    /// halve with the subsidy.
    #[wire(bounds::FEE_SHARE)]
    pub fee_share: Option<Num>,
    /// The fee share for each month; exactly `months` entries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[wire(bounds::FEE_SHARE_PATH)]
    pub fee_share_path: Vec<Num>,
    /// Share of the time the fleet hashes. Default 1.
    #[wire(bounds::FRACTION, default = Decimal::ONE)]
    pub uptime: Option<Num>,
    /// Share of the reward the pool keeps. Default 0.
    #[wire(bounds::POOL_FEE, default = Decimal::ZERO)]
    pub pool_fee: Option<Num>,
    /// BTC price in month 1, USD; grows by `btc_price_growth_per_month`.
    /// Give this or `btc_price_path`.
    #[wire(bounds::BTC_PRICE)]
    pub btc_price: Option<Num>,
    /// Growth of the BTC price per month, a fraction, with `btc_price`.
    /// Default 0 (flat) with `btc_price`.
    #[wire(bounds::GROWTH_PER_MONTH, default_with = |r: &Self| r.btc_price.map(|_| Num::ZERO))]
    pub btc_price_growth_per_month: Option<Num>,
    /// BTC price for each month, USD; exactly `months` entries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[wire(bounds::BTC_PRICE_PATH)]
    pub btc_price_path: Vec<Num>,
    /// Fleet efficiency, J/TH, with `fleet_hashrate_ehs`; with a power
    /// price, enables power cost and margin.
    #[wire(bounds::EFFICIENCY_J_PER_TH)]
    pub efficiency_j_per_th: Option<Num>,
    /// Market power price, USD per MWh, every month; or give
    /// `power_price_path_per_mwh`. Requires an efficiency.
    #[wire(bounds::POWER_PRICE_PER_MWH)]
    pub power_price_per_mwh: Option<Num>,
    /// Market power price for each month, USD per MWh; exactly `months` entries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[wire(bounds::POWER_PRICE_PATH_PER_MWH)]
    pub power_price_path_per_mwh: Vec<Num>,
    /// How each month's power price spreads over its hours: buckets of
    /// hours at multiples of the month's price, their shares adding up to 1
    /// and spread evenly over the month. At most 24. Default: every hour at
    /// the month's price.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[wire(bounds::PRICE_PROFILE)]
    pub power_price_profile: Vec<PriceBucketRequest>,
    /// A fixed-price contract for part of the load; requires a market power
    /// price (for the rest, and for power sold back).
    #[wire(NESTED)]
    pub power_contract: Option<PowerContractRequest>,
    /// Paid for each MWh of load the shut-off curtails, USD per MWh;
    /// requires `shutoff: economic`.
    #[wire(bounds::POWER_PRICE_PER_MWH)]
    pub demand_response_credit_per_mwh: Option<Num>,
    /// Paid each month for standing ready to curtail, USD.
    #[wire(bounds::USD)]
    pub demand_response_credit_per_month: Option<Num>,
    /// `economic`: in each month a cohort hashes only in the hours its
    /// hashprice covers its hashcost at that month's power price; `never`
    /// (the default) switches nothing off. Economic needs a power price and
    /// an efficiency.
    #[wire(default = ShutoffRequest::Never)]
    pub shutoff: Option<ShutoffRequest>,
    /// Other cash operating costs, USD per day. Default 0.
    #[wire(bounds::USD, default = Decimal::ZERO)]
    pub other_opex_per_day: Option<Num>,
    /// Depreciation of the site's infrastructure, USD per day, in the
    /// all-in cost. Default 0.
    #[wire(bounds::USD, default = Decimal::ZERO)]
    pub infrastructure_depreciation_per_day: Option<Num>,
    /// Stock-based compensation, USD per day, in the all-in cost.
    /// Default 0.
    #[wire(bounds::USD, default = Decimal::ZERO)]
    pub stock_compensation_per_day: Option<Num>,
    /// A hashprice forward curve from month 1: each month's forward price
    /// and the share of the fleet's hashrate sold forward at it. At most
    /// `months` entries; later months are unhedged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[wire(bounds::HASHPRICE_FORWARD)]
    pub hashprice_forward: Vec<HashpriceForwardRequest>,
}

impl Examples for ProjectionRequest {
    fn examples() -> Vec<Example> {
        vec![
            Example {
                name: "growth",
                summary: "CleanSpark's fleet over 24 months: 2% network growth a month, BTC up 1% a month",
                body: json!({
                    "start_date": "2025-12-01",
                    "months": 24,
                    "fleet_hashrate_ehs": 50,
                    "network_hashrate_ehs": 1070,
                    "network_growth_per_month": 0.02,
                    "block_height": 927000,
                    "fees_per_block_btc": 0.03,
                    "uptime": 0.95,
                    "pool_fee": 0,
                    "btc_price": 90000,
                    "btc_price_growth_per_month": 0.01,
                    "efficiency_j_per_th": 16.1,
                    "power_price_per_mwh": 45,
                    "other_opex_per_day": 200000
                }),
            },
            Example {
                name: "paths_and_a_halving_date",
                summary: "Three months along given hashrate and price paths, adding 2 EH/s a month, across the April 2028 halving",
                body: json!({
                    "start_date": "2028-03-01",
                    "months": 3,
                    "fleet_hashrate_ehs": 50,
                    "fleet_additions_ehs": [0, 2, 2],
                    "network_hashrate_path_ehs": [1200, 1220, 1240],
                    "block_subsidy_btc": 3.125,
                    "next_halving_date": "2028-04-15",
                    "btc_price_path": [90000, 92000, 94000],
                    "efficiency_j_per_th": 16.1,
                    "power_price_per_mwh": 45
                }),
            },
            Example {
                name: "with_difficulty_path",
                summary: "The network from its difficulty path",
                body: json!({
                    "start_date": "2025-12-01",
                    "months": 2,
                    "fleet_hashrate_ehs": 50,
                    "difficulty_path": [149300000000000_u64, 152000000000000_u64],
                    "block_height": 927000,
                    "btc_price": 90000
                }),
            },
            Example {
                name: "with_difficulty",
                summary: "The network from today's difficulty, growing 2% a month",
                body: json!({
                    "start_date": "2025-12-01",
                    "months": 12,
                    "fleet_hashrate_ehs": 50,
                    "difficulty": 149300000000000_u64,
                    "network_growth_per_month": 0.02,
                    "block_height": 927000,
                    "btc_price": 90000
                }),
            },
            Example {
                name: "hedged_cohorts_under_power_terms",
                summary: "Four cohorts over a year: a price profile, a 300 MW contract, the shut-off, site costs and three months of hashprice forward",
                body: json!({
                    "start_date": "2025-12-01",
                    "months": 12,
                    "cohorts": ([
                        super::cohort::cleanspark_cohorts(),
                        vec![json!({"hashrate_ehs": 5, "efficiency_j_per_th": 12, "purchase_cost_usd_per_th": 21,
                                    "purchase_date": "2026-06-01", "useful_life_months": 36, "residual_fraction": 0.1})],
                    ].concat()),
                    "network_hashrate_ehs": 1070,
                    "network_growth_per_month": 0.02,
                    "block_height": 927000,
                    "fee_share": 0.01,
                    "uptime": 0.95,
                    "btc_price": 90000,
                    "btc_price_growth_per_month": 0.01,
                    "power_price_per_mwh": 45,
                    "power_price_profile": [
                        {"share_of_hours": 0.95, "price_multiple": 0.85},
                        {"share_of_hours": 0.05, "price_multiple": 3.85}
                    ],
                    "power_contract": {"mw": 300, "price_per_mwh": 35},
                    "demand_response_credit_per_month": 500000,
                    "shutoff": "economic",
                    "other_opex_per_day": 200000,
                    "infrastructure_depreciation_per_day": 150000,
                    "stock_compensation_per_day": 80000,
                    "hashprice_forward": [
                        {"usd_per_ph_day": 40, "hedged_fraction": 0.25},
                        {"usd_per_ph_day": 40, "hedged_fraction": 0.25},
                        {"usd_per_ph_day": 40, "hedged_fraction": 0.25}
                    ]
                }),
            },
            Example {
                name: "riot_august_2023",
                summary: "A Riot-like August 2023: half the hours at $60/MWh and half at $180, 345 MW contracted at $30, demand response",
                body: json!({
                    "start_date": "2023-08-01",
                    "months": 1,
                    "fleet_hashrate_ehs": 12.5,
                    "efficiency_j_per_th": 30,
                    "uptime": 0.74,
                    "network_hashrate_ehs": 400,
                    "block_subsidy_btc": 6.25,
                    "fees_per_block_btc": 0.2,
                    "btc_price": 29000,
                    "power_price_per_mwh": 120,
                    "power_price_profile": [
                        {"share_of_hours": 0.5, "price_multiple": 0.5},
                        {"share_of_hours": 0.5, "price_multiple": 1.5}
                    ],
                    "power_contract": {"mw": 345, "price_per_mwh": 30},
                    "demand_response_credit_per_month": 7400000,
                    "shutoff": "economic"
                }),
            },
            Example {
                name: "monthly_fee_and_power_paths",
                summary: "Two cohorts, the second bought mid-May, along monthly fee and power price paths, paid $5 per MWh curtailed",
                body: json!({
                    "start_date": "2026-04-01",
                    "months": 3,
                    "cohorts": [
                        {"hashrate_ehs": 10, "efficiency_j_per_th": 20, "purchase_cost_usd": 150000000,
                         "purchase_date": "2026-04-01", "useful_life_months": 36, "residual_fraction": 0.1},
                        {"hashrate_ehs": 10, "efficiency_j_per_th": 40, "purchase_date": "2026-05-16"}
                    ],
                    "network_hashrate_path_ehs": [1000, 1050, 1100],
                    "block_subsidy_btc": 3.125,
                    "fees_per_block_btc_path": [0.03, 0.04, 0.05],
                    "btc_price_path": [100000, 95000, 105000],
                    "power_price_path_per_mwh": [50, 40, 45],
                    "demand_response_credit_per_mwh": 5,
                    "shutoff": "economic"
                }),
            },
            Example {
                name: "share_of_fees_by_month",
                summary: "Fees as a share of the reward, month by month",
                body: json!({
                    "start_date": "2025-12-01",
                    "months": 2,
                    "fleet_hashrate_ehs": 50,
                    "network_hashrate_ehs": 1070,
                    "block_height": 927000,
                    "fee_share_path": [0.01, 0.02],
                    "btc_price": 90000
                }),
            },
        ]
    }
}

/// One month of a hashprice forward: the miner receives
/// `hedged_fraction × fleet PH/s × days × (usd_per_ph_day − hashprice)`,
/// where hashprice is the month's gross USD hashprice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct HashpriceForwardRequest {
    /// The forward hashprice, USD per PH/s per day.
    #[wire(bounds::HASHPRICE_USD_PER_PH_DAY)]
    pub usd_per_ph_day: Num,
    /// Share of the fleet's hashrate in service sold forward.
    #[wire(bounds::FRACTION)]
    pub hedged_fraction: Num,
}

fn growth(v: Option<Num>, field: &str) -> Result<MonthlyGrowth, CoreError> {
    MonthlyGrowth::new(v.map_or(Decimal::ZERO, Num::get)).at(field)
}

fn path<T>(
    values: &[Num],
    field: &str,
    check: impl Fn(Decimal) -> Result<T, infraval_core::ValueError>,
) -> Result<Vec<T>, CoreError> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| check(v.get()).at(format!("{field}[{i}]")))
        .collect()
}

impl ProjectionRequest {
    /// A cohort without a purchase date hashes from `start_date`.
    fn fill_purchase_dates(&mut self) {
        CohortRequest::fill_purchase_dates(&mut self.cohorts, self.start_date);
    }
}

impl TryFrom<ProjectionRequest> for ProjectionInput {
    type Error = CoreError;

    fn try_from(req: ProjectionRequest) -> Result<Self, CoreError> {
        let months = ProjectionMonths::new(req.months.to_u32()).at("months")?;
        let network = match exactly_one(&[
            ("network_hashrate_ehs", req.network_hashrate_ehs.is_some()),
            ("difficulty", req.difficulty.is_some()),
            (
                "network_hashrate_path_ehs",
                !req.network_hashrate_path_ehs.is_empty(),
            ),
            ("difficulty_path", !req.difficulty_path.is_empty()),
        ])? {
            0 | 1 => NetworkPath::Growth {
                initial: network(req.network_hashrate_ehs, req.difficulty)?,
                monthly_growth: growth(req.network_growth_per_month, "network_growth_per_month")?,
            },
            i => {
                if req.network_growth_per_month.is_some() {
                    return Err(CoreError::Inconsistent {
                        field: "network_growth_per_month".into(),
                        reason: "applies to network_hashrate_ehs or difficulty, not to a path",
                    });
                }
                if i == 2 {
                    NetworkPath::Hashrates(path(
                        &req.network_hashrate_path_ehs,
                        "network_hashrate_path_ehs",
                        Hashrate::new,
                    )?)
                } else {
                    NetworkPath::Difficulties(path(
                        &req.difficulty_path,
                        "difficulty_path",
                        Difficulty::new,
                    )?)
                }
            }
        };
        let halving = match exactly_one(&[
            ("block_height", req.block_height.is_some()),
            ("block_subsidy_btc", req.block_subsidy_btc.is_some()),
        ])? {
            0 => {
                if req.next_halving_date.is_some() {
                    return Err(CoreError::missing_dependency(
                        "next_halving_date",
                        "block_subsidy_btc",
                    ));
                }
                HalvingSchedule::FromHeight {
                    start_height: req.block_height.unwrap_or_default().to_u64(),
                }
            }
            _ => {
                let subsidy = Btc::subsidy(req.block_subsidy_btc.unwrap_or_default().get())
                    .at("block_subsidy_btc")?;
                match req.next_halving_date {
                    Some(next_halving) => HalvingSchedule::OnDate {
                        subsidy,
                        next_halving: next_halving.get(),
                    },
                    None => HalvingSchedule::Constant { subsidy },
                }
            }
        };
        let btc_price = match exactly_one(&[
            ("btc_price", req.btc_price.is_some()),
            ("btc_price_path", !req.btc_price_path.is_empty()),
        ])? {
            0 => {
                let initial =
                    Price::new(req.btc_price.unwrap_or_default().get()).at("btc_price")?;
                match req.btc_price_growth_per_month {
                    Some(g) => PricePath::Growth {
                        initial,
                        monthly_growth: growth(Some(g), "btc_price_growth_per_month")?,
                    },
                    None => PricePath::Flat(initial),
                }
            }
            _ => {
                if req.btc_price_growth_per_month.is_some() {
                    return Err(CoreError::missing_dependency(
                        "btc_price_growth_per_month",
                        "btc_price",
                    ));
                }
                PricePath::List(path(&req.btc_price_path, "btc_price_path", Price::new)?)
            }
        };
        let fleet = match exactly_one(&[
            ("fleet_hashrate_ehs", req.fleet_hashrate_ehs.is_some()),
            ("cohorts", !req.cohorts.is_empty()),
        ])? {
            0 => ProjectionFleet::Single {
                fleet: Hashrate::new(req.fleet_hashrate_ehs.unwrap_or_default().get())
                    .at("fleet_hashrate_ehs")?,
                additions_ehs: path(&req.fleet_additions_ehs, "fleet_additions_ehs", Ok)?,
                efficiency: req
                    .efficiency_j_per_th
                    .map(|e| JoulesPerTerahash::new(e.get()).at("efficiency_j_per_th"))
                    .transpose()?,
            },
            _ => {
                let shorthand = [
                    ("fleet_additions_ehs", !req.fleet_additions_ehs.is_empty()),
                    ("efficiency_j_per_th", req.efficiency_j_per_th.is_some()),
                ];
                if let Some((field, _)) = shorthand.iter().find(|f| f.1) {
                    return Err(CoreError::Inconsistent {
                        field: (*field).into(),
                        reason:
                            "describes fleet_hashrate_ehs; with cohorts, each cohort states its own",
                    });
                }
                ProjectionFleet::Cohorts(cohorts(&req.cohorts)?)
            }
        };
        let fees = match at_most_one(&[
            ("fees_per_block_btc", req.fees_per_block_btc.is_some()),
            (
                "fees_per_block_btc_path",
                !req.fees_per_block_btc_path.is_empty(),
            ),
            ("fee_share", req.fee_share.is_some()),
            ("fee_share_path", !req.fee_share_path.is_empty()),
        ])? {
            Some(0) => FeeSchedule::Flat(Fee::PerBlock(
                Btc::new(req.fees_per_block_btc.unwrap_or_default().get())
                    .at("fees_per_block_btc")?,
            )),
            Some(1) => FeeSchedule::PerBlockPath(path(
                &req.fees_per_block_btc_path,
                "fees_per_block_btc_path",
                Btc::new,
            )?),
            Some(2) => FeeSchedule::Flat(Fee::Share(
                FeeShare::new(req.fee_share.unwrap_or_default().get()).at("fee_share")?,
            )),
            Some(_) => {
                FeeSchedule::SharePath(path(&req.fee_share_path, "fee_share_path", FeeShare::new)?)
            }
            None => FeeSchedule::Flat(Fee::ZERO),
        };
        let power_price_per_mwh = match at_most_one(&[
            ("power_price_per_mwh", req.power_price_per_mwh.is_some()),
            (
                "power_price_path_per_mwh",
                !req.power_price_path_per_mwh.is_empty(),
            ),
        ])? {
            Some(0) => {
                opt_usd(req.power_price_per_mwh, "power_price_per_mwh")?.map(PowerPricePath::Flat)
            }
            Some(_) => Some(PowerPricePath::List(path(
                &req.power_price_path_per_mwh,
                "power_price_path_per_mwh",
                Usd::new,
            )?)),
            None => None,
        };
        let power = PowerFields {
            profile: &req.power_price_profile,
            contract: req.power_contract.as_ref(),
            demand_response_per_mwh: req.demand_response_credit_per_mwh,
            demand_response_per_month: req.demand_response_credit_per_month,
            shutoff: req.shutoff,
        }
        .terms()?;
        let hashprice_forward = req
            .hashprice_forward
            .iter()
            .enumerate()
            .map(|(i, f)| {
                Ok(HashpriceForward {
                    usd_per_ph_day: Usd::new(f.usd_per_ph_day.get())
                        .at(format!("hashprice_forward[{i}].usd_per_ph_day"))?,
                    hedged_fraction: Fraction::new(f.hedged_fraction.get())
                        .at(format!("hashprice_forward[{i}].hedged_fraction"))?,
                })
            })
            .collect::<Result<Vec<_>, CoreError>>()?;
        Ok(ProjectionInput {
            start_date: req.start_date.get(),
            months,
            network,
            fleet,
            halving,
            fees,
            uptime: fraction_or(req.uptime, Fraction::ONE, "uptime")?,
            pool_fee: fraction_or(req.pool_fee, Fraction::ZERO, "pool_fee")?,
            btc_price,
            power_price_per_mwh,
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
            hashprice_forward,
        })
    }
}

/// One month of a projection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectionMonthResponse {
    /// 1 for the first month.
    pub month: u32,
    /// First day of the month.
    pub start_date: Date,
    /// Days in the month (calendar).
    pub days: u32,
    /// Network hashrate for the month, EH/s.
    pub network_hashrate_ehs: Num,
    /// The difficulty on the month's first day (6 dp): the one the start
    /// hashrate implies in month 1, then the block clock's retargets.
    pub difficulty: Num,
    /// Blocks the network is expected to find in the month (6 dp): more
    /// than 144 a day while the network outgrows its difficulty.
    pub blocks: Num,
    /// `blocks / days` (6 dp).
    pub blocks_per_day: Num,
    /// Fleet hashrate in service in the month (after its additions, or the
    /// cohorts bought by its end), EH/s.
    pub fleet_hashrate_ehs: Num,
    /// Block subsidy on the month's first day, BTC.
    pub block_subsidy_btc: Num,
    /// Whether a halving falls in the month (its subsidy is then split at
    /// the halving day).
    pub halving_in_month: bool,
    /// Bitcoin mined in the month.
    pub btc_mined: Num,
    /// BTC price for the month, USD.
    pub btc_price: Num,
    /// The month's gross hashprice: BTC per PH/s per day × `btc_price`, USD.
    pub hashprice_usd_per_ph_day: Num,
    /// `btc_mined × btc_price`, USD.
    pub revenue: Num,
    /// Contracted power sold back at the market price, USD: revenue shown
    /// apart.
    pub power_sold_back: Num,
    /// Demand-response credits (per MWh curtailed and monthly), USD:
    /// revenue shown apart.
    pub demand_response_credits: Num,
    /// What the hashprice forward paid the miner (negative when the miner
    /// paid), USD.
    pub hedge_settlement: Num,
    /// Power cost for the month, USD; `null` without efficiency and power
    /// price. With a contract: its payments plus the power bought above it.
    pub power_cost: Option<Num>,
    /// Other opex for the month, USD.
    pub other_opex: Num,
    /// `revenue + power_sold_back + demand_response_credits +
    /// hedge_settlement − power_cost − other_opex`, USD; `null` without
    /// power cost.
    pub margin: Option<Num>,
    /// Depreciation of the cohorts' machines and of the site, USD.
    pub depreciation: Num,
    /// Stock-based compensation, USD.
    pub stock_compensation: Num,
    /// `(power_cost + other_opex) / btc_mined`, USD; `null` without power
    /// cost or bitcoin.
    pub cash_cost_per_btc: Option<Num>,
    /// Cash cost plus `(depreciation + stock_compensation) / btc_mined`, USD.
    pub all_in_cost_per_btc: Option<Num>,
    /// Hours the fleet was switched off, weighted by hashrate (6 dp).
    pub curtailed_hours: Num,
    /// Bitcoin mined from month 1 to this month.
    pub cumulative_btc: Num,
    /// One per cohort, in order; one for `fleet_hashrate_ehs`.
    pub cohorts: Vec<ProjectionCohortMonthResponse>,
}

/// One cohort in one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectionCohortMonthResponse {
    /// Its hashrate in service, EH/s (zero before its purchase date).
    pub hashrate_ehs: Num,
    /// Bitcoin it mined.
    pub btc_mined: Num,
    /// Power cost charged to it, USD: its purchases, and its hashrate share
    /// of a contract's payments.
    pub power_cost: Option<Num>,
    /// Depreciation of its machines, USD.
    pub depreciation: Num,
    /// Hours it was switched off (6 dp).
    pub curtailed_hours: Num,
}

/// One cohort over the whole projection. Site costs (other opex, site
/// depreciation, stock compensation) are shared by hashrate-days in service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectionCohortResponse {
    /// Bitcoin it mined.
    pub btc_mined: Num,
    /// Bitcoin per day in service.
    pub btc_per_day: Num,
    /// Power cost charged to it, USD.
    pub power_cost: Option<Num>,
    /// Depreciation of its machines, USD.
    pub depreciation: Num,
    /// (Its power cost + its share of other opex) per BTC, USD.
    pub cash_cost_per_btc: Option<Num>,
    /// Cash cost plus its depreciation and its share of the site's
    /// depreciation and stock compensation, per BTC, USD.
    pub all_in_cost_per_btc: Option<Num>,
    /// Hours it was switched off (6 dp).
    pub curtailed_hours: Num,
}

/// A monthly projection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectionResponse {
    /// One row per month.
    pub months: Vec<ProjectionMonthResponse>,
    /// Bitcoin mined over the horizon.
    pub total_btc: Num,
    /// Revenue over the horizon, USD.
    pub total_revenue: Num,
    /// Power cost over the horizon, USD; `null` without efficiency and power price.
    pub total_power_cost: Option<Num>,
    /// Margin over the horizon, USD; `null` without power cost.
    pub total_margin: Option<Num>,
    /// Contracted power sold back over the horizon, USD.
    pub total_power_sold_back: Num,
    /// Demand-response credits over the horizon, USD.
    pub total_demand_response_credits: Num,
    /// Hashprice forward settlements over the horizon, USD.
    pub total_hedge_settlement: Num,
    /// Depreciation over the horizon, USD.
    pub total_depreciation: Num,
    /// `total_btc` per day of the horizon.
    pub btc_per_day: Num,
    /// (Power cost + other opex) per BTC over the horizon, USD: CoinShares'
    /// cash cost.
    pub cash_cost_per_btc: Option<Num>,
    /// Cash cost plus depreciation and stock-based compensation per BTC
    /// over the horizon, USD: CoinShares' all-in cost.
    pub all_in_cost_per_btc: Option<Num>,
    /// Hours the fleet was switched off over the horizon, weighted by
    /// hashrate (6 dp).
    pub curtailed_hours: Num,
    /// One per cohort, in order; one for `fleet_hashrate_ehs`.
    pub cohorts: Vec<ProjectionCohortResponse>,
}

impl From<&mining::Projection> for ProjectionResponse {
    fn from(p: &mining::Projection) -> Self {
        ProjectionResponse {
            months: p
                .months
                .iter()
                .map(|m| ProjectionMonthResponse {
                    month: m.month,
                    start_date: m.start_date.into(),
                    days: m.days,
                    network_hashrate_ehs: physical(m.network_hashrate_ehs),
                    difficulty: physical(m.difficulty),
                    blocks: physical(m.blocks),
                    blocks_per_day: physical(m.blocks_per_day),
                    fleet_hashrate_ehs: physical(m.fleet_hashrate_ehs),
                    block_subsidy_btc: btc(m.block_subsidy_btc),
                    halving_in_month: m.halving_in_month,
                    btc_mined: btc(m.btc_mined),
                    btc_price: cents(m.btc_price),
                    hashprice_usd_per_ph_day: cents(m.hashprice_usd_per_ph_day),
                    revenue: cents(m.revenue),
                    power_sold_back: cents(m.power_sold_back),
                    demand_response_credits: cents(m.demand_response_credits),
                    hedge_settlement: cents(m.hedge_settlement),
                    power_cost: m.power_cost.map(cents),
                    other_opex: cents(m.other_opex),
                    margin: m.margin.map(cents),
                    depreciation: cents(m.depreciation),
                    stock_compensation: cents(m.stock_compensation),
                    cash_cost_per_btc: m.cash_cost_per_btc.map(cents),
                    all_in_cost_per_btc: m.all_in_cost_per_btc.map(cents),
                    curtailed_hours: physical(m.curtailed_hours),
                    cumulative_btc: btc(m.cumulative_btc),
                    cohorts: m
                        .cohorts
                        .iter()
                        .map(|c| ProjectionCohortMonthResponse {
                            hashrate_ehs: physical(c.hashrate_ehs),
                            btc_mined: btc(c.btc_mined),
                            power_cost: c.power_cost.map(cents),
                            depreciation: cents(c.depreciation),
                            curtailed_hours: physical(c.curtailed_hours),
                        })
                        .collect(),
                })
                .collect(),
            total_btc: btc(p.total_btc),
            total_revenue: cents(p.total_revenue),
            total_power_cost: p.total_power_cost.map(cents),
            total_margin: p.total_margin.map(cents),
            total_power_sold_back: cents(p.total_power_sold_back),
            total_demand_response_credits: cents(p.total_demand_response_credits),
            total_hedge_settlement: cents(p.total_hedge_settlement),
            total_depreciation: cents(p.total_depreciation),
            btc_per_day: btc(p.btc_per_day),
            cash_cost_per_btc: p.cash_cost_per_btc.map(cents),
            all_in_cost_per_btc: p.all_in_cost_per_btc.map(cents),
            curtailed_hours: physical(p.curtailed_hours),
            cohorts: p
                .cohorts
                .iter()
                .map(|c| ProjectionCohortResponse {
                    btc_mined: btc(c.btc_mined),
                    btc_per_day: btc(c.btc_per_day),
                    power_cost: c.power_cost.map(cents),
                    depreciation: cents(c.depreciation),
                    cash_cost_per_btc: c.cash_cost_per_btc.map(cents),
                    all_in_cost_per_btc: c.all_in_cost_per_btc.map(cents),
                    curtailed_hours: physical(c.curtailed_hours),
                })
                .collect(),
        }
    }
}

/// The work of a projection, in work units (a unit is about a 1,000-step
/// convertible price, some 10 million instructions).
///
/// # Formula
/// ```text
/// units = ⌈months × (32 + cohorts × price buckets) / 8,000⌉
/// ```
/// From callgrind (`crates/core/examples/mining_instructions.rs`): 1.0
/// million instructions for the README's 24 months of one fleet (about
/// 40,000 a month), 167 million for 120 months of 50 cohorts and 24 buckets
/// (about 1,200 per cohort, bucket and month): 1 and 19 units.
pub fn projection_work_units(input: &ProjectionInput) -> u64 {
    let cohorts = match &input.fleet {
        ProjectionFleet::Single { .. } => 1,
        ProjectionFleet::Cohorts(c) => c.get().len() as u64,
    };
    let buckets = input.power.profile.as_ref().map_or(1, |p| p.len() as u64);
    u64::from(input.months.get())
        .saturating_mul(cohorts.saturating_mul(buckets).saturating_add(32))
        .div_ceil(8_000)
}

/// Computes [`crate::operations::MiningProjection`].
pub fn projection(input: ProjectionInput) -> Result<ProjectionResponse, CoreError> {
    Ok(ProjectionResponse::from(&mining::projection(&input)?))
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn work_units_grow_with_months_cohorts_and_buckets() {
        // 24 months of one fleet: ⌈24 × 33 / 8,000⌉ = 1. 120 months of 2 cohorts and a
        // 2-bucket profile: ⌈120 × 36 / 8,000⌉ = 1; with 50 cohorts and 24 buckets the same
        // formula gives ⌈120 × 1,232 / 8,000⌉ = ⌈18.48⌉ = 19.
        let mut req: ProjectionRequest = serde_json::from_value(serde_json::json!({
            "start_date": "2025-12-01",
            "months": 24,
            "fleet_hashrate_ehs": 50,
            "network_hashrate_ehs": 1070,
            "block_height": 927000,
            "btc_price": 90000
        }))
        .unwrap();
        let units = |r: &ProjectionRequest| {
            projection_work_units(&ProjectionInput::try_from(r.clone()).unwrap())
        };
        assert_eq!(units(&req), 1);
        req.months = 120.into();
        req.fleet_hashrate_ehs = None;
        req.cohorts = serde_json::from_value(serde_json::json!([
            {"hashrate_ehs": 1, "efficiency_j_per_th": 20},
            {"hashrate_ehs": 1, "efficiency_j_per_th": 30}
        ]))
        .unwrap();
        req.power_price_per_mwh = Some(rust_decimal_macros::dec!(45).into());
        req.power_price_profile = serde_json::from_value(serde_json::json!([
            {"share_of_hours": 0.5, "price_multiple": 0.5},
            {"share_of_hours": 0.5, "price_multiple": 1.5}
        ]))
        .unwrap();
        assert_eq!(units(&req), 1);
        req.cohorts = vec![req.cohorts[0].clone(); 50];
        req.power_price_profile = (0..24)
            .map(|_| PriceBucketRequest {
                share_of_hours: rust_decimal_macros::dec!(0.04).into(),
                price_multiple: Decimal::ONE.into(),
            })
            .collect();
        req.power_price_profile[23].share_of_hours = rust_decimal_macros::dec!(0.08).into();
        assert_eq!(units(&req), 19);
    }

    #[test]
    fn a_negative_price_in_a_path_names_its_index() {
        let req: ProjectionRequest = serde_json::from_value(serde_json::json!({
            "start_date": "2025-12-01",
            "months": 2,
            "fleet_hashrate_ehs": 50,
            "network_hashrate_ehs": 1070,
            "block_height": 927000,
            "btc_price_path": [90000, -1]
        }))
        .unwrap();
        assert_eq!(
            ProjectionInput::try_from(req).unwrap_err().field(),
            Some("btc_price_path[1]")
        );
    }
}
