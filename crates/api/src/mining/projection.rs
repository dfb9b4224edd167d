//! Monthly projections of a fleet: `POST /v1/mining/projection`.

use chrono::NaiveDate;
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
use crate::num;

/// A monthly projection's assumptions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "start_date": "2025-12-01",
    "months": 24,
    "fleet_hashrate_ehs": 50,
    "fleet_additions_ehs": [0, 0, 0, 2, 0, 0, 2, 0, 0, 2],
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
}))]
pub struct ProjectionRequest {
    /// First day of month 1 (ISO 8601). Months are calendar months from
    /// this date.
    #[schema(example = "2025-12-01")]
    pub start_date: NaiveDate,
    /// Number of months. Range: [1, 120].
    #[schema(example = 24, minimum = 1, maximum = 120)]
    pub months: u32,
    /// Fleet hashrate at the start, EH/s: the one-cohort shorthand. Give
    /// this or `cohorts`. Range: > 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 50, minimum = 0)]
    pub fleet_hashrate_ehs: Option<Decimal>,
    /// The fleet by cohort; give this or `fleet_hashrate_ehs`. At most 50.
    /// Each cohort hashes from its `purchase_date` (a breakpoint of the
    /// month it falls in) and is depreciated straight line by calendar
    /// month over its useful life; the cohorts in service together at most
    /// the network.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(max_items = 50)]
    pub cohorts: Vec<CohortRequest>,
    /// Hashrate added at the start of each month, EH/s, month 1 first;
    /// negative for retirements; with `fleet_hashrate_ehs`. At most one
    /// entry per month; missing months add nothing. Default none.
    #[serde(
        default,
        with = "num::decimal_vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[schema(example = json!([0, 0, 0, 2]))]
    pub fleet_additions_ehs: Vec<Decimal>,
    /// Network hashrate in month 1, EH/s; grows by
    /// `network_growth_per_month`. Give exactly one of this, `difficulty`,
    /// `network_hashrate_path_ehs` or `difficulty_path`. Range: > 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 1070, minimum = 0)]
    pub network_hashrate_ehs: Option<Decimal>,
    /// Difficulty in month 1 (hashrate `difficulty × 2^32 / 600` H/s);
    /// grows by `network_growth_per_month`. Range: > 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 149300000000000_u64, minimum = 0)]
    pub difficulty: Option<Decimal>,
    /// Growth of the network hashrate per month, a fraction (0.02 = 2%),
    /// with `network_hashrate_ehs` or `difficulty`. Range: (−1, 10]. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.02)]
    pub network_growth_per_month: Option<Decimal>,
    /// Network hashrate for each month, EH/s; exactly `months` entries, each > 0.
    #[serde(
        default,
        with = "num::decimal_vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[schema(example = json!([1070, 1090]))]
    pub network_hashrate_path_ehs: Vec<Decimal>,
    /// Difficulty for each month; exactly `months` entries, each > 0.
    #[serde(
        default,
        with = "num::decimal_vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[schema(example = json!([149300000000000_u64, 152000000000000_u64]))]
    pub difficulty_path: Vec<Decimal>,
    /// Block height on `start_date`; blocks then come every 10 minutes and
    /// the subsidy halves every 210,000 blocks. Give this or `block_subsidy_btc`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 927000, minimum = 0)]
    pub block_height: Option<u64>,
    /// Block subsidy at the start, BTC; constant unless `next_halving_date`
    /// is given. Range: [0, 50].
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 3.125, minimum = 0, maximum = 50)]
    pub block_subsidy_btc: Option<Decimal>,
    /// Date of the next halving (with `block_subsidy_btc`); later halvings
    /// follow every 210,000 blocks at 144 a day (1,458⅓ days). On or after
    /// `start_date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "2028-04-15")]
    pub next_halving_date: Option<NaiveDate>,
    /// Transaction fees per block, BTC, held constant. Give at most one of
    /// this, `fees_per_block_btc_path`, `fee_share` and `fee_share_path`.
    /// Range: ≥ 0. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.03, minimum = 0)]
    pub fees_per_block_btc: Option<Decimal>,
    /// Fees per block for each month, BTC; exactly `months` entries, each ≥ 0.
    #[serde(
        default,
        with = "num::decimal_vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[schema(example = json!([0.03, 0.035]), max_items = 120)]
    pub fees_per_block_btc_path: Vec<Decimal>,
    /// Fees as a share of the whole block reward, `fees / (subsidy + fees)`,
    /// held constant; the reward is `subsidy / (1 − fee_share)`, so fees
    /// halve with the subsidy. Range: [0, 0.9].
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.01, minimum = 0, maximum = 0.9)]
    pub fee_share: Option<Decimal>,
    /// The fee share for each month; exactly `months` entries, each in
    /// [0, 0.9].
    #[serde(
        default,
        with = "num::decimal_vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[schema(example = json!([0.01, 0.012]), max_items = 120)]
    pub fee_share_path: Vec<Decimal>,
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
    /// BTC price in month 1, USD; grows by `btc_price_growth_per_month`.
    /// Give this or `btc_price_path`. Range: > 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 90000, minimum = 0)]
    pub btc_price: Option<Decimal>,
    /// Growth of the BTC price per month, a fraction, with `btc_price`.
    /// Range: (−1, 10]. Default 0 (flat).
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.01)]
    pub btc_price_growth_per_month: Option<Decimal>,
    /// BTC price for each month, USD; exactly `months` entries, each > 0.
    #[serde(
        default,
        with = "num::decimal_vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[schema(example = json!([90000, 92000]))]
    pub btc_price_path: Vec<Decimal>,
    /// Fleet efficiency, J/TH, with `fleet_hashrate_ehs`; with a power
    /// price, enables power cost and margin. Range: > 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 16.1, minimum = 0)]
    pub efficiency_j_per_th: Option<Decimal>,
    /// Market power price, USD per MWh, every month; or give
    /// `power_price_path_per_mwh`. Requires an efficiency. Range: ≥ 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 45, minimum = 0)]
    pub power_price_per_mwh: Option<Decimal>,
    /// Market power price for each month, USD per MWh; exactly `months`
    /// entries, each ≥ 0.
    #[serde(
        default,
        with = "num::decimal_vec",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[schema(example = json!([45, 60]), max_items = 120)]
    pub power_price_path_per_mwh: Vec<Decimal>,
    /// How each month's power price spreads over its hours: buckets of
    /// hours at multiples of the month's price, their shares adding up to 1
    /// and spread evenly over the month. At most 24. Default: every hour at
    /// the month's price.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(max_items = 24)]
    pub power_price_profile: Vec<PriceBucketRequest>,
    /// A fixed-price contract for part of the load; requires a market power
    /// price (for the rest, and for power sold back).
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
    /// Paid each month for standing ready to curtail, USD. Range: ≥ 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 1000000, minimum = 0)]
    pub demand_response_credit_per_month: Option<Decimal>,
    /// `economic`: in each month a cohort hashes only in the hours its
    /// hashprice covers its hashcost at that month's power price; `never`
    /// (the default) switches nothing off. Economic needs a power price and
    /// an efficiency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shutoff: Option<ShutoffRequest>,
    /// Other cash operating costs, USD per day. Range: ≥ 0. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 200000, minimum = 0)]
    pub other_opex_per_day: Option<Decimal>,
    /// Depreciation of the site's infrastructure, USD per day, in the
    /// all-in cost. Range: ≥ 0. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 60000, minimum = 0)]
    pub infrastructure_depreciation_per_day: Option<Decimal>,
    /// Stock-based compensation, USD per day, in the all-in cost.
    /// Range: ≥ 0. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 40000, minimum = 0)]
    pub stock_compensation_per_day: Option<Decimal>,
    /// A hashprice forward curve from month 1: each month's forward price
    /// and the share of the fleet's hashrate sold forward at it. At most
    /// `months` entries; later months are unhedged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(max_items = 120)]
    pub hashprice_forward: Vec<HashpriceForwardRequest>,
}

