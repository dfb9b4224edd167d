//! Monthly projections of a fleet: `POST /v1/mining/projection`.

use chrono::NaiveDate;
use infraval_core::error::AtField;
use infraval_core::mining::{
    self, Btc, Difficulty, Fee, FeeSchedule, HalvingSchedule, Hashrate, JoulesPerTerahash,
    MonthlyGrowth, NetworkPath, PowerPricePath, PowerTerms, PricePath, ProjectionFleet,
    ProjectionInput, ProjectionMonths, SiteCosts,
};
use infraval_core::num::{Fraction, Price};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{btc, cents, exactly_one, fraction_or, network, opt_usd, physical};
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
    /// Fleet hashrate at the start, EH/s. Range: > 0.
    #[serde(with = "num::decimal")]
    #[schema(example = 50, minimum = 0)]
    pub fleet_hashrate_ehs: Decimal,
    /// Hashrate added at the start of each month, EH/s, month 1 first;
    /// negative for retirements. At most one entry per month; missing
    /// months add nothing. Default none.
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
    /// Transaction fees per block, BTC, held constant. Range: ≥ 0. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.03, minimum = 0)]
    pub fees_per_block_btc: Option<Decimal>,
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
    /// Fleet efficiency, J/TH; with `power_price_per_mwh`, enables power
    /// cost and margin. Range: > 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 16.1, minimum = 0)]
    pub efficiency_j_per_th: Option<Decimal>,
    /// Power price, USD per MWh; requires `efficiency_j_per_th`. Range: ≥ 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 45, minimum = 0)]
    pub power_price_per_mwh: Option<Decimal>,
    /// Other operating costs, USD per day. Range: ≥ 0. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 200000, minimum = 0)]
    pub other_opex_per_day: Option<Decimal>,
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
        let fleet_additions_ehs = path(&req.fleet_additions_ehs, "fleet_additions_ehs", Ok)?;
        Ok(ProjectionInput {
            start_date: req.start_date,
            months,
            network,
            fleet: ProjectionFleet::Single {
                fleet: Hashrate::new(req.fleet_hashrate_ehs).at("fleet_hashrate_ehs")?,
                additions_ehs: fleet_additions_ehs,
                efficiency: req
                    .efficiency_j_per_th
                    .map(|e| JoulesPerTerahash::new(e).at("efficiency_j_per_th"))
                    .transpose()?,
            },
            halving,
            fees: FeeSchedule::Flat(Fee::PerBlock(
                req.fees_per_block_btc
                    .map_or(Ok(Btc::ZERO), |f| Btc::new(f).at("fees_per_block_btc"))?,
            )),
            uptime: fraction_or(req.uptime, Fraction::ONE, "uptime")?,
            pool_fee: fraction_or(req.pool_fee, Fraction::ZERO, "pool_fee")?,
            btc_price,
            power_price_per_mwh: opt_usd(req.power_price_per_mwh, "power_price_per_mwh")?
                .map(PowerPricePath::Flat),
            power: PowerTerms::default(),
            costs: SiteCosts {
                other_opex_per_day: opt_usd(req.other_opex_per_day, "other_opex_per_day")?,
                ..SiteCosts::default()
            },
            hashprice_forward: vec![],
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
    /// Fleet hashrate for the month, after its additions, EH/s.
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
    /// `btc_mined × btc_price`, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 56269867.29)]
    pub revenue: Decimal,
    /// Power cost for the month, USD; `null` without efficiency and power price.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 25603830)]
    pub power_cost: Option<Decimal>,
    /// Other opex for the month, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 6200000)]
    pub other_opex: Decimal,
    /// `revenue − power_cost − other_opex`, USD; `null` without power cost.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 24466037.29)]
    pub margin: Option<Decimal>,
    /// Bitcoin mined from month 1 to this month.
    #[serde(with = "num::decimal")]
    #[schema(example = 625.22074766)]
    pub cumulative_btc: Decimal,
}

/// A monthly projection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectionResponse {
    /// One row per month.
    pub months: Vec<ProjectionMonthResponse>,
    /// Bitcoin mined over the horizon.
    #[serde(with = "num::decimal")]
    #[schema(example = 13500.5)]
    pub total_btc: Decimal,
    /// Revenue over the horizon, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 1300000000)]
    pub total_revenue: Decimal,
    /// Power cost over the horizon, USD; `null` without efficiency and power price.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 620000000)]
    pub total_power_cost: Option<Decimal>,
    /// Margin over the horizon, USD; `null` without power cost.
    #[serde(with = "num::opt_decimal")]
    #[schema(example = 530000000)]
    pub total_margin: Option<Decimal>,
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
                    fleet_hashrate_ehs: physical(m.fleet_hashrate_ehs),
                    block_subsidy_btc: btc(m.block_subsidy_btc),
                    halving_in_month: m.halving_in_month,
                    btc_mined: btc(m.btc_mined),
                    btc_price: cents(m.btc_price),
                    revenue: cents(m.revenue),
                    power_cost: m.power_cost.map(cents),
                    other_opex: cents(m.other_opex),
                    margin: m.margin.map(cents),
                    cumulative_btc: btc(m.cumulative_btc),
                })
                .collect(),
            total_btc: btc(p.total_btc),
            total_revenue: cents(p.total_revenue),
            total_power_cost: p.total_power_cost.map(cents),
            total_margin: p.total_margin.map(cents),
        }
    }
}

/// Computes [`crate::operations::MiningProjection`].
pub fn projection(input: ProjectionInput) -> Result<ProjectionResponse, CoreError> {
    Ok(ProjectionResponse::from(&mining::projection(&input)?))
}

#[cfg(test)]
mod tests {

    use super::*;

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
