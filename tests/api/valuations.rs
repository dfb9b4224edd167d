use infraval_api::valuation::{FixedPoint, RegimeWire, SumOfPartsRequest};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_app};

/// CleanSpark-like figures (seed-figures.md): 50 EH/s, Sandersville's $400M
/// ARR with $2.5B still to build, 13,000 BTC, the $1.15B notes at 52.1832
/// shares per $1,000, and the $460M buyback at $15.03.
fn cleanspark(name: &str, usd_per_ehs: u64, arr_multiple: u64, settlement: &str) -> Value {
    json!({
        "name": name,
        "mining": {"hashrate_ehs": 50, "usd_per_ehs": usd_per_ehs},
        "data_centers": [{"name": "Sandersville", "arr": 400000000, "arr_multiple": arr_multiple, "remaining_capex": 2500000000_u64}],
        "bitcoin_treasury": {"btc": 13000, "btc_price": 90000, "haircut": 0.1},
        "cash": 500000000,
        "debt": 600000000,
        "convertibles": [{"name": "0% notes due 2032", "principal": 1150000000, "conversion_rate": 52.1832, "settlement": settlement}],
        "basic_shares": 280000000,
        "buyback": {"amount": 460000000, "price_per_share": 15.03}
    })
}

fn request(scenarios: Vec<Value>) -> SumOfPartsRequest {
    serde_json::from_value(json!({ "scenarios": scenarios })).unwrap()
}

#[tokio::test]
async fn the_cleanspark_base_case_keeps_the_notes_as_debt() {
    let app = spawn_app().await;
    let out = app
        .client
        .sum_of_parts(&request(vec![cleanspark(
            "base", 30_000_000, 8, "physical",
        )]))
        .await
        .unwrap();
    let s = &out.scenarios[0];
    // Mining 50 × $30M = $1.5B; Sandersville 0.4B × 8 − 2.5B = $0.7B; EV $2.2B.
    // Treasury 13,000 × 90,000 × 0.9 = $1.053B; E₀ = 2.2 + 1.053 + 0.5 − 0.6 = $3.153B.
    assert_eq!(s.enterprise_value, dec!(2200000000));
    assert_eq!(s.treasury_value, dec!(1053000000));
    assert_eq!(s.equity_before_convertibles, dec!(3153000000));
    // Basic: 280,000,000 − ⌊460,000,000 / 15.03⌋ = 280,000,000 − 30,605,455
    // = 249,394,545 shares: a buyback retires whole shares.
    assert_eq!(s.shares_repurchased, dec!(30605455));
    assert_eq!(s.basic_shares, dec!(249394545));
    // As debt: V = (3.153B − 1.15B) / 249,394,545 = $8.03145 < K = 1,000 / 52.1832 = $19.1633.
    assert_eq!(s.fixed_point, FixedPoint::Unique);
    assert_eq!(s.solutions[0].notes[0].regime, RegimeWire::Debt);
    assert_eq!(s.solutions[0].notes[0].conversion_price, dec!(19.1633));
    assert_eq!(s.equity_value, dec!(2003000000));
    assert_eq!(s.value_per_share, dec!(8.0315));
    let last = s.solutions[0].waterfall.last().unwrap();
    assert_eq!(last.cumulative, s.equity_value);
}

#[tokio::test]
async fn the_bull_case_converts_the_notes_into_net_shares() {
    let app = spawn_app().await;
    let out = app
        .client
        .sum_of_parts(&request(vec![cleanspark(
            "bull",
            60_000_000,
            15,
            "net_share",
        )]))
        .await
        .unwrap();
    let s = &out.scenarios[0];
    // E₀ = 3.0 + (6.0 − 2.5) + 1.053 + 0.5 − 0.6 = $7.453B; N = 1,150,000 × 52.1832 = 60,010,680.
    // V = 7.453B / (249,394,545 + 60,010,680) = $24.0882 ≥ 19.1633: converts.
    // Net shares: 60,010,680 − 1.15B / 24.08815171 = 12,269,366.6027;
    // diluted 261,663,911.6027; equity 7.453B − 1.15B principal in cash = $6.303B.
    assert_eq!(s.solutions[0].notes[0].regime, RegimeWire::Converted);
    assert_eq!(s.solutions[0].notes[0].claim, dec!(1150000000));
    assert_eq!(s.solutions[0].notes[0].shares_issued, dec!(12269366.6027));
    assert_eq!(s.diluted_shares, dec!(261663911.6027));
    assert_eq!(s.equity_value, dec!(6303000000));
    assert_eq!(s.value_per_share, dec!(24.0882));
}

