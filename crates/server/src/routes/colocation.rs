//! Colocation and data-center economics.

use actix_web::{post, web::Json};
use infraval_api::colocation::{ArrRequest, ArrResponse};
use infraval_core::colocation::{self, ArrInput};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;
use crate::extract::ValidJson;

/// Registers the colocation routes.
pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(arr);
}

/// Annual recurring revenue of a colocation site.
///
/// `arr = it_capacity_mw × 1,000 × rate_per_kw_month × 12 × occupancy`,
/// in exact decimal arithmetic; money is rounded to cents (half away from
/// zero) in the response.
#[utoipa::path(
    tag = "colocation",
    request_body = ArrRequest,
    responses((status = 200, description = "The site's ARR", body = ArrResponse))
)]
#[post("/colocation/arr")]
async fn arr(body: ValidJson<ArrRequest>) -> Result<Json<ArrResponse>, ApiError> {
    let input = ArrInput::try_from(body.into_inner())?;
    let out = colocation::arr(&input)?;
    Ok(Json(ArrResponse::new(&input, &out)))
}
