//! Each error class answers problem+json with its status and code.

use serde_json::json;

use crate::helpers::{assert_problem, raw_http, spawn_app};

const ARR: &str = "/v1/colocation/arr";

#[tokio::test]
async fn malformed_json_is_a_400() {
    let app = spawn_app().await;
    let res = app
        .post_raw(ARR, "application/json", r#"{"it_capacity_mw": 250,"#)
        .await;
    assert_problem(res, 400, "malformed_json").await;
}

#[tokio::test]
async fn an_empty_body_is_a_400() {
    let app = spawn_app().await;
    let res = app.post_raw(ARR, "application/json", "").await;
    assert_problem(res, 400, "malformed_json").await;
}

#[tokio::test]
async fn invalid_utf8_is_a_400() {
    let app = spawn_app().await;
    let res = app
        .post_raw(ARR, "application/json", vec![b'{', 0xff, 0xfe, b'}'])
        .await;
    assert_problem(res, 400, "malformed_json").await;
}

#[tokio::test]
async fn a_wrong_content_type_is_a_415() {
    let app = spawn_app().await;
    let res = app
        .post_raw(
            ARR,
            "text/plain",
            r#"{"it_capacity_mw": 250, "rate_per_kw_month": 133.33}"#,
        )
        .await;
    assert_problem(res, 415, "unsupported_media_type").await;
}

#[tokio::test]
async fn a_missing_field_is_a_422_naming_it() {
    let app = spawn_app().await;
    // The ARR endpoint solves for whichever value is missing, so this uses
    // build cost, whose `cost_per_mw` is required.
    let res = app
        .post_json("/v1/build-cost", &json!({"it_capacity_mw": 250}))
        .await;
    let problem = assert_problem(res, 422, "missing_field").await;
    assert_eq!(problem["field"], "cost_per_mw");
}

#[tokio::test]
async fn a_wrong_type_is_a_422_naming_the_field() {
    let app = spawn_app().await;
    let res = app
        .post_json(
            ARR,
            &json!({"it_capacity_mw": [250], "rate_per_kw_month": 133.33}),
        )
        .await;
    let problem = assert_problem(res, 422, "invalid_type").await;
    assert_eq!(problem["field"], "it_capacity_mw");
}

#[tokio::test]
async fn a_number_written_as_a_string_is_a_422() {
    let app = spawn_app().await;
    for text in ["250", "NaN", "Infinity"] {
        let res = app
            .post_json(
                ARR,
                &json!({"it_capacity_mw": text, "rate_per_kw_month": 133.33}),
            )
            .await;
        let problem = assert_problem(res, 422, "invalid_type").await;
        assert_eq!(problem["field"], "it_capacity_mw");
    }
}

#[tokio::test]
async fn an_unknown_field_is_a_422_not_a_silent_default() {
    let app = spawn_app().await;
    let body = json!({"it_capacity_mw": 250, "rate_per_kw_month": 133.33, "ocupancy": 0.5});
    let problem = assert_problem(app.post_json(ARR, &body).await, 422, "unknown_field").await;
    assert_eq!(problem["field"], "ocupancy");
}

#[tokio::test]
async fn a_duplicate_key_is_a_422() {
    let app = spawn_app().await;
    let body = r#"{"it_capacity_mw": 250, "it_capacity_mw": 1, "rate_per_kw_month": 133.33}"#;
    let problem = assert_problem(
        app.post_raw(ARR, "application/json", body).await,
        422,
        "duplicate_field",
    )
    .await;
    assert_eq!(problem["field"], "it_capacity_mw");
}

#[tokio::test]
async fn a_value_out_of_range_is_a_422_naming_the_field() {
    let app = spawn_app().await;
    let body = json!({"it_capacity_mw": 250, "rate_per_kw_month": 133.33, "occupancy": 1.2});
    let problem = assert_problem(app.post_json(ARR, &body).await, 422, "out_of_range").await;
    assert_eq!(problem["field"], "occupancy");
}

#[tokio::test]
async fn a_number_beyond_decimal_range_is_a_422() {
    let app = spawn_app().await;
    let body = r#"{"it_capacity_mw": 1e30, "rate_per_kw_month": 133.33}"#;
    let problem = assert_problem(
        app.post_raw(ARR, "application/json", body).await,
        422,
        "invalid_value",
    )
    .await;
    assert_eq!(problem["field"], "it_capacity_mw");
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413() {
    let app = spawn_app().await;
    // The test settings keep the default limit of 256 KiB.
    let body = format!(r#"{{"pad": "{}"}}"#, "x".repeat(300 * 1024));
    let res = app.post_raw(ARR, "application/json", body).await;
    assert_problem(res, 413, "payload_too_large").await;
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_a_413_without_a_content_length() {
    let app = spawn_app().await;
    let mut request = format!(
        "POST {ARR} HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n\
         transfer-encoding: chunked\r\nconnection: close\r\n\r\n"
    );
    let chunk = " ".repeat(8 * 1024);
    for _ in 0..40 {
        request.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
    }
    request.push_str("0\r\n\r\n");
    let response = raw_http(&app.address, request.as_bytes()).await;
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert!(response.contains("payload_too_large"), "{response}");
}

#[tokio::test]
async fn an_unknown_route_is_a_404() {
    let app = spawn_app().await;
    let res = app
        .http
        .get(format!("{}/v1/nothing-here", app.address))
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
}

#[tokio::test]
async fn the_wrong_method_is_a_405_with_allow() {
    let app = spawn_app().await;
    let res = app
        .http
        .get(format!("{}{ARR}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["allow"], "POST");
    assert_problem(res, 405, "method_not_allowed").await;
}

#[tokio::test]
async fn a_problem_carries_the_request_id() {
    let app = spawn_app().await;
    let res = app
        .http
        .post(format!("{}{ARR}", app.address))
        .header("content-type", "application/json")
        .header("x-request-id", "trace-42")
        .body("{")
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, 400, "malformed_json").await;
    assert_eq!(problem["request_id"], "trace-42");
}

#[tokio::test]
async fn a_date_not_written_yyyy_mm_dd_is_refused_naming_the_format() {
    let app = spawn_app().await;
    for date in ["2032-12-15T00:00:00", "15/12/2032", "2032-13-01"] {
        let body = json!({
            "price_per_100": 80, "coupon_rate": 0,
            "settlement_date": "2025-12-15", "maturity_date": date
        });
        let problem = assert_problem(
            app.post_json("/v1/convertibles/yield", &body).await,
            422,
            "invalid_value",
        )
        .await;
        assert_eq!(problem["field"], "maturity_date");
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains("YYYY-MM-DD"), "{detail}");
    }
}

#[tokio::test]
async fn a_whole_number_field_refuses_a_fraction_in_words_not_rust_types() {
    let app = spawn_app().await;
    let body = json!({
        "price_per_100": 80, "coupon_rate": 0, "frequency": 1.5,
        "settlement_date": "2025-12-15", "maturity_date": "2032-06-15"
    });
    let problem = assert_problem(
        app.post_json("/v1/convertibles/yield", &body).await,
        422,
        "invalid_type",
    )
    .await;
    assert_eq!(problem["field"], "frequency");
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("expected a whole number"), "{detail}");
    assert!(
        !detail.contains("u32") && !detail.contains("Int"),
        "{detail}"
    );
}

#[tokio::test]
async fn every_field_out_of_range_is_listed_beside_the_first() {
    let app = spawn_app().await;
    let body = json!({"it_capacity_mw": 0, "rate_per_kw_month": 133.33, "pue": 7, "occupancy": 95});
    let problem = assert_problem(app.post_json(ARR, &body).await, 422, "out_of_range").await;
    assert_eq!(problem["field"], "it_capacity_mw");
    let errors = problem["errors"].as_array().unwrap();
    let fields: Vec<&str> = errors
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["it_capacity_mw", "pue", "occupancy"]);
    assert!(errors.iter().all(|e| e["code"] == "out_of_range"));
    assert_eq!(errors[0]["detail"], problem["detail"]);
    assert_eq!(
        errors[2]["detail"],
        "`occupancy` is a fraction: 95 means 9500%; did you mean 0.95?"
    );
}

#[tokio::test]
async fn a_body_that_is_an_array_is_refused_not_read_by_position() {
    let app = spawn_app().await;
    // [it_capacity_mw, utility_power_mw, pue, rate_per_kw_month] by position
    // once answered 200 with an ARR of 399,990,000.
    let res = app
        .post_raw(ARR, "application/json", "[250, null, null, 133.33]")
        .await;
    let problem = assert_problem(res, 422, "invalid_type").await;
    assert!(problem.get("field").is_none(), "{problem}");
    assert_eq!(
        problem["detail"],
        "the request body must be a JSON object, got an array"
    );
}