#[tokio::test]
async fn both_regimes_are_returned_when_both_are_self_consistent() {
    let app = spawn_app().await;
    // E₀ = $1,000,000 cash, 100,000 shares; $200,000 of notes at K = $8 (N = 25,000),
    // redeemable at $300,000.
    // As debt: V = (1,000,000 − 300,000) / 100,000 = 7 < 8.
    // Converted: V = 1,000,000 / 125,000 = 8 ≥ 8.
    let scenario = json!({
        "name": "premium",
        "cash": 1000000,
        "basic_shares": 100000,
        "convertibles": [{"name": "puttable", "principal": 200000, "conversion_price": 8, "redemption_amount": 300000}]
    });
    let out = app
        .client
        .sum_of_parts(&request(vec![scenario]))
        .await
        .unwrap();
    let s = &out.scenarios[0];
    assert_eq!(s.fixed_point, FixedPoint::Multiple);
    assert_eq!(s.solutions.len(), 2);
    assert_eq!(s.solutions[0].value_per_share, dec!(7));
    assert_eq!(s.solutions[1].value_per_share, dec!(8));
    assert_eq!(s.value_per_share, dec!(7));
    assert!(s.regime_summary.starts_with("2 self-consistent solutions"));
}

#[tokio::test]
async fn scenarios_come_back_side_by_side_in_order() {
    let app = spawn_app().await;
    let out = app
        .client
        .sum_of_parts(&request(vec![
            cleanspark("bear", 20_000_000, 7, "physical"),
            cleanspark("base", 30_000_000, 8, "physical"),
            cleanspark("bull", 60_000_000, 15, "physical"),
        ]))
        .await
        .unwrap();
    let names: Vec<&str> = out.scenarios.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["bear", "base", "bull"]);
    let v: Vec<Decimal> = out
        .scenarios
        .iter()
        .map(|s| s.value_per_share.get())
        .collect();
    assert!(v[0] < v[1] && v[1] < v[2], "{v:?}");
}

#[tokio::test]
async fn bad_valuation_inputs_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let mut negative_cash = cleanspark("base", 30_000_000, 8, "physical");
    negative_cash["cash"] = json!(-1);
    let mut negative_price = cleanspark("base", 30_000_000, 8, "physical");
    negative_price["bitcoin_treasury"]["btc_price"] = json!(-90000);
    let mut zero_hashrate = cleanspark("base", 30_000_000, 8, "physical");
    zero_hashrate["mining"]["hashrate_ehs"] = json!(0);
    let mut all_bought_back = cleanspark("base", 30_000_000, 8, "physical");
    all_bought_back["buyback"] = json!({"amount": 5000000000_u64, "price_per_share": 15.03});
    let mut odd_principal = cleanspark("base", 30_000_000, 8, "physical");
    odd_principal["convertibles"][0]["principal"] = json!(1150000500);
    let base = cleanspark("base", 30_000_000, 8, "physical");
    let cases = [
        (
            vec![odd_principal],
            "inconsistent",
            "scenarios[0].convertibles[0].principal",
        ),
        (vec![negative_cash], "out_of_range", "scenarios[0].cash"),
        (
            vec![base.clone(), negative_price],
            "out_of_range",
            "scenarios[1].bitcoin_treasury.btc_price",
        ),
        (
            vec![zero_hashrate],
            "out_of_range",
            "scenarios[0].mining.hashrate_ehs",
        ),
        (
            vec![all_bought_back],
            "inconsistent",
            "scenarios[0].buyback",
        ),
        (vec![], "empty_list", "scenarios"),
        (vec![base; 6], "too_many_items", "scenarios"),
    ];
    for (scenarios, code, field) in cases {
        let problem = assert_problem(
            app.post_json(
                "/v1/valuations/sum-of-parts",
                &json!({ "scenarios": scenarios }),
            )
            .await,
            422,
            code,
        )
        .await;
        assert_eq!(problem["field"], field);
    }
}

