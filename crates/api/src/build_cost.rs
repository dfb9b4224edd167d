//! Build cost: `POST /v1/build-cost`.

use infraval_core::build_cost::{self, BuildCostInput, Phase, Phases, SpendCurve};
use infraval_core::error::AtField;
use infraval_core::num::{at_most, Fraction, Megawatts, Usd};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::colocation::MAX_IT_CAPACITY_MW;
use crate::num;

/// The highest hard cost accepted, USD per MW: $1 billion.
pub const MAX_COST_PER_MW: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);
/// The largest amount of money accepted in a single field, USD: $10 trillion.
pub const MAX_USD: Decimal = Decimal::from_parts(1_316_134_912, 2_328, 0, false, 0);

/// One construction phase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"it_capacity_mw": 100, "start_month": 0, "duration_months": 12}))]
pub struct PhaseRequest {
    /// IT capacity the phase delivers, MW. Range: > 0, ≤ 100,000.
    #[serde(with = "num::decimal")]
    #[schema(example = 100, minimum = 0, maximum = 100000)]
    pub it_capacity_mw: Decimal,
    /// First month of spend, 0 at the start of the project. Range: 0 to 599.
    #[schema(example = 0, minimum = 0, maximum = 599)]
    pub start_month: u32,
    /// Months of spend. Range: 1 to 600; the phase must end by month 600.
    #[schema(example = 12, minimum = 1, maximum = 600)]
    pub duration_months: u32,
}

/// How each phase's cost is spread over its months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SpendCurveName {
    /// The same amount every month (the default).
    StraightLine,
    /// Slow, fast, slow: share spent by a fraction `x` of the phase is
    /// `x² (3 − 2x)`.
    SCurve,
}

impl From<SpendCurveName> for SpendCurve {
    fn from(name: SpendCurveName) -> Self {
        match name {
            SpendCurveName::StraightLine => SpendCurve::StraightLine,
            SpendCurveName::SCurve => SpendCurve::SCurve,
        }
    }
}

/// A site to build: capacity, unit cost, extras and phasing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "it_capacity_mw": 250,
    "cost_per_mw": 10000000,
    "contingency": 0.1,
    "soft_costs": 0.05,
    "land_cost": 20000000,
    "already_spent": 100000000,
    "phases": [
        {"it_capacity_mw": 100, "start_month": 0, "duration_months": 12},
        {"it_capacity_mw": 150, "start_month": 6, "duration_months": 18}
    ],
    "spend_curve": "straight_line"
}))]
pub struct BuildCostRequest {
    /// Critical IT capacity built, MW. Range: > 0, ≤ 100,000.
    #[serde(with = "num::decimal")]
    #[schema(example = 250, minimum = 0, maximum = 100000)]
    pub it_capacity_mw: Decimal,
    /// Hard construction cost, USD per MW of IT capacity. Range: 0 to 1,000,000,000.
    #[serde(with = "num::decimal")]
    #[schema(example = 10000000, minimum = 0, maximum = 1000000000)]
    pub cost_per_mw: Decimal,
    /// Contingency, a fraction of the hard cost in [0, 1]. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.1, minimum = 0, maximum = 1)]
    pub contingency: Option<Decimal>,
    /// Soft costs (design, permits, fees), a fraction of the hard cost in [0, 1]. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.05, minimum = 0, maximum = 1)]
    pub soft_costs: Option<Decimal>,
    /// Land, USD, spent in month 0. Range: 0 to 10^13. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 20000000, minimum = 0)]
    pub land_cost: Option<Decimal>,
    /// Spent to date, USD, taken from the earliest months; at most the total. Default 0.
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 100000000, minimum = 0)]
    pub already_spent: Option<Decimal>,
    /// Construction phases, at most 50, whose `it_capacity_mw` add up to the
    /// total. Default: the whole site in month 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phases: Option<Vec<PhaseRequest>>,
    /// How each phase's cost is spread over its months. Default `straight_line`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spend_curve: Option<SpendCurveName>,
}

