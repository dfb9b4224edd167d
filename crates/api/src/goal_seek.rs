//! Goal seek on the project model: `POST /v1/colocation/goal-seek`.

use infraval_core::error::AtField;
use infraval_core::goal_seek::{self, GoalSeekInput};
use infraval_core::CoreError;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::project::{metric_out, nested_project, MetricName, ProjectRequest, VariableName};
use crate::wire::{Num, Wire, NESTED};
use crate::{num, Example, Examples};

/// The range goal seek searches, in the variable's unit and within its
/// range (that of the project field of the same name).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"low": 50, "high": 300}))]
pub struct BracketWire {
    /// Low end.
    pub low: Num,
    /// High end, above `low`.
    pub high: Num,
}

impl BracketWire {
    /// The bracket searched when none is given: the core's
    /// [`goal_seek::default_bracket`] for the variable.
    pub fn default_for(variable: VariableName) -> Self {
        let (low, high) = goal_seek::default_bracket(variable.into());
        BracketWire {
            low: Num::new(low),
            high: Num::new(high),
        }
    }
}

/// Solve one project input for a target result.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct GoalSeekRequest {
    /// The project; the variable's value in it is replaced.
    #[wire(NESTED)]
    pub project: ProjectRequest,
    /// The input to solve for.
    pub variable: VariableName,
    /// The result to hit.
    pub metric: MetricName,
    /// Its target, in the metric's unit (a fraction for IRR and yields).
    pub target: Num,
    /// The range searched. Default per variable, e.g. rent [0.01, 10,000],
    /// cost per MW [0, 10⁹] (see the README); the answer's `assumptions`
    /// state the one used.
    #[wire(NESTED, default_with = |r: &Self| Some(BracketWire::default_for(r.variable)))]
    pub bracket: Option<BracketWire>,
}

impl Examples for GoalSeekRequest {
    fn examples() -> Vec<Example> {
        vec![Example {
            name: "rent_for_twelve_percent",
            summary: "The rent that gives the Sandersville project a 12% IRR",
            body: json!({
                "project": ProjectRequest::sandersville(),
                "variable": "rate_per_kw_month",
                "metric": "irr",
                "target": 0.12,
                "bracket": {"low": 50, "high": 300}
            }),
        }]
    }
}

impl TryFrom<GoalSeekRequest> for GoalSeekInput {
    type Error = CoreError;

    fn try_from(req: GoalSeekRequest) -> Result<Self, CoreError> {
        let range = req.variable.bounds();
        let bracket = req
            .bracket
            .map(|b| {
                range.check(b.low.get()).at("bracket.low")?;
                range.check(b.high.get()).at("bracket.high")?;
                Ok::<_, CoreError>((b.low.get(), b.high.get()))
            })
            .transpose()?;
        Ok(GoalSeekInput {
            base: nested_project(req.project)?,
            variable: req.variable.into(),
            metric: req.metric.into(),
            target: req.target.get(),
            bracket,
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
    /// The variable's value found, rounded as the variable is written
    /// elsewhere (see `VariableName`); `achieved` is the metric before
    /// that rounding.
    pub value: Num,
    /// The metric at that value (money in cents, rates to 8 decimals).
    pub achieved: Num,
    /// The target asked for.
    pub target: Num,
    /// The range searched.
    pub bracket: BracketWire,
    /// |achieved − target| is within this (absolute): 0.005 USD for money,
    /// 1e-9 for rates, ratios and years.
    pub tolerance: Num,
    /// Model runs inside the bracket.
    pub iterations: u32,
}

impl GoalSeekResponse {
    /// Builds the response from the input and the core result.
    pub fn new(input: &GoalSeekInput, out: &goal_seek::GoalSeek) -> Self {
        GoalSeekResponse {
            variable: input.variable.into(),
            metric: input.metric.into(),
            value: num::round(out.value, VariableName::from(input.variable).decimals()),
            achieved: metric_out(input.metric, out.achieved),
            target: input.target.normalize().into(),
            bracket: BracketWire {
                low: out.bracket.0.normalize().into(),
                high: out.bracket.1.normalize().into(),
            },
            tolerance: out.tolerance.normalize().into(),
            iterations: out.iterations,
        }
    }
}

/// Computes [`crate::operations::ColocationGoalSeek`].
pub fn goal_seek(input: GoalSeekInput) -> Result<GoalSeekResponse, CoreError> {
    let out = goal_seek::goal_seek(&input)?;
    Ok(GoalSeekResponse::new(&input, &out))
}