/// The development model's own example (`POST /v1/colocation/project`).
fn development() -> Value {
    json!({
        "it_capacity_mw": 250,
        "cost_per_mw": 10000000,
        "phases": [
            {"it_capacity_mw": 100, "start_month": 0, "duration_months": 12},
            {"it_capacity_mw": 150, "start_month": 6, "duration_months": 18}
        ],
        "rate_per_kw_month": 133.33,
        "months_to_stabilize": 18,
        "stabilized_occupancy": 0.95,
        "lease_start_month": 12,
        "rent_escalator": 0.03,
        "opex_fraction": 0.2,
        "maintenance_capex": 0.02,
        "tax_rate": 0.21,
        "discount_rate": 0.09,
        "horizon_years": 20,
        "exit_cap_rate": 0.07
    })
}

#[tokio::test]
async fn a_development_site_is_worth_the_npv_the_project_endpoint_reports() {
    let app = spawn_app().await;
    let project: Value = app
        .post_json("/v1/colocation/project", &development())
        .await
        .json()
        .await
        .unwrap();
    let scenario = json!({
        "name": "base",
        "basic_shares": 280000000,
        "data_centers": [{"name": "Sandersville", "development": development()}]
    });
    let out: Value = app
        .post_json(
            "/v1/valuations/sum-of-parts",
            &json!({ "scenarios": [scenario] }),
        )
        .await
        .json()
        .await
        .unwrap();
    let site = &out["scenarios"][0]["data_centers"][0];
    // Same model, same inputs: value = NPV; gross = NPV + remaining capex (both to the cent).
    assert_eq!(site["value"], project["npv"]);
    assert_eq!(site["remaining_capex"], project["remaining_capex"]);
    let gross = project["npv"].as_f64().unwrap() + project["remaining_capex"].as_f64().unwrap();
    assert!((site["gross_value"].as_f64().unwrap() - gross).abs() < 0.02);
}

#[tokio::test]
async fn a_development_site_names_its_model_fields_and_refuses_a_second_capex() {
    let app = spawn_app().await;
    let mut bad_rate = development();
    bad_rate["discount_rate"] = json!(500);
    let cases = [
        (
            json!({"name": "s", "development": bad_rate}),
            "out_of_range",
            "scenarios[0].data_centers[0].development.discount_rate",
        ),
        (
            json!({"name": "s", "development": development(), "remaining_capex": 1}),
            "inconsistent",
            "scenarios[0].data_centers[0].remaining_capex",
        ),
    ];
    for (site, code, field) in cases {
        let scenario = json!({"name": "base", "basic_shares": 100, "data_centers": [site]});
        let problem = assert_problem(
            app.post_json(
                "/v1/valuations/sum-of-parts",
                &json!({ "scenarios": [scenario] }),
            )
            .await,
            422,
            code,
        )
        .await;
        assert_eq!(problem["field"], field);
    }
}

#[tokio::test]
async fn ten_million_warrants_at_twenty_add_a_third_of_ten_million_shares_at_thirty() {
    let app = spawn_app().await;
    // $3.1B of cash, 100M shares, 10M warrants at $20.
    // Treasury-stock method: V × (100M + 10M × (V − 20) / V) = 3.1B
    //   ⇔ 110M × V − 200M = 3.1B ⇔ V = 30; the warrants add 10M × 10 / 30 = 3,333,333.3333.
    // With 2M RSUs as well: 112M × V − 200M = 3.1B ⇔ V = 3.3B / 112M = 29.4643 (4 dp),
    // and the warrants add 10M × (1 − 20 / 29.4642857…) = 3,212,121.2121.
    let scenario = |rsus: u64| {
        json!({
            "name": "warrants",
            "cash": 3100000000_u64,
            "basic_shares": 100000000,
            "rsus": rsus,
            "valuation_date": "2026-06-30",
            "warrants": [{"count": 10000000, "strike": 20, "expiry_date": "2026-06-30"}]
        })
    };
    let out = app
        .client
        .sum_of_parts(&request(vec![scenario(0), scenario(2_000_000)]))
        .await
        .unwrap();
    let plain = &out.scenarios[0];
    assert_eq!(plain.value_per_share, dec!(30));
    assert_eq!(plain.diluted_shares, dec!(103333333.3333));
    assert_eq!(
        plain.solutions[0].warrants[0].shares_added,
        dec!(3333333.3333)
    );
    let with_rsus = &out.scenarios[1];
    assert_eq!(with_rsus.value_per_share, dec!(29.4643));
    assert_eq!(
        with_rsus.solutions[0].warrants[0].shares_added,
        dec!(3212121.2121)
    );
}

