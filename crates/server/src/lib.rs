//! The infraval HTTP service: an actix-web front end over `infraval-core`.
//!
//! `main.rs` only wires things up; [`startup::Application`] builds the
//! server and [`mount::openapi`] the OpenAPI document, both from the
//! operation list in `infraval-api`.

pub mod auth;
pub mod batch;
pub mod batch_file;
pub mod compute;
pub mod config;
pub mod docs;
pub mod error;
pub mod extract;
pub mod metrics;
pub mod mount;
pub mod negotiate;
pub mod openapi;
pub mod startup;
pub mod telemetry;
