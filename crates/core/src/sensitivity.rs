//! Sensitivity grids: the project model over every pair of values of two
//! inputs.

use rust_decimal::Decimal;

use crate::error::{AtField, CoreError, ValueError};
use crate::num::{capped_len, Checked};
use crate::project::{metrics_f64, Metric, ProjectInput, Variable};
use crate::Result;

/// The most cells (rows × columns) a grid may have.
pub const MAX_CELLS: usize = 10_000;
/// The most outputs a grid request may ask for (one per [`Metric`]).
pub const MAX_OUTPUTS: usize = 9;

/// One axis of the grid: an input and the values it takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The input varied.
    pub variable: Variable,
    /// Its values, in the order of the grid's rows or columns; at most
    /// [`MAX_CELLS`].
    pub values: Vec<Decimal>,
}

impl Axis {
    /// `steps` evenly spaced values from `from` to `to` inclusive:
    /// `from + i × (to − from) / (steps − 1)` for `i` in `0..steps`.
    /// `steps` in `[2, MAX_CELLS]`; `field` names the axis in errors.
    pub fn range(
        variable: Variable,
        from: Decimal,
        to: Decimal,
        steps: u32,
        field: &str,
    ) -> Result<Axis> {
        if steps < 2 {
            return Err(CoreError::invalid(
                format!("{field}.steps"),
                ValueError::BelowMinimum {
                    bound: 2.0,
                    value: steps.into(),
                },
            ));
        }
        if steps as usize > MAX_CELLS {
            return Err(CoreError::invalid(
                format!("{field}.steps"),
                ValueError::AboveMaximum {
                    bound: MAX_CELLS as f64,
                    value: steps.into(),
                },
            ));
        }
        let step = to
            .sub_or(from, "axis")?
            .div_or(Decimal::from(steps - 1), "axis")?;
        let mut values = Vec::with_capacity(steps as usize);
        for i in 0..steps - 1 {
            values.push(from.add_or(step.mul_or(Decimal::from(i), "axis")?, "axis")?);
        }
        // The last value is `to` exactly, not from + (steps-1) × rounded step.
        values.push(to);
        Ok(Axis { variable, values })
    }
}

/// The validated input of [`sensitivity`].
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityInput {
    /// The project every cell starts from.
    pub base: ProjectInput,
    /// The input varied down the rows.
    pub rows: Axis,
    /// The input varied across the columns.
    pub columns: Axis,
    /// The results wanted, one grid each; 1 to [`MAX_OUTPUTS`], no repeats.
    pub outputs: Vec<Metric>,
}

/// One output's grid: `cells[row][column]`, each a value or the error that
/// cell met (an IRR that does not exist, an out-of-range value, …).
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// The result shown.
    pub metric: Metric,
    /// Row-major cells.
    pub cells: Vec<Vec<Result<Decimal, CoreError>>>,
}

/// Runs the project model for every (row value, column value) pair.
///
/// # Method
/// Each cell is the base project with the row input and then the column
/// input set to that cell's values, run through the project model's `f64`
/// path ([`metrics_f64`]): the same code as [`crate::project::project`] in
/// binary floating point, which agrees with the exact model far below a
/// cent and is what makes a 100 × 100 grid answer in milliseconds. A cell that fails keeps its error and the
/// grid carries on; only a malformed request (too many cells, an input the
/// base lacks, the same input on both axes) fails the whole grid. Cost:
/// rows × columns model runs, at most [`MAX_CELLS`].
pub fn sensitivity(input: &SensitivityInput) -> Result<Vec<Grid>> {
    capped_len(&input.outputs, MAX_OUTPUTS).at("outputs")?;
    if input.outputs.is_empty() {
        return Err(CoreError::invalid("outputs", ValueError::Empty));
    }
    for (i, m) in input.outputs.iter().enumerate() {
        // bounded: i comes from enumerate, so i ≤ len.
        if input.outputs[..i].contains(m) {
            return Err(CoreError::Inconsistent {
                field: format!("outputs[{i}]"),
                reason: "each output may be asked for once",
            });
        }
    }
    for (axis, field) in [(&input.rows, "rows"), (&input.columns, "columns")] {
        capped_len(&axis.values, MAX_CELLS).at(format!("{field}.values"))?;
        if axis.values.is_empty() {
            return Err(CoreError::invalid(
                format!("{field}.values"),
                ValueError::Empty,
            ));
        }
        if let Some(reason) = axis.variable.unsupported_by(&input.base) {
            return Err(CoreError::Inconsistent {
                field: format!("{field}.variable"),
                reason,
            });
        }
    }
    if input.rows.variable == input.columns.variable {
        return Err(CoreError::Inconsistent {
            field: "columns.variable".into(),
            reason: "must differ from rows.variable",
        });
    }
    let cells = input
        .rows
        .values
        .len()
        .saturating_mul(input.columns.values.len());
    if cells > MAX_CELLS {
        return Err(CoreError::Inconsistent {
            field: "columns.values".into(),
            reason: "rows × columns must be at most 10,000 cells",
        });
    }

    let mut grids: Vec<Grid> = input
        .outputs
        .iter()
        .map(|&metric| Grid {
            metric,
            cells: Vec::with_capacity(input.rows.values.len()),
        })
        .collect();
    for &row_value in &input.rows.values {
        let mut row_base = input.base.clone();
        let row_set = input.rows.variable.set(&mut row_base, row_value);
        let mut rows: Vec<Vec<Result<Decimal, CoreError>>> = grids
            .iter()
            .map(|_| Vec::with_capacity(input.columns.values.len()))
            .collect();
        for &column_value in &input.columns.values {
            let outcome = row_set.clone().and_then(|()| {
                let mut cell = row_base.clone();
                input.columns.variable.set(&mut cell, column_value)?;
                metrics_f64(&cell, &input.outputs)
            });
            match outcome {
                Ok(values) => {
                    for (row, value) in rows.iter_mut().zip(values) {
                        row.push(value);
                    }
                }
                Err(e) => {
                    for row in rows.iter_mut() {
                        row.push(Err(e.clone()));
                    }
                }
            }
        }
        for (grid, row) in grids.iter_mut().zip(rows) {
            grid.cells.push(row);
        }
    }
    Ok(grids)
}

