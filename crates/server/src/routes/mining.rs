//! Bitcoin-mining production economics and monthly projections.

use actix_web::{post, web::Json};
use infraval_api::mining::{
    ProductionRequest, ProductionResponse, ProjectionRequest, ProjectionResponse,
};
use infraval_core::mining::{self, ProductionInput, ProjectionInput};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::dispatch::ApiRoutes;
use crate::error::ApiError;
use crate::extract::ValidJson;

/// Registers the mining routes.
pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(production).service(projection);
}

/// Registers these routes with the direct path ([`crate::dispatch`]).
pub(crate) fn direct(routes: &mut ApiRoutes) {
    routes
        .inline("/v1/mining/production", answer_production)
        .inline("/v1/mining/projection", answer_projection);
}

/// Production and unit economics of a mining fleet.
///
/// `btc_per_day = fleet / network × 144 × (subsidy + fees) × uptime × (1 − pool_fee)`,
/// with the network from its hashrate or from `difficulty × 2^32 / 600`,
/// and the subsidy given or `50 × 2^−⌊height / 210,000⌋`. With a BTC
/// price, an efficiency (or power draw) and a power price it adds
/// hashprice, hashcost (`J/TH × $/MWh × 24 / 1,000` per PH/s per day),
/// power cost, cost per BTC, breakevens and the daily margin. Bitcoin is
/// rounded to satoshis, money to cents.
#[utoipa::path(
    tag = "mining",
    request_body = ProductionRequest,
    responses((status = 200, description = "The fleet's production and unit economics", body = ProductionResponse))
)]
#[post("/mining/production")]
async fn production(
    body: ValidJson<ProductionRequest>,
) -> Result<Json<ProductionResponse>, ApiError> {
    answer_production(body.into_inner()).map(Json)
}

/// What [`production`] answers; the direct path ([`crate::dispatch`]) calls it too.
pub(crate) fn answer_production(body: ProductionRequest) -> Result<ProductionResponse, ApiError> {
    let input = ProductionInput::try_from(body)?;
    let out = mining::production(&input)?;
    Ok(ProductionResponse::from(&out))
}

/// A monthly projection of bitcoin mined, revenue, power cost and margin.
///
/// Up to 120 calendar months from `start_date`. The network grows by a
/// monthly rate or follows a hashrate or difficulty path; the fleet grows
/// by monthly additions; the subsidy halves every 210,000 blocks at 144
/// blocks a day from the block height (or from a given halving date), and
/// a month with a halving is split at the halving day; the BTC price is
/// flat, grows monthly, or follows a list.
#[utoipa::path(
    tag = "mining",
    request_body = ProjectionRequest,
    responses((status = 200, description = "The monthly table and its totals", body = ProjectionResponse))
)]
#[post("/mining/projection")]
async fn projection(
    body: ValidJson<ProjectionRequest>,
) -> Result<Json<ProjectionResponse>, ApiError> {
    answer_projection(body.into_inner()).map(Json)
}

/// What [`projection`] answers; the direct path ([`crate::dispatch`]) calls it too.
pub(crate) fn answer_projection(body: ProjectionRequest) -> Result<ProjectionResponse, ApiError> {
    let input = ProjectionInput::try_from(body)?;
    let out = mining::projection(&input)?;
    Ok(ProjectionResponse::from(&out))
}