/// The build-cost fields shared by the build-cost and project requests.
pub(crate) struct BuildParts {
    pub(crate) it_capacity_mw: Decimal,
    pub(crate) cost_per_mw: Decimal,
    pub(crate) contingency: Option<Decimal>,
    pub(crate) soft_costs: Option<Decimal>,
    pub(crate) land_cost: Option<Decimal>,
    pub(crate) already_spent: Option<Decimal>,
    pub(crate) phases: Option<Vec<PhaseRequest>>,
    pub(crate) spend_curve: Option<SpendCurveName>,
}

/// Checks `0 ≤ value ≤ max`, naming the field.
pub(crate) fn usd_at_most(value: Decimal, max: Decimal, field: &str) -> Result<Usd, CoreError> {
    at_most(value, max).and_then(Usd::new).at(field)
}

/// An optional fraction, 0 when absent.
pub(crate) fn fraction_or_zero(value: Option<Decimal>, field: &str) -> Result<Fraction, CoreError> {
    value.map_or(Ok(Fraction::ZERO), |v| Fraction::new(v).at(field))
}

/// Checks `0 < value ≤ 100,000` MW.
pub(crate) fn megawatts(value: Decimal, field: &str) -> Result<Megawatts, CoreError> {
    at_most(value, MAX_IT_CAPACITY_MW)
        .and_then(Megawatts::new)
        .at(field)
}

impl BuildParts {
    pub(crate) fn into_input(self) -> Result<BuildCostInput, CoreError> {
        let it_capacity = megawatts(self.it_capacity_mw, "it_capacity_mw")?;
        let phases = match self.phases {
            None => Phases::at_start(it_capacity),
            Some(list) => {
                infraval_core::num::capped_len(&list, build_cost::MAX_PHASES).at("phases")?;
                let phases = list
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| {
                        Ok(Phase {
                            it_capacity: megawatts(
                                p.it_capacity_mw,
                                &format!("phases[{i}].it_capacity_mw"),
                            )?,
                            start_month: p.start_month,
                            duration_months: p.duration_months,
                        })
                    })
                    .collect::<Result<Vec<_>, CoreError>>()?;
                Phases::new(phases)?
            }
        };
        Ok(BuildCostInput {
            it_capacity,
            cost_per_mw: usd_at_most(self.cost_per_mw, MAX_COST_PER_MW, "cost_per_mw")?,
            contingency: fraction_or_zero(self.contingency, "contingency")?,
            soft_costs: fraction_or_zero(self.soft_costs, "soft_costs")?,
            land_cost: usd_at_most(self.land_cost.unwrap_or_default(), MAX_USD, "land_cost")?,
            already_spent: usd_at_most(
                self.already_spent.unwrap_or_default(),
                MAX_USD,
                "already_spent",
            )?,
            phases,
            curve: self
                .spend_curve
                .map_or(SpendCurve::StraightLine, Into::into),
        })
    }
}

impl TryFrom<BuildCostRequest> for BuildCostInput {
    type Error = CoreError;

    fn try_from(req: BuildCostRequest) -> Result<Self, CoreError> {
        BuildParts {
            it_capacity_mw: req.it_capacity_mw,
            cost_per_mw: req.cost_per_mw,
            contingency: req.contingency,
            soft_costs: req.soft_costs,
            land_cost: req.land_cost,
            already_spent: req.already_spent,
            phases: req.phases,
            spend_curve: req.spend_curve,
        }
        .into_input()
    }
}

/// One month of the spend schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MonthlySpendResponse {
    /// Month index, 0 at the start of the project.
    #[schema(example = 0)]
    pub month: u32,
    /// Planned spend in the month, USD, in cents.
    #[serde(with = "num::decimal")]
    #[schema(example = 103333333.33)]
    pub spend: Decimal,
    /// The part of `spend` not yet spent (after `already_spent`), USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 3333333.33)]
    pub remaining_spend: Decimal,
    /// Planned spend through the end of the month, USD.
    #[serde(with = "num::decimal")]
    #[schema(example = 103333333.33)]
    pub cumulative: Decimal,
}

