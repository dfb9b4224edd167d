use infraval_api::gpu_cloud::GpuCloudRequest;
use rust_decimal_macros::dec;
use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_app};

/// The core test's hand-built fleet (`gpu_cloud::tests::small_fleet`): 1,000
/// GPUs at $25,000, a 3-year life with 10% residual over 6 years, $2.50 an
/// hour falling 20% a year of age, 80% utilisation after a 12-month ramp.
fn small_fleet() -> Value {
    json!({
        "gpu_count": 1000,
        "capex_per_gpu": 25000,
        "price_per_gpu_hour": 2.5,
        "price_decline_per_year": 0.2,
        "utilization": 0.8,
        "months_to_ramp": 12,
        "useful_life_years": 3,
        "residual_fraction": 0.1,
        "power_kw_per_gpu": 1.4,
        "pue": 1.25,
        "power_price_per_mwh": 50,
        "other_opex_per_gpu_month": 100,
        "opex_fraction_of_revenue": 0.05,
        "tax_rate": 0.25,
        "discount_rate": 0.1,
        "horizon_years": 6
    })
}

#[tokio::test]
async fn a_small_gpu_fleet_answers_its_hand_built_table() {
    let app = spawn_app().await;
    let req: GpuCloudRequest = serde_json::from_value(small_fleet()).unwrap();
    let out = app.client.gpu_cloud_project(&req).await.unwrap();
    // Cash flows worked out line by line in the core test: −25,000,000 at
    // year 0; 7,483,350; 10,501,500; 8,838,960 − 334,740 − 25,000,000 +
    // 2,500,000 = −13,995,780 at the refresh; 12,998,100; 10,501,500; and
    // 8,838,960 − 334,740 + the second fleet's residual 2,500,000 =
    // 11,004,220. NPV at 10% = 1,576,812.19.
    let flows: Vec<_> = out.years.iter().map(|y| y.cash_flow.get()).collect();
    assert_eq!(
        flows,
        [
            dec!(-25000000),
            dec!(7483350),
            dec!(10501500),
            dec!(-13995780),
            dec!(12998100),
            dec!(10501500),
            dec!(11004220)
        ]
    );
    assert_eq!(out.npv, dec!(1576812.19));
    assert_eq!(out.irr, dec!(0.11858152));
    assert_eq!(out.refresh_years, [3]);
    assert_eq!(out.total_capex, dec!(50000000));
    assert_eq!(out.it_capacity_mw, dec!(1.4));
    // 7,008,000 h × $2.50 = 17,520,000 of revenue; NOI 14,830,800.
    assert_eq!(out.stabilized_noi, dec!(14830800));
    // Margin 14,830,800 / 17,520,000 = 0.846506849…
    assert_eq!(out.noi_margin.map(|m| m.get()), Some(dec!(0.84650685)));
}

#[tokio::test]
async fn utilisation_typed_as_a_percent_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let mut body = small_fleet();
    body["utilization"] = json!(85);
    let problem = assert_problem(
        app.post_json("/v1/gpu-cloud/project", &body).await,
        422,
        "out_of_range",
    )
    .await;
    assert_eq!(problem["field"], "utilization");
    assert!(
        problem["detail"].as_str().unwrap().contains("0.85"),
        "{problem}"
    );
}

#[tokio::test]
async fn a_useful_life_beyond_ten_years_is_refused() {
    let app = spawn_app().await;
    let mut body = small_fleet();
    body["useful_life_years"] = json!(12);
    let problem = assert_problem(
        app.post_json("/v1/gpu-cloud/project", &body).await,
        422,
        "out_of_range",
    )
    .await;
    assert_eq!(problem["field"], "useful_life_years");
}

#[tokio::test]
async fn a_gpu_cloud_is_a_segment_of_the_sum_of_the_parts() {
    let app = spawn_app().await;
    let body = json!({"scenarios": [{
        "name": "base",
        "data_centers": [
            {"name": "Sandersville", "noi": 300000000, "cap_rate": 0.075,
             "remaining_capex": 2500000000_u64, "it_capacity_mw": 250},
            {"name": "GPU cloud", "gpu_cloud": small_fleet()}
        ],
        "basic_shares": 100000000
    }]});
    let res = app.post_json("/v1/valuations/sum-of-parts", &body).await;
    assert_eq!(res.status(), 200);
    let out: Value = res.json().await.unwrap();
    let scenario = &out["scenarios"][0];
    // Sandersville: 300M / 0.075 − 2.5B = 1.5B; the GPU cloud: its NPV,
    // 1,576,812.19, with its first fleet of 25M as the remaining capex.
    let cloud = &scenario["data_centers"][1];
    assert_eq!(cloud["value"], json!(1576812.19));
    assert_eq!(cloud["remaining_capex"], json!(25000000.0));
    assert_eq!(scenario["enterprise_value"], json!(1501576812.19));
    let labels: Vec<_> = scenario["solutions"][0]["waterfall"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["label"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        labels.contains(&"data center: GPU cloud".to_owned()),
        "{labels:?}"
    );
    // 250 MW + 1,000 GPUs × 1.4 kW = 251.4 MW: 1,501,576,812.19 / 251.4.
    assert_eq!(scenario["ev_per_it_mw"], json!(5972859.24));
    // A nested fault names its path.
    let mut bad = body.clone();
    bad["scenarios"][0]["data_centers"][1]["gpu_cloud"]["utilization"] = json!(85);
    let problem = assert_problem(
        app.post_json("/v1/valuations/sum-of-parts", &bad).await,
        422,
        "out_of_range",
    )
    .await;
    assert_eq!(
        problem["field"],
        "scenarios[0].data_centers[1].gpu_cloud.utilization"
    );
}
