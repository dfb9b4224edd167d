//! The infraval HTTP service: an actix-web front end over `infraval-core`.
//!
//! `main.rs` only wires things up; [`startup::Application`] builds the
//! server and [`startup::openapi`] the OpenAPI document, both from the one
//! route declaration in [`routes`].

pub mod auth;
pub mod compute;
pub mod config;
pub mod dispatch;
pub mod error;
pub mod extract;
pub mod json_log;
pub mod log_writer;
pub mod metrics;
pub mod openapi;
pub mod routes;
pub mod startup;
pub mod telemetry;
