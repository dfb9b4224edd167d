use infraval_api::mining::production::ProductionRequest;
use rust_decimal_macros::dec;
use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_app};

/// 50 of 1,000 EH/s, 3.125 + 0.125 BTC a block, at $100,000, 20 J/TH and $50/MWh.
fn round_numbers() -> Value {
    json!({
        "fleet_hashrate_ehs": 50,
        "network_hashrate_ehs": 1000,
        "block_subsidy_btc": 3.125,
        "fees_per_block_btc": 0.125,
        "period_days": 30,
        "btc_price": 100000,
        "efficiency_j_per_th": 20,
        "power_price_per_mwh": 50,
        "other_opex_per_day": 204000
    })
}

#[tokio::test]
async fn unit_economics_match_a_hand_calculation() {
    let app = spawn_app().await;
    let req: ProductionRequest = serde_json::from_value(round_numbers()).unwrap();
    let out = app.client.mining_production(&req).await.unwrap();
    // share 50 / 1,000 = 0.05; btc/day = 0.05 × 144 × 3.25 = 23.4; × 30 days = 702.
    assert_eq!(out.fleet_share, dec!(0.05));
    assert_eq!(out.btc_per_day, dec!(23.4));
    assert_eq!(out.btc_for_period, dec!(702));
    // hashprice 144 × 3.25 / 1,000,000 PH/s = 0.000468 BTC = $46.80 per PH/s per day.
    assert_eq!(out.hashprice_btc_per_ph_day, dec!(0.000468));
    assert_eq!(out.hashprice_usd_per_ph_day, Some(dec!(46.8).into()));
    // 20 J/TH × 50 EH/s = 1,000 MW; × 24 h × $50 = $1,200,000 a day;
    // hashcost 20 × 50 × 24 / 1,000 = $24 per PH/s per day (= 1.2M / 50,000 PH/s).
    assert_eq!(out.power_mw, Some(dec!(1000).into()));
    assert_eq!(out.power_cost_per_day, Some(dec!(1200000).into()));
    assert_eq!(out.hashcost_usd_per_ph_day, Some(dec!(24).into()));
    // Revenue 23.4 × 100,000 = 2,340,000; cost 1,200,000 + 204,000 = 1,404,000.
    assert_eq!(out.margin_per_day, Some(dec!(936000).into()));
    // Power only: 1,200,000 / 23.4 = 51,282.0513 → $51,282.05; all-in 1,404,000 / 23.4 = 60,000.
    assert_eq!(out.cost_per_btc, Some(dec!(51282.05).into()));
    assert_eq!(out.all_in_cost_per_btc, Some(dec!(60000).into()));
    assert_eq!(out.breakeven_btc_price, Some(dec!(60000).into()));
    // (2,340,000 − 204,000) / 24,000 MWh = $89/MWh.
    assert_eq!(out.breakeven_power_price_per_mwh, Some(dec!(89).into()));
}

