use infraval_api::colocation::ArrRequest;
use rust_decimal_macros::dec;
use serde_json::json;

use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn the_sandersville_site_earns_399_99_million_a_year_at_133_33() {
    let app = spawn_app().await;
    let arr = app
        .client
        .colocation_arr(&ArrRequest {
            it_capacity_mw: dec!(250),
            rate_per_kw_month: dec!(133.33),
            occupancy: None,
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
            it_capacity_mw: dec!(250),
            rate_per_kw_month: dec!(133.33),
            occupancy: Some(dec!(1.5)),
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
