//! Convertible notes: terms, dilution, yield.

use actix_web::{post, web::Json};
use infraval_api::convertibles::{
    DilutionRequest, DilutionResponse, TermsRequest, TermsResponse, YieldRequest, YieldResponse,
};
use infraval_core::convertible::dilution::{self, DilutionInput};
use infraval_core::convertible::yield_::{self, YieldInput};
use infraval_core::convertible::ConvertibleTerms;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::dispatch::ApiRoutes;
use crate::error::ApiError;
use crate::extract::ValidJson;

/// Registers the convertible-note routes.
pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(convertible_terms)
        .service(convertible_dilution)
        .service(convertible_yield);
}

/// Registers these routes with the direct path ([`crate::dispatch`]).
pub(crate) fn direct(routes: &mut ApiRoutes) {
    routes
        .inline("/v1/convertibles/terms", answer_convertible_terms)
        .inline("/v1/convertibles/dilution", answer_convertible_dilution)
        .inline("/v1/convertibles/yield", answer_convertible_yield);
}

/// The full terms of a convertible note issue.
///
/// Give `principal` and exactly one of `conversion_rate` (shares per
/// $1,000), `conversion_price`, or `reference_price` with
/// `conversion_premium`. `conversion_price = reference_price × (1 +
/// conversion_premium)`; `conversion_rate = 1,000 / conversion_price`,
/// rounded to 4 decimals (halves away from zero) as indentures state it,
/// with the unrounded rate alongside; `shares_underlying = principal /
/// 1,000 × conversion_rate`.
#[utoipa::path(
    tag = "convertibles",
    request_body = TermsRequest,
    responses((status = 200, description = "The issue's terms", body = TermsResponse))
)]
#[post("/convertibles/terms")]
async fn convertible_terms(body: ValidJson<TermsRequest>) -> Result<Json<TermsResponse>, ApiError> {
    answer_convertible_terms(body.into_inner()).map(Json)
}

/// What [`convertible_terms`] answers; the direct path ([`crate::dispatch`]) calls it too.
pub(crate) fn answer_convertible_terms(body: TermsRequest) -> Result<TermsResponse, ApiError> {
    let terms = ConvertibleTerms::try_from(body)?;
    Ok(TermsResponse::from(&terms))
}

/// Shares issued, capped-call offsets and diluted share counts across share prices.
///
/// Notes convert when their conversion value `shares_underlying × S`
/// exceeds principal. Physical settlement then issues every underlying
/// share; net-share settlement pays principal in cash and issues
/// `(conversion_value − principal) / S` shares; cash settlement issues
/// none. A capped call pays `shares_underlying × (min(S, cap) −
/// lower_strike)⁺`, handed back in shares except under cash settlement. A
/// buyback of `amount` at `price` retires `⌊amount / price⌋` shares.
/// `diluted = basic − repurchased + issued − handed back`. The
/// if-converted count follows ASC 260 after ASU 2020-06.
#[utoipa::path(
    tag = "convertibles",
    request_body = DilutionRequest,
    responses((status = 200, description = "The dilution at each share price", body = DilutionResponse))
)]
#[post("/convertibles/dilution")]
async fn convertible_dilution(
    body: ValidJson<DilutionRequest>,
) -> Result<Json<DilutionResponse>, ApiError> {
    answer_convertible_dilution(body.into_inner()).map(Json)
}

/// What [`convertible_dilution`] answers; the direct path ([`crate::dispatch`]) calls it too.
pub(crate) fn answer_convertible_dilution(
    body: DilutionRequest,
) -> Result<DilutionResponse, ApiError> {
    let input = DilutionInput::try_from(body)?;
    let out = dilution::dilution(&input)?;
    Ok(DilutionResponse::new(&input, &out))
}

/// Yield to maturity, current yield and the accreted value schedule of a note.
///
/// The yield is nominal, compounded `frequency` times a year (semiannual
/// by default, bond-equivalent), solved in exact decimal arithmetic from
/// the full price: `clean + accrued = Σ CF_j / (1 + y/f)^(j − 1 + w)`, with
/// coupon dates stepped back from maturity and `w` the share of the first
/// period still to run (actual days). The schedule carries the value of
/// the remaining cash flows at that yield from settlement to 100 at
/// maturity: for a zero bought at a discount, its accretion to face.
#[utoipa::path(
    tag = "convertibles",
    request_body = YieldRequest,
    responses((status = 200, description = "The note's yields and accretion", body = YieldResponse))
)]
#[post("/convertibles/yield")]
async fn convertible_yield(body: ValidJson<YieldRequest>) -> Result<Json<YieldResponse>, ApiError> {
    answer_convertible_yield(body.into_inner()).map(Json)
}

/// What [`convertible_yield`] answers; the direct path ([`crate::dispatch`]) calls it too.
pub(crate) fn answer_convertible_yield(body: YieldRequest) -> Result<YieldResponse, ApiError> {
    let input = YieldInput::try_from(body)?;
    let out = yield_::yield_to_maturity(&input)?;
    Ok(YieldResponse::new(&input, &out))
}
