//! A corpus of hostile inputs, sent to every POST operation in the spec,
//! starting from the operation's own request example. Each must get a 4xx
//! problem+json (or, where the mutation leaves a valid request, a 2xx);
//! never a 5xx.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};

/// Every POST operation's path and request example.
pub async fn operations(app: &TestApp) -> Vec<(String, Value)> {
    let spec: Value = app
        .http
        .get(format!("{}/openapi.json", app.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut ops = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        let Some(op) = item.get("post") else { continue };
        let media = &op["requestBody"]["content"]["application/json"];
        let example = match media.get("example") {
            Some(e) => e.clone(),
            None => {
                let reference = media["schema"]["$ref"].as_str().unwrap_or_default();
                let name = reference.rsplit('/').next().unwrap_or_default();
                spec["components"]["schemas"][name]["example"].clone()
            }
        };
        ops.push((path.clone(), example));
    }
    assert!(!ops.is_empty());
    ops
}

/// JSON pointers of every leaf of `kind` in `value`.
fn leaves(value: &Value, pointer: String, keep: &dyn Fn(&Value) -> bool, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                leaves(v, format!("{pointer}/{k}"), keep, out);
            }
        }
        Value::Array(items) => {
            if keep(value) {
                out.push(pointer.clone());
            }
            for (i, v) in items.iter().enumerate() {
                leaves(v, format!("{pointer}/{i}"), keep, out);
            }
        }
        other => {
            if keep(other) {
                out.push(pointer);
            }
        }
    }
}

fn with(example: &Value, pointer: &str, replacement: Value) -> Value {
    let mut body = example.clone();
    if let Some(slot) = body.pointer_mut(pointer) {
        *slot = replacement;
    }
    body
}

/// The batch item a pointer into `/v1/batch`'s example falls in: a bad
/// item is refused in its own results, not by the batch's status.
fn batch_item(path: &str, pointer: &str) -> Option<u64> {
    let rest = pointer.strip_prefix("/items/")?;
    (path == "/v1/batch").then(|| rest.split('/').next()?.parse().ok())?
}

/// Checks one answer: never a 5xx; a 4xx is problem+json; `must_refuse`
/// demands a 4xx (of the item at `pointer`, for a batch).
async fn check(res: reqwest::Response, what: &str, must_refuse: bool) {
    check_at(res, what, must_refuse, None).await;
}

async fn check_at(res: reqwest::Response, what: &str, must_refuse: bool, item: Option<u64>) {
    let status = res.status().as_u16();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = res.text().await.unwrap_or_default();
    assert!(status < 500, "{what}: answered {status}: {body}");
    if let (Some(index), 200) = (item, status) {
        let answer: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        let results = answer["results"].as_array().cloned().unwrap_or_default();
        let own: Vec<&Value> = results.iter().filter(|r| r["index"] == index).collect();
        assert!(
            !own.is_empty(),
            "{what}: no result for item {index}: {body}"
        );
        for result in own {
            let item_status = result["status"].as_u64().unwrap_or(0);
            assert!(
                item_status < 500,
                "{what}: item answered {item_status}: {body}"
            );
            if must_refuse {
                assert!(
                    (400..500).contains(&item_status) && result["problem"]["code"].is_string(),
                    "{what}: item answered {item_status}, expected a 4xx problem: {body}"
                );
            }
        }
        return;
    }
    if must_refuse {
        assert!(
            (400..500).contains(&status),
            "{what}: answered {status}, expected a 4xx: {body}"
        );
    }
    if status >= 400 {
        assert_eq!(content_type, "application/problem+json", "{what}: {body}");
        let problem: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        assert!(
            problem["code"].is_string(),
            "{what}: not a problem body: {body}"
        );
    } else {
        assert!(status < 300, "{what}: answered {status}");
    }
}

#[tokio::test]
async fn extreme_numbers_in_every_numeric_field_never_cause_a_5xx() {
    let app = spawn_app().await;
    for (path, example) in operations(&app).await {
        let mut numbers = Vec::new();
        leaves(&example, String::new(), &|v| v.is_number(), &mut numbers);
        for pointer in &numbers {
            // 1e30 is beyond every documented range.
            let body = with(&example, pointer, json!(1e30));
            let what = format!("POST {path} with {pointer} = 1e30");
            let item = batch_item(&path, pointer);
            check_at(app.post_json(&path, &body).await, &what, true, item).await;
            for tiny in [json!(-0.0), json!(1e-30), json!(-1e30)] {
                let body = with(&example, pointer, tiny.clone());
                let what = format!("POST {path} with {pointer} = {tiny}");
                check_at(app.post_json(&path, &body).await, &what, false, item).await;
            }
        }
    }
}

#[tokio::test]
async fn numbers_written_as_strings_and_nan_or_infinity_are_refused() {
    let app = spawn_app().await;
    for (path, example) in operations(&app).await {
        let mut numbers = Vec::new();
        leaves(&example, String::new(), &|v| v.is_number(), &mut numbers);
        for pointer in &numbers {
            let original = example.pointer(pointer).cloned().unwrap_or(Value::Null);
            for text in [
                json!(original.to_string()),
                json!("NaN"),
                json!("Infinity"),
                json!("-Infinity"),
            ] {
                let body = with(&example, pointer, text.clone());
                let what = format!("POST {path} with {pointer} = {text}");
                let item = batch_item(&path, pointer);
                check_at(app.post_json(&path, &body).await, &what, true, item).await;
            }
        }
    }
}

#[tokio::test]
async fn ten_thousand_element_arrays_are_refused() {
    let app = spawn_app().await;
    for (path, example) in operations(&app).await {
        let mut arrays = Vec::new();
        leaves(
            &example,
            String::new(),
            &|v| v.as_array().is_some_and(|a| !a.is_empty()),
            &mut arrays,
        );
        for pointer in &arrays {
            let first = example
                .pointer(&format!("{pointer}/0"))
                .cloned()
                .unwrap_or(Value::Null);
            let body = with(&example, pointer, Value::Array(vec![first; 10_000]));
            let what = format!("POST {path} with 10,000 items at {pointer}");
            let item = batch_item(&path, pointer);
            check_at(app.post_json(&path, &body).await, &what, true, item).await;
        }
    }
}

#[tokio::test]
async fn structurally_hostile_bodies_are_refused_everywhere() {
    let app = spawn_app().await;
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let ten_mb = format!(r#"{{"x": "{}"}}"#, "a".repeat(10 * 1024 * 1024));
    for (path, example) in operations(&app).await {
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("deeply nested arrays", deep.clone().into_bytes()),
            ("a 10 MB body", ten_mb.clone().into_bytes()),
            ("an empty body", Vec::new()),
            (
                "invalid UTF-8",
                vec![b'{', b'"', 0xc3, 0x28, b'"', b':', b'1', b'}'],
            ),
            ("a JSON array instead of an object", b"[]".to_vec()),
            ("null", b"null".to_vec()),
        ];
        for (what, body) in cases {
            let res = app.post_raw(&path, "application/json", body).await;
            check(res, &format!("POST {path} with {what}"), true).await;
        }
        if let Some((key, value)) = example.as_object().and_then(|o| o.iter().next()) {
            let text = example.to_string();
            let duplicated = format!("{{\"{key}\": {value}, {}", &text[1..]);
            let res = app.post_raw(&path, "application/json", duplicated).await;
            check(res, &format!("POST {path} with `{key}` twice"), true).await;
        }
    }
}
