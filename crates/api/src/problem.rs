//! The one error body of the API: RFC 9457 problem details.

use infraval_core::{CoreError, ValueError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The media type of every error response.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error, as RFC 9457 `application/problem+json`.
///
/// `code` is stable and machine-readable: match on it, not on `title` or
/// `detail`. `field` names the request field at fault, as a path such as
/// `phases[2].it_capacity_mw`, when a single field is. When fields are at
/// fault, `errors` lists every one found (the request's fields are each
/// checked against their ranges before anything else), and the top-level
/// `detail`, `code` and `field` repeat the first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the problem type: `/problems/{code}`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// A short, human-readable summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong with this request, in words.
    pub detail: String,
    /// The stable machine code, e.g. `out_of_range`, `unknown_field`.
    pub code: String,
    /// The request field at fault, where a single field is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The request id, as echoed in the `X-Request-Id` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Every field at fault, in the order of the request's fields; absent
    /// when no field is.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

/// One field at fault.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FieldProblem {
    /// The field's path: `phases[2].it_capacity_mw`.
    pub field: String,
    /// The stable machine code, as the problem's `code`.
    pub code: String,
    /// What is wrong with it, in words.
    pub detail: String,
}

/// The stable code and the title of a core error: one exhaustive match, with
/// no catch-all arm, used by the server's problem bodies and by the
/// sensitivity grid's per-cell errors alike. Every core error is a 422.
pub fn core_code_and_title(err: &CoreError) -> (&'static str, &'static str) {
    match err {
        CoreError::InvalidValue { error, .. } => match error {
            ValueError::NotFinite { .. } => ("not_finite", "A value is not finite"),
            ValueError::NotAbove { .. }
            | ValueError::BelowMinimum { .. }
            | ValueError::AboveMaximum { .. }
            | ValueError::NotBelow { .. }
            | ValueError::PercentForFraction { .. } => ("out_of_range", "A value is out of range"),
            ValueError::NotOneOf { .. } => ("invalid_value", "A value is not one of those allowed"),
            ValueError::TooLong { .. } => ("too_many_items", "A list is over its cap"),
            ValueError::Empty => ("empty_list", "A list is empty"),
            ValueError::NotIncreasing => ("not_increasing", "A list is not in increasing order"),
        },
        CoreError::ExactlyOneOf { .. } => {
            ("exactly_one_of", "Give exactly one of the alternatives")
        }
        CoreError::MissingDependency { .. } => {
            ("missing_dependency", "A field needs another field")
        }
        CoreError::Inconsistent { .. } => ("inconsistent", "Fields contradict each other"),
        CoreError::DateOrder { .. } => ("date_order", "Dates are in the wrong order"),
        CoreError::Overflow { .. } => ("overflow", "The inputs are too large to compute with"),
        CoreError::NoSolution { .. } => ("no_solution", "No solution exists"),
        CoreError::Unattainable { .. } => (
            "target_unattainable",
            "The target is outside the attainable range",
        ),
        CoreError::SolutionOutOfRange { .. } => (
            "solution_out_of_range",
            "No value in the solved field's range reproduces the target",
        ),
    }
}
