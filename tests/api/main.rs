//! End-to-end tests: the real app on a free port, called over HTTP.
//!
//! Set `TEST_LOG=1` to see the server's logs.

mod batch;
mod batch_cli;
mod build_cost;
mod charts;
mod client;
mod colocation;
mod contract;
mod conversion;
mod convertible_pricing;
mod convertibles;
mod desk;
mod errors;
mod gpu_cloud;
mod health;
mod helpers;
mod hostile;
mod mining;
mod openapi;
mod operations;
mod provenance;
mod readme;
mod resilience;
mod shutdown;
mod valuations;
