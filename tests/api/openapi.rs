//! The spec: served, committed, and its examples usable as they are.

use serde_json::Value;

use crate::helpers::spawn_app;

const REGENERATE: &str = "cargo run -q -p infraval-server -- openapi > openapi/openapi.json";

async fn served_spec() -> Value {
    spawn_app().await.served_spec().await
}

#[tokio::test]
async fn the_served_spec_is_openapi_3_1() {
    let spec = served_spec().await;
    assert_eq!(spec["openapi"], "3.1.0");
    assert_eq!(spec["info"]["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn the_committed_spec_equals_the_served_spec() {
    let served = served_spec().await;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json");
    let committed: Value = std::fs::read_to_string(path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(Value::Null);
    assert!(
        committed == served,
        "openapi/openapi.json is out of date with the code; regenerate it with:\n    {REGENERATE}"
    );
}

#[tokio::test]
async fn every_post_operation_documents_its_problem_responses() {
    let spec = served_spec().await;
    for (path, item) in spec["paths"].as_object().unwrap() {
        let Some(operation) = item.get("post") else {
            continue;
        };
        for status in ["400", "401", "413", "415", "422"] {
            let response = &operation["responses"][status];
            assert!(
                response["content"]["application/problem+json"]["schema"]["$ref"]
                    == "#/components/schemas/Problem",
                "POST {path} does not document {status} as a Problem"
            );
        }
    }
}

#[tokio::test]
async fn the_docs_serve_swagger_ui_with_no_network() {
    let app = spawn_app().await;
    let res = app
        .http
        .get(format!("{}/docs/", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    let bundle = app
        .http
        .get(format!("{}/docs/swagger-ui-bundle.js", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(
        bundle.status(),
        200,
        "the vendored Swagger UI bundle is served"
    );
}

#[tokio::test]
async fn the_root_redirects_to_the_docs() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client
        .get(format!("{}/", app.address))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(res.headers()["location"], "/docs/");
}