/// One month of a hashprice forward: the miner receives
/// `hedged_fraction × fleet PH/s × days × (usd_per_ph_day − hashprice)`,
/// where hashprice is the month's gross USD hashprice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"usd_per_ph_day": 45, "hedged_fraction": 0.5}))]
pub struct HashpriceForwardRequest {
    /// The forward hashprice, USD per PH/s per day. Range: ≥ 0.
    #[serde(with = "num::decimal")]
    #[schema(example = 45, minimum = 0)]
    pub usd_per_ph_day: Decimal,
    /// Share of the fleet's hashrate in service sold forward. Range: [0, 1].
    #[serde(with = "num::decimal")]
    #[schema(example = 0.5, minimum = 0, maximum = 1)]
    pub hedged_fraction: Decimal,
}

fn growth(v: Option<Decimal>, field: &str) -> Result<MonthlyGrowth, CoreError> {
    MonthlyGrowth::new(v.unwrap_or(Decimal::ZERO)).at(field)
}

fn path<T>(
    values: &[Decimal],
    field: &str,
    check: impl Fn(Decimal) -> Result<T, infraval_core::ValueError>,
) -> Result<Vec<T>, CoreError> {
    infraval_core::num::capped_len(values, mining::MAX_PROJECTION_MONTHS as usize).at(field)?;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| check(*v).at(format!("{field}[{i}]")))
        .collect()
}

