//! Metrics, API keys, CORS and slow clients.

use std::time::Duration;

use infraval_server::config::Settings;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{assert_problem, spawn_app, spawn_app_with, spawn_app_with_api_key};

const ARR_BODY: &str = r#"{"it_capacity_mw": 250, "rate_per_kw_month": 133.33}"#;

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_status() {
    let app = spawn_app().await;
    app.post_raw("/v1/colocation/arr", "application/json", ARR_BODY)
        .await;
    app.post_raw("/v1/colocation/arr", "application/json", "{")
        .await;
    app.http
        .get(format!("{}/no/such/path/123", app.address))
        .send()
        .await
        .unwrap();
    let res = app
        .http
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = res.text().await.unwrap();
    let ok =
        r#"infraval_http_requests_total{method="POST",route="/v1/colocation/arr",status="200"} 1"#;
    let bad =
        r#"infraval_http_requests_total{method="POST",route="/v1/colocation/arr",status="400"} 1"#;
    assert!(text.contains(ok), "{text}");
    assert!(text.contains(bad), "{text}");
    // Raw paths never become labels: the 404 is counted under `unmatched`.
    assert!(
        text.contains(r#"route="unmatched",status="404"} 1"#),
        "{text}"
    );
    assert!(!text.contains("/no/such/path"), "{text}");
    assert!(text.contains(&format!(
        r#"infraval_build_info{{version="{}"}} 1"#,
        env!("CARGO_PKG_VERSION")
    )));
    // The scrape itself is in flight while the metrics are rendered.
    assert!(
        text.contains("infraval_http_requests_in_flight 1"),
        "{text}"
    );
    assert!(
        text.contains("infraval_http_request_duration_seconds_bucket{"),
        "{text}"
    );
}

// SHA-256 of "s3cret", from `printf %s s3cret | sha256sum`.
const S3CRET_SHA256: &str = "1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0";

async fn app_with_keys() -> crate::helpers::TestApp {
    spawn_app_with_api_key(S3CRET_SHA256).await
}

#[tokio::test]
async fn with_api_keys_set_v1_needs_a_bearer_key() {
    let app = app_with_keys().await;
    let url = format!("{}/v1/colocation/arr", app.address);
    let none = app
        .http
        .post(&url)
        .header("content-type", "application/json")
        .body(ARR_BODY)
        .send()
        .await
        .unwrap();
    assert_eq!(none.headers()["www-authenticate"], "Bearer");
    assert_problem(none, 401, "unauthorized").await;
    let wrong = app
        .http
        .post(&url)
        .bearer_auth("s3cret!")
        .header("content-type", "application/json")
        .body(ARR_BODY)
        .send()
        .await
        .unwrap();
    assert_problem(wrong, 401, "unauthorized").await;
    let right = app
        .http
        .post(&url)
        .bearer_auth("s3cret")
        .header("content-type", "application/json")
        .body(ARR_BODY)
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 200);
}

#[tokio::test]
async fn with_api_keys_set_health_docs_spec_and_metrics_stay_open() {
    let app = app_with_keys().await;
    for path in ["/health", "/ready", "/openapi.json", "/docs/", "/metrics"] {
        let res = app
            .http
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
    }
}

#[tokio::test]
async fn cors_is_off_unless_origins_are_listed() {
    let app = spawn_app().await;
    let res = app
        .http
        .get(format!("{}/health", app.address))
        .header("origin", "https://analyst.example")
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn a_listed_origin_passes_a_preflight_and_others_do_not() {
    let app = spawn_app_with(Settings {
        cors_origins: vec!["https://analyst.example".to_owned()],
        ..Settings::for_tests()
    })
    .await;
    let preflight = |origin: &'static str| {
        app.http
            .request(
                reqwest::Method::OPTIONS,
                format!("{}/v1/colocation/arr", app.address),
            )
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let allowed = preflight("https://analyst.example").await.unwrap();
    assert!(allowed.status().is_success(), "{}", allowed.status());
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://analyst.example"
    );
    let refused = preflight("https://elsewhere.example").await.unwrap();
    assert!(refused
        .headers()
        .get("access-control-allow-origin")
        .is_none());
}

#[tokio::test]
async fn a_client_that_sends_its_headers_too_slowly_is_cut_off() {
    let app = spawn_app_with(Settings {
        client_request_timeout: Duration::from_millis(300),
        ..Settings::for_tests()
    })
    .await;
    let mut stream = tokio::net::TcpStream::connect(app.address.trim_start_matches("http://"))
        .await
        .unwrap();
    stream
        .write_all(b"POST /v1/colocation/arr HTTP/1.1\r\nhost: x\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(3), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the connection was still open after 3 s");
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
}

#[tokio::test]
async fn a_request_id_header_that_is_too_long_is_replaced() {
    let app = spawn_app().await;
    let long = "x".repeat(500);
    let res = app
        .http
        .get(format!("{}/health", app.address))
        .header("x-request-id", &long)
        .send()
        .await
        .unwrap();
    assert_ne!(res.headers()["x-request-id"], long.as_str());
}