/// A site's build cost and spend schedule. Money is USD rounded to cents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BuildCostResponse {
    /// MW × cost per MW.
    #[serde(with = "num::decimal")]
    #[schema(example = 2500000000.0)]
    pub hard_cost: Decimal,
    /// Hard cost × contingency.
    #[serde(with = "num::decimal")]
    #[schema(example = 250000000)]
    pub contingency_cost: Decimal,
    /// Hard cost × soft-cost fraction.
    #[serde(with = "num::decimal")]
    #[schema(example = 125000000)]
    pub soft_cost: Decimal,
    /// Land.
    #[serde(with = "num::decimal")]
    #[schema(example = 20000000)]
    pub land_cost: Decimal,
    /// Everything: hard × (1 + contingency + soft costs) + land.
    #[serde(with = "num::decimal")]
    #[schema(example = 2895000000.0)]
    pub total_cost: Decimal,
    /// Total cost per kW of IT capacity.
    #[serde(with = "num::decimal")]
    #[schema(example = 11580)]
    pub cost_per_kw: Decimal,
    /// Total cost per MW of IT capacity.
    #[serde(with = "num::decimal")]
    #[schema(example = 11580000)]
    pub all_in_cost_per_mw: Decimal,
    /// Spent to date.
    #[serde(with = "num::decimal")]
    #[schema(example = 100000000)]
    pub already_spent: Decimal,
    /// Total cost less spent to date.
    #[serde(with = "num::decimal")]
    #[schema(example = 2795000000.0)]
    pub remaining_capex: Decimal,
    /// Month by month, from month 0 to the last month of spend.
    pub schedule: Vec<MonthlySpendResponse>,
}

impl From<build_cost::BuildCost> for BuildCostResponse {
    fn from(out: build_cost::BuildCost) -> Self {
        BuildCostResponse {
            hard_cost: num::cents(out.hard_cost),
            contingency_cost: num::cents(out.contingency_cost),
            soft_cost: num::cents(out.soft_cost),
            land_cost: num::cents(out.land_cost),
            total_cost: num::cents(out.total_cost),
            cost_per_kw: num::cents(out.cost_per_kw),
            all_in_cost_per_mw: num::cents(out.all_in_cost_per_mw),
            already_spent: num::cents(out.already_spent),
            remaining_capex: num::cents(out.remaining_capex),
            schedule: out
                .schedule
                .into_iter()
                .map(|m| MonthlySpendResponse {
                    month: m.month,
                    spend: num::cents(m.spend),
                    remaining_spend: num::cents(m.remaining_spend),
                    cumulative: num::cents(m.cumulative),
                })
                .collect(),
        }
    }
}

/// Computes [`crate::operations::BuildCost`].
pub fn schedule(input: BuildCostInput) -> Result<BuildCostResponse, CoreError> {
    Ok(build_cost::build_cost(&input)?.into())
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn request() -> BuildCostRequest {
        BuildCostRequest {
            it_capacity_mw: dec!(250),
            cost_per_mw: dec!(10000000),
            contingency: None,
            soft_costs: None,
            land_cost: None,
            already_spent: None,
            phases: None,
            spend_curve: None,
        }
    }

    #[test]
    fn max_usd_is_ten_trillion() {
        assert_eq!(MAX_USD, dec!(10000000000000));
    }

    #[test]
    fn a_phase_with_zero_megawatts_is_refused_naming_its_path() {
        let mut req = request();
        req.phases = Some(vec![PhaseRequest {
            it_capacity_mw: dec!(0),
            start_month: 0,
            duration_months: 1,
        }]);
        let err = BuildCostInput::try_from(req).unwrap_err();
        assert_eq!(err.field(), Some("phases[0].it_capacity_mw"));
    }

    #[test]
    fn a_cost_per_mw_over_a_billion_is_refused() {
        let mut req = request();
        req.cost_per_mw = dec!(2000000000);
        let err = BuildCostInput::try_from(req).unwrap_err();
        assert_eq!(err.field(), Some("cost_per_mw"));
    }
}