#[tokio::test]
async fn a_capped_call_on_a_note_hands_back_shares_at_the_solved_value() {
    let app = spawn_app().await;
    // E₀ = $1,000,000 cash, 100,000 shares; $200,000 of notes at K = $5 (N = 40,000),
    // with a capped call from $5 to $10. Converted, 5 < V < 10:
    // 140,000 V − 40,000 (V − 5) = 1,000,000 ⇔ V = 8; the call pays 40,000 × 3 = $120,000
    // and hands back 120,000 / 8 = 15,000 shares: 125,000 diluted.
    let scenario = json!({
        "name": "hedged",
        "cash": 1000000,
        "basic_shares": 100000,
        "convertibles": [{"name": "n", "principal": 200000, "conversion_price": 5, "capped_calls": [{"cap_price": 10}]}]
    });
    let out = app
        .client
        .sum_of_parts(&request(vec![scenario]))
        .await
        .unwrap();
    let s = &out.scenarios[0];
    assert_eq!(s.value_per_share, dec!(8));
    assert_eq!(s.diluted_shares, dec!(125000));
    let note = &s.solutions[0].notes[0];
    assert_eq!(note.capped_call_payoff, dec!(120000));
    assert_eq!(note.capped_call_shares_handed_back, dec!(15000));
}

#[tokio::test]
async fn warrant_and_capped_call_errors_name_their_field() {
    let app = spawn_app().await;
    let cases = [
        (
            json!({"name": "s", "basic_shares": 100, "warrants": [{"count": 1, "strike": 1, "expiry_date": "2030-01-01"}]}),
            "inconsistent",
            "scenarios[0].warrants[0].expiry_date",
        ),
        (
            json!({"name": "s", "basic_shares": 100, "convertibles": [{"name": "n", "principal": 1000, "conversion_price": 5, "capped_calls": [{"cap_price": 6}, {"cap_price": 4}]}]}),
            "inconsistent",
            "scenarios[0].convertibles[0].capped_calls[1].cap_price",
        ),
    ];
    for (scenario, code, field) in cases {
        let problem = assert_problem(
            app.post_json(
                "/v1/valuations/sum-of-parts",
                &json!({ "scenarios": [scenario] }),
            )
            .await,
            422,
            code,
        )
        .await;
        assert_eq!(problem["field"], field);
    }
}

/// $3.1B of cash over 100M shares with `extra` and a probability.
fn weighted(extra: Value, probability: Option<f64>) -> Value {
    let mut s = json!({"name": "s", "cash": 3100000000_u64, "basic_shares": 100000000});
    for (k, v) in extra.as_object().unwrap() {
        s[k] = v.clone();
    }
    if let Some(p) = probability {
        s["probability"] = json!(p);
    }
    s
}

#[tokio::test]
async fn probabilities_weight_the_scenarios_values_per_share() {
    let app = spawn_app().await;
    // V = 31 alone; 30 with 10M warrants at $20; 3.1B / 124M = 25 with 24M RSUs.
    // 0.25 × 31 + 0.5 × 30 + 0.25 × 25 = 29.
    let three = |p: [Option<f64>; 3]| {
        vec![
            weighted(json!({}), p[0]),
            weighted(
                json!({"warrants": [{"count": 10000000, "strike": 20}]}),
                p[1],
            ),
            weighted(json!({"rsus": 24000000}), p[2]),
        ]
    };
    let out = app
        .client
        .sum_of_parts(&request(three([Some(0.25), Some(0.5), Some(0.25)])))
        .await
        .unwrap();
    let v: Vec<Decimal> = out
        .scenarios
        .iter()
        .map(|s| s.value_per_share.get())
        .collect();
    assert_eq!(v, [dec!(31), dec!(30), dec!(25)]);
    assert_eq!(
        out.probability_weighted_value_per_share.map(|v| v.get()),
        Some(dec!(29))
    );
    let none = app
        .client
        .sum_of_parts(&request(three([None, None, None])))
        .await
        .unwrap();
    assert_eq!(none.probability_weighted_value_per_share, None);

    for (p, field) in [
        ([Some(0.5), None, Some(0.5)], "scenarios[1].probability"),
        (
            [Some(0.25), Some(0.5), Some(0.2)],
            "scenarios[2].probability",
        ),
    ] {
        let problem = assert_problem(
            app.post_json(
                "/v1/valuations/sum-of-parts",
                &json!({ "scenarios": three(p) }),
            )
            .await,
            422,
            "inconsistent",
        )
        .await;
        assert_eq!(problem["field"], field);
    }
}

