use infraval_api::wire::Num;
use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_app};

/// The reference file's base case (`tests/data/convertibles.json`, case
/// `base`): conversion price 19.16, S = 15.03, σ = 0.6, r = 4%, s = 5%.
pub(crate) fn base() -> Value {
    json!({
        "issue_date": "2025-12-15",
        "maturity_date": "2032-12-15",
        "valuation_date": "2025-12-15",
        "conversion_price": 19.16,
        "stock_price": 15.03,
        "volatility": 0.6,
        "risk_free_rate": 0.04,
        "credit_spread": 0.05
    })
}

pub(crate) fn with(mut body: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            body.as_object_mut().unwrap().remove(k);
        } else {
            body[k] = v.clone();
        }
    }
    body
}

fn f(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("a number, got {value}"))
}

fn d(value: Num) -> f64 {
    value.to_f64()
}

#[tokio::test]
async fn the_base_case_prices_within_half_a_percent_of_the_textbook_tf_tree() {
    let app = spawn_app().await;
    let res = app.post_json("/v1/convertibles/price", &base()).await;
    assert_eq!(res.status().as_u16(), 200);
    let body: Value = res.json().await.unwrap();
    let price = f(&body["price_per_100"]);
    // convertibles.json, base: tsiveriotis_fernandes 103.67754 (a 1,000-step
    // textbook tree); the closed-form European TF value is 103.717501
    // (see crates/core/tests/convertible_reference.rs).
    assert!((price - 103.67754).abs() / 103.67754 < 0.005, "{price}");
    assert!((price - 103.717501).abs() < 0.01, "{price}");
    assert!((f(&body["bond_floor_per_100"]) - 53.232922).abs() < 1e-6);
    assert!((f(&body["conversion_value_per_100"]) - 78.444676).abs() < 1e-6);
    // Per note: 10 × per 100, to cents.
    assert!((f(&body["price_per_note"]) - price * 10.0).abs() <= 0.005 + 1e-9);
    assert_eq!(body["model"], "tsiveriotis_fernandes");
    assert_eq!(body["steps"], 1000);
    let fraction = f(&body["delta_share_fraction"]);
    assert!(fraction > 0.0 && fraction < 1.0, "{fraction}");
    assert!(f(&body["cs01_per_100_per_bp"]) < 0.0);
    assert!(f(&body["convergence"]["change_from_half_steps_per_100"]).abs() < 0.01);
}

#[tokio::test]
async fn the_hazard_rate_model_prices_within_one_percent_of_financepy() {
    let app = spawn_app().await;
    let body = with(base(), json!({"model": "hazard_rate", "recovery_rate": 0}));
    let res = app.post_json("/v1/convertibles/price", &body).await;
    let body: Value = res.json().await.unwrap();
    // convertibles.json, base: hazard_rate_recovery_0 = 102.31031.
    let price = f(&body["price_per_100"]);
    assert!((price - 102.31031).abs() / 102.31031 < 0.01, "{price}");
    assert_eq!(body["model"], "hazard_rate");
}

#[tokio::test]
async fn the_typed_client_prices_the_seasoned_coupon_note_clean_and_dirty() {
    let app = spawn_app().await;
    // convertibles.json, seasoned_cpn4_semi: 4% semiannual, valued 91 days
    // into the first period: accrued 4 × 91/365 = 0.99726; TF 124.58623.
    let body = with(
        base(),
        json!({"valuation_date": "2026-03-16", "coupon_rate": 0.04, "coupon_frequency": 2}),
    );
    let request = serde_json::from_value(body).unwrap();
    let out = app.client.convertible_price(&request).await.unwrap();
    assert!((d(out.accrued_per_100) - 0.997260).abs() < 1e-6);
    assert!((d(out.price_per_100) - 124.58623).abs() / 124.58623 < 0.005);
    assert_eq!(
        out.clean_price_per_100,
        out.price_per_100.get() - out.accrued_per_100.get()
    );
}

#[tokio::test]
async fn implied_volatility_reproduces_the_price_it_came_from() {
    let app = spawn_app().await;
    let priced: Value = app
        .post_json("/v1/convertibles/price", &base())
        .await
        .json()
        .await
        .unwrap();
    let target = f(&priced["price_per_100"]);
    let request = with(
        base(),
        json!({"volatility": null, "solve_for": "volatility", "market_price_per_100": target}),
    );
    let out = app
        .client
        .convertible_implied(&serde_json::from_value(request).unwrap())
        .await
        .unwrap();
    // The target is rounded to 6 decimals; the price moves 0.33 per vol point.
    assert!((d(out.volatility.unwrap()) - 0.6).abs() < 1e-4, "{out:?}");
    assert!(out.credit_spread.is_none());
}

#[tokio::test]
async fn the_implied_spread_of_a_note_at_100_lies_between_5_and_10_percent() {
    let app = spawn_app().await;
    // The reference file prices the note at 103.68 with s = 5% and 91.39 with
    // s = 10% (S = 15.03): a price of 100 needs a spread in between.
    let request = with(
        base(),
        json!({"credit_spread": null, "solve_for": "credit_spread", "market_price_per_100": 100}),
    );
    let res = app.post_json("/v1/convertibles/implied", &request).await;
    let body: Value = res.json().await.unwrap();
    let spread = f(&body["credit_spread"]);
    assert!(spread > 0.05 && spread < 0.10, "{body}");
    assert!((f(&body["price_per_100"]) - 100.0).abs() < 1e-5);
}

