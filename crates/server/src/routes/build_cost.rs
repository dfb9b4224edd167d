//! Build cost of a data-center site.

use actix_web::{post, web::Json};
use infraval_api::build_cost::{BuildCostRequest, BuildCostResponse};
use infraval_core::build_cost::{self, BuildCostInput};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::dispatch::ApiRoutes;
use crate::error::ApiError;
use crate::extract::ValidJson;

/// Registers the build-cost route.
pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(build_cost_schedule);
}

/// Registers these routes with the direct path ([`crate::dispatch`]).
pub(crate) fn direct(routes: &mut ApiRoutes) {
    routes.inline("/v1/build-cost", answer_build_cost_schedule);
}

/// What a site costs to build, per kW and per MW, and when the money is spent.
///
/// `total = it_capacity_mw × cost_per_mw × (1 + contingency + soft_costs) +
/// land_cost`. Each phase costs its MW share, spent straight-line over its
/// months (or along an S-curve, `x²(3 − 2x)`); land is spent in month 0;
/// `already_spent` comes off the earliest months. Money is rounded to cents
/// and the schedule adds up to the total exactly.
#[utoipa::path(
    tag = "build-cost",
    request_body = BuildCostRequest,
    responses((status = 200, description = "Totals and the monthly schedule", body = BuildCostResponse))
)]
#[post("/build-cost")]
async fn build_cost_schedule(
    body: ValidJson<BuildCostRequest>,
) -> Result<Json<BuildCostResponse>, ApiError> {
    answer_build_cost_schedule(body.into_inner()).map(Json)
}

/// What [`build_cost_schedule`] answers; the direct path ([`crate::dispatch`]) calls it too.
pub(crate) fn answer_build_cost_schedule(
    body: BuildCostRequest,
) -> Result<BuildCostResponse, ApiError> {
    let input = BuildCostInput::try_from(body)?;
    Ok(build_cost::build_cost(&input)?.into())
}
