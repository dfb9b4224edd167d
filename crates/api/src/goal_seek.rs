//! Goal seek on the project model, `POST /v1/colocation/goal-seek`, and on
//! the GPU cloud, `POST /v1/gpu-cloud/goal-seek`: one core solver
//! ([`goal_seek::goal_seek`]), generic over the model.

use infraval_core::error::AtField;
use infraval_core::goal_seek::{self, GoalSeekInput};
use infraval_core::gpu_cloud::{self, GpuCloudInput, GpuMetric, GpuVariable};
use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::gpu_cloud::GpuCloudRequest;
use crate::project::{
    metric_out, nested_project, rate_out, ratio_out, under, MetricName, ProjectRequest,
    VariableName, RATE_DECIMALS,
};
use crate::wire::{Bounds, Num, Wire, NESTED};
use crate::{bounds, num, Example, Examples};

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
        BracketWire::of(goal_seek::default_bracket(variable.into()))
    }

    /// The bracket searched when none is given on the GPU cloud: the
    /// core's [`gpu_cloud::gpu_default_bracket`] for the variable.
    pub fn default_for_gpu(variable: GpuVariableName) -> Self {
        BracketWire::of(gpu_cloud::gpu_default_bracket(variable.into()))
    }

    fn of((low, high): (Decimal, Decimal)) -> Self {
        BracketWire {
            low: Num::new(low),
            high: Num::new(high),
        }
    }

    /// The bracket given, each end checked against the variable's `range`.
    fn checked(
        bracket: Option<BracketWire>,
        range: Bounds,
    ) -> Result<Option<(Decimal, Decimal)>, CoreError> {
        bracket
            .map(|b| {
                range.check(b.low.get()).at("bracket.low")?;
                range.check(b.high.get()).at("bracket.high")?;
                Ok::<_, CoreError>((b.low.get(), b.high.get()))
            })
            .transpose()
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
        let bracket = BracketWire::checked(req.bracket, req.variable.bounds())?;
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
            bracket: BracketWire::searched(out),
            tolerance: out.tolerance.normalize().into(),
            iterations: out.iterations,
        }
    }
}

impl BracketWire {
    fn searched(out: &goal_seek::GoalSeek) -> Self {
        BracketWire {
            low: out.bracket.0.normalize().into(),
            high: out.bracket.1.normalize().into(),
        }
    }
}

/// Computes [`crate::operations::ColocationGoalSeek`].
pub fn goal_seek(input: GoalSeekInput) -> Result<GoalSeekResponse, CoreError> {
    let out = goal_seek::goal_seek(&input)?;
    Ok(GoalSeekResponse::new(&input, &out))
}

/// An input of the GPU cloud that goal seek can vary. Its range is that of
/// the GPU cloud field of the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GpuVariableName {
    /// Rent of a new GPU of the first fleet, USD per GPU-hour; a refresh
    /// renting at the same price (the default) moves with it, contracts
    /// and deliveries keep theirs. Default bracket [0.01, 100] (about 40
    /// times an H100's rent, and narrow enough that the IRR exists at the
    /// top end).
    #[default]
    PricePerGpuHour,
    /// Capex per GPU of the first fleet, USD; a refresh bought at the same
    /// capex (the default) moves with it, deliveries keep theirs. Default
    /// bracket [0, 1,000,000].
    CapexPerGpu,
    /// Spot utilisation once ramped (the project must give `utilization`,
    /// not `utilization_by_year`). Default bracket [0, 1].
    Utilization,
    /// Fall in the rent a year of a fleet's age. Default bracket [0, 1].
    PriceDeclinePerYear,
    /// Power price, USD per MWh. Default bracket [0, 10,000].
    PowerPricePerMwh,
    /// Discount rate (moves the NPV, not the IRR). Default bracket [0, 1].
    DiscountRate,
}

impl GpuVariableName {
    /// The range of the variable: that of the GPU cloud field of the same
    /// name. Goal-seek brackets are checked against it.
    pub fn bounds(self) -> Bounds {
        match self {
            GpuVariableName::PricePerGpuHour => bounds::PRICE_PER_GPU_HOUR,
            GpuVariableName::CapexPerGpu => bounds::CAPEX_PER_GPU,
            GpuVariableName::Utilization | GpuVariableName::PriceDeclinePerYear => bounds::FRACTION,
            GpuVariableName::PowerPricePerMwh => bounds::POWER_PRICE_PER_MWH,
            GpuVariableName::DiscountRate => bounds::DISCOUNT_RATE,
        }
    }

    /// The decimal places a solved value is rounded to: a rent to 6 like
    /// the yearly table's price, money to cents, fractions to 8 like
    /// rates.
    pub fn decimals(self) -> u32 {
        match self {
            GpuVariableName::PricePerGpuHour => 6,
            GpuVariableName::CapexPerGpu | GpuVariableName::PowerPricePerMwh => 2,
            GpuVariableName::Utilization
            | GpuVariableName::PriceDeclinePerYear
            | GpuVariableName::DiscountRate => RATE_DECIMALS,
        }
    }
}

impl From<GpuVariableName> for GpuVariable {
    fn from(v: GpuVariableName) -> Self {
        match v {
            GpuVariableName::PricePerGpuHour => GpuVariable::PricePerGpuHour,
            GpuVariableName::CapexPerGpu => GpuVariable::CapexPerGpu,
            GpuVariableName::Utilization => GpuVariable::Utilization,
            GpuVariableName::PriceDeclinePerYear => GpuVariable::PriceDeclinePerYear,
            GpuVariableName::PowerPricePerMwh => GpuVariable::PowerPricePerMwh,
            GpuVariableName::DiscountRate => GpuVariable::DiscountRate,
        }
    }
}

