//! Sum-of-the-parts company valuation.

use actix_web::{post, web::Json};
use infraval_api::valuations::{SumOfPartsRequest, SumOfPartsResponse};
use infraval_core::valuation::{self, Scenario};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::compute::blocking;
use crate::dispatch::ApiRoutes;
use crate::error::ApiError;
use crate::extract::ValidJson;

/// Registers the valuation routes.
pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(sum_of_parts);
}

/// Registers these routes with the direct path ([`crate::dispatch`]).
pub(crate) fn direct(routes: &mut ApiRoutes) {
    routes.deferred("/v1/valuations/sum-of-parts", answer_sum_of_parts);
}

/// Sum-of-the-parts value per share, with diluted shares solved consistently.
///
/// Each scenario adds its segments (mining by EBITDA multiple or $ per
/// EH/s; data-center sites by NOI / cap rate or ARR × multiple, less
/// remaining capex; the bitcoin treasury after a haircut; cash), deducts
/// straight debt, and solves the convertible notes: a note is debt when
/// the value per share is below its conversion price and converts (into
/// shares, net shares or cash, by its settlement) at or above it. Every
/// self-consistent solution is returned; `fixed_point` says whether there
/// is one or several. Buybacks reduce the basic shares. Up to five
/// scenarios (bear, base, bull) are valued side by side.
#[utoipa::path(
    tag = "valuations",
    request_body = SumOfPartsRequest,
    responses((status = 200, description = "Each scenario's valuation", body = SumOfPartsResponse))
)]
#[post("/valuations/sum-of-parts")]
async fn sum_of_parts(
    body: ValidJson<SumOfPartsRequest>,
) -> Result<Json<SumOfPartsResponse>, ApiError> {
    answer_sum_of_parts(body.into_inner()).await.map(Json)
}

/// What [`sum_of_parts`] answers; the direct path ([`crate::dispatch`]) calls it too.
pub(crate) async fn answer_sum_of_parts(
    body: SumOfPartsRequest,
) -> Result<SumOfPartsResponse, ApiError> {
    let input = Vec::<Scenario>::try_from(body)?;
    blocking(move || {
        let out = valuation::scenarios(&input)?;
        Ok(SumOfPartsResponse::from(out.as_slice()))
    })
    .await
}
