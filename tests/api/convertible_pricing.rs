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
async fn an_unattainable_market_price_is_a_422_naming_the_solved_field_and_its_range() {
    let app = spawn_app().await;
    let request = with(
        base(),
        json!({"volatility": null, "solve_for": "volatility", "market_price_per_100": 1000}),
    );
    let res = app.post_json("/v1/convertibles/implied", &request).await;
    let body = assert_problem(res, 422, "solution_out_of_range").await;
    assert_eq!(body["field"], "volatility", "{body}");
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains("[0.01, 5]"), "{detail}");
}

#[tokio::test]
async fn implied_never_answers_a_volatility_or_spread_that_price_refuses() {
    // At the money (S = conversion price = 19.16) with r = s = q = 0 the
    // note is its 100 of principal plus an at-the-money call on 5.219
    // shares: about 100 + 0.4 × σ√7 × 100 per 100 (Brenner-Subrahmanyam),
    // so 100.3 needs σ ≈ 0.3 / 105.8 ≈ 0.003, below the 0.01 that `/price` accepts. The
    // search once ran from 0.001 and answered it.
    let app = spawn_app().await;
    let note = with(
        base(),
        json!({"stock_price": 19.16, "risk_free_rate": 0, "credit_spread": 0}),
    );
    let low = with(note.clone(), json!({"volatility": 0.003}));
    let res = app.post_json("/v1/convertibles/price", &low).await;
    let body = assert_problem(res, 422, "out_of_range").await;
    assert_eq!(body["field"], "volatility", "{body}");
    let request = with(
        note.clone(),
        json!({"volatility": null, "solve_for": "volatility", "market_price_per_100": 100.3}),
    );
    let res = app.post_json("/v1/convertibles/implied", &request).await;
    let body = assert_problem(res, 422, "solution_out_of_range").await;
    assert_eq!(body["field"], "volatility", "{body}");
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains("[0.01, 5]"), "{detail}");
    // Within the range it answers: 101.5 needs σ ≈ 1.5 / 105.8 ≈ 0.014.
    let request = with(request, json!({"market_price_per_100": 101.5}));
    let res = app.post_json("/v1/convertibles/implied", &request).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let vol = f(&body["volatility"]);
    assert!((0.01..=0.03).contains(&vol), "{body}");
    // The spread's range is [0, 0.5]: a price below what a 50% spread
    // gives is out of range, naming `credit_spread`.
    let request = with(
        base(),
        json!({"credit_spread": null, "solve_for": "credit_spread", "market_price_per_100": 1}),
    );
    let res = app.post_json("/v1/convertibles/implied", &request).await;
    let body = assert_problem(res, 422, "solution_out_of_range").await;
    assert_eq!(body["field"], "credit_spread", "{body}");
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains("[0, 0.5]"), "{detail}");
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

/// CleanSpark's 0% notes due 15 Feb 2032 (industry-terms.md): 52.1832 shares
/// per $1,000, callable from 20 Feb 2029 at par when the stock is at least
/// 130% of the conversion price on 20 of 30 trading days.
pub(crate) fn cleanspark_2032() -> Value {
    json!({
        "issue_date": "2025-12-15",
        "maturity_date": "2032-02-15",
        "valuation_date": "2025-12-15",
        "conversion_rate": 52.1832,
        "stock_price": 15.03,
        "volatility": 0.65,
        "risk_free_rate": 0.04,
        "credit_spread": 0.0,
        "call_schedule": [{"from_date": "2029-02-20", "to_date": "2032-02-15", "price": 100,
                           "trigger": 1.3, "trigger_days": 20, "window_days": 30}]
    })
}

#[tokio::test]
async fn the_twenty_of_thirty_call_is_priced_by_the_lattice_near_the_independent_paths() {
    let app = spawn_app().await;
    let res = app
        .post_json("/v1/convertibles/price", &cleanspark_2032())
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["engine"], "lattice");
    // bench/convertible_daily_mc.py: 118.8010 ± 0.0163 (numpy daily paths).
    assert!((f(&body["price_per_100"]) - 118.801).abs() < 0.25, "{body}");
    assert!(body["standard_error_per_100"].is_null());
    assert!(body["call_probability"].is_null());
    // A zero bought above par yields less than nothing; no put, so no
    // yield to put; worst is the least of the others.
    assert!(f(&body["yield_to_maturity"]) < 0.0);
    assert!(body["yield_to_put"].is_null());
    assert!(f(&body["yield_to_worst"]) <= f(&body["yield_to_maturity"]));
    assert!(body["breakeven_years"].is_null());
    let events = body["events"].as_array().unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["call_start", "call_end", "maturity"], "{events:?}");
}

