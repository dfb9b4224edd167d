//! Colocation and data-center economics.

use actix_web::{post, web::Json};
use infraval_api::colocation::{ArrRequest, ArrResponse};
use infraval_api::project::{
    GoalSeekRequest, GoalSeekResponse, ProjectRequest, ProjectResponse, SensitivityRequest,
    SensitivityResponse,
};
use infraval_core::colocation::{self, SolveArrInput};
use infraval_core::goal_seek::{self, GoalSeekInput};
use infraval_core::project::{self, ProjectInput};
use infraval_core::sensitivity::{self, SensitivityInput};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::compute::blocking;
use crate::dispatch::ApiRoutes;
use crate::error::ApiError;
use crate::extract::ValidJson;

/// Registers the colocation routes.
pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(arr)
        .service(project_returns)
        .service(goal_seek_input)
        .service(sensitivity_grid);
}

/// Registers these routes with the direct path ([`crate::dispatch`]).
pub(crate) fn direct(routes: &mut ApiRoutes) {
    routes
        .inline("/v1/colocation/arr", answer_arr)
        .inline("/v1/colocation/project", answer_project_returns)
        .inline("/v1/colocation/goal-seek", answer_goal_seek_input)
        .deferred("/v1/colocation/sensitivity", answer_sensitivity_grid);
}

/// Annual recurring revenue of a colocation site, or the rent or capacity behind it.
///
/// Give two of capacity (`it_capacity_mw`, or `utility_power_mw` with
/// `pue`), `rate_per_kw_month` and `arr`; the third is solved and named in
/// `solved`. `arr = it_capacity_mw × 1,000 × occupancy × rate_per_kw_month
/// × 12`, IT load = utility power / PUE. With `power_price_per_mwh` (and
/// `pue`) the tenant's pass-through power bill, leased kW × PUE × 8,760 h ×
/// price / 1,000, is returned apart from rent. Exact decimal arithmetic;
/// money rounded to cents, the rate and MW to 4 decimals.
#[utoipa::path(
    tag = "colocation",
    request_body = ArrRequest,
    responses((status = 200, description = "The site's ARR, rent and capacity", body = ArrResponse))
)]
#[post("/colocation/arr")]
async fn arr(body: ValidJson<ArrRequest>) -> Result<Json<ArrResponse>, ApiError> {
    answer_arr(body.into_inner()).map(Json)
}

/// What [`arr`] answers; the direct path ([`crate::dispatch`]) calls it too.
pub(crate) fn answer_arr(body: ArrRequest) -> Result<ArrResponse, ApiError> {
    let input = SolveArrInput::try_from(body)?;
    let out = colocation::solve_arr(&input)?;
    Ok(ArrResponse::new(&input, &out))
}

/// Development returns of a data-center site: cash flows, NPV, IRR, payback, yield on cost.
///
/// A yearly model from month 0 of construction to an exit at the end of
/// `horizon_years` (≤ 50): phased build capex, lease-up, escalating rent,
/// opex, pass-through power, maintenance capex, tax and an exit on forward
/// NOI (cap rate or multiple). A project whose cash flows never change sign
/// has no IRR and is answered 422 `no_solution`.
#[utoipa::path(
    tag = "colocation",
    request_body = ProjectRequest,
    responses((status = 200, description = "The cash-flow table and returns", body = ProjectResponse))
)]
#[post("/colocation/project")]
async fn project_returns(
    body: ValidJson<ProjectRequest>,
) -> Result<Json<ProjectResponse>, ApiError> {
    answer_project_returns(body.into_inner()).map(Json)
}

/// What [`project_returns`] answers; the direct path ([`crate::dispatch`]) calls it too.
pub(crate) fn answer_project_returns(body: ProjectRequest) -> Result<ProjectResponse, ApiError> {
    let input = ProjectInput::try_from(body)?;
    let out = project::project(&input)?;
    Ok(ProjectResponse::try_from(out)?)
}

/// Goal seek: the value of one project input that makes a result hit a target.
///
/// E.g. the `rate_per_kw_month` for a 12% IRR, or the `cost_per_mw` at
/// which the NPV is zero. Regula falsi (Illinois) inside the bracket; the
/// answer states the bracket, the tolerance and the value achieved. A
/// target outside the metric's values at the bracket's ends is 422
/// `target_unattainable`.
#[utoipa::path(
    tag = "colocation",
    request_body = GoalSeekRequest,
    responses((status = 200, description = "The value found", body = GoalSeekResponse))
)]
#[post("/colocation/goal-seek")]
async fn goal_seek_input(
    body: ValidJson<GoalSeekRequest>,
) -> Result<Json<GoalSeekResponse>, ApiError> {
    answer_goal_seek_input(body.into_inner()).map(Json)
}

/// What [`goal_seek_input`] answers; the direct path ([`crate::dispatch`]) calls it too.
pub(crate) fn answer_goal_seek_input(body: GoalSeekRequest) -> Result<GoalSeekResponse, ApiError> {
    let input = GoalSeekInput::try_from(body)?;
    let out = goal_seek::goal_seek(&input)?;
    Ok(GoalSeekResponse::new(&input, &out))
}

/// Sensitivity grid: project results over every pair of values of two inputs.
///
/// At most 10,000 cells. A cell that fails (e.g. no IRR) carries its error
/// code and the rest of the grid is computed. Cells are computed by the
/// project model in binary floating point, which agrees with the exact
/// model far below a cent.
#[utoipa::path(
    tag = "colocation",
    request_body = SensitivityRequest,
    responses((status = 200, description = "One grid per output", body = SensitivityResponse))
)]
#[post("/colocation/sensitivity")]
async fn sensitivity_grid(
    body: ValidJson<SensitivityRequest>,
) -> Result<Json<SensitivityResponse>, ApiError> {
    answer_sensitivity_grid(body.into_inner()).await.map(Json)
}

/// What [`sensitivity_grid`] answers; the direct path ([`crate::dispatch`]) calls it too.
pub(crate) async fn answer_sensitivity_grid(
    body: SensitivityRequest,
) -> Result<SensitivityResponse, ApiError> {
    let input = SensitivityInput::try_from(body)?;
    blocking(move || {
        let grids = sensitivity::sensitivity(&input)?;
        Ok(SensitivityResponse::new(&input, grids))
    })
    .await
}
