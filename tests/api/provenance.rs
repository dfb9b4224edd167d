//! Provenance: `meta` and `assumptions` on every answer, over HTTP.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};

/// The CleanSpark 0% notes due 2032 at issue (seed-figures.md), as text,
/// so that the field order is the one written.
const NOTE: &str = r#"{"issue_date": "2025-12-15", "maturity_date": "2032-12-15",
    "valuation_date": "2025-12-15", "conversion_rate": 52.1832, "stock_price": 15.03,
    "volatility": 0.6, "risk_free_rate": 0.04, "credit_spread": 0.05}"#;

/// The same note and market in another order, with its defaults given
/// explicitly and whole numbers written with a decimal point.
const NOTE_EXPLICIT: &str = r#"{"credit_spread": 0.050, "volatility": 0.60,
    "stock_price": 15.030, "risk_free_rate": 0.04, "conversion_rate": 52.18320,
    "valuation_date": "2025-12-15", "maturity_date": "2032-12-15", "issue_date": "2025-12-15",
    "face": 1000.0, "coupon_rate": 0, "coupon_frequency": 0, "coupon_day_count": "act_365f",
    "conversion_start_date": "2025-12-15", "dividend_yield": 0.0,
    "model": "tsiveriotis_fernandes", "steps": 1000.0, "engine": "auto"}"#;

async fn post_text(app: &TestApp, path: &str, body: &str) -> Value {
    let res = app
        .post_raw(path, "application/json", body.to_owned())
        .await;
    assert_eq!(res.status().as_u16(), 200, "POST {path}");
    res.json().await.unwrap()
}

/// An answer without its provenance: the numbers.
fn numbers(mut answer: Value) -> Value {
    let map = answer.as_object_mut().unwrap();
    map.remove("meta");
    map.remove("assumptions");
    answer
}

