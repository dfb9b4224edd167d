//! Convertible fair value: price with greeks, implied volatility or spread,
//! and the price profile across share prices.

use actix_web::{post, web::Json};
use infraval_api::convertible_pricing::{
    ImpliedInput, ImpliedRequest, ImpliedResponse, PriceRequest, PriceResponse, ProfileInput,
    ProfileRequest, ProfileResponse,
};
use infraval_core::convertible::implied::implied;
use infraval_core::convertible::lattice::ConvertibleInput;
use infraval_core::convertible::pricing::{price, profile};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::compute::blocking;
use crate::dispatch::ApiRoutes;
use crate::error::ApiError;
use crate::extract::ValidJson;

/// Registers the convertible pricing routes.
pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(convertible_price)
        .service(convertible_implied)
        .service(convertible_profile);
}

/// Registers these routes with the direct path ([`crate::dispatch`]).
pub(crate) fn direct(routes: &mut ApiRoutes) {
    routes
        .deferred("/v1/convertibles/price", answer_convertible_price)
        .deferred("/v1/convertibles/implied", answer_convertible_implied)
        .deferred("/v1/convertibles/profile", answer_convertible_profile);
}

/// Fair value of a convertible note on a credit-risky lattice, with greeks.
///
/// A Cox-Ross-Rubinstein tree of `steps` steps (default 1,000; 2,000 with a
/// call or put schedule) from the
/// valuation date to maturity; the holder may convert at any step from
/// `conversion_start_date`, and receives `max(100 + final coupon, parity)`
/// at maturity. `tsiveriotis_fernandes` (default) splits the value into a
/// cash part discounted at `risk_free_rate + credit_spread` and an equity
/// part discounted at `risk_free_rate`; `hazard_rate` defaults with
/// intensity `credit_spread / (1 − recovery_rate)`, the stock then falling
/// to 0 and the note paying `recovery_rate × face`. Calls (clean, plus
/// accrued; soft with a `trigger`) and puts apply on their dates, moved to
/// the nearest step after the step count is lowered (by up to a tenth) to
/// bring those dates on or near a step; the tree is centred within half a
/// step of the share price so that a call's barrier lies on a node layer.
/// Prices are per 100 of face, dirty, and per note; time
/// is Act/365F; rates are continuously compounded. Delta, gamma and theta
/// come from the tree; vega (per vol point), rho and CS01 (per basis point)
/// from central bumps. `convergence` compares the price with the one at
/// half the steps.
#[utoipa::path(
    tag = "convertibles",
    request_body = PriceRequest,
    responses((status = 200, description = "The note's fair value, greeks and convergence", body = PriceResponse))
)]
#[post("/convertibles/price")]
async fn convertible_price(body: ValidJson<PriceRequest>) -> Result<Json<PriceResponse>, ApiError> {
    answer_convertible_price(body.into_inner()).await.map(Json)
}

/// What [`convertible_price`] answers; the direct path ([`crate::dispatch`]) calls it too.
pub(crate) async fn answer_convertible_price(
    body: PriceRequest,
) -> Result<PriceResponse, ApiError> {
    let input = ConvertibleInput::try_from(body)?;
    blocking(move || {
        let valuation = price(&input)?;
        Ok(PriceResponse::new(&input, &valuation)?)
    })
    .await
}

/// The volatility or the credit spread that reproduces a market price.
///
/// The body is a price request without the solved field, plus `solve_for`
/// and `market_price_per_100` (dirty). Brent's method brackets volatility in
/// [0.001, 5] or the spread in [0, 1] (the hazard-rate model keeps
/// `volatility² > hazard rate`) and stops when the price is within 1e-6
/// per 100 of the target. A price outside the bracket's prices is a 422
/// `unattainable` giving the attainable bounds.
#[utoipa::path(
    tag = "convertibles",
    request_body = ImpliedRequest,
    responses((status = 200, description = "The solved volatility or spread", body = ImpliedResponse))
)]
#[post("/convertibles/implied")]
async fn convertible_implied(
    body: ValidJson<ImpliedRequest>,
) -> Result<Json<ImpliedResponse>, ApiError> {
    answer_convertible_implied(body.into_inner())
        .await
        .map(Json)
}

/// What [`convertible_implied`] answers; the direct path ([`crate::dispatch`]) calls it too.
pub(crate) async fn answer_convertible_implied(
    body: ImpliedRequest,
) -> Result<ImpliedResponse, ApiError> {
    let req = ImpliedInput::try_from(body)?;
    blocking(move || {
        let solved = implied(&req.input, req.solve_for, req.market_price_per_100)?;
        Ok(ImpliedResponse::new(&req.input, &solved)?)
    })
    .await
}

/// Price, bond floor, parity and delta of a note across share prices.
///
/// Up to 500 share prices, and prices × steps^1.5 at most 45,000,000
/// (e.g. 500 prices at 2,000 steps, 45 at 10,000, 15 at 20,000). The
/// lattice's per-step data is built once and rolled back for each price
/// (for a callable note the tree is re-centred on the call barrier at each
/// price); delta comes from the tree.
#[utoipa::path(
    tag = "convertibles",
    request_body = ProfileRequest,
    responses((status = 200, description = "The price profile", body = ProfileResponse))
)]
#[post("/convertibles/profile")]
async fn convertible_profile(
    body: ValidJson<ProfileRequest>,
) -> Result<Json<ProfileResponse>, ApiError> {
    answer_convertible_profile(body.into_inner())
        .await
        .map(Json)
}

/// What [`convertible_profile`] answers; the direct path ([`crate::dispatch`]) calls it too.
pub(crate) async fn answer_convertible_profile(
    body: ProfileRequest,
) -> Result<ProfileResponse, ApiError> {
    let req = ProfileInput::try_from(body)?;
    blocking(move || {
        let points = profile(&req.input, &req.stock_prices)?;
        Ok(ProfileResponse::new(&req.input, &points)?)
    })
    .await
}
