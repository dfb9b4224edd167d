//! Goal seek on the project model: `POST /v1/colocation/goal-seek`.

use infraval_core::goal_seek::{self, GoalSeekInput};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::num;
use crate::project::{metric_out, nested_project, MetricName, ProjectRequest, VariableName};

/// The range goal seek searches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"low": 50, "high": 300}))]
pub struct BracketWire {
    /// Low end, in the variable's unit.
    #[serde(with = "num::decimal")]
    #[schema(example = 50)]
    pub low: Decimal,
    /// High end, above `low`.
    #[serde(with = "num::decimal")]
    #[schema(example = 300)]
    pub high: Decimal,
}

/// Solve one project input for a target result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "project": {
        "it_capacity_mw": 250,
        "cost_per_mw": 10000000,
        "rate_per_kw_month": 133.33,
        "lease_start_month": 12,
        "opex_fraction": 0.2,
        "discount_rate": 0.09,
        "horizon_years": 20,
        "exit_cap_rate": 0.07
    },
    "variable": "rate_per_kw_month",
    "metric": "irr",
    "target": 0.12,
    "bracket": {"low": 50, "high": 300}
}))]
pub struct GoalSeekRequest {
    /// The project; the variable's value in it is replaced.
    pub project: ProjectRequest,
    /// The input to solve for.
    pub variable: VariableName,
    /// The result to hit.
    pub metric: MetricName,
    /// Its target, in the metric's unit (a fraction for IRR and yields).
    #[serde(with = "num::decimal")]
    #[schema(example = 0.12)]
    pub target: Decimal,
    /// The range searched. Default per variable, e.g. rent [0.01, 10,000],
    /// cost per MW [0, 10⁹] (see the README).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bracket: Option<BracketWire>,
}

impl TryFrom<GoalSeekRequest> for GoalSeekInput {
    type Error = CoreError;

    fn try_from(req: GoalSeekRequest) -> Result<Self, CoreError> {
        Ok(GoalSeekInput {
            base: nested_project(req.project)?,
            variable: req.variable.into(),
            metric: req.metric.into(),
            target: req.target,
            bracket: req.bracket.map(|b| (b.low, b.high)),
        })
    }
}

/// The value found, and what it achieves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalSeekResponse {
    /// The input solved for.
    pub variable: VariableName,
    /// The result targeted.
    pub metric: MetricName,
    /// The variable's value found, unrounded.
    #[serde(with = "num::decimal")]
    #[schema(example = 158.25)]
    pub value: Decimal,
    /// The metric at that value (money in cents, rates to 8 decimals).
    #[serde(with = "num::decimal")]
    #[schema(example = 0.12)]
    pub achieved: Decimal,
    /// The target asked for.
    #[serde(with = "num::decimal")]
    #[schema(example = 0.12)]
    pub target: Decimal,
    /// The range searched.
    pub bracket: BracketWire,
    /// |achieved − target| is within this (absolute): 0.005 USD for money,
    /// 1e-9 for rates, ratios and years.
    #[serde(with = "num::decimal")]
    #[schema(example = 0.000000001)]
    pub tolerance: Decimal,
    /// Model runs inside the bracket.
    #[schema(example = 7)]
    pub iterations: u32,
}

impl GoalSeekResponse {
    /// Builds the response from the input and the core result.
    pub fn new(input: &GoalSeekInput, out: &goal_seek::GoalSeek) -> Self {
        GoalSeekResponse {
            variable: input.variable.into(),
            metric: input.metric.into(),
            value: out.value.normalize(),
            achieved: metric_out(input.metric, out.achieved),
            target: input.target.normalize(),
            bracket: BracketWire {
                low: out.bracket.0.normalize(),
                high: out.bracket.1.normalize(),
            },
            tolerance: out.tolerance.normalize(),
            iterations: out.iterations,
        }
    }
}

/// Computes [`crate::operations::ColocationGoalSeek`].
pub fn goal_seek(input: GoalSeekInput) -> Result<GoalSeekResponse, CoreError> {
    let out = goal_seek::goal_seek(&input)?;
    Ok(GoalSeekResponse::new(&input, &out))
}
