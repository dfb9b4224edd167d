//! Charts through the real server: content negotiation on `Accept`, and
//! the spec that lists `image/svg+xml`.

use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_app, TestApp};

const SVG: &str = "image/svg+xml";

/// The six operations that draw a chart.
const CHARTED: [&str; 6] = [
    "/v1/colocation/project",
    "/v1/colocation/sensitivity",
    "/v1/convertibles/dilution",
    "/v1/convertibles/profile",
    "/v1/mining/projection",
    "/v1/valuations/sum-of-parts",
];

/// The first request example of the operation at `path`, from the served
/// spec.
fn example(spec: &Value, path: &str) -> Value {
    spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["examples"]
        .as_object()
        .and_then(|examples| examples.values().next())
        .map(|example| example["value"].clone())
        .unwrap_or_else(|| panic!("{path} has no request example"))
}

async fn post(app: &TestApp, path: &str, accept: Option<&str>, body: &Value) -> reqwest::Response {
    let mut request = app
        .http
        .post(format!("{}{path}", app.address))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    request.send().await.unwrap()
}

fn header<'a>(res: &'a reqwest::Response, name: &str) -> &'a str {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn every_charted_operation_answers_its_example_with_an_svg_chart_when_asked() {
    let app = spawn_app().await;
    let spec = app.served_spec().await;
    for path in CHARTED {
        let res = post(&app, path, Some(SVG), &example(&spec, path)).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(header(&res, "content-type"), SVG, "{path}");
        assert_eq!(header(&res, "vary"), "accept", "{path}");
        let svg = res.text().await.unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), "svg", "{path}");
        let texts = doc.descendants().filter(|n| n.has_tag_name("text")).count();
        assert!(texts > 10, "{path}: {texts} texts");
    }
}

#[tokio::test]
async fn json_stays_the_default_without_accept_or_with_any_type() {
    let app = spawn_app().await;
    let spec = app.served_spec().await;
    let body = example(&spec, "/v1/convertibles/profile");
    for accept in [
        None,
        Some("*/*"),
        Some("application/json"),
        Some("image/svg+xml;q=0.5, application/json"),
    ] {
        let res = post(&app, "/v1/convertibles/profile", accept, &body).await;
        assert_eq!(res.status(), 200, "{accept:?}");
        assert_eq!(
            header(&res, "content-type"),
            "application/json",
            "{accept:?}"
        );
        let answer: Value = res.json().await.unwrap();
        assert_eq!(
            answer["points"].as_array().map(Vec::len),
            Some(6),
            "{accept:?}"
        );
    }
}

#[tokio::test]
async fn svg_ranked_above_json_by_q_values_gets_the_chart() {
    let app = spawn_app().await;
    let spec = app.served_spec().await;
    let body = example(&spec, "/v1/colocation/project");
    let res = post(
        &app,
        "/v1/colocation/project",
        Some("application/json;q=0.4, image/*;q=0.9"),
        &body,
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-type"), SVG);
}

#[tokio::test]
async fn a_type_the_operation_cannot_produce_is_406_problem_json() {
    let app = spawn_app().await;
    let spec = app.served_spec().await;
    let body = example(&spec, "/v1/convertibles/profile");
    let res = post(&app, "/v1/convertibles/profile", Some("image/png"), &body).await;
    let problem = assert_problem(res, 406, "not_acceptable").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("image/svg+xml"),
        "{problem}"
    );
    // JSON refused outright, and nothing else offered.
    let res = post(
        &app,
        "/v1/convertibles/profile",
        Some("application/json;q=0"),
        &body,
    )
    .await;
    assert_problem(res, 406, "not_acceptable").await;
}

#[tokio::test]
async fn svg_from_an_operation_without_a_chart_is_406() {
    let app = spawn_app().await;
    let body = json!({"it_capacity_mw": 250, "rate_per_kw_month": 133.33});
    let res = post(&app, "/v1/colocation/arr", Some(SVG), &body).await;
    let problem = assert_problem(res, 406, "not_acceptable").await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .ends_with("application/json"),
        "{problem}"
    );
    // The same body with JSON accepted is answered.
    assert_eq!(
        post(&app, "/v1/colocation/arr", None, &body).await.status(),
        200
    );
}

#[tokio::test]
async fn an_invalid_body_is_still_a_422_problem_when_svg_is_asked_for() {
    let app = spawn_app().await;
    let spec = app.served_spec().await;
    let mut body = example(&spec, "/v1/convertibles/profile");
    body["volatility"] = json!(-1);
    let res = post(&app, "/v1/convertibles/profile", Some(SVG), &body).await;
    let problem = assert_problem(res, 422, "out_of_range").await;
    assert_eq!(problem["field"], "volatility");
    let res = post(
        &app,
        "/v1/mining/projection",
        Some(SVG),
        &json!({"months": 24}),
    )
    .await;
    assert_problem(res, 422, "missing_field").await;
}

#[tokio::test]
async fn the_spec_lists_svg_as_a_second_200_content_type_of_exactly_the_charted_operations() {
    let spec = spawn_app().await.served_spec().await;
    for (path, item) in spec["paths"].as_object().unwrap() {
        let Some(operation) = item.get("post") else {
            continue;
        };
        // The batch answers JSON or NDJSON, negotiated by its own handler
        // (tests/api/batch.rs); it is not an operation of the list.
        if path == "/v1/batch" {
            continue;
        }
        let content = operation["responses"]["200"]["content"]
            .as_object()
            .unwrap();
        let media_types: Vec<&str> = content.keys().map(String::as_str).collect();
        if CHARTED.contains(&path.as_str()) {
            assert_eq!(media_types, ["application/json", SVG], "{path}");
            assert_eq!(content[SVG]["schema"]["type"], "string", "{path}");
        } else {
            assert_eq!(media_types, ["application/json"], "{path}");
        }
        let not_acceptable = &operation["responses"]["406"]["content"]["application/problem+json"];
        assert_eq!(
            not_acceptable["schema"]["$ref"], "#/components/schemas/Problem",
            "{path}"
        );
    }
}