impl TryFrom<ProjectionRequest> for ProjectionInput {
    type Error = CoreError;

    fn try_from(req: ProjectionRequest) -> Result<Self, CoreError> {
        let months = ProjectionMonths::new(req.months).at("months")?;
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
                    return Err(CoreError::MissingDependency {
                        field: "next_halving_date",
                        requires: "block_subsidy_btc",
                    });
                }
                HalvingSchedule::FromHeight {
                    start_height: req.block_height.unwrap_or_default(),
                }
            }
            _ => {
                let subsidy = Btc::subsidy(req.block_subsidy_btc.unwrap_or_default())
                    .at("block_subsidy_btc")?;
                match req.next_halving_date {
                    Some(next_halving) => HalvingSchedule::OnDate {
                        subsidy,
                        next_halving,
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
                let initial = Price::new(req.btc_price.unwrap_or_default()).at("btc_price")?;
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
                    return Err(CoreError::MissingDependency {
                        field: "btc_price_growth_per_month",
                        requires: "btc_price",
                    });
                }
                PricePath::List(path(&req.btc_price_path, "btc_price_path", Price::new)?)
            }
        };
        let fleet = match exactly_one(&[
            ("fleet_hashrate_ehs", req.fleet_hashrate_ehs.is_some()),
            ("cohorts", !req.cohorts.is_empty()),
        ])? {
            0 => ProjectionFleet::Single {
                fleet: Hashrate::new(req.fleet_hashrate_ehs.unwrap_or_default())
                    .at("fleet_hashrate_ehs")?,
                additions_ehs: path(&req.fleet_additions_ehs, "fleet_additions_ehs", Ok)?,
                efficiency: req
                    .efficiency_j_per_th
                    .map(|e| JoulesPerTerahash::new(e).at("efficiency_j_per_th"))
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
                Btc::new(req.fees_per_block_btc.unwrap_or_default()).at("fees_per_block_btc")?,
            )),
            Some(1) => FeeSchedule::PerBlockPath(path(
                &req.fees_per_block_btc_path,
                "fees_per_block_btc_path",
                Btc::new,
            )?),
            Some(2) => FeeSchedule::Flat(Fee::Share(
                FeeShare::new(req.fee_share.unwrap_or_default()).at("fee_share")?,
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
        infraval_core::num::capped_len(
            &req.hashprice_forward,
            mining::MAX_PROJECTION_MONTHS as usize,
        )
        .at("hashprice_forward")?;
        let hashprice_forward = req
            .hashprice_forward
            .iter()
            .enumerate()
            .map(|(i, f)| {
                Ok(HashpriceForward {
                    usd_per_ph_day: Usd::new(f.usd_per_ph_day)
                        .at(format!("hashprice_forward[{i}].usd_per_ph_day"))?,
                    hedged_fraction: Fraction::new(f.hedged_fraction)
                        .at(format!("hashprice_forward[{i}].hedged_fraction"))?,
                })
            })
            .collect::<Result<Vec<_>, CoreError>>()?;
        Ok(ProjectionInput {
            start_date: req.start_date,
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
    #[schema(example = 1)]
    pub month: u32,
    /// First day of the month.
    #[schema(example = "2025-12-01")]
    pub start_date: NaiveDate,
    /// Days in the month (calendar).
    #[schema(example = 31)]
    pub days: u32,
    /// Network hashrate for the month, EH/s.
    #[serde(with = "num::decimal")]
    #[schema(example = 1070)]
    pub network_hashrate_ehs: Decimal,
    /// The difficulty on the month's first day (6 dp): the one the start
    /// hashrate implies in month 1, then the block clock's retargets.
    #[serde(with = "num::decimal")]
    #[schema(example = 149477273225784.3)]
    pub difficulty: Decimal,
    /// Blocks the network is expected to find in the month (6 dp): more
    /// than 144 a day while the network outgrows its difficulty.
    #[serde(with = "num::decimal")]
    #[schema(example = 4464)]
    pub blocks: Decimal,
    /// `blocks / days` (6 dp).
    #[serde(with = "num::decimal")]
    #[schema(example = 144)]
    pub blocks_per_day: Decimal,
    /// Fleet hashrate in service in the month (after its additions, or the
    /// cohorts bought by its end), EH/s.
    #[serde(with = "num::decimal")]
    #[schema(example = 50)]
    pub fleet_hashrate_ehs: Decimal,
    /// Block subsidy on the month's first day, BTC.
    #[serde(with = "num::decimal")]
    #[schema(example = 3.125)]
    pub block_subsidy_btc: Decimal,
    /// Whether a halving falls in the month (its subsidy is then split at
    /// the halving day).
    #[schema(example = false)]
    pub halving_in_month: bool,
    /// Bitcoin mined in the month.
    #[serde(with = "num::decimal")]
    #[schema(example = 625.22074766)]
    pub btc_mined: Decimal,
    /// BTC price for the month, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 90000)]
    pub btc_price: Decimal,
    /// The month's gross hashprice: BTC per PH/s per day × `btc_price`, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 38.21)]
    pub hashprice_usd_per_ph_day: Decimal,
    /// `btc_mined × btc_price`, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 56269867.29)]
    pub revenue: Decimal,
    /// Contracted power sold back at the market price, USD: revenue shown
    /// apart.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub power_sold_back: Decimal,
    /// Demand-response credits (per MWh curtailed and monthly), USD:
    /// revenue shown apart.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub demand_response_credits: Decimal,
    /// What the hashprice forward paid the miner (negative when the miner
    /// paid), USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub hedge_settlement: Decimal,
    /// Power cost for the month, USD; `null` without efficiency and power
    /// price. With a contract: its payments plus the power bought above it.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 25603830)]
    pub power_cost: Option<Decimal>,
    /// Other opex for the month, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 6200000)]
    pub other_opex: Decimal,
    /// `revenue + power_sold_back + demand_response_credits +
    /// hedge_settlement − power_cost − other_opex`, USD; `null` without
    /// power cost.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 24466037.29)]
    pub margin: Option<Decimal>,
    /// Depreciation of the cohorts' machines and of the site, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub depreciation: Decimal,
    /// Stock-based compensation, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub stock_compensation: Decimal,
    /// `(power_cost + other_opex) / btc_mined`, USD; `null` without power
    /// cost or bitcoin.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 50868.16)]
    pub cash_cost_per_btc: Option<Decimal>,
    /// Cash cost plus `(depreciation + stock_compensation) / btc_mined`, USD.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 50868.16)]
    pub all_in_cost_per_btc: Option<Decimal>,
    /// Hours the fleet was switched off, weighted by hashrate (6 dp).
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub curtailed_hours: Decimal,
    /// Bitcoin mined from month 1 to this month.
    #[serde(with = "num::decimal")]
    #[schema(example = 625.22074766)]
    pub cumulative_btc: Decimal,
    /// One per cohort, in order; one for `fleet_hashrate_ehs`.
    pub cohorts: Vec<ProjectionCohortMonthResponse>,
}

/// One cohort in one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectionCohortMonthResponse {
    /// Its hashrate in service, EH/s (zero before its purchase date).
    #[serde(with = "num::decimal")]
    #[schema(example = 50)]
    pub hashrate_ehs: Decimal,
    /// Bitcoin it mined.
    #[serde(with = "num::decimal")]
    #[schema(example = 625.22074766)]
    pub btc_mined: Decimal,
    /// Power cost charged to it, USD: its purchases, and its hashrate share
    /// of a contract's payments.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 25603830)]
    pub power_cost: Option<Decimal>,
    /// Depreciation of its machines, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub depreciation: Decimal,
    /// Hours it was switched off (6 dp).
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub curtailed_hours: Decimal,
}

/// One cohort over the whole projection. Site costs (other opex, site
/// depreciation, stock compensation) are shared by hashrate-days in service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectionCohortResponse {
    /// Bitcoin it mined.
    #[serde(with = "num::decimal")]
    #[schema(example = 12948.53336055)]
    pub btc_mined: Decimal,
    /// Bitcoin per day in service.
    #[serde(with = "num::decimal")]
    #[schema(example = 17.73771693)]
    pub btc_per_day: Decimal,
    /// Power cost charged to it, USD.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 657242056.8)]
    pub power_cost: Option<Decimal>,
    /// Depreciation of its machines, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub depreciation: Decimal,
    /// (Its power cost + its share of other opex) per BTC, USD.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 62033.44)]
    pub cash_cost_per_btc: Option<Decimal>,
    /// Cash cost plus its depreciation and its share of the site's
    /// depreciation and stock compensation, per BTC, USD.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 62033.44)]
    pub all_in_cost_per_btc: Option<Decimal>,
    /// Hours it was switched off (6 dp).
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub curtailed_hours: Decimal,
}

/// A monthly projection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectionResponse {
    /// One row per month.
    pub months: Vec<ProjectionMonthResponse>,
    /// Bitcoin mined over the horizon.
    #[serde(with = "num::decimal")]
    #[schema(example = 12948.53336055)]
    pub total_btc: Decimal,
    /// Revenue over the horizon, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 1300774669.64)]
    pub total_revenue: Decimal,
    /// Power cost over the horizon, USD; `null` without efficiency and power price.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 657242056.8)]
    pub total_power_cost: Option<Decimal>,
    /// Margin over the horizon, USD; `null` without power cost.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 497532612.84)]
    pub total_margin: Option<Decimal>,
    /// Contracted power sold back over the horizon, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub total_power_sold_back: Decimal,
    /// Demand-response credits over the horizon, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub total_demand_response_credits: Decimal,
    /// Hashprice forward settlements over the horizon, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub total_hedge_settlement: Decimal,
    /// Depreciation over the horizon, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub total_depreciation: Decimal,
    /// `total_btc` per day of the horizon.
    #[serde(with = "num::decimal")]
    #[schema(example = 17.73771693)]
    pub btc_per_day: Decimal,
    /// (Power cost + other opex) per BTC over the horizon, USD: CoinShares'
    /// cash cost.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 62033.44)]
    pub cash_cost_per_btc: Option<Decimal>,
    /// Cash cost plus depreciation and stock-based compensation per BTC
    /// over the horizon, USD: CoinShares' all-in cost.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 62033.44)]
    pub all_in_cost_per_btc: Option<Decimal>,
    /// Hours the fleet was switched off over the horizon, weighted by
    /// hashrate (6 dp).
    #[serde(with = "num::decimal")]
    #[schema(example = 0)]
    pub curtailed_hours: Decimal,
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
                    start_date: m.start_date,
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
        req.months = 120;
        req.fleet_hashrate_ehs = None;
        req.cohorts = serde_json::from_value(serde_json::json!([
            {"hashrate_ehs": 1, "efficiency_j_per_th": 20},
            {"hashrate_ehs": 1, "efficiency_j_per_th": 30}
        ]))
        .unwrap();
        req.power_price_per_mwh = Some(rust_decimal_macros::dec!(45));
        req.power_price_profile = serde_json::from_value(serde_json::json!([
            {"share_of_hours": 0.5, "price_multiple": 0.5},
            {"share_of_hours": 0.5, "price_multiple": 1.5}
        ]))
        .unwrap();
        assert_eq!(units(&req), 1);
        req.cohorts = vec![req.cohorts[0].clone(); 50];
        req.power_price_profile = (0..24)
            .map(|_| PriceBucketRequest {
                share_of_hours: rust_decimal_macros::dec!(0.04),
                price_multiple: Decimal::ONE,
            })
            .collect();
        req.power_price_profile[23].share_of_hours = rust_decimal_macros::dec!(0.08);
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