#[tokio::test]
async fn december_2025_conditions_give_about_20_btc_a_day_for_50_ehs() {
    let app = spawn_app().await;
    // Assumed: network 1,070 EH/s, height 927,000 (subsidy 3.125), fees 0.03 BTC a
    // block, uptime 0.95. 50 / 1,070 × 144 × 3.155 × 0.95 = 20.168411215 BTC a day;
    // × 31 = 625.22074766, against the 622 CleanSpark reported for December 2025.
    let body = json!({
        "fleet_hashrate_ehs": 50,
        "miner_count": 245199,
        "th_per_miner": 204,
        "network_hashrate_ehs": 1070,
        "block_height": 927000,
        "fees_per_block_btc": 0.03,
        "uptime": 0.95,
        "period_days": 31
    });
    let out: Value = app
        .post_json("/v1/mining/production", &body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(out["block_subsidy_btc"], json!(3.125));
    assert_eq!(out["btc_per_day"], json!(20.16841121));
    assert_eq!(out["btc_for_period"], json!(625.22074766));
    assert_eq!(out["revenue_per_day"], Value::Null);
}

#[tokio::test]
async fn a_difficulty_stands_in_for_the_network_hashrate() {
    let app = spawn_app().await;
    // 150e12 × 2^32 / 600 / 1e18 = 4,294,967,296 / 4 / 1e6 = 1,073.741824 EH/s.
    let mut body = round_numbers();
    body["network_hashrate_ehs"] = Value::Null;
    body["difficulty"] = json!(150_000_000_000_000_u64);
    let out: Value = app
        .post_json("/v1/mining/production", &body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(out["network_hashrate_ehs"], json!(1073.741824));
}

#[tokio::test]
async fn bad_production_inputs_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let cases = [
        (
            "fleet_hashrate_ehs",
            json!(0),
            "out_of_range",
            "fleet_hashrate_ehs",
        ),
        (
            "fleet_hashrate_ehs",
            json!(-1),
            "out_of_range",
            "fleet_hashrate_ehs",
        ),
        (
            "fleet_hashrate_ehs",
            json!(1001),
            "inconsistent",
            "fleet_hashrate_ehs",
        ),
        (
            "network_hashrate_ehs",
            json!(0),
            "out_of_range",
            "network_hashrate_ehs",
        ),
        ("uptime", json!(1.2), "out_of_range", "uptime"),
        ("uptime", json!(-0.1), "out_of_range", "uptime"),
        ("btc_price", json!(-1), "out_of_range", "btc_price"),
        (
            "power_price_per_mwh",
            json!(-5),
            "out_of_range",
            "power_price_per_mwh",
        ),
        ("period_days", json!(3661), "out_of_range", "period_days"),
    ];
    for (key, value, code, field) in cases {
        let mut body = round_numbers();
        body[key] = value;
        let problem = assert_problem(
            app.post_json("/v1/mining/production", &body).await,
            422,
            code,
        )
        .await;
        assert_eq!(problem["field"], field, "{key}");
    }
}

#[tokio::test]
async fn miners_that_do_not_add_up_to_the_fleet_are_inconsistent() {
    let app = spawn_app().await;
    // 245,199 × 150 TH/s = 36.8 EH/s, 26% short of 50.
    let mut body = round_numbers();
    body["miner_count"] = json!(245199);
    body["th_per_miner"] = json!(150);
    let problem = assert_problem(
        app.post_json("/v1/mining/production", &body).await,
        422,
        "inconsistent",
    )
    .await;
    assert_eq!(problem["field"], "th_per_miner");
}

fn halving_projection() -> Value {
    json!({
        "start_date": "2028-01-01",
        "months": 2,
        "fleet_hashrate_ehs": 50,
        "network_hashrate_ehs": 1000,
        "block_height": 1048488,
        "btc_price": 100000
    })
}

#[tokio::test]
async fn a_halving_inside_a_month_splits_its_subsidy() {
    let app = spawn_app().await;
    let req = serde_json::from_value(halving_projection()).unwrap();
    let out = app.client.mining_projection(&req).await.unwrap();
    // Height 1,048,488 = 1,050,000 − 1,512: the halving is 1,512 / 144 = 10.5 days in.
    // January: 0.05 × 144 × (3.125 × 10.5 + 1.5625 × 20.5) = 7.2 × 64.84375 = 466.875 BTC.
    // February 2028 has 29 days: 7.2 × 1.5625 × 29 = 326.25 BTC.
    assert_eq!(out.months[0].days, 31);
    assert!(out.months[0].halving_in_month);
    assert_eq!(out.months[0].btc_mined, dec!(466.875));
    assert_eq!(out.months[0].revenue, dec!(46687500));
    assert_eq!(out.months[1].days, 29);
    assert_eq!(out.months[1].block_subsidy_btc, dec!(1.5625));
    assert_eq!(out.months[1].btc_mined, dec!(326.25));
    assert_eq!(out.total_btc, dec!(793.125));
    assert_eq!(out.total_power_cost, None);
}

#[tokio::test]
async fn growth_additions_and_power_costs_follow_the_closed_form() {
    let app = spawn_app().await;
    let body = json!({
        "start_date": "2025-12-01",
        "months": 2,
        "fleet_hashrate_ehs": 50,
        "fleet_additions_ehs": [10, -10],
        "network_hashrate_ehs": 1000,
        "network_growth_per_month": 0.25,
        "block_subsidy_btc": 3.125,
        "btc_price": 100000,
        "btc_price_growth_per_month": 0.1,
        "efficiency_j_per_th": 20,
        "power_price_per_mwh": 50,
        "other_opex_per_day": 100000
    });
    let out: Value = app
        .post_json("/v1/mining/projection", &body)
        .await
        .json()
        .await
        .unwrap();
    // December: 60/1,000 × 144 × 3.125 × 31 = 837 BTC; × $100,000 = $83.7M;
    // power 20 × 60 = 1,200 MW × 24 × 31 × $50 = $44.64M; opex $3.1M; margin $35.96M.
    // January: 50/1,250 × 144 × 3.125 × 31 = 558 BTC; × $110,000 = $61.38M;
    // power 1,000 MW × 24 × 31 × 50 = $37.2M; margin 61.38 − 37.2 − 3.1 = $21.08M.
    assert_eq!(out["months"][0]["btc_mined"], json!(837.0));
    assert_eq!(out["months"][0]["margin"], json!(35960000.0));
    assert_eq!(out["months"][1]["network_hashrate_ehs"], json!(1250.0));
    assert_eq!(out["months"][1]["btc_mined"], json!(558.0));
    assert_eq!(out["months"][1]["margin"], json!(21080000.0));
    assert_eq!(out["total_btc"], json!(1395.0));
    assert_eq!(out["total_margin"], json!(57040000.0));
}

#[tokio::test]
async fn bad_projection_inputs_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let cases = [
        ("months", json!(121), "out_of_range", "months"),
        ("months", json!(0), "out_of_range", "months"),
        (
            "fleet_hashrate_ehs",
            json!(0),
            "out_of_range",
            "fleet_hashrate_ehs",
        ),
        (
            "fleet_hashrate_ehs",
            json!(2000),
            "inconsistent",
            "fleet_hashrate_ehs",
        ),
        ("uptime", json!(2), "out_of_range", "uptime"),
        ("btc_price", json!(-90000), "out_of_range", "btc_price"),
        ("btc_price_path", json!([1, 2]), "exactly_one_of", ""),
        (
            "fleet_additions_ehs",
            json!([0, 0, 1]),
            "too_many_items",
            "fleet_additions_ehs",
        ),
    ];
    for (key, value, code, field) in cases {
        let mut body = halving_projection();
        body[key] = value;
        let problem = assert_problem(
            app.post_json("/v1/mining/projection", &body).await,
            422,
            code,
        )
        .await;
        if !field.is_empty() {
            assert_eq!(problem["field"], field, "{key}");
        }
    }
}

#[tokio::test]
async fn a_projection_path_of_the_wrong_length_names_the_path() {
    let app = spawn_app().await;
    let mut body = halving_projection();
    body["btc_price"] = Value::Null;
    body["btc_price_path"] = json!([100000, 100000, 100000]);
    let problem = assert_problem(
        app.post_json("/v1/mining/projection", &body).await,
        422,
        "inconsistent",
    )
    .await;
    assert_eq!(problem["field"], "btc_price_path");
}
