//! Sensitivity grids of the project model: `POST /v1/colocation/sensitivity`.

use infraval_core::error::AtField;
use infraval_core::sensitivity::{self, Axis, SensitivityInput};
use infraval_core::{CoreError, ValueError};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::num;
use crate::project::{metric_out, nested_project, MetricName, ProjectRequest, VariableName};

/// Evenly spaced values: `steps` points from `from` to `to` inclusive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"from": 100, "to": 200, "steps": 11}))]
pub struct RangeWire {
    /// First value.
    #[serde(with = "num::decimal")]
    #[schema(example = 100)]
    pub from: Decimal,
    /// Last value.
    #[serde(with = "num::decimal")]
    #[schema(example = 200)]
    pub to: Decimal,
    /// Number of values, 2 to 10,000.
    #[schema(example = 11, minimum = 2, maximum = 10000)]
    pub steps: u32,
}

/// One axis of a sensitivity grid: an input and its values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"variable": "rate_per_kw_month", "range": {"from": 100, "to": 200, "steps": 11}}))]
pub struct AxisRequest {
    /// The input varied.
    pub variable: VariableName,
    /// Its values, at most 10,000. Give this or `range`.
    #[serde(
        default,
        with = "num::opt_decimal_vec",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Vec<f64>>, example = json!([100, 133.33, 160]))]
    pub values: Option<Vec<Decimal>>,
    /// Evenly spaced values. Give this or `values`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<RangeWire>,
}

impl AxisRequest {
    fn into_axis(self, field: &'static str) -> Result<Axis, CoreError> {
        let variable = self.variable.into();
        match (self.values, self.range) {
            (Some(values), None) => {
                infraval_core::num::capped_len(&values, sensitivity::MAX_CELLS)
                    .at(format!("{field}.values"))?;
                Ok(Axis { variable, values })
            }
            (None, Some(r)) => {
                Axis::range(variable, r.from, r.to, r.steps, &format!("{field}.range"))
            }
            (values, range) => Err(CoreError::ExactlyOneOf {
                expected: vec![values_field(field), range_field(field)],
                given: [
                    values.is_some().then(|| values_field(field)),
                    range.is_some().then(|| range_field(field)),
                ]
                .into_iter()
                .flatten()
                .collect(),
            }),
        }
    }
}

fn values_field(axis: &str) -> &'static str {
    if axis == "rows" {
        "rows.values"
    } else {
        "columns.values"
    }
}

fn range_field(axis: &str) -> &'static str {
    if axis == "rows" {
        "rows.range"
    } else {
        "columns.range"
    }
}

/// The project model over a grid of two inputs.
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
    "rows": {"variable": "rate_per_kw_month", "range": {"from": 100, "to": 160, "steps": 4}},
    "columns": {"variable": "cost_per_mw", "values": [8000000, 10000000, 12000000]},
    "outputs": ["irr", "npv", "yield_on_cost"]
}))]
pub struct SensitivityRequest {
    /// The project every cell starts from.
    pub project: ProjectRequest,
    /// The input varied down the rows.
    pub rows: AxisRequest,
    /// The input varied across the columns; rows × columns ≤ 10,000.
    pub columns: AxisRequest,
    /// The results wanted, one grid each, 1 to 9, no repeats.
    pub outputs: Vec<MetricName>,
}

impl TryFrom<SensitivityRequest> for SensitivityInput {
    type Error = CoreError;

    fn try_from(req: SensitivityRequest) -> Result<Self, CoreError> {
        infraval_core::num::capped_len(&req.outputs, sensitivity::MAX_OUTPUTS).at("outputs")?;
        if req.outputs.is_empty() {
            return Err(CoreError::invalid("outputs", ValueError::Empty));
        }
        Ok(SensitivityInput {
            rows: req.rows.into_axis("rows")?,
            columns: req.columns.into_axis("columns")?,
            outputs: req.outputs.into_iter().map(Into::into).collect(),
            base: nested_project(req.project)?,
        })
    }
}

/// One axis of the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AxisResponse {
    /// The input varied.
    pub variable: VariableName,
    /// Its values, in grid order.
    #[serde(with = "num::decimal_vec")]
    #[schema(value_type = Vec<f64>, example = json!([100, 120, 140, 160]))]
    pub values: Vec<Decimal>,
}

/// One cell: a value, or the stable code of the error this cell met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"value": 0.1234}))]
pub struct CellResponse {
    /// The metric (money in cents, rates to 8 decimals, years and
    /// multiples to 4).
    #[serde(
        default,
        with = "num::opt_decimal",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(example = 0.1234)]
    pub value: Option<Decimal>,
    /// The error code (`no_solution`, `out_of_range`, `overflow`, …) when
    /// the cell has no value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "no_solution")]
    pub error: Option<String>,
}

/// One output's grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GridResponse {
    /// The result shown.
    pub output: MetricName,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<CellResponse>>,
}

/// The grids, with their axes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SensitivityResponse {
    /// The row axis.
    pub rows: AxisResponse,
    /// The column axis.
    pub columns: AxisResponse,
    /// One grid per requested output, in request order.
    pub grids: Vec<GridResponse>,
}

/// The stable code of a core error, as in the problem+json `code`.
pub fn error_code(err: &CoreError) -> &'static str {
    crate::problem::core_code_and_title(err).0
}

impl SensitivityResponse {
    /// Builds the response from the input and the grids.
    pub fn new(input: &SensitivityInput, grids: Vec<sensitivity::Grid>) -> Self {
        SensitivityResponse {
            rows: AxisResponse {
                variable: input.rows.variable.into(),
                values: input.rows.values.iter().map(|v| v.normalize()).collect(),
            },
            columns: AxisResponse {
                variable: input.columns.variable.into(),
                values: input.columns.values.iter().map(|v| v.normalize()).collect(),
            },
            grids: grids
                .into_iter()
                .map(|grid| GridResponse {
                    output: grid.metric.into(),
                    cells: grid
                        .cells
                        .into_iter()
                        .map(|row| {
                            row.into_iter()
                                .map(|cell| match cell {
                                    Ok(v) => CellResponse {
                                        value: Some(metric_out(grid.metric, v)),
                                        error: None,
                                    },
                                    Err(e) => CellResponse {
                                        value: None,
                                        error: Some(error_code(&e).to_owned()),
                                    },
                                })
                                .collect()
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// Computes [`crate::operations::ColocationSensitivity`].
pub fn sensitivity(input: SensitivityInput) -> Result<SensitivityResponse, CoreError> {
    let grids = sensitivity::sensitivity(&input)?;
    Ok(SensitivityResponse::new(&input, grids))
}

/// The work of a grid: a unit per 100 cells (each cell is one run of the
/// project model, tens of microseconds).
pub fn sensitivity_work_units(input: &SensitivityInput) -> u64 {
    let cells = input.rows.values.len() * input.columns.values.len();
    u64::try_from(cells.div_ceil(100)).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn an_axis_with_both_values_and_a_range_is_refused() {
        let axis = AxisRequest {
            variable: VariableName::CostPerMw,
            values: Some(vec![dec!(1)]),
            range: Some(RangeWire {
                from: dec!(1),
                to: dec!(2),
                steps: 2,
            }),
        };
        assert!(matches!(
            axis.into_axis("rows"),
            Err(CoreError::ExactlyOneOf { .. })
        ));
    }
}
