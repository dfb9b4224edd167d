//! The wire types of the infraval HTTP API, and their conversion into
//! validated core types.
//!
//! Every operation is declared once, in [`operations`]; [`operation`]
//! says what a declaration provides and keeps the registry by id.
//!
//! Data goes one way: JSON → a request type here → (`TryFrom`, validated)
//! a core type → a core function → a core result → a response type here
//! (`From`) → JSON. Every request type rejects unknown fields, so a typo in
//! a field name is an error, never a silent default.
//!
//! # Numbers
//! Every number on the wire is a JSON number; numbers written as strings
//! are refused (see [`num`]). Money and share counts are carried as
//! [`rust_decimal::Decimal`] inside the service. Each numeric field's range
//! is declared once, in [`bounds`], and read by both the OpenAPI schema and
//! the check every request passes before it is converted ([`wire`]).

// The `Wire` derive names this crate by its path, here as everywhere.
extern crate self as infraval_api;

pub mod batch;
pub mod bounds;
pub mod build_cost;
pub mod chart;
pub mod colocation;
pub mod conversion;
pub mod convertible;
pub mod financing;
pub mod goal_seek;
pub mod gpu_cloud;
pub mod health;
pub mod json;
pub mod lease;
pub mod mining;
pub mod num;
pub mod operation;
pub mod operations;
pub mod problem;
pub mod project;
pub mod provenance;
pub mod sensitivity;
pub mod valuation;
pub mod wire;

pub use operation::{
    find, operations, AnyOperation, Example, Examples, Operation, OperationError, Runs,
};
pub use problem::Problem;