#[tokio::test]
async fn every_implied_hazard_rate_spread_is_listed_and_the_one_nearest_the_start_answered() {
    let app = spawn_app().await;
    // At σ 60% and recovery 0.4 the hazard-rate price first falls and then
    // rises with the spread: the price at 8% is reached twice.
    let hazard = with(
        base(),
        json!({"model": "hazard_rate", "recovery_rate": 0.4, "credit_spread": 0.08}),
    );
    let priced: Value = app
        .post_json("/v1/convertibles/price", &hazard)
        .await
        .json()
        .await
        .unwrap();
    let target = f(&priced["price_per_100"]);
    let solve = |start: f64| {
        with(
            hazard.clone(),
            json!({"credit_spread": start, "solve_for": "credit_spread",
                   "market_price_per_100": target}),
        )
    };
    for (start, which) in [(0.07, 0), (0.2, 1)] {
        let res = app
            .post_json("/v1/convertibles/implied", &solve(start))
            .await;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        let roots = body["roots"].as_array().unwrap();
        assert_eq!(roots.len(), 2, "{body}");
        assert_eq!(body["credit_spread"], roots[which], "{body}");
        // The target is rounded to 6 decimals: a few 1e-7 of spread.
        assert!((f(&roots[0]) - 0.08).abs() < 1e-5, "{body}");
    }
}

#[tokio::test]
async fn an_unattainable_market_price_is_a_422_with_the_bounds() {
    let app = spawn_app().await;
    let request = with(
        base(),
        json!({"volatility": null, "solve_for": "volatility", "market_price_per_100": 1000}),
    );
    let res = app.post_json("/v1/convertibles/implied", &request).await;
    let body = assert_problem(res, 422, "target_unattainable").await;
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains("attainable range"), "{detail}");
}

#[tokio::test]
async fn the_profile_rises_with_the_stock_and_matches_the_single_price() {
    let app = spawn_app().await;
    let request = with(
        base(),
        json!({"stock_price": null, "stock_prices": [5, 15.03, 40]}),
    );
    let out = app
        .client
        .convertible_profile(&serde_json::from_value(request).unwrap())
        .await
        .unwrap();
    assert_eq!(out.points.len(), 3);
    assert!(out
        .points
        .windows(2)
        .all(|w| w[1].price_per_100 > w[0].price_per_100));
    let single: Value = app
        .post_json("/v1/convertibles/price", &base())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(d(out.points[1].price_per_100), f(&single["price_per_100"]));
    // convertibles.json: S = 5 (spread 1% and 10% bracket 5%) — TF 79.74 and
    // 49.11; S = 40: 232.48 and 214.14.
    let low = d(out.points[0].price_per_100);
    let high = d(out.points[2].price_per_100);
    assert!(low > 49.11 && low < 79.74, "{low}");
    assert!(high > 214.14 && high < 232.48, "{high}");
}

#[tokio::test]
async fn bad_inputs_are_422_naming_the_field() {
    let app = spawn_app().await;
    let cases = [
        (
            json!({"maturity_date": "2025-12-15"}),
            "date_order",
            "maturity_date",
        ),
        (json!({"volatility": 0}), "out_of_range", "volatility"),
        (json!({"volatility": 5.5}), "out_of_range", "volatility"),
        (
            json!({"credit_spread": -0.01}),
            "out_of_range",
            "credit_spread",
        ),
        (json!({"recovery_rate": 1}), "out_of_range", "recovery_rate"),
        (json!({"steps": 20001}), "out_of_range", "steps"),
        (
            json!({"conversion_start_date": "2033-01-01"}),
            "date_order",
            "conversion_start_date",
        ),
        (
            json!({"call_schedule": [{"from_date": "2028-12-15", "to_date": "2033-12-15", "price": 100}]}),
            "date_order",
            "call_schedule[0].to_date",
        ),
        (
            json!({"put_schedule": [{"date": "2020-01-01", "price": 100}]}),
            "date_order",
            "put_schedule[0].date",
        ),
        (
            json!({"model": "hazard_rate", "volatility": 0.2}),
            "inconsistent",
            "volatility",
        ),
    ];
    for (change, code, field) in cases {
        let res = app
            .post_json("/v1/convertibles/price", &with(base(), change.clone()))
            .await;
        let body = assert_problem(res, 422, code).await;
        assert_eq!(body["field"], field, "{change}: {body}");
    }
    let both = with(base(), json!({"conversion_rate": 52.1832}));
    let res = app.post_json("/v1/convertibles/price", &both).await;
    assert_problem(res, 422, "exactly_one_of").await;
    let many: Vec<f64> = (1..=501).map(f64::from).collect();
    let res = app
        .post_json(
            "/v1/convertibles/profile",
            &with(base(), json!({"stock_price": null, "stock_prices": many})),
        )
        .await;
    let body = assert_problem(res, 422, "too_many_items").await;
    assert_eq!(body["field"], "stock_prices");
    // 16 × 20,000^1.5 = 45,254,834 is above the profile's work cap of 45,000,000.
    let sixteen: Vec<f64> = (1..=16).map(f64::from).collect();
    let res = app
        .post_json(
            "/v1/convertibles/profile",
            &with(
                base(),
                json!({"stock_price": null, "stock_prices": sixteen, "steps": 20000}),
            ),
        )
        .await;
    let body = assert_problem(res, 422, "inconsistent").await;
    assert_eq!(body["field"], "stock_prices");
}
