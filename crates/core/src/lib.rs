//! The valuation core of infraval: pure functions over validated types.
//!
//! No HTTP, no I/O, no serialisation. Money and share counts are
//! [`rust_decimal::Decimal`] with checked arithmetic (see [`num::Checked`]);
//! stochastic pricing uses `f64`.
//!
//! Inputs are validated once, into types whose fields are private, by the
//! constructors in [`num`]; every failure is a [`CoreError`] that names the
//! field at fault.

pub mod build_cost;
pub mod cash_flow;
pub mod colocation;
pub mod conversion;
pub mod convertible;
pub mod error;
pub mod financing;
pub mod goal_seek;
pub mod gpu_cloud;
pub mod lease;
pub mod mining;
pub mod num;
pub mod project;
pub mod sensitivity;
pub mod solve;
pub mod tolerance;
pub mod valuation;

pub use error::{CoreError, FieldName, ValueError};

/// The result type of every fallible core function.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;