impl From<GpuVariable> for GpuVariableName {
    fn from(v: GpuVariable) -> Self {
        match v {
            GpuVariable::PricePerGpuHour => GpuVariableName::PricePerGpuHour,
            GpuVariable::CapexPerGpu => GpuVariableName::CapexPerGpu,
            GpuVariable::Utilization => GpuVariableName::Utilization,
            GpuVariable::PriceDeclinePerYear => GpuVariableName::PriceDeclinePerYear,
            GpuVariable::PowerPricePerMwh => GpuVariableName::PowerPricePerMwh,
            GpuVariable::DiscountRate => GpuVariableName::DiscountRate,
        }
    }
}

/// A result of the GPU cloud that goal seek can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GpuMetricName {
    /// Net present value, USD (tolerance 0.005).
    Npv,
    /// Internal rate of return (tolerance 1e-9).
    #[default]
    Irr,
    /// Payback, years (tolerance 1e-9).
    PaybackYears,
    /// Equity multiple (tolerance 1e-9).
    EquityMultiple,
}

impl From<GpuMetricName> for GpuMetric {
    fn from(m: GpuMetricName) -> Self {
        match m {
            GpuMetricName::Npv => GpuMetric::Npv,
            GpuMetricName::Irr => GpuMetric::Irr,
            GpuMetricName::PaybackYears => GpuMetric::PaybackYears,
            GpuMetricName::EquityMultiple => GpuMetric::EquityMultiple,
        }
    }
}

impl From<GpuMetric> for GpuMetricName {
    fn from(m: GpuMetric) -> Self {
        match m {
            GpuMetric::Npv => GpuMetricName::Npv,
            GpuMetric::Irr => GpuMetricName::Irr,
            GpuMetric::PaybackYears => GpuMetricName::PaybackYears,
            GpuMetric::EquityMultiple => GpuMetricName::EquityMultiple,
        }
    }
}

/// Solve one GPU cloud input for a target result.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct GpuGoalSeekRequest {
    /// The GPU cloud, as `POST /v1/gpu-cloud/project` takes it; the
    /// variable's value in it is replaced.
    #[wire(NESTED)]
    pub project: GpuCloudRequest,
    /// The input to solve for.
    pub variable: GpuVariableName,
    /// The result to hit.
    pub metric: GpuMetricName,
    /// Its target, in the metric's unit (a fraction for IRR).
    pub target: Num,
    /// The range searched, within the variable's range. Default per
    /// variable (see `GpuVariableName`); the answer states the one used.
    #[wire(NESTED, default_with = |r: &Self| Some(BracketWire::default_for_gpu(r.variable)))]
    pub bracket: Option<BracketWire>,
}

impl Examples for GpuGoalSeekRequest {
    fn examples() -> Vec<Example> {
        vec![Example {
            name: "price_for_twelve_percent",
            summary: "The $/GPU-hour (first fleet and its refreshes) that gives the Austin County fleet on its 4-year life a 12% IRR",
            body: json!({
                "project": GpuCloudRequest::austin_county(),
                "variable": "price_per_gpu_hour",
                "metric": "irr",
                "target": 0.12,
                "bracket": {"low": 0.5, "high": 10}
            }),
        }]
    }
}

impl TryFrom<GpuGoalSeekRequest> for GoalSeekInput<GpuCloudInput> {
    type Error = CoreError;

    fn try_from(req: GpuGoalSeekRequest) -> Result<Self, CoreError> {
        let bracket = BracketWire::checked(req.bracket, req.variable.bounds())?;
        let base = GpuCloudInput::try_from(req.project).map_err(|e| under("project", e))?;
        gpu_cloud::gpu_cloud(&base).map_err(|e| under("project", e))?;
        Ok(GoalSeekInput {
            base,
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
pub struct GpuGoalSeekResponse {
    /// The input solved for.
    pub variable: GpuVariableName,
    /// The result targeted.
    pub metric: GpuMetricName,
    /// The variable's value found, rounded (see `GpuVariableName`);
    /// `achieved` is the metric before that rounding.
    pub value: Num,
    /// The metric at that value (money in cents, rates to 8 decimals,
    /// years and multiples to 4).
    pub achieved: Num,
    /// The target asked for.
    pub target: Num,
    /// The range searched.
    pub bracket: BracketWire,
    /// |achieved − target| is within this (absolute): 0.005 USD for the
    /// NPV, 1e-9 for the others.
    pub tolerance: Num,
    /// Model runs inside the bracket.
    pub iterations: u32,
}

/// Computes [`crate::operations::GpuCloudGoalSeek`].
pub fn gpu_goal_seek(
    input: GoalSeekInput<GpuCloudInput>,
) -> Result<GpuGoalSeekResponse, CoreError> {
    let out = goal_seek::goal_seek(&input)?;
    Ok(GpuGoalSeekResponse {
        variable: input.variable.into(),
        metric: input.metric.into(),
        value: num::round(out.value, GpuVariableName::from(input.variable).decimals()),
        achieved: match input.metric {
            GpuMetric::Npv => num::cents(out.achieved),
            GpuMetric::Irr => rate_out(out.achieved),
            GpuMetric::PaybackYears | GpuMetric::EquityMultiple => ratio_out(out.achieved),
        },
        target: input.target.normalize().into(),
        bracket: BracketWire::searched(&out),
        tolerance: out.tolerance.normalize().into(),
        iterations: out.iterations,
    })
}
