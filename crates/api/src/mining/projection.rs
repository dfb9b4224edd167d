//! Monthly projections of a fleet: `POST /v1/mining/projection`.

use infraval_core::error::AtField;
use infraval_core::mining::{
    self, Btc, Difficulty, HalvingSchedule, Hashrate, JoulesPerTerahash, MonthlyGrowth,
    NetworkPath, PricePath, ProjectionInput, ProjectionMonths,
};
use infraval_core::num::{Fraction, Price};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{btc, cents, exactly_one, fraction_or, network, opt_usd, physical};
use crate::wire::{Date, Int, Num, Wire};
use crate::{bounds, Example, Examples};

/// A monthly projection's assumptions.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct ProjectionRequest {
    /// First day of month 1. Months are calendar months from this date.
    #[schema(example = "2025-12-01")]
    pub start_date: Date,
    /// Number of months.
    #[wire(bounds::PROJECTION_MONTHS)]
    pub months: Int,
    /// Fleet hashrate at the start, EH/s.
    #[wire(bounds::HASHRATE_EHS)]
    pub fleet_hashrate_ehs: Num,
    /// Hashrate added at the start of each month, EH/s, month 1 first;
    /// negative for retirements. At most one entry per month; missing
    /// months add nothing. Default none.
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
    /// Growth of the network hashrate per month (0.02 = 2%), with
    /// `network_hashrate_ehs` or `difficulty`. Default 0.
    #[wire(bounds::GROWTH_PER_MONTH)]
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
    /// the subsidy halves every 210,000 blocks. Give this or
    /// `block_subsidy_btc`.
    #[wire(bounds::BLOCK_HEIGHT)]
    pub block_height: Option<Int>,
    /// Block subsidy at the start, BTC; constant unless `next_halving_date`
    /// is given.
    #[wire(bounds::BLOCK_SUBSIDY_BTC)]
    pub block_subsidy_btc: Option<Num>,
    /// Date of the next halving (with `block_subsidy_btc`); later halvings
    /// follow every 210,000 blocks at 144 a day (1,458⅓ days). On or after
    /// `start_date`.
    #[schema(example = "2028-04-15")]
    pub next_halving_date: Option<Date>,
    /// Transaction fees per block, BTC, held constant. Default 0.
    #[wire(bounds::FEES_PER_BLOCK_BTC)]
    pub fees_per_block_btc: Option<Num>,
    /// Share of the time the fleet hashes. Default 1.
    #[wire(bounds::FRACTION)]
    pub uptime: Option<Num>,
    /// Share of the reward the pool keeps. Default 0.
    #[wire(bounds::POOL_FEE)]
    pub pool_fee: Option<Num>,
    /// BTC price in month 1, USD; grows by `btc_price_growth_per_month`.
    /// Give this or `btc_price_path`.
    #[wire(bounds::BTC_PRICE)]
    pub btc_price: Option<Num>,
    /// Growth of the BTC price per month, with `btc_price`. Default 0
    /// (flat).
    #[wire(bounds::GROWTH_PER_MONTH)]
    pub btc_price_growth_per_month: Option<Num>,
    /// BTC price for each month, USD; exactly `months` entries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[wire(bounds::BTC_PRICE_PATH)]
    pub btc_price_path: Vec<Num>,
    /// Fleet efficiency, J/TH; with `power_price_per_mwh`, enables power
    /// cost and margin.
    #[wire(bounds::EFFICIENCY_J_PER_TH)]
    pub efficiency_j_per_th: Option<Num>,
    /// Power price, USD per MWh; requires `efficiency_j_per_th`.
    #[wire(bounds::POWER_PRICE_PER_MWH)]
    pub power_price_per_mwh: Option<Num>,
    /// Other operating costs, USD per day. Default 0.
    #[wire(bounds::USD)]
    pub other_opex_per_day: Option<Num>,
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
        ]
    }
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
                    return Err(CoreError::MissingDependency {
                        field: "next_halving_date",
                        requires: "block_subsidy_btc",
                    });
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
            start_date: req.start_date.get(),
            months,
            network,
            fleet: Hashrate::new(req.fleet_hashrate_ehs.get()).at("fleet_hashrate_ehs")?,
            fleet_additions_ehs,
            halving,
            fees_per_block: req.fees_per_block_btc.map_or(Ok(Btc::ZERO), |f| {
                Btc::new(f.get()).at("fees_per_block_btc")
            })?,
            uptime: fraction_or(req.uptime, Fraction::ONE, "uptime")?,
            pool_fee: fraction_or(req.pool_fee, Fraction::ZERO, "pool_fee")?,
            btc_price,
            efficiency: req
                .efficiency_j_per_th
                .map(|e| JoulesPerTerahash::new(e.get()).at("efficiency_j_per_th"))
                .transpose()?,
            power_price_per_mwh: opt_usd(req.power_price_per_mwh, "power_price_per_mwh")?,
            other_opex_per_day: opt_usd(req.other_opex_per_day, "other_opex_per_day")?,
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
    #[schema(example = "2025-12-01")]
    pub start_date: Date,
    /// Days in the month (calendar).
    pub days: u32,
    /// Network hashrate for the month, EH/s.
    pub network_hashrate_ehs: Num,
    /// Fleet hashrate for the month, after its additions, EH/s.
    pub fleet_hashrate_ehs: Num,
    /// Block subsidy on the month's first day, BTC.
    pub block_subsidy_btc: Num,
    /// Whether a halving falls in the month (its subsidy is then split at
    /// the halving day).
    #[schema(example = false)]
    pub halving_in_month: bool,
    /// Bitcoin mined in the month.
    pub btc_mined: Num,
    /// BTC price for the month, USD.
    pub btc_price: Num,
    /// `btc_mined × btc_price`, USD.
    pub revenue: Num,
    /// Power cost for the month, USD; `null` without efficiency and power price.
    pub power_cost: Option<Num>,
    /// Other opex for the month, USD.
    pub other_opex: Num,
    /// `revenue − power_cost − other_opex`, USD; `null` without power cost.
    pub margin: Option<Num>,
    /// Bitcoin mined from month 1 to this month.
    pub cumulative_btc: Num,
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