#[tokio::test]
async fn the_same_note_in_another_order_with_explicit_defaults_hashes_and_prices_the_same() {
    let app = spawn_app().await;
    let short = post_text(&app, "/v1/convertibles/price", NOTE).await;
    let explicit = post_text(&app, "/v1/convertibles/price", NOTE_EXPLICIT).await;
    assert_eq!(short["meta"], explicit["meta"]);
    assert_eq!(numbers(short.clone()), numbers(explicit.clone()));
    assert_eq!(short["meta"]["model"], "lattice.crr.tsiveriotis_fernandes");
    assert_eq!(
        short["meta"]["conventions"],
        "act365f/continuous/per_100_face_dirty"
    );
    let hash = short["meta"]["input_hash"].as_str().unwrap();
    assert_eq!(hash.len(), 64);
    assert!(hash
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    // The defaults the short request left out, each with the value used;
    // the explicit one left nothing out.
    let assumed: Vec<(&str, &Value)> = short["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["field"].as_str().unwrap(), &a["value"]))
        .collect();
    assert_eq!(
        assumed,
        [
            ("conversion_start_date", &json!("2025-12-15")),
            ("coupon_day_count", &json!("act_365f")),
            ("coupon_frequency", &json!(0)),
            ("coupon_rate", &json!(0.0)),
            ("dividend_yield", &json!(0.0)),
            ("engine", &json!("auto")),
            ("face", &json!(1000.0)),
            ("model", &json!("tsiveriotis_fernandes")),
            ("steps", &json!(1000)),
        ]
    );
    assert_eq!(explicit["assumptions"], json!([]));
}

#[tokio::test]
async fn any_change_of_meaning_changes_the_hash_and_the_model_follows_the_credit_model() {
    let app = spawn_app().await;
    let base = post_text(&app, "/v1/convertibles/price", NOTE).await;
    let mut note: Value = serde_json::from_str(NOTE).unwrap();
    note["credit_spread"] = json!(0.0501);
    let wider = post_text(&app, "/v1/convertibles/price", &note.to_string()).await;
    assert_ne!(base["meta"]["input_hash"], wider["meta"]["input_hash"]);
    let mut note: Value = serde_json::from_str(NOTE).unwrap();
    note["steps"] = json!(2000);
    let finer = post_text(&app, "/v1/convertibles/price", &note.to_string()).await;
    assert_ne!(base["meta"]["input_hash"], finer["meta"]["input_hash"]);
    let mut note: Value = serde_json::from_str(NOTE).unwrap();
    note["model"] = json!("hazard_rate");
    let hazard = post_text(&app, "/v1/convertibles/price", &note.to_string()).await;
    assert_ne!(base["meta"]["input_hash"], hazard["meta"]["input_hash"]);
    assert_eq!(hazard["meta"]["model"], "lattice.crr.hazard_rate");
    // The hazard-rate model's recovery defaults to 0, and says so.
    assert!(hazard["assumptions"]
        .as_array()
        .unwrap()
        .contains(&json!({"field": "recovery_rate", "value": 0.0})));
}

#[tokio::test]
async fn an_explicit_default_occupancy_hashes_as_an_omitted_one() {
    let app = spawn_app().await;
    let omitted = r#"{"it_capacity_mw": 250, "rate_per_kw_month": 133.33}"#;
    let given = r#"{"rate_per_kw_month": 133.330, "occupancy": 1, "it_capacity_mw": 250.0}"#;
    let a = post_text(&app, "/v1/colocation/arr", omitted).await;
    let b = post_text(&app, "/v1/colocation/arr", given).await;
    assert_eq!(a["meta"], b["meta"]);
    assert_eq!(numbers(a.clone()), numbers(b.clone()));
    assert_eq!(
        a["assumptions"],
        json!([{"field": "occupancy", "value": 1.0}])
    );
    assert_eq!(b["assumptions"], json!([]));
    // 250 MW × 1,000 × $133.33 × 12 = $399,990,000.
    assert_eq!(a["arr"], json!(399_990_000.0));
}

#[tokio::test]
async fn each_batch_item_carries_the_meta_its_own_request_would_have() {
    let app = spawn_app().await;
    let arr = json!({"it_capacity_mw": 250, "rate_per_kw_month": 133.33});
    let note: Value = serde_json::from_str(NOTE).unwrap();
    let res = app
        .post_json(
            "/v1/batch",
            &json!({"items": [
                {"id": "site", "operation": "colocation.arr", "body": arr},
                {"id": "note", "operation": "convertibles.price", "body": note},
            ]}),
        )
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let body: Value = res.json().await.unwrap();
    let results = body["results"].as_array().unwrap();
    let alone_arr = post_text(&app, "/v1/colocation/arr", &arr.to_string()).await;
    let alone_note = post_text(&app, "/v1/convertibles/price", NOTE).await;
    assert_eq!(results[0]["body"]["meta"], alone_arr["meta"]);
    assert_eq!(results[0]["body"]["assumptions"], alone_arr["assumptions"]);
    assert_eq!(results[1]["body"]["meta"], alone_note["meta"]);
    assert_ne!(
        results[0]["body"]["meta"]["input_hash"],
        results[1]["body"]["meta"]["input_hash"]
    );
}

#[tokio::test]
async fn a_build_from_a_checkout_states_its_commit() {
    let app = spawn_app().await;
    let answer = post_text(
        &app,
        "/v1/colocation/arr",
        r#"{"it_capacity_mw": 250, "rate_per_kw_month": 133.33}"#,
    )
    .await;
    let stated = answer["meta"]["engine_version"].as_str().unwrap();
    let head = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned());
    match head {
        // Built from this checkout: the version and the commit.
        Some(commit) => assert_eq!(
            stated,
            format!("{}+{commit}", env!("CARGO_PKG_VERSION")),
            "a stale build? HEAD is {commit}"
        ),
        // No checkout (a source archive): the version alone.
        None => assert_eq!(stated, env!("CARGO_PKG_VERSION")),
    }
}
