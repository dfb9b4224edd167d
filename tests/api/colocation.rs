use infraval_api::colocation::{ArrRequest, SolvedFor};
use infraval_api::goal_seek::GoalSeekRequest;
use infraval_api::project::ProjectRequest;
use infraval_api::sensitivity::SensitivityRequest;
use rust_decimal_macros::dec;
use serde_json::json;

use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn the_sandersville_site_earns_399_99_million_a_year_at_133_33() {
    let app = spawn_app().await;
    let arr = app
        .client
        .colocation_arr(&ArrRequest {
            it_capacity_mw: Some(dec!(250).into()),
            rate_per_kw_month: Some(dec!(133.33).into()),
            ..Default::default()
        })
        .await
        .unwrap();
    // seed-figures.md: 250 MW at $133.33/kW-month.
    // 250 MW × 1,000 kW/MW × $133.33 × 12 months = $399,990,000.00.
    assert_eq!(arr.arr, dec!(399990000.00));
    // Per month: 250,000 kW × $133.33 = $33,332,500.00.
    assert_eq!(arr.monthly_revenue, dec!(33332500.00));
    assert_eq!(arr.leased_kw, dec!(250000));
}

#[tokio::test]
async fn the_arr_is_exact_to_the_cent_for_a_partly_leased_site() {
    let app = spawn_app().await;
    let body = json!({"it_capacity_mw": 12.5, "rate_per_kw_month": 141.07, "occupancy": 0.83});
    let res = app.post_json("/v1/colocation/arr", &body).await;
    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    // 12.5 × 1,000 × 0.83 = 10,375 kW; × 141.07 = 1,463,601.25 a month;
    // × 12 = 17,563,215.00 a year.
    assert_eq!(out["monthly_revenue"], json!(1463601.25));
    assert_eq!(out["arr"], json!(17563215.0));
}

