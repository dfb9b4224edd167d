//! Sensitivity grids of the project model: `POST /v1/colocation/sensitivity`.

use infraval_core::error::AtField;
use infraval_core::sensitivity::{self, Axis, SensitivityInput};
use infraval_core::CoreError;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::project::{metric_out, nested_project, MetricName, ProjectRequest, VariableName};
use crate::wire::{Int, Num, Wire, NESTED};
use crate::{bounds, Example, Examples};

/// Evenly spaced values: `from` to `to` in `steps` equal steps, both ends
/// included (`steps + 1` values), as everywhere a range is given.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"from": 100, "to": 200, "steps": 10}))]
pub struct RangeWire {
    /// First value, within the variable's range.
    pub from: Num,
    /// Last value, within the variable's range.
    pub to: Num,
    /// Equal steps from `from` to `to`.
    #[wire(bounds::AXIS_STEPS)]
    pub steps: Int,
}

/// One axis of a sensitivity grid: an input and its values.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"variable": "rate_per_kw_month", "range": {"from": 100, "to": 200, "steps": 10}}))]
pub struct AxisRequest {
    /// The input varied.
    pub variable: VariableName,
    /// Its values, each within the variable's range (that of the project
    /// field of the same name). Give this or `range`.
    #[wire(bounds::AXIS_VALUES)]
    pub values: Option<Vec<Num>>,
    /// Evenly spaced values. Give this or `values`.
    #[wire(NESTED)]
    pub range: Option<RangeWire>,
}

impl AxisRequest {
    fn into_axis(self, field: &'static str) -> Result<Axis, CoreError> {
        let variable = self.variable.into();
        let range = self.variable.bounds();
        match (self.values, self.range) {
            (Some(values), None) => {
                for (i, v) in values.iter().enumerate() {
                    range.check(v.get()).at(format!("{field}.values[{i}]"))?;
                }
                Ok(Axis {
                    variable,
                    values: values.into_iter().map(Num::get).collect(),
                })
            }
            (None, Some(r)) => {
                range
                    .check(r.from.get())
                    .at(format!("{field}.range.from"))?;
                range.check(r.to.get()).at(format!("{field}.range.to"))?;
                // `steps` equal steps give `steps + 1` values.
                let values = r.steps.to_u32().saturating_add(1);
                Axis::range(
                    variable,
                    r.from.get(),
                    r.to.get(),
                    values,
                    &format!("{field}.range"),
                )
            }
            (values, range) => Err(CoreError::exactly_one_of(
                &[values_field(field), range_field(field)],
                &[
                    values.is_some().then(|| values_field(field)),
                    range.is_some().then(|| range_field(field)),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>(),
            )),
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
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct SensitivityRequest {
    /// The project every cell starts from.
    #[wire(NESTED)]
    pub project: ProjectRequest,
    /// The input varied down the rows.
    #[wire(NESTED)]
    pub rows: AxisRequest,
    /// The input varied across the columns; rows × columns ≤ 10,000.
    #[wire(NESTED)]
    pub columns: AxisRequest,
    /// The results wanted, one grid each, no repeats.
    #[wire(bounds::OUTPUTS)]
    pub outputs: Vec<MetricName>,
}

impl Examples for SensitivityRequest {
    fn examples() -> Vec<Example> {
        vec![Example {
            name: "rent_by_cost",
            summary:
                "IRR, NPV and yield on cost of the Sandersville project by rent and build cost",
            body: json!({
                "project": ProjectRequest::sandersville(),
                "rows": {"variable": "rate_per_kw_month", "range": {"from": 100, "to": 160, "steps": 3}},
                "columns": {"variable": "cost_per_mw", "values": [8000000, 10000000, 12000000]},
                "outputs": ["irr", "npv", "yield_on_cost"]
            }),
        }]
    }
}

impl TryFrom<SensitivityRequest> for SensitivityInput {
    type Error = CoreError;

    fn try_from(req: SensitivityRequest) -> Result<Self, CoreError> {
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
    pub values: Vec<Num>,
}

/// One cell: a value, or the stable code of the error this cell met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"value": 0.1234}))]
pub struct CellResponse {
    /// The metric (money in cents, rates to 8 decimals, years and
    /// multiples to 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Num>,
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
                values: input
                    .rows
                    .values
                    .iter()
                    .map(|v| v.normalize().into())
                    .collect(),
            },
            columns: AxisResponse {
                variable: input.columns.variable.into(),
                values: input
                    .columns
                    .values
                    .iter()
                    .map(|v| v.normalize().into())
                    .collect(),
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
            values: Some(vec![dec!(1).into()]),
            range: Some(RangeWire {
                from: dec!(1).into(),
                to: dec!(2).into(),
                steps: 2.into(),
            }),
        };
        assert!(matches!(
            axis.into_axis("rows"),
            Err(CoreError::ExactlyOneOf { .. })
        ));
    }
}