#[tokio::test]
async fn the_unit_multiples_divide_the_enterprise_value_or_are_null() {
    let app = spawn_app().await;
    // EV = 50 × $30M + (400M × 8 − 2.5B) = $2.2B: $44M per EH/s, and over
    // Sandersville's 250 MW $8.8M per MW.
    let mut with_mw = cleanspark("base", 30_000_000, 8, "physical");
    with_mw["data_centers"][0]["it_capacity_mw"] = json!(250);
    let out = app
        .client
        .sum_of_parts(&request(vec![
            with_mw,
            cleanspark("base", 30_000_000, 8, "physical"),
        ]))
        .await
        .unwrap();
    assert_eq!(
        out.scenarios[0].ev_per_ehs.map(|v| v.get()),
        Some(dec!(44000000))
    );
    assert_eq!(
        out.scenarios[0].ev_per_it_mw.map(|v| v.get()),
        Some(dec!(8800000))
    );
    assert_eq!(out.scenarios[1].ev_per_it_mw, None);
}

/// The CleanSpark base case with a projection of `fleet_ehs` over 24 months
/// from 2026-01-01 (730 days) on a 1,000 EH/s network held at its
/// difficulty, 3.125 BTC a block with no halving and no fees.
fn with_projection(fleet_ehs: u64) -> Value {
    let mut s = cleanspark("base", 30_000_000, 8, "physical");
    s["mining"]["projection"] = json!({
        "start_date": "2026-01-01",
        "months": 24,
        "fleet_hashrate_ehs": fleet_ehs,
        "network_hashrate_ehs": 1000,
        "block_subsidy_btc": 3.125,
        "btc_price": 90000
    });
    s
}

#[tokio::test]
async fn a_mining_projection_gives_the_bitcoin_mined_per_phs_over_the_fleet_life() {
    let app = spawn_app().await;
    let out = app
        .client
        .sum_of_parts(&request(vec![
            with_projection(50),
            cleanspark("base", 30_000_000, 8, "physical"),
        ]))
        .await
        .unwrap();
    // Share 50 / 1,000 × 144 blocks a day × 730 days × 3.125 BTC = 16,425 BTC over
    // 50 EH/s = 50,000 PH/s: 0.3285 BTC per PH/s. Mining 50 × $30M = $1.5B, so
    // $1.5B / 16,425 = $91,324.20 per bitcoin mined.
    let life = out.scenarios[0].fleet_life.as_ref().unwrap();
    assert_eq!(life.btc_mined.get(), dec!(16425));
    assert_eq!(life.months, 24);
    assert_eq!(life.fleet_hashrate_ehs.get(), dec!(50));
    assert_eq!(life.btc_mined_per_phs.map(|v| v.get()), Some(dec!(0.3285)));
    assert_eq!(
        life.mining_value_per_btc_mined.map(|v| v.get()),
        Some(dec!(91324.20))
    );
    // Beside the valuation, not in it.
    assert_eq!(
        out.scenarios[0].value_per_share,
        out.scenarios[1].value_per_share
    );
    assert_eq!(out.scenarios[1].fleet_life, None);
}

#[tokio::test]
async fn a_projection_of_another_fleet_or_out_of_range_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let mut no_months = with_projection(50);
    no_months["mining"]["projection"]["months"] = json!(0);
    let mut halving_before_start = with_projection(50);
    halving_before_start["mining"]["projection"]["next_halving_date"] = json!("2025-12-31");
    for (scenario, code, field) in [
        (
            with_projection(40),
            "inconsistent",
            "scenarios[0].mining.hashrate_ehs",
        ),
        (
            no_months,
            "out_of_range",
            "scenarios[0].mining.projection.months",
        ),
        (
            halving_before_start,
            "date_order",
            "scenarios[0].mining.projection.next_halving_date",
        ),
    ] {
        let problem = assert_problem(
            app.post_json(
                "/v1/valuations/sum-of-parts",
                &json!({ "scenarios": [scenario] }),
            )
            .await,
            422,
            code,
        )
        .await;
        assert_eq!(problem["field"], field);
    }
}