#[cfg(test)]
mod tests {
    use approx::assert_relative_eq;
    use rust_decimal_macros::dec;

    use super::*;
    use crate::num::to_f64;
    use crate::project::tests::sandersville;
    use crate::tolerance::F64_ROUNDING_REL;

    fn grid(rows: Axis, columns: Axis, outputs: Vec<Metric>) -> Result<Vec<Grid>> {
        sensitivity(&SensitivityInput {
            base: sandersville(),
            rows,
            columns,
            outputs,
        })
    }

    #[test]
    fn a_range_axis_is_evenly_spaced_and_ends_exactly() {
        let a = Axis::range(Variable::RatePerKwMonth, dec!(100), dec!(200), 5, "rows").unwrap();
        assert_eq!(
            a.values,
            vec![dec!(100), dec!(125), dec!(150), dec!(175), dec!(200)]
        );
        let err = Axis::range(Variable::RatePerKwMonth, dec!(1), dec!(2), 1, "rows").unwrap_err();
        assert_eq!(err.field(), Some("rows.steps"));
    }

    #[test]
    fn each_cell_is_the_model_run_at_its_pair_of_values() {
        // Yield on cost = rate × 3,000,000 / (cost × 250):
        // 100 × 3M / (8M × 250) = 0.15; 200 × 3M / (12M × 250) = 0.2.
        let rows = Axis {
            variable: Variable::RatePerKwMonth,
            values: vec![dec!(100), dec!(200)],
        };
        let columns = Axis {
            variable: Variable::CostPerMw,
            values: vec![dec!(8000000), dec!(12000000)],
        };
        let out = grid(rows, columns, vec![Metric::YieldOnCost, Metric::Arr]).unwrap();
        let near = |cell: &Result<Decimal>, expected: Decimal| {
            let v = cell.clone().unwrap();
            assert_relative_eq!(to_f64(v), to_f64(expected), max_relative = F64_ROUNDING_REL);
        };
        near(&out[0].cells[0][0], dec!(0.15));
        near(&out[0].cells[1][1], dec!(0.2));
        // ARR = 250,000 × 200 × 12 = 600M, whatever the cost.
        near(&out[1].cells[1][0], dec!(600000000));
    }

    #[test]
    fn a_failing_cell_keeps_its_error_and_the_grid_carries_on() {
        // A zero rate is out of range; the other cells still compute.
        let rows = Axis {
            variable: Variable::RatePerKwMonth,
            values: vec![dec!(0), dec!(100)],
        };
        let columns = Axis {
            variable: Variable::DiscountRate,
            values: vec![dec!(0.05), dec!(-2)],
        };
        let out = grid(rows, columns, vec![Metric::Npv]).unwrap();
        let cells = &out[0].cells;
        assert_eq!(
            cells[0][0].as_ref().unwrap_err().field(),
            Some("rate_per_kw_month")
        );
        assert!(cells[1][0].is_ok());
        assert_eq!(
            cells[1][1].as_ref().unwrap_err().field(),
            Some("discount_rate")
        );
    }

    #[test]
    fn more_than_ten_thousand_cells_are_refused() {
        let rows =
            Axis::range(Variable::RatePerKwMonth, dec!(100), dec!(200), 101, "rows").unwrap();
        let columns = Axis::range(Variable::CostPerMw, dec!(1), dec!(2), 100, "columns").unwrap();
        let err = grid(rows, columns, vec![Metric::Npv]).unwrap_err();
        assert_eq!(err.field(), Some("columns.values"));
    }

    #[test]
    fn the_same_input_on_both_axes_is_refused() {
        let axis = Axis {
            variable: Variable::CostPerMw,
            values: vec![dec!(1)],
        };
        let err = grid(axis.clone(), axis, vec![Metric::Npv]).unwrap_err();
        assert_eq!(err.field(), Some("columns.variable"));
    }
}