#[tokio::test]
async fn the_exact_engine_answers_with_its_error_probabilities_and_the_daily_grid() {
    let app = spawn_app().await;
    let body = with(
        cleanspark_2032(),
        json!({"engine": "monte_carlo", "paths": 8192, "seed": 7}),
    );
    let res = app.post_json("/v1/convertibles/price", &body).await;
    assert_eq!(res.status().as_u16(), 200);
    let out: Value = res.json().await.unwrap();
    assert_eq!(out["engine"], "monte_carlo");
    assert_eq!(out["paths"], 8192);
    assert_eq!(out["seed"], 7);
    let se = f(&out["standard_error_per_100"]);
    assert!(se > 0.0 && se < 0.15, "{se}");
    // bench/convertible_daily_mc.py: 118.8010 ± 0.0163.
    assert!((f(&out["price_per_100"]) - 118.801).abs() < 4.0 * se.hypot(0.0163));
    // The lattice's price beside it, with the effective trigger.
    let lattice = f(&out["lattice_price_per_100"]);
    assert!((lattice - 118.801).abs() < 0.25, "{lattice}");
    assert_ne!(lattice, f(&out["price_per_100"]));
    let call = f(&out["call_probability"]);
    let conversion = f(&out["conversion_probability"]);
    assert!(
        call > 0.0 && call <= conversion && conversion <= 1.0,
        "{out}"
    );
    let life = f(&out["expected_life_years"]);
    assert!(life > 3.0 && life <= 2253.0 / 365.0, "{life}");
    // 2029-02-20 is a Tuesday, so the daily grid places it on itself.
    let start = out["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "call_start")
        .unwrap()
        .clone();
    assert_eq!(start["date"], "2029-02-20");
    // Weekdays from 2025-12-16 to 2029-02-20, counted with Python's datetime.
    assert_eq!(start["step"], 831);
}

fn make_whole() -> Value {
    json!({
        "effective_dates": ["2025-12-15", "2028-12-15", "2032-02-15"],
        "stock_prices": [15.03, 19.16, 30],
        "additional_shares_per_1000": [[14.3504, 7.8, 2.0], [14.3504, 5.1, 0.8], [14.3504, 0, 0]],
        "max_conversion_rate": 66.5336
    })
}

#[tokio::test]
async fn terms_only_the_exact_engine_prices_select_it_and_the_lattice_refuses_them() {
    let app = spawn_app().await;
    let body = with(
        cleanspark_2032(),
        json!({"make_whole": make_whole(), "fundamental_change": {"intensity_per_year": 0.05},
               "contingent_conversion": {"until_date": "2031-08-15"}, "paths": 2048}),
    );
    let res = app.post_json("/v1/convertibles/price", &body).await;
    assert_eq!(res.status().as_u16(), 200);
    let out: Value = res.json().await.unwrap();
    assert_eq!(out["engine"], "monte_carlo");
    // A takeover announced today at 15.03: the make-whole table gives
    // 14.3504 more shares, (52.1832 + 14.3504) / 10 × 15.03 = 100.0 per 100,
    // against the put at 100: 100.
    assert!(
        (f(&out["takeover_value_per_100"]) - 100.0).abs() < 1e-3,
        "{out}"
    );
    let kinds: Vec<String> = out["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    assert!(kinds.contains(&"make_whole".to_string()));
    assert!(kinds.contains(&"contingent_conversion_test".to_string()));
    assert!(kinds.contains(&"contingent_conversion_end".to_string()));
    let lattice = with(body, json!({"engine": "lattice", "paths": null}));
    let res = app.post_json("/v1/convertibles/price", &lattice).await;
    let problem = assert_problem(res, 422, "inconsistent").await;
    assert_eq!(problem["field"], "engine");
}

#[tokio::test]
async fn bad_contract_terms_are_422_naming_the_field() {
    let app = spawn_app().await;
    let call = |extra: Value| {
        let mut c = json!({"from_date": "2029-02-20", "to_date": "2032-02-15", "price": 100, "trigger": 1.3});
        for (k, v) in extra.as_object().unwrap() {
            c[k] = v.clone();
        }
        json!({"call_schedule": [c]})
    };
    let table = |k: &str, v: Value| {
        let mut t = make_whole();
        t[k] = v;
        json!({"make_whole": t})
    };
    let cases = [
        (
            call(json!({"trigger_days": 31, "window_days": 30})),
            "inconsistent",
            "call_schedule[0].trigger_days",
        ),
        (
            call(json!({"trigger_days": 20})),
            "inconsistent",
            "call_schedule[0].window_days",
        ),
        (
            call(json!({"trigger_days": 20, "window_days": 65})),
            "out_of_range",
            "call_schedule[0].window_days",
        ),
        (
            table("stock_prices", json!([19.16, 15.03, 30])),
            "not_increasing",
            "make_whole.stock_prices",
        ),
        (
            table(
                "effective_dates",
                json!(["2028-12-15", "2025-12-15", "2032-02-15"]),
            ),
            "not_increasing",
            "make_whole.effective_dates",
        ),
        (
            table(
                "additional_shares_per_1000",
                json!([[14, 7, 2], [14, -1, 0.8], [14, 0, 0]]),
            ),
            "out_of_range",
            "make_whole.additional_shares_per_1000[1][1]",
        ),
        (
            table(
                "additional_shares_per_1000",
                json!([[14, 7, 2], [14, 5, 0.8]]),
            ),
            "inconsistent",
            "make_whole.additional_shares_per_1000",
        ),
        (
            table(
                "additional_shares_per_1000",
                json!([[14, 7], [14, 5, 0.8], [14, 0, 0]]),
            ),
            "inconsistent",
            "make_whole.additional_shares_per_1000[0]",
        ),
        (
            table("max_conversion_rate", json!(50)),
            "out_of_range",
            "make_whole.max_conversion_rate",
        ),
        (
            table(
                "effective_dates",
                json!(["2025-12-15", "2028-12-15", "2033-02-15"]),
            ),
            "date_order",
            "make_whole.effective_dates[2]",
        ),
        (
            json!({"contingent_conversion": {"until_date": "2033-01-01"}}),
            "date_order",
            "contingent_conversion.until_date",
        ),
        (
            json!({"contingent_conversion": {"until_date": "2031-08-15", "trigger_days": 40}}),
            "inconsistent",
            "contingent_conversion.trigger_days",
        ),
        (
            json!({"fundamental_change": {"intensity_per_year": 1.5}}),
            "out_of_range",
            "fundamental_change.intensity_per_year",
        ),
        (
            json!({"engine": "monte_carlo", "paths": 100}),
            "out_of_range",
            "paths",
        ),
        (json!({"seed": 3}), "inconsistent", "seed"),
    ];
    for (change, code, field) in cases {
        let res = app
            .post_json(
                "/v1/convertibles/price",
                &with(cleanspark_2032(), change.clone()),
            )
            .await;
        let body = assert_problem(res, 422, code).await;
        assert_eq!(body["field"], field, "{change}: {body}");
    }
}

#[tokio::test]
async fn implied_and_profile_run_the_exact_engine_when_asked() {
    let app = spawn_app().await;
    let exact = with(
        cleanspark_2032(),
        json!({"engine": "monte_carlo", "paths": 2048, "seed": 5}),
    );
    let res = app.post_json("/v1/convertibles/price", &exact).await;
    let priced: Value = res.json().await.unwrap();
    let target = f(&priced["price_per_100"]);
    // The exact engine's own price at σ 0.65 gives back σ 0.65: the solver
    // runs it from the same seed at every trial.
    let implied = with(
        exact.clone(),
        json!({"volatility": null, "solve_for": "volatility", "market_price_per_100": target}),
    );
    let res = app.post_json("/v1/convertibles/implied", &implied).await;
    let status = res.status().as_u16();
    let out: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["engine"], "monte_carlo");
    assert!((f(&out["volatility"]) - 0.65).abs() < 1e-4, "{out}");
    let profile = with(
        exact,
        json!({"stock_price": null, "stock_prices": [10, 15.03, 22]}),
    );
    let res = app.post_json("/v1/convertibles/profile", &profile).await;
    assert_eq!(res.status().as_u16(), 200);
    let out: Value = res.json().await.unwrap();
    assert_eq!(out["engine"], "monte_carlo");
    let points = out["points"].as_array().unwrap();
    assert!(points[1]["delta_per_100"].is_null());
    assert!(f(&points[1]["standard_error_per_100"]) > 0.0);
    // The middle point is the price above, from the same seed and paths.
    assert_eq!(points[1]["price_per_100"], priced["price_per_100"]);
    assert!(f(&points[0]["price_per_100"]) < f(&points[2]["price_per_100"]));
}