/// One $1M note at 20 shares per $1,000 (K = $50), 100,000 basic shares,
/// $4.35M of cash, and a 2 × 2 make-whole table: on 2026-01-01, 30
/// additional shares per $1,000 at $20 and 20 at $40.
fn made_whole(event: Option<Value>) -> Value {
    let mut s = json!({
        "name": "bull",
        "cash": 4350000,
        "convertibles": [{
            "name": "notes", "principal": 1000000, "conversion_rate": 20,
            "make_whole": {
                "effective_dates": ["2026-01-01", "2027-01-01"],
                "stock_prices": [20, 40],
                "additional_shares_per_1000": [[30, 20], [10, 0]],
                "max_conversion_rate": 60
            }
        }],
        "basic_shares": 100000
    });
    if let Some(event) = event {
        s["make_whole_event"] = event;
    }
    s
}

#[tokio::test]
async fn a_scenario_that_assumes_a_call_converts_with_the_make_whole_shares() {
    let app = spawn_app().await;
    let call = json!({"kind": "call", "date": "2026-01-01"});
    let out = app
        .client
        .sum_of_parts(&request(vec![made_whole(Some(call)), made_whole(None)]))
        .await
        .unwrap();
    // By hand: between $20 and $40, m(V) = 30 − (V − 20) / 2 = 40 − V / 2 per
    // $1,000, so the issue converts into 1,000 × (20 + 40 − V/2) shares and
    // V × (100,000 + 60,000 − 500 V) = 4,350,000, i.e. V² − 320 V + 8,700 = 0:
    // V = 160 − √(25,600 − 8,700) = 160 − 130 = $30; m(30) = 25.
    let called = &out.scenarios[0];
    assert_eq!(called.fixed_point, FixedPoint::Unique);
    assert_eq!(called.value_per_share, dec!(30));
    let note = &called.solutions[0].notes[0];
    assert_eq!(note.regime, RegimeWire::Converted);
    assert_eq!(note.additional_shares_per_1000, dec!(25));
    assert_eq!(note.make_whole_shares, dec!(25000));
    assert_eq!(note.shares_issued, dec!(45000));
    assert_eq!(called.diluted_shares, dec!(145000));
    // Without the event the table is not used: as debt, V = 3.35M / 100,000.
    let plain = &out.scenarios[1];
    assert_eq!(plain.value_per_share, dec!(33.5));
    assert_eq!(
        plain.solutions[0].notes[0].additional_shares_per_1000,
        dec!(0)
    );
}

#[tokio::test]
async fn make_whole_errors_name_their_field() {
    let app = spawn_app().await;
    let call = json!({"kind": "call", "date": "2026-01-01"});
    let mut no_table = made_whole(Some(call.clone()));
    no_table["convertibles"][0]
        .as_object_mut()
        .unwrap()
        .remove("make_whole");
    let mut low_cap = made_whole(Some(call.clone()));
    low_cap["convertibles"][0]["make_whole"]["max_conversion_rate"] = json!(19);
    let mut bad_kind = made_whole(None);
    bad_kind["make_whole_event"] = json!({"kind": "merger", "date": "2026-01-01"});
    for (scenario, code, field) in [
        (no_table, "inconsistent", "scenarios[0].make_whole_event"),
        (
            low_cap,
            "out_of_range",
            "scenarios[0].convertibles[0].make_whole.max_conversion_rate",
        ),
    ] {
        let problem = assert_problem(
            app.post_json(
                "/v1/valuations/sum-of-parts",
                &json!({ "scenarios": [scenario] }),
            )
            .await,
            422,
            code,
        )
        .await;
        assert_eq!(problem["field"], field);
    }
    let response = app
        .post_json(
            "/v1/valuations/sum-of-parts",
            &json!({ "scenarios": [bad_kind] }),
        )
        .await;
    assert!(response.status().is_client_error());
}