#[tokio::test]
async fn the_client_surfaces_a_problem_with_its_field() {
    let app = spawn_app().await;
    let err = app
        .client
        .colocation_arr(&ArrRequest {
            it_capacity_mw: Some(dec!(250).into()),
            rate_per_kw_month: Some(dec!(133.33).into()),
            occupancy: Some(dec!(1.5).into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    let problem = err
        .problem()
        .expect("an API problem, not a transport error");
    assert_eq!(problem.code, "out_of_range");
    assert_eq!(problem.field.as_deref(), Some("occupancy"));
    assert_eq!(problem.status, 422);
}

#[tokio::test]
async fn zero_or_negative_capacity_is_refused_naming_the_field() {
    let app = spawn_app().await;
    for mw in [json!(0), json!(-5)] {
        let body = json!({"it_capacity_mw": mw, "rate_per_kw_month": 133.33});
        let problem = assert_problem(
            app.post_json("/v1/colocation/arr", &body).await,
            422,
            "out_of_range",
        )
        .await;
        assert_eq!(problem["field"], "it_capacity_mw");
    }
}

#[tokio::test]
async fn four_hundred_million_on_250_mw_is_133_33_a_kw_month() {
    let app = spawn_app().await;
    let out = app
        .client
        .colocation_arr(&ArrRequest {
            it_capacity_mw: Some(dec!(250).into()),
            arr: Some(dec!(400000000).into()),
            ..Default::default()
        })
        .await
        .unwrap();
    // seed-figures.md: 400,000,000 / (250 × 1,000 × 12) = 133.3333…
    assert_eq!(out.solved, SolvedFor::RatePerKwMonth);
    assert_eq!(out.rate_per_kw_month, dec!(133.3333));
    // 400,000,000 / 250 = 1,600,000 per MW-year.
    assert_eq!(out.revenue_per_mw_year, dec!(1600000));
}

#[tokio::test]
async fn utility_power_over_pue_gives_219_23_mw_of_it_load() {
    let app = spawn_app().await;
    let body = json!({"utility_power_mw": 285, "pue": 1.3, "rate_per_kw_month": 133.33});
    let res = app.post_json("/v1/colocation/arr", &body).await;
    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    // seed-figures.md, Austin County: 285 / 1.3 = 219.230769… MW.
    assert_eq!(out["it_capacity_mw"], json!(219.2308));
    assert_eq!(out["utility_power_mw"], json!(285.0));
    assert_eq!(out["solved"], "arr");
}

#[tokio::test]
async fn the_power_bill_is_returned_apart_from_rent() {
    let app = spawn_app().await;
    let body = json!({"it_capacity_mw": 10, "rate_per_kw_month": 150, "occupancy": 0.8,
                      "pue": 1.25, "power_price_per_mwh": 50});
    let res = app.post_json("/v1/colocation/arr", &body).await;
    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    // 8,000 kW × 1.25 × 8,760 h / 1,000 = 87,600 MWh; × $50 = $4,380,000.
    assert_eq!(out["power_bill"]["energy_mwh_per_year"], json!(87600.0));
    assert_eq!(out["power_bill"]["annual_cost"], json!(4380000.0));
    // Rent is unchanged: 8,000 × 150 × 12 = 14,400,000.
    assert_eq!(out["arr"], json!(14400000.0));
}

#[tokio::test]
async fn giving_capacity_rate_and_arr_together_is_refused() {
    let app = spawn_app().await;
    let body = json!({"it_capacity_mw": 250, "rate_per_kw_month": 133.33, "arr": 400000000});
    assert_problem(
        app.post_json("/v1/colocation/arr", &body).await,
        422,
        "exactly_one_of",
    )
    .await;
}

#[tokio::test]
async fn a_pue_below_one_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let body = json!({"utility_power_mw": 285, "pue": 0.9, "rate_per_kw_month": 133.33});
    let problem = assert_problem(
        app.post_json("/v1/colocation/arr", &body).await,
        422,
        "out_of_range",
    )
    .await;
    assert_eq!(problem["field"], "pue");
}

fn reference_project() -> serde_json::Value {
    // The Sandersville site: 250 MW at $10M/MW spent in year 0, rent of
    // $400M a year (133.333… a kW-month) from month 12, no opex, no growth,
    // exit at an 8% cap rate after 20 years, discounted at 8%.
    json!({
        "it_capacity_mw": 250,
        "cost_per_mw": 10000000,
        "rate_per_kw_month": 133.3333333333333,
        "lease_start_month": 12,
        "discount_rate": 0.08,
        "horizon_years": 20,
        "exit_cap_rate": 0.08
    })
}

#[tokio::test]
async fn the_reference_project_yields_sixteen_percent_on_cost() {
    let app = spawn_app().await;
    let req: ProjectRequest = serde_json::from_value(reference_project()).unwrap();
    let out = app.client.colocation_project(&req).await.unwrap();
    // seed-figures.md: 400 / 2,500 = 16% at full occupancy, no opex, no growth.
    assert_eq!(out.total_cost, dec!(2500000000));
    assert_eq!(out.yield_on_cost, Some(dec!(0.16).into()));
    assert_eq!(out.development_spread, Some(dec!(0.08).into()));
    // Flows from year 1 are worth 400M / 0.08 = 5,000M at 8% (a perpetuity
    // cut at year 20 and sold for the rest): NPV = 5,000 - 2,500 = 2,500M.
    assert!(
        (out.npv.get() - dec!(2500000000)).abs() < dec!(1),
        "{}",
        out.npv
    );
    // After year 6 the total is -100M; a quarter of year 7 recovers it.
    assert_eq!(out.payback_years, Some(dec!(6.25).into()));
    assert_eq!(out.years.len(), 21);
    assert_eq!(out.years[0].capex, dec!(2500000000));
}

#[tokio::test]
async fn a_project_that_never_earns_has_no_irr_and_says_so() {
    let app = spawn_app().await;
    let mut body = reference_project();
    // Rent from month 600: past the 20-year horizon, so only outflows.
    body["lease_start_month"] = json!(600);
    body.as_object_mut().unwrap().remove("exit_cap_rate");
    let problem = assert_problem(
        app.post_json("/v1/colocation/project", &body).await,
        422,
        "no_solution",
    )
    .await;
    assert!(problem["detail"].as_str().unwrap().contains("irr"));
}

#[tokio::test]
async fn a_horizon_over_fifty_years_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let mut body = reference_project();
    body["horizon_years"] = json!(51);
    let problem = assert_problem(
        app.post_json("/v1/colocation/project", &body).await,
        422,
        "out_of_range",
    )
    .await;
    assert_eq!(problem["field"], "horizon_years");
}

#[tokio::test]
async fn occupancy_above_one_in_the_ramp_is_refused_naming_its_index() {
    let app = spawn_app().await;
    let mut body = reference_project();
    body["occupancy_by_year"] = json!([0.5, 1.2]);
    let problem = assert_problem(
        app.post_json("/v1/colocation/project", &body).await,
        422,
        "out_of_range",
    )
    .await;
    assert_eq!(problem["field"], "occupancy_by_year[1]");
}

#[tokio::test]
async fn goal_seek_finds_the_rent_for_a_sixteen_percent_yield() {
    let app = spawn_app().await;
    let req: GoalSeekRequest = serde_json::from_value(json!({
        "project": reference_project(),
        "variable": "rate_per_kw_month",
        "metric": "yield_on_cost",
        "target": 0.16
    }))
    .unwrap();
    let out = app.client.colocation_goal_seek(&req).await.unwrap();
    // 0.16 × 2.5B / (250,000 kW × 12) = 133.333…
    assert_eq!(out.value, dec!(133.3333));
    assert_eq!(out.achieved, dec!(0.16));
    assert_eq!(out.bracket.low, dec!(0.01));
    assert_eq!(out.bracket.high, dec!(10000));
}

#[tokio::test]
async fn goal_seek_finds_the_break_even_build_cost() {
    let app = spawn_app().await;
    let body = json!({
        "project": reference_project(),
        "variable": "cost_per_mw",
        "metric": "npv",
        "target": 0
    });
    let res = app.post_json("/v1/colocation/goal-seek", &body).await;
    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    // NPV = 5,000M − 250 × cost ⇒ cost = $20M per MW.
    let value = out["value"].as_f64().unwrap();
    assert!((value - 20_000_000.0).abs() < 0.01, "{value}");
}

#[tokio::test]
async fn goal_seek_finds_the_readme_cost_for_a_twelve_percent_irr_past_the_zero_cost_end() {
    let app = spawn_app().await;
    // The README's project; at cost 0 there is no IRR, and this answered
    // 422 no_solution. Hand calculation and numpy-financial:
    // crates/core/src/goal_seek.rs and bench/goal_seek_irr.py, 11,456,222.27
    // per MW.
    let body = json!({
        "project": {"it_capacity_mw": 250, "cost_per_mw": 10000000, "rate_per_kw_month": 133.33,
                    "lease_start_month": 12, "opex_fraction": 0.2, "discount_rate": 0.09,
                    "horizon_years": 20, "exit_cap_rate": 0.07},
        "variable": "cost_per_mw",
        "metric": "irr",
        "target": 0.12
    });
    let res = app.post_json("/v1/colocation/goal-seek", &body).await;
    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    let value = out["value"].as_f64().unwrap();
    assert!((value - 11_456_222.273_6).abs() < 2.0, "{value}");
}

#[tokio::test]
async fn an_unreachable_goal_is_refused() {
    let app = spawn_app().await;
    let body = json!({
        "project": reference_project(),
        "variable": "rate_per_kw_month",
        "metric": "yield_on_cost",
        "target": 0.16,
        "bracket": {"low": 10, "high": 20}
    });
    assert_problem(
        app.post_json("/v1/colocation/goal-seek", &body).await,
        422,
        "target_unattainable",
    )
    .await;
}

#[tokio::test]
async fn a_sensitivity_grid_is_labelled_and_keeps_failing_cells() {
    let app = spawn_app().await;
    let req: SensitivityRequest = serde_json::from_value(json!({
        "project": reference_project(),
        "rows": {"variable": "rate_per_kw_month", "values": [100, 200]},
        "columns": {"variable": "cost_per_mw", "range": {"from": 8000000, "to": 12000000, "steps": 2}},
        "outputs": ["yield_on_cost", "irr"]
    }))
    .unwrap();
    let out = app.client.colocation_sensitivity(&req).await.unwrap();
    // Two equal steps from 8M to 12M: three values, as a dilution range's
    // steps give.
    assert_eq!(
        out.columns.values,
        vec![dec!(8000000), dec!(10000000), dec!(12000000)]
    );
    // Yield = rate × 3,000,000 / (cost × 250): 100 × 3M / 2,000M = 0.15.
    assert_eq!(out.grids[0].cells[0][0].value, Some(dec!(0.15).into()));
    // 200 × 3M / 3,000M = 0.2.
    assert_eq!(out.grids[0].cells[1][2].value, Some(dec!(0.2).into()));
    assert!(out.grids[1].cells[1][1].value.is_some());

    // A value outside the variable's range (a rent must be above 0) is
    // refused before any cell is computed, naming it.
    let body = json!({
        "project": reference_project(),
        "rows": {"variable": "rate_per_kw_month", "values": [0, 100]},
        "columns": {"variable": "discount_rate", "values": [0.08]},
        "outputs": ["npv"]
    });
    let problem = assert_problem(
        app.post_json("/v1/colocation/sensitivity", &body).await,
        422,
        "out_of_range",
    )
    .await;
    assert_eq!(problem["field"], "rows.values[0]");

    // A cell the model cannot compute keeps its error code: with opex at
    // all of the rent there is no NOI and no exit value, the cash flows
    // never change sign, and there is no IRR.
    let body = json!({
        "project": reference_project(),
        "rows": {"variable": "opex_fraction", "values": [1, 0]},
        "columns": {"variable": "discount_rate", "values": [0.08]},
        "outputs": ["irr"]
    });
    let res = app.post_json("/v1/colocation/sensitivity", &body).await;
    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        out["grids"][0]["cells"][0][0]["error"], "no_solution",
        "{out}"
    );
    assert!(out["grids"][0]["cells"][1][0]["value"].is_number());
}

#[tokio::test]
async fn more_than_ten_thousand_cells_are_refused() {
    let app = spawn_app().await;
    let body = json!({
        "project": reference_project(),
        "rows": {"variable": "rate_per_kw_month", "range": {"from": 100, "to": 200, "steps": 101}},
        "columns": {"variable": "cost_per_mw", "range": {"from": 1, "to": 2, "steps": 100}},
        "outputs": ["npv"]
    });
    let problem = assert_problem(
        app.post_json("/v1/colocation/sensitivity", &body).await,
        422,
        "inconsistent",
    )
    .await;
    assert_eq!(problem["field"], "columns.values");
}
