//! The errors of the valuation core.
//!
//! The core knows nothing of HTTP: the server maps each variant to a status
//! and a stable machine code in one exhaustive `match`. The enums are
//! deliberately not `#[non_exhaustive]`: inside this workspace a new variant
//! should stop the server from compiling until it is given a status.

use std::borrow::Cow;

use chrono::NaiveDate;

/// A field's name or path in the request: borrowed where the code names it
/// (`rate_per_kw_month`), owned once prefixed with the path of the object it
/// sits in (`scenarios[2].data_centers[0].development.rate_per_kw_month`).
pub type FieldName = Cow<'static, str>;

/// What is wrong with a single value, before we know which field it came from.
///
/// Bounds are carried as `f64` for display only; the check itself is done
/// on the value's own type.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValueError {
    /// NaN or an infinity.
    #[error("must be a finite number, got {value}")]
    NotFinite {
        /// The offending value.
        value: f64,
    },
    /// The value must be strictly greater than `bound`.
    #[error("must be greater than {bound}, got {value}")]
    NotAbove {
        /// The exclusive lower bound.
        bound: f64,
        /// The offending value.
        value: f64,
    },
    /// The value must be at least `bound`.
    #[error("must be at least {bound}, got {value}")]
    BelowMinimum {
        /// The inclusive lower bound.
        bound: f64,
        /// The offending value.
        value: f64,
    },
    /// The value must be at most `bound`.
    #[error("must be at most {bound}, got {value}")]
    AboveMaximum {
        /// The inclusive upper bound.
        bound: f64,
        /// The offending value.
        value: f64,
    },
    /// The value must be strictly less than `bound`.
    #[error("must be less than {bound}, got {value}")]
    NotBelow {
        /// The exclusive upper bound.
        bound: f64,
        /// The offending value.
        value: f64,
    },
    /// A fraction written as a percentage (9 for 0.09): above the range,
    /// while the value divided by 100 lies within it.
    #[error("is a fraction: {value} means {percent}%; did you mean {suggestion}?")]
    PercentForFraction {
        /// The offending value.
        value: f64,
        /// The value read as a fraction, in percent (`value × 100`).
        percent: f64,
        /// `value / 100`, which lies within the range.
        suggestion: f64,
    },
    /// A value outside a fixed set, such as the coupon frequencies.
    #[error("must be one of {}, got {value}", join_numbers(.allowed))]
    NotOneOf {
        /// The values allowed.
        allowed: &'static [i64],
        /// The offending value.
        value: i64,
    },
    /// A list longer than its documented cap.
    #[error("has {len} items; at most {cap} are allowed")]
    TooLong {
        /// The list's length.
        len: usize,
        /// The documented cap.
        cap: usize,
    },
    /// A list that must have at least one item.
    #[error("must not be empty")]
    Empty,
    /// A list that must be strictly increasing.
    #[error("must be strictly increasing")]
    NotIncreasing,
}

impl ValueError {
    /// `value` outside `[min, max]`: below the minimum or above the maximum.
    pub fn outside(value: f64, min: f64, max: f64) -> Self {
        if value < min {
            ValueError::BelowMinimum { bound: min, value }
        } else {
            ValueError::AboveMaximum { bound: max, value }
        }
    }
}

