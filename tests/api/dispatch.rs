//! The direct path for `POST /v1/*` answers exactly as the `App` does.
//!
//! With CORS origins listed the direct path is off, so a server with CORS
//! on answers every request through actix-web's `App`. Every documented
//! operation, with its example and with broken versions of it, gets the
//! same status, media type, body (request ids aside) and request id from
//! both servers.

use infraval_server::auth::ApiKeys;
use infraval_server::config::Settings;
use serde_json::Value;

use crate::helpers::{raw_http, spawn_app_with, TestApp};
use crate::hostile::operations;

/// Settings that turn the direct path off (and CORS on).
fn app_path(settings: Settings) -> Settings {
    Settings {
        cors_origins: vec!["https://analyst.example".to_owned()],
        ..settings
    }
}

/// What must match: status, media type, request id header and the body
/// (as JSON, with the body's own request id removed).
async fn answer(
    app: &TestApp,
    path: &str,
    content_type: Option<&str>,
    body: &str,
    headers: &[(&str, &str)],
) -> (u16, String, Option<String>, Value) {
    let mut request = app
        .http
        .post(format!("{}{path}", app.address))
        .body(body.to_owned());
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let res = request
        .send()
        .await
        .expect("the request reaches the server");
    let status = res.status().as_u16();
    let header = |name: &str| {
        res.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let media = header("content-type").unwrap_or_default();
    let id = header("x-request-id");
    assert!(id.is_some(), "{path}: no x-request-id");
    let mut json: Value = serde_json::from_slice(&res.bytes().await.unwrap())
        .unwrap_or_else(|e| panic!("{path}: the body is not JSON: {e}"));
    if let Some(problem) = json.as_object_mut() {
        if status >= 400 {
            let echoed = problem.remove("request_id");
            assert_eq!(echoed.and_then(|v| v.as_str().map(str::to_owned)), id);
        }
    }
    // Generated ids differ between servers; the caller's must be echoed.
    let id = headers
        .iter()
        .any(|(name, _)| *name == "x-request-id")
        .then_some(id)
        .flatten();
    (status, media, id, json)
}

/// Headers to send, as name and value.
type Headers<'a> = &'a [(&'a str, &'a str)];

/// Sends each variant of each operation to both servers and compares.
async fn compare(direct: &TestApp, via_app: &TestApp, auth: &[(&str, &str)]) -> usize {
    let mut compared = 0;
    for (path, example) in operations(direct).await {
        let first_key = example
            .as_object()
            .and_then(|o| o.keys().next().cloned())
            .expect("examples are objects");
        let mut missing = example.clone();
        missing.as_object_mut().unwrap().remove(&first_key);
        let mut unknown = example.clone();
        unknown["not_a_field"] = Value::from(1);
        let mut wrong_type = example.clone();
        wrong_type[&first_key] = Value::from("a string");
        let example_text = example.to_string();
        let with_id: Vec<(&str, &str)> = auth
            .iter()
            .copied()
            .chain([("x-request-id", "caller-id-42")])
            .collect();
        let variants: Vec<(&str, Option<&str>, String, Headers)> = vec![
            (
                "example",
                Some("application/json"),
                example_text.clone(),
                auth,
            ),
            (
                "caller id",
                Some("application/json"),
                example_text.clone(),
                &with_id,
            ),
            ("no content type", None, example_text.clone(), auth),
            ("text/plain", Some("text/plain"), example_text.clone(), auth),
            ("empty", Some("application/json"), String::new(), auth),
            (
                "cut short",
                Some("application/json"),
                example_text[..example_text.len() / 2].to_owned(),
                auth,
            ),
            (
                "missing field",
                Some("application/json"),
                missing.to_string(),
                auth,
            ),
            (
                "unknown field",
                Some("application/json"),
                unknown.to_string(),
                auth,
            ),
            (
                "wrong type",
                Some("application/json"),
                wrong_type.to_string(),
                auth,
            ),
            (
                "no key",
                Some("application/json"),
                example_text.clone(),
                &[],
            ),
        ];
        for (name, content_type, body, headers) in variants {
            let one = answer(direct, &path, content_type, &body, headers).await;
            let other = answer(via_app, &path, content_type, &body, headers).await;
            assert_eq!(one, other, "POST {path}, {name}: direct path vs App");
            assert!(one.0 < 500, "POST {path}, {name}: {one:?}");
            compared += 1;
        }
    }
    compared
}

#[tokio::test]
async fn every_operation_answers_the_same_on_the_direct_path_and_through_the_app() {
    let direct = spawn_app_with(Settings::for_tests()).await;
    let via_app = spawn_app_with(app_path(Settings::for_tests())).await;
    let compared = compare(&direct, &via_app, &[]).await;
    assert!(compared >= 14 * 10, "{compared}");
}

#[tokio::test]
async fn with_api_keys_both_paths_refuse_and_accept_the_same_requests() {
    // SHA-256("s3cret"), as in operations.rs.
    const S3CRET_SHA256: &str = "1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0";
    let keyed = || Settings {
        api_keys: Some(ApiKeys::parse(S3CRET_SHA256).unwrap()),
        ..Settings::for_tests()
    };
    let direct = spawn_app_with(keyed()).await;
    let via_app = spawn_app_with(app_path(keyed())).await;
    compare(&direct, &via_app, &[("authorization", "Bearer s3cret")]).await;
    // And the direct path does refuse: no key is a 401.
    let res = direct
        .post_json("/v1/colocation/arr", &serde_json::json!({}))
        .await;
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn with_cors_on_a_v1_post_carries_the_cors_headers() {
    let app = spawn_app_with(app_path(Settings::for_tests())).await;
    let res = app
        .http
        .post(format!("{}/v1/colocation/arr", app.address))
        .header("origin", "https://analyst.example")
        .header("content-type", "application/json")
        .body(r#"{"it_capacity_mw": 250, "rate_per_kw_month": 133.33, "occupancy": 1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://analyst.example"
    );
}

#[tokio::test]
async fn a_body_sent_in_chunks_is_read_whole_on_the_direct_path() {
    let app = spawn_app_with(Settings::for_tests()).await;
    let body = r#"{"it_capacity_mw": 250, "rate_per_kw_month": 133.33, "occupancy": 1}"#;
    let (head, tail) = body.split_at(20);
    let request = format!(
        "POST /v1/colocation/arr HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n\
         transfer-encoding: chunked\r\nconnection: close\r\n\r\n\
         {:x}\r\n{head}\r\n{:x}\r\n{tail}\r\n0\r\n\r\n",
        head.len(),
        tail.len()
    );
    let response = raw_http(&app.address, request.as_bytes()).await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    // 250 MW × 1,000 kW/MW × 1.0 × 133.33 $/kW-month × 12 = 399,990,000.
    assert!(response.contains(r#""arr":399990000.0"#), "{response}");
}
