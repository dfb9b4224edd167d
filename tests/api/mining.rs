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
async fn network_growth_runs_ahead_of_the_difficulty_until_it_retargets() {
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
    // December: network 1,000 EH/s at its difficulty, 144 blocks a day (4,464: retargets
    // after 2,016 and 4,032 blocks, 432 blocks, 3 days, into the third epoch on 31 Dec).
    //   60/1,000 × 144 × 3.125 × 31 = 837 BTC; × $100,000 = $83.7M;
    //   power 20 × 60 = 1,200 MW × 24 × 31 × $50 = $44.64M; opex $3.1M; margin $35.96M.
    // January: the network grows 25% to 1,250 EH/s, but the difficulty lags (the retarget
    // rule): blocks come at 144 × 1,250 / 1,000 = 180 a day until the epoch's remaining
    // 1,584 blocks are found, 8.8 days in. The retarget tunes the difficulty to the epoch's
    // average, (3 × 1,000 + 8.8 × 1,250) / 11.8 = 1,186.44 EH/s; the next epoch, all at
    // 1,250, takes 14 × 1,186.44 / 1,250 = 784/59 days and retargets to 1,250, which
    // holds for the last 22.2 − 784/59 = 525.8/59 days. 50 EH/s mines
    //   144 × 3.125 × 50 × (8.8 / 1,000 + (784/59) / 1,186.44 + (525.8/59) / 1,250)
    //   = 22,500 × (0.0088 + 0.0112 + 525.8/73,750) = 450 + 9,464.4/59 = 610.41355932 BTC
    // (558 at 144 blocks a day). × $110,000 = $67,145,491.53; power 1,000 MW × 24 × 31 × 50
    // = $37.2M; margin 67,145,491.53 − 37.2M − 3.1M = $26,845,491.53.
    assert_eq!(out["months"][0]["btc_mined"], json!(837.0));
    assert_eq!(out["months"][0]["margin"], json!(35960000.0));
    assert_eq!(out["months"][1]["network_hashrate_ehs"], json!(1250.0));
    assert_eq!(out["months"][1]["btc_mined"], json!(610.41355932));
    assert_eq!(out["months"][1]["margin"], json!(26845491.53));
    assert_eq!(out["total_btc"], json!(1447.41355932));
    assert_eq!(out["total_margin"], json!(62805491.53));
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

#[tokio::test]
async fn today_s_requests_give_today_s_numbers() {
    let app = spawn_app().await;
    // The README's production example, a single fleet with no new field.
    // 50 / 1,070 × 144 × (3.125 + 0.03) × 0.95 = 20.168411215 BTC a day; × 31 = 625.22074766
    // (CleanSpark reported 622 for December 2025). Power 16.1 × 50 = 805 MW × 24 × 0.95 × $45
    // = $825,930 a day; cost with $200,000 of opex $1,025,930; revenue 20.168411215 × 90,000
    // = $1,815,157.01; per BTC: power 40,951.66, cash = all-in 50,868.16 (no depreciation).
    let body = json!({
        "fleet_hashrate_ehs": 50, "miner_count": 245199, "th_per_miner": 204,
        "network_hashrate_ehs": 1070, "block_height": 927000, "fees_per_block_btc": 0.03,
        "uptime": 0.95, "pool_fee": 0, "period_days": 31, "btc_price": 90000,
        "efficiency_j_per_th": 16.1, "power_price_per_mwh": 45, "other_opex_per_day": 200000
    });
    let out: Value = app
        .post_json("/v1/mining/production", &body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(out["btc_per_day"], json!(20.16841121));
    assert_eq!(out["btc_for_period"], json!(625.22074766));
    assert_eq!(out["hashprice_usd_per_ph_day"], json!(38.21));
    assert_eq!(out["hashcost_usd_per_ph_day"], json!(17.39));
    assert_eq!(out["power_cost_per_day"], json!(825930.0));
    assert_eq!(out["margin_per_day"], json!(789227.01));
    assert_eq!(out["cost_per_btc"], json!(40951.66));
    assert_eq!(out["all_in_cost_per_btc"], json!(50868.16));
    assert_eq!(out["breakeven_btc_price"], json!(50868.16));
    assert_eq!(out["breakeven_power_price_per_mwh"], json!(88.0));

    // The README's projection example: month 1 is the same 31 days at 1,070 EH/s, which
    // is also the difficulty's hashrate, so 144 blocks a day and the same 625.22074766 BTC.
    let body = json!({
        "start_date": "2025-12-01", "months": 24, "fleet_hashrate_ehs": 50,
        "fleet_additions_ehs": [0, 0, 0, 2], "network_hashrate_ehs": 1070,
        "network_growth_per_month": 0.02, "block_height": 927000, "fees_per_block_btc": 0.03,
        "uptime": 0.95, "btc_price": 90000, "btc_price_growth_per_month": 0.01,
        "efficiency_j_per_th": 16.1, "power_price_per_mwh": 45, "other_opex_per_day": 200000
    });
    let out: Value = app
        .post_json("/v1/mining/projection", &body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(out["months"][0]["btc_mined"], json!(625.22074766));
    assert_eq!(out["months"][0]["blocks_per_day"], json!(144.0));
    // 805 MW × 24 × 31 × 0.95 × $45 = $25,603,830.
    assert_eq!(out["months"][0]["power_cost"], json!(25603830.0));
}

#[tokio::test]
async fn a_texas_august_earns_more_from_credits_than_from_mining() {
    let app = spawn_app().await;
    // Riot's August 2023 in round numbers (industry-terms.md: $24.2M of power credits and
    // $7.4M of demand response against 333 BTC). 12.5 EH/s at 30 J/TH (375 MW), 74% up, on a
    // 400 EH/s network at 6.25 + 0.2 BTC a block and $29,000: each day it would mine
    // 12.5/400 × 144 × 6.45 = 29.025 BTC; hashprice 29.025 / 12,500 × 29,000 = $67.34/PH/day.
    // Half of August's 744 hours at $60 (hashcost 30 × 60 × 24/1,000 = $43.20: on), half at
    // $180 ($129.60: off, 372 hours curtailed).
    //   btc = 29.025 × 31 × 0.5 × 0.74 = 332.91675; revenue × 29,000 = $9,654,585.75
    //   345 MW contracted at $30 for 744 h = $7,700,400, the month's whole power cost;
    //   drawn in the cheap half 375 × 0.74 × 372 = 103,230 MWh of the 128,340 contracted:
    //   sold back 25,110 × $60 + 128,340 × $180 = 1,506,600 + 23,101,200 = $24,607,800;
    //   demand response $7,400,000. Credits $32,007,800 > revenue.
    //   margin = 9,654,585.75 + 32,007,800 − 7,700,400 = $33,961,985.75
    let body = json!({
        "start_date": "2023-08-01", "months": 1,
        "fleet_hashrate_ehs": 12.5, "efficiency_j_per_th": 30, "uptime": 0.74,
        "network_hashrate_ehs": 400, "block_subsidy_btc": 6.25, "fees_per_block_btc": 0.2,
        "btc_price": 29000, "power_price_per_mwh": 120,
        "power_price_profile": [
            {"share_of_hours": 0.5, "price_multiple": 0.5},
            {"share_of_hours": 0.5, "price_multiple": 1.5}
        ],
        "power_contract": {"mw": 345, "price_per_mwh": 30},
        "demand_response_credit_per_month": 7400000,
        "shutoff": "economic"
    });
    let out: Value = app
        .post_json("/v1/mining/projection", &body)
        .await
        .json()
        .await
        .unwrap();
    let august = &out["months"][0];
    assert_eq!(august["btc_mined"], json!(332.91675));
    assert_eq!(august["revenue"], json!(9654585.75));
    assert_eq!(august["power_cost"], json!(7700400.0));
    assert_eq!(august["power_sold_back"], json!(24607800.0));
    assert_eq!(august["demand_response_credits"], json!(7400000.0));
    assert_eq!(august["margin"], json!(33961985.75));
    assert_eq!(august["curtailed_hours"], json!(372.0));
}

/// A CleanSpark-like fleet as two cohorts on the round-number network.
fn two_cohort_production() -> Value {
    json!({
        "cohorts": [
            {"hashrate_ehs": 10, "efficiency_j_per_th": 20, "purchase_cost_usd": 14235000,
             "useful_life_months": 36, "residual_fraction": 0.1},
            {"hashrate_ehs": 10, "efficiency_j_per_th": 30}
        ],
        "network_hashrate_ehs": 1000, "block_subsidy_btc": 3.125, "fees_per_block_btc": 0.125,
        "period_days": 30, "btc_price": 100000, "power_price_per_mwh": 46.8,
        "other_opex_per_day": 93600, "infrastructure_depreciation_per_day": 9360
    })
}

#[tokio::test]
async fn cohorts_report_cash_and_all_in_costs_each_and_in_total() {
    let app = spawn_app().await;
    // Each cohort: 10/1,000 × 144 × 3.25 = 4.68 BTC a day. Power 200 MW × 24 × 46.8 =
    // $224,640 and 300 × 24 × 46.8 = $336,960; opex 93,600 shared 46,800 each.
    //   cash: (224,640 + 46,800) / 4.68 = 58,000; (336,960 + 46,800) / 4.68 = 82,000;
    //         fleet (561,600 + 93,600) / 9.36 = 70,000.
    // Machines: 14,235,000 × 0.9 / 36 × 12 / 365 = $11,700 a day (2,500/BTC); the site's
    // 9,360 shared 4,680 each (1,000/BTC).
    //   all-in: 61,500 and 83,000; fleet (655,200 + 11,700 + 9,360) / 9.36 = 72,250.
    let out: Value = app
        .post_json("/v1/mining/production", &two_cohort_production())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(out["cohorts"][0]["cash_cost_per_btc"], json!(58000.0));
    assert_eq!(out["cohorts"][1]["cash_cost_per_btc"], json!(82000.0));
    assert_eq!(out["cash_cost_per_btc"], json!(70000.0));
    assert_eq!(out["cohorts"][0]["all_in_cost_per_btc"], json!(61500.0));
    assert_eq!(out["cohorts"][1]["all_in_cost_per_btc"], json!(83000.0));
    assert_eq!(out["all_in_cost_per_btc"], json!(72250.0));
    assert_eq!(out["depreciation_per_day"], json!(21060.0));
}

#[tokio::test]
async fn bad_cohort_and_power_inputs_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let cases: [(&str, Value, &str, &str); 8] = [
        (
            "/cohorts/1/efficiency_j_per_th",
            json!(0),
            "out_of_range",
            "cohorts[1].efficiency_j_per_th",
        ),
        (
            "/cohorts/0/useful_life_months",
            json!(121),
            "out_of_range",
            "cohorts[0].useful_life_months",
        ),
        (
            "/cohorts/0/residual_fraction",
            json!(1.5),
            "out_of_range",
            "cohorts[0].residual_fraction",
        ),
        ("/fee_share", json!(0.95), "out_of_range", "fee_share"),
        (
            "/power_price_profile",
            json!([{"share_of_hours": 0.9, "price_multiple": 1}]),
            "inconsistent",
            "power_price_profile",
        ),
        (
            "/shutoff",
            json!("economic"),
            "missing_dependency",
            "shutoff",
        ),
        (
            "/demand_response_credit_per_mwh",
            json!(10),
            "missing_dependency",
            "demand_response_credit_per_mwh",
        ),
        (
            "/efficiency_j_per_th",
            json!(16),
            "inconsistent",
            "efficiency_j_per_th",
        ),
    ];
    for (pointer, value, code, field) in cases {
        let mut body = two_cohort_production();
        // Make room for the field under test where it has an alternative or a dependency.
        match pointer {
            "/shutoff" => body["power_price_per_mwh"] = Value::Null,
            "/fee_share" => body["fees_per_block_btc"] = Value::Null,
            _ => {}
        }
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let target = if parent.is_empty() {
            &mut body
        } else {
            body.pointer_mut(parent).unwrap()
        };
        target[key] = value;
        let problem = assert_problem(
            app.post_json("/v1/mining/production", &body).await,
            422,
            code,
        )
        .await;
        assert_eq!(problem["field"], field, "{pointer}");
    }
}