/// Three scenarios, only the third wrong, inside its development site: the
/// alternatives a problem lists carry the whole path from the request's
/// root, so a caller can tell which scenario and which site is at fault.
#[tokio::test]
async fn alternatives_inside_a_nested_development_name_their_whole_path() {
    let app = spawn_app().await;
    let scenario = |name: &str, development: Value| {
        json!({"name": name, "basic_shares": 280000000,
               "data_centers": [{"name": "Sandersville", "development": development}]})
    };
    let mut rent_twice = development();
    rent_twice["leases"] = json!([{"tenant": "T", "it_capacity_mw": 100, "start_month": 12,
                                   "term_months": 120, "rate_per_kw_month": 133.33}]);
    let body = json!({"scenarios": [
        scenario("bear", development()),
        scenario("base", development()),
        scenario("bull", rent_twice),
    ]});
    let problem = assert_problem(
        app.post_json("/v1/valuations/sum-of-parts", &body).await,
        422,
        "exactly_one_of",
    )
    .await;
    assert_eq!(
        problem["detail"],
        "give exactly one of `scenarios[2].data_centers[0].development.leases`, \
         `scenarios[2].data_centers[0].development.rate_per_kw_month`; \
         got `scenarios[2].data_centers[0].development.leases`, \
         `scenarios[2].data_centers[0].development.rate_per_kw_month`",
        "{problem}"
    );
}

/// The mining segment's own pairs, checked by the request layer, name the
/// segment's path: each member of a pair, and the field a given one needs.
#[tokio::test]
async fn a_mining_segments_pairs_name_the_scenario_they_sit_in() {
    let app = spawn_app().await;
    let base = cleanspark("base", 30_000_000, 8, "physical");
    let mut both = cleanspark("bull", 30_000_000, 8, "physical");
    both["mining"]["ebitda"] = json!(100000000);
    let problem = assert_problem(
        app.post_json(
            "/v1/valuations/sum-of-parts",
            &json!({"scenarios": [base.clone(), both]}),
        )
        .await,
        422,
        "exactly_one_of",
    )
    .await;
    assert_eq!(
        problem["detail"],
        "give exactly one of `scenarios[1].mining.ebitda+scenarios[1].mining.ebitda_multiple`, \
         `scenarios[1].mining.hashrate_ehs+scenarios[1].mining.usd_per_ehs`; \
         got `scenarios[1].mining.ebitda+scenarios[1].mining.ebitda_multiple`, \
         `scenarios[1].mining.hashrate_ehs+scenarios[1].mining.usd_per_ehs`",
        "{problem}"
    );
    let mut half = cleanspark("bull", 30_000_000, 8, "physical");
    half["mining"] = json!({"ebitda": 100000000});
    let problem = assert_problem(
        app.post_json(
            "/v1/valuations/sum-of-parts",
            &json!({"scenarios": [base, half]}),
        )
        .await,
        422,
        "missing_dependency",
    )
    .await;
    assert_eq!(problem["field"], "scenarios[1].mining.ebitda", "{problem}");
    assert_eq!(
        problem["detail"],
        "`scenarios[1].mining.ebitda` requires `scenarios[1].mining.ebitda_multiple`",
        "{problem}"
    );
}

/// A scenario's buyback pairs name the scenario too: the dependency of
/// `buyback_from_cash`, and the buyback's own `amount` and `price_per_share`.
#[tokio::test]
async fn a_scenarios_buyback_dependencies_name_the_scenario() {
    let app = spawn_app().await;
    let base = cleanspark("base", 30_000_000, 8, "physical");
    let mut no_buyback = cleanspark("bull", 30_000_000, 8, "physical");
    no_buyback.as_object_mut().unwrap().remove("buyback");
    no_buyback["buyback_from_cash"] = json!(true);
    let mut no_price = cleanspark("bull", 30_000_000, 8, "physical");
    no_price["buyback"] = json!({"amount": 460000000});
    let cases = [
        (
            no_buyback,
            "scenarios[1].buyback_from_cash",
            "`scenarios[1].buyback_from_cash` requires `scenarios[1].buyback`",
        ),
        (
            no_price,
            "scenarios[1].buyback.amount",
            "`scenarios[1].buyback.amount` requires `scenarios[1].buyback.price_per_share`",
        ),
    ];
    for (bull, field, detail) in cases {
        let problem = assert_problem(
            app.post_json(
                "/v1/valuations/sum-of-parts",
                &json!({"scenarios": [base.clone(), bull]}),
            )
            .await,
            422,
            "missing_dependency",
        )
        .await;
        assert_eq!(problem["field"], field, "{problem}");
        assert_eq!(problem["detail"], detail, "{problem}");
    }
}