/// Every way a core computation can refuse its input or fail.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoreError {
    /// One field's value breaks a rule.
    #[error("`{field}` {error}")]
    InvalidValue {
        /// The field's path in the request, e.g. `phases[2].it_capacity_mw`.
        field: String,
        /// What is wrong with it.
        error: ValueError,
    },
    /// Of a group of alternative fields, exactly one (or one set) must be given.
    #[error("give exactly one of {}; got {}", join(.expected), if .given.is_empty() { "none".to_string() } else { join(.given) })]
    ExactlyOneOf {
        /// The alternatives, each one field or a `+`-joined set of fields.
        expected: Vec<FieldName>,
        /// The alternatives that were given.
        given: Vec<FieldName>,
    },
    /// A field that only makes sense together with another.
    #[error("`{field}` requires `{requires}`")]
    MissingDependency {
        /// The field that was given.
        field: FieldName,
        /// The field it needs.
        requires: FieldName,
    },
    /// Fields that are each valid but contradict each other.
    #[error("`{field}`: {reason}")]
    Inconsistent {
        /// The field at fault.
        field: String,
        /// Why, in words.
        reason: &'static str,
    },
    /// Two dates in the wrong order.
    #[error("`{field}` ({date}) must be {relation} `{other_field}` ({other})")]
    DateOrder {
        /// The field at fault.
        field: String,
        /// Its value.
        date: NaiveDate,
        /// `after`, `on or after`, `before` or `on or before`.
        relation: &'static str,
        /// The field it is compared with.
        other_field: &'static str,
        /// That field's value.
        other: NaiveDate,
    },
    /// A checked Decimal operation overflowed (or divided by zero).
    #[error("arithmetic overflow while computing {quantity}: the inputs are too large")]
    Overflow {
        /// What was being computed.
        quantity: &'static str,
    },
    /// A solver found no root, or the problem has none.
    #[error("no solution for {quantity}: {reason}")]
    NoSolution {
        /// What was being solved for.
        quantity: &'static str,
        /// Why there is none.
        reason: &'static str,
    },
    /// A target outside what the model can reach.
    #[error(
        "target {quantity} {target} is outside the attainable range [{min}, {max}]{}",
        moved_ends(.moved)
    )]
    Unattainable {
        /// What was being solved for.
        quantity: &'static str,
        /// The requested target.
        target: f64,
        /// The lowest attainable value.
        min: f64,
        /// The highest attainable value.
        max: f64,
        /// The ends of the searched range at which the model could not be
        /// evaluated, each moved inward to where it could.
        moved: Vec<MovedEnd>,
    },
    /// A solved input whose solution, if any, lies outside the range the
    /// input may take: no value of `field` in `[low, high]` reproduces the
    /// target.
    #[error(
        "no `{field}` in [{low}, {high}] (the range `{field}` may take) reproduces {quantity} {target}: over that range it reaches [{min}, {max}]{}",
        moved_ends(.moved)
    )]
    SolutionOutOfRange {
        /// The solved input.
        field: &'static str,
        /// The lowest value searched, in `field`'s unit.
        low: f64,
        /// The highest value searched.
        high: f64,
        /// The target's name.
        quantity: &'static str,
        /// The requested target.
        target: f64,
        /// The lowest target value reached over the range.
        min: f64,
        /// The highest target value reached over the range.
        max: f64,
        /// The ends of the range at which the model could not be evaluated,
        /// each moved inward to where it could.
        moved: Vec<MovedEnd>,
    },
}

fn join_numbers(values: &[i64]) -> String {
    let text: Vec<String> = values.iter().map(i64::to_string).collect();
    match text.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => text.concat(),
    }
}

/// An end of a searched range moved inward because the model could not be
/// evaluated there (see [`CoreError::Unattainable`]).
#[derive(Debug, Clone, PartialEq)]
pub struct MovedEnd {
    /// `"low"` or `"high"`.
    pub end: &'static str,
    /// Where the end was, in the solved quantity's unit.
    pub from: f64,
    /// Where the model could first be evaluated, moving inward.
    pub to: f64,
    /// Why it could not at `from`.
    pub reason: Box<CoreError>,
}

fn moved_ends(moved: &[MovedEnd]) -> String {
    moved
        .iter()
        .map(|m| {
            format!(
                "; the {} end moved from {} to {}, as at {} {}",
                m.end, m.from, m.to, m.from, m.reason
            )
        })
        .collect()
}

fn join(names: &[FieldName]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl CoreError {
    /// The field at fault, where a single field is.
    pub fn field(&self) -> Option<&str> {
        match self {
            CoreError::InvalidValue { field, .. }
            | CoreError::Inconsistent { field, .. }
            | CoreError::DateOrder { field, .. } => Some(field),
            CoreError::MissingDependency { field, .. } => Some(field),
            CoreError::SolutionOutOfRange { field, .. } => Some(field),
            CoreError::ExactlyOneOf { .. }
            | CoreError::Overflow { .. }
            | CoreError::NoSolution { .. }
            | CoreError::Unattainable { .. } => None,
        }
    }

    /// Shorthand for [`CoreError::ExactlyOneOf`], from the names as the
    /// code writes them.
    pub fn exactly_one_of(expected: &[&'static str], given: &[&'static str]) -> Self {
        let names = |names: &[&'static str]| names.iter().copied().map(Cow::Borrowed).collect();
        CoreError::ExactlyOneOf {
            expected: names(expected),
            given: names(given),
        }
    }

    /// Shorthand for [`CoreError::MissingDependency`].
    pub fn missing_dependency(field: &'static str, requires: &'static str) -> Self {
        CoreError::MissingDependency {
            field: Cow::Borrowed(field),
            requires: Cow::Borrowed(requires),
        }
    }

    /// Shorthand for [`CoreError::InvalidValue`].
    pub fn invalid(field: impl Into<String>, error: ValueError) -> Self {
        CoreError::InvalidValue {
            field: field.into(),
            error,
        }
    }
}

/// Attaches a field name to a [`ValueError`].
pub trait AtField<T> {
    /// Turns `Err(value_error)` into `Err(CoreError::InvalidValue { field, .. })`.
    fn at(self, field: impl Into<String>) -> Result<T, CoreError>;
}

impl<T> AtField<T> for Result<T, ValueError> {
    fn at(self, field: impl Into<String>) -> Result<T, CoreError> {
        self.map_err(|error| CoreError::invalid(field, error))
    }
}
