use infraval_api::build_cost::BuildCostRequest;
use rust_decimal_macros::dec;
use serde_json::json;

use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn the_sandersville_site_costs_two_and_a_half_billion() {
    let app = spawn_app().await;
    let out = app
        .client
        .build_cost(&BuildCostRequest {
            it_capacity_mw: dec!(250).into(),
            cost_per_mw: dec!(10000000).into(),
            contingency: None,
            soft_costs: None,
            land_cost: None,
            already_spent: None,
            phases: None,
            spend_curve: None,
        })
        .await
        .unwrap();
    // seed-figures.md: 250 MW × $10M/MW = $2.5B, $10,000 per kW.
    assert_eq!(out.total_cost, dec!(2500000000));
    assert_eq!(out.cost_per_kw, dec!(10000));
    assert_eq!(out.all_in_cost_per_mw, dec!(10000000));
    assert_eq!(out.schedule.len(), 1);
}

#[tokio::test]
async fn a_phased_schedule_adds_up_and_nets_off_money_spent() {
    let app = spawn_app().await;
    let body = json!({
        "it_capacity_mw": 250, "cost_per_mw": 10000000,
        "contingency": 0.1, "soft_costs": 0.05, "land_cost": 20000000,
        "already_spent": 100000000,
        "phases": [
            {"it_capacity_mw": 100, "start_month": 0, "duration_months": 12},
            {"it_capacity_mw": 150, "start_month": 6, "duration_months": 18}
        ]
    });
    let res = app.post_json("/v1/build-cost", &body).await;
    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    // 2,500M × 1.15 + 20M = 2,895M; per MW 11.58M; remaining 2,795M.
    assert_eq!(out["total_cost"], json!(2895000000.0));
    assert_eq!(out["all_in_cost_per_mw"], json!(11580000.0));
    assert_eq!(out["remaining_capex"], json!(2795000000.0));
    let schedule = out["schedule"].as_array().unwrap();
    assert_eq!(schedule.len(), 24);
    // Month 0: land 20M + phase 1's 1,150M / 12 = 95,833,333.33 → 115,833,333.33.
    assert_eq!(schedule[0]["spend"], json!(115833333.33));
    assert_eq!(schedule[23]["cumulative"], json!(2895000000.0));
}

#[tokio::test]
async fn phases_that_do_not_add_up_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let body = json!({
        "it_capacity_mw": 250, "cost_per_mw": 10000000,
        "phases": [{"it_capacity_mw": 100, "start_month": 0, "duration_months": 12}]
    });
    let problem = assert_problem(
        app.post_json("/v1/build-cost", &body).await,
        422,
        "inconsistent",
    )
    .await;
    assert_eq!(problem["field"], "phases");
}

#[tokio::test]
async fn zero_megawatts_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let body = json!({"it_capacity_mw": 0, "cost_per_mw": 10000000});
    let problem = assert_problem(
        app.post_json("/v1/build-cost", &body).await,
        422,
        "out_of_range",
    )
    .await;
    assert_eq!(problem["field"], "it_capacity_mw");
}

#[tokio::test]
async fn an_overflowing_amount_is_refused_not_a_500() {
    let app = spawn_app().await;
    let body = json!({"it_capacity_mw": 250, "cost_per_mw": 10000000, "land_cost": 7e28});
    let problem = assert_problem(
        app.post_json("/v1/build-cost", &body).await,
        422,
        "out_of_range",
    )
    .await;
    assert_eq!(problem["field"], "land_cost");
}
