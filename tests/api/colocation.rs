use infraval_api::colocation::{ArrRequest, SolvedFor};
use infraval_api::goal_seek::GoalSeekRequest;
use infraval_api::project::ProjectRequest;
use infraval_api::sensitivity::SensitivityRequest;
use rust_decimal_macros::dec;
use serde_json::json;

use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn the_sandersville_site_earns_399_99_million_a_year_at_133_33() {
    let app = spawn_app().await;
    let arr = app
        .client
        .colocation_arr(&ArrRequest {
            it_capacity_mw: Some(dec!(250).into()),
            rate_per_kw_month: Some(dec!(133.33).into()),
            ..Default::default()
        })
        .await
        .unwrap();
    // seed-figures.md: 250 MW at $133.33/kW-month.
    // 250 MW × 1,000 kW/MW × $133.33 × 12 months = $399,990,000.00.
    assert_eq!(arr.arr, dec!(399990000.00));
    // Per month: 250,000 kW × $133.33 = $33,332,500.00.
    assert_eq!(arr.monthly_revenue, dec!(33332500.00));
    assert_eq!(arr.leased_kw, dec!(250000));
}

#[tokio::test]
async fn the_arr_is_exact_to_the_cent_for_a_partly_leased_site() {
    let app = spawn_app().await;
    let body = json!({"it_capacity_mw": 12.5, "rate_per_kw_month": 141.07, "occupancy": 0.83});
    let res = app.post_json("/v1/colocation/arr", &body).await;
    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    // 12.5 × 1,000 × 0.83 = 10,375 kW; × 141.07 = 1,463,601.25 a month;
    // × 12 = 17,563,215.00 a year.
    assert_eq!(out["monthly_revenue"], json!(1463601.25));
    assert_eq!(out["arr"], json!(17563215.0));
}

#[tokio::test]
async fn the_client_surfaces_a_problem_with_its_field() {
    let app = spawn_app().await;
    let err = app
        .client
        .colocation_arr(&ArrRequest {
            it_capacity_mw: Some(dec!(250).into()),
            rate_per_kw_month: Some(dec!(133.33).into()),
            occupancy: Some(dec!(1.5).into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    let problem = err
        .problem()
        .expect("an API problem, not a transport error");
    assert_eq!(problem.code, "out_of_range");
    assert_eq!(problem.field.as_deref(), Some("occupancy"));
    assert_eq!(problem.status, 422);
}

#[tokio::test]
async fn zero_or_negative_capacity_is_refused_naming_the_field() {
    let app = spawn_app().await;
    for mw in [json!(0), json!(-5)] {
        let body = json!({"it_capacity_mw": mw, "rate_per_kw_month": 133.33});
        let problem = assert_problem(
            app.post_json("/v1/colocation/arr", &body).await,
            422,
            "out_of_range",
        )
        .await;
        assert_eq!(problem["field"], "it_capacity_mw");
    }
}

#[tokio::test]
async fn four_hundred_million_on_250_mw_is_133_33_a_kw_month() {
    let app = spawn_app().await;
    let out = app
        .client
        .colocation_arr(&ArrRequest {
            it_capacity_mw: Some(dec!(250).into()),
            arr: Some(dec!(400000000).into()),
            ..Default::default()
        })
        .await
        .unwrap();
    // seed-figures.md: 400,000,000 / (250 × 1,000 × 12) = 133.3333…
    assert_eq!(out.solved, SolvedFor::RatePerKwMonth);
    assert_eq!(out.rate_per_kw_month, dec!(133.3333));
    // 400,000,000 / 250 = 1,600,000 per MW-year.
    assert_eq!(out.revenue_per_mw_year, dec!(1600000));
}

#[tokio::test]
async fn utility_power_over_pue_gives_219_23_mw_of_it_load() {
    let app = spawn_app().await;
    let body = json!({"utility_power_mw": 285, "pue": 1.3, "rate_per_kw_month": 133.33});
    let res = app.post_json("/v1/colocation/arr", &body).await;
    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    // seed-figures.md, Austin County: 285 / 1.3 = 219.230769… MW.
    assert_eq!(out["it_capacity_mw"], json!(219.2308));
    assert_eq!(out["utility_power_mw"], json!(285.0));
    assert_eq!(out["solved"], "arr");
}

#[tokio::test]
async fn the_power_bill_is_returned_apart_from_rent() {
    let app = spawn_app().await;
    let body = json!({"it_capacity_mw": 10, "rate_per_kw_month": 150, "occupancy": 0.8,
                      "pue": 1.25, "power_price_per_mwh": 50});
    let res = app.post_json("/v1/colocation/arr", &body).await;
    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    // 8,000 kW × 1.25 × 8,760 h / 1,000 = 87,600 MWh; × $50 = $4,380,000.
    assert_eq!(out["power_bill"]["energy_mwh_per_year"], json!(87600.0));
    assert_eq!(out["power_bill"]["annual_cost"], json!(4380000.0));
    // Rent is unchanged: 8,000 × 150 × 12 = 14,400,000.
    assert_eq!(out["arr"], json!(14400000.0));
}

#[tokio::test]
async fn giving_capacity_rate_and_arr_together_is_refused() {
    let app = spawn_app().await;
    let body = json!({"it_capacity_mw": 250, "rate_per_kw_month": 133.33, "arr": 400000000});
    assert_problem(
        app.post_json("/v1/colocation/arr", &body).await,
        422,
        "exactly_one_of",
    )
    .await;
}

#[tokio::test]
async fn a_pue_below_one_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let body = json!({"utility_power_mw": 285, "pue": 0.9, "rate_per_kw_month": 133.33});
    let problem = assert_problem(
        app.post_json("/v1/colocation/arr", &body).await,
        422,
        "out_of_range",
    )
    .await;
    assert_eq!(problem["field"], "pue");
}

fn reference_project() -> serde_json::Value {
    // The Sandersville site: 250 MW at $10M/MW spent in year 0, rent of
    // $400M a year (133.333… a kW-month) from month 12, no opex, no growth,
    // exit at an 8% cap rate after 20 years, discounted at 8%.
    json!({
        "it_capacity_mw": 250,
        "cost_per_mw": 10000000,
        "rate_per_kw_month": 133.3333333333333,
        "lease_start_month": 12,
        "discount_rate": 0.08,
        "horizon_years": 20,
        "exit_cap_rate": 0.08
    })
}

#[tokio::test]
async fn the_reference_project_yields_sixteen_percent_on_cost() {
    let app = spawn_app().await;
    let req: ProjectRequest = serde_json::from_value(reference_project()).unwrap();
    let out = app.client.colocation_project(&req).await.unwrap();
    // seed-figures.md: 400 / 2,500 = 16% at full occupancy, no opex, no growth.
    assert_eq!(out.total_cost, dec!(2500000000));
    assert_eq!(out.yield_on_cost, Some(dec!(0.16).into()));
    assert_eq!(out.development_spread, Some(dec!(0.08).into()));
    // Flows from year 1 are worth 400M / 0.08 = 5,000M at 8% (a perpetuity
    // cut at year 20 and sold for the rest): NPV = 5,000 - 2,500 = 2,500M.
    assert!(
        (out.npv.get() - dec!(2500000000)).abs() < dec!(1),
        "{}",
        out.npv
    );
    // After year 6 the total is -100M; a quarter of year 7 recovers it.
    assert_eq!(out.payback_years, Some(dec!(6.25).into()));
    assert_eq!(out.years.len(), 21);
    assert_eq!(out.years[0].capex, dec!(2500000000));
}

#[tokio::test]
async fn a_project_that_never_earns_has_no_irr_and_says_so() {
    let app = spawn_app().await;
    let mut body = reference_project();
    // Rent from month 600: past the 20-year horizon, so only outflows.
    body["lease_start_month"] = json!(600);
    body.as_object_mut().unwrap().remove("exit_cap_rate");
    let problem = assert_problem(
        app.post_json("/v1/colocation/project", &body).await,
        422,
        "no_solution",
    )
    .await;
    assert!(problem["detail"].as_str().unwrap().contains("irr"));
}

#[tokio::test]
async fn a_horizon_over_fifty_years_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let mut body = reference_project();
    body["horizon_years"] = json!(51);
    let problem = assert_problem(
        app.post_json("/v1/colocation/project", &body).await,
        422,
        "out_of_range",
    )
    .await;
    assert_eq!(problem["field"], "horizon_years");
}

#[tokio::test]
async fn occupancy_above_one_in_the_ramp_is_refused_naming_its_index() {
    let app = spawn_app().await;
    let mut body = reference_project();
    body["occupancy_by_year"] = json!([0.5, 1.2]);
    let problem = assert_problem(
        app.post_json("/v1/colocation/project", &body).await,
        422,
        "out_of_range",
    )
    .await;
    assert_eq!(problem["field"], "occupancy_by_year[1]");
}

#[tokio::test]
async fn goal_seek_finds_the_rent_for_a_sixteen_percent_yield() {
    let app = spawn_app().await;
    let req: GoalSeekRequest = serde_json::from_value(json!({
        "project": reference_project(),
        "variable": "rate_per_kw_month",
        "metric": "yield_on_cost",
        "target": 0.16
    }))
    .unwrap();
    let out = app.client.colocation_goal_seek(&req).await.unwrap();
    // 0.16 × 2.5B / (250,000 kW × 12) = 133.333…
    assert_eq!(out.value, dec!(133.3333));
    assert_eq!(out.achieved, dec!(0.16));
    assert_eq!(out.bracket.low, dec!(0.01));
    assert_eq!(out.bracket.high, dec!(10000));
}

#[tokio::test]
async fn goal_seek_finds_the_break_even_build_cost() {
    let app = spawn_app().await;
    let body = json!({
        "project": reference_project(),
        "variable": "cost_per_mw",
        "metric": "npv",
        "target": 0
    });
    let res = app.post_json("/v1/colocation/goal-seek", &body).await;
    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    // NPV = 5,000M − 250 × cost ⇒ cost = $20M per MW.
    let value = out["value"].as_f64().unwrap();
    assert!((value - 20_000_000.0).abs() < 0.01, "{value}");
}

#[tokio::test]
async fn goal_seek_finds_the_readme_cost_for_a_twelve_percent_irr_past_the_zero_cost_end() {
    let app = spawn_app().await;
    // The README's project; at cost 0 there is no IRR, and this answered
    // 422 no_solution. Hand calculation and numpy-financial:
    // crates/core/src/goal_seek.rs and bench/goal_seek_irr.py, 11,456,222.27
    // per MW.
    let body = json!({
        "project": {"it_capacity_mw": 250, "cost_per_mw": 10000000, "rate_per_kw_month": 133.33,
                    "lease_start_month": 12, "opex_fraction": 0.2, "discount_rate": 0.09,
                    "horizon_years": 20, "exit_cap_rate": 0.07},
        "variable": "cost_per_mw",
        "metric": "irr",
        "target": 0.12
    });
    let res = app.post_json("/v1/colocation/goal-seek", &body).await;
    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    let value = out["value"].as_f64().unwrap();
    assert!((value - 11_456_222.273_6).abs() < 2.0, "{value}");
}

#[tokio::test]
async fn an_unreachable_goal_is_refused() {
    let app = spawn_app().await;
    let body = json!({
        "project": reference_project(),
        "variable": "rate_per_kw_month",
        "metric": "yield_on_cost",
        "target": 0.16,
        "bracket": {"low": 10, "high": 20}
    });
    assert_problem(
        app.post_json("/v1/colocation/goal-seek", &body).await,
        422,
        "target_unattainable",
    )
    .await;
}

#[tokio::test]
async fn a_sensitivity_grid_is_labelled_and_keeps_failing_cells() {
    let app = spawn_app().await;
    let req: SensitivityRequest = serde_json::from_value(json!({
        "project": reference_project(),
        "rows": {"variable": "rate_per_kw_month", "values": [100, 200]},
        "columns": {"variable": "cost_per_mw", "range": {"from": 8000000, "to": 12000000, "steps": 2}},
        "outputs": ["yield_on_cost", "irr"]
    }))
    .unwrap();
    let out = app.client.colocation_sensitivity(&req).await.unwrap();
    // Two equal steps from 8M to 12M: three values, as a dilution range's
    // steps give.
    assert_eq!(
        out.columns.values,
        vec![dec!(8000000), dec!(10000000), dec!(12000000)]
    );
    // Yield = rate × 3,000,000 / (cost × 250): 100 × 3M / 2,000M = 0.15.
    assert_eq!(out.grids[0].cells[0][0].value, Some(dec!(0.15).into()));
    // 200 × 3M / 3,000M = 0.2.
    assert_eq!(out.grids[0].cells[1][2].value, Some(dec!(0.2).into()));
    assert!(out.grids[1].cells[1][1].value.is_some());

    // A value outside the variable's range (a rent must be above 0) is
    // refused before any cell is computed, naming it.
    let body = json!({
        "project": reference_project(),
        "rows": {"variable": "rate_per_kw_month", "values": [0, 100]},
        "columns": {"variable": "discount_rate", "values": [0.08]},
        "outputs": ["npv"]
    });
    let problem = assert_problem(
        app.post_json("/v1/colocation/sensitivity", &body).await,
        422,
        "out_of_range",
    )
    .await;
    assert_eq!(problem["field"], "rows.values[0]");

    // A cell the model cannot compute keeps its error code: with opex at
    // all of the rent there is no NOI and no exit value, the cash flows
    // never change sign, and there is no IRR.
    let body = json!({
        "project": reference_project(),
        "rows": {"variable": "opex_fraction", "values": [1, 0]},
        "columns": {"variable": "discount_rate", "values": [0.08]},
        "outputs": ["irr"]
    });
    let res = app.post_json("/v1/colocation/sensitivity", &body).await;
    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        out["grids"][0]["cells"][0][0]["error"], "no_solution",
        "{out}"
    );
    assert!(out["grids"][0]["cells"][1][0]["value"].is_number());
}

#[tokio::test]
async fn more_than_ten_thousand_cells_are_refused() {
    let app = spawn_app().await;
    let body = json!({
        "project": reference_project(),
        "rows": {"variable": "rate_per_kw_month", "range": {"from": 100, "to": 200, "steps": 101}},
        "columns": {"variable": "cost_per_mw", "range": {"from": 1, "to": 2, "steps": 100}},
        "outputs": ["npv"]
    });
    let problem = assert_problem(
        app.post_json("/v1/colocation/sensitivity", &body).await,
        422,
        "inconsistent",
    )
    .await;
    assert_eq!(problem["field"], "columns.values");
}

/// Answers of the two project examples taken from the server at main
/// d94e8f2, before financing, leases and monthly periods were added: a
/// request without the new fields must keep giving these numbers.
#[tokio::test]
async fn todays_project_requests_give_todays_numbers() {
    use infraval_api::Examples;
    let app = spawn_app().await;
    let examples = ProjectRequest::examples();
    let pinned = [
        (
            "sandersville",
            json!({"npv": 1612733517.59, "irr": 0.1371892, "payback_years": 9.2112,
                   "exit_value": 7843486984.2, "equity_multiple": 5.7796,
                   "stabilized_noi": 303992400.0}),
            json!({"year": 2, "occupancy": 0.884028, "rent_revenue": 364210338.96,
                   "noi": 291368271.17, "tax": 34937336.94, "cash_flow": 249146727.44,
                   "cumulative": -2143822615.06}),
        ),
        (
            "with_phases_power_and_an_exit_multiple",
            json!({"npv": 694415948.34, "irr": 0.11350253, "payback_years": 10.034,
                   "exit_value": 4639540500.0, "equity_multiple": 3.8416,
                   "stabilized_noi": 331395750.0}),
            json!({"year": 2, "occupancy": 0.5, "power_revenue": 67260375.0,
                   "opex": 101557500.0, "noi": 165697875.0, "cash_flow": 165697875.0,
                   "cumulative": -2629302125.0}),
        ),
    ];
    for (name, top, year2) in pinned {
        let example = examples.iter().find(|e| e.name == name).unwrap();
        let res = app.post_json("/v1/colocation/project", &example.body).await;
        assert_eq!(res.status(), 200, "{name}");
        let out: serde_json::Value = res.json().await.unwrap();
        for (key, want) in top.as_object().unwrap() {
            assert_eq!(&out[key], want, "{name}: {key}");
        }
        for (key, want) in year2.as_object().unwrap() {
            assert_eq!(&out["years"][2][key], want, "{name}: years[2].{key}");
        }
        assert!(out.get("financing").is_none(), "{name}: unlevered");
        assert!(
            out.get("mining_margin_forgone").is_none()
                && out.get("mining_margin_forgone_pv").is_none()
                && out["years"][2].get("mining_margin_forgone").is_none(),
            "{name}: not a conversion"
        );
    }
}

/// A 3-year build-and-hold with one lease and both loans, worked by hand.
///
/// Site: 10 MW at $10M/MW = $100,000,000, all spent in year 0. One lease,
/// fully leased from month 12 at $100/kW-month, +3% a year, no opex:
/// NOI y1 = 10,000 kW × 100 × 12 = 12,000,000; y2 = 12,360,000;
/// y3 = 12,730,800; y4 (forward) = 13,112,724. Exit at the end of y3 on
/// the forward NOI at an 8% cap: 13,112,724 / 0.08 = 163,909,050.
/// Unlevered: −100,000,000 | 12,000,000 | 12,360,000 | 176,639,850.
///
/// Construction loan, 60% of cost at 8%, capitalised: draw 60,000,000 in
/// y0; y1 interest 0.08 × 60,000,000 = 4,800,000, balance 64,800,000,
/// repaid at stabilisation. The lease is full from month 12, so the site
/// stabilises in year 1.
///
/// Term loan at 6% over 25 years, sized to 1.6× DSCR or 65% LTV, 1% fees:
/// underwritten NOI = y2's 12,360,000; value = 12,360,000 / 0.08 =
/// 154,500,000; LTV cap 0.65 × 154,500,000 = 100,425,000. Level payment
/// per $1: 0.06 / (1 − 1.06^−25), with 1.06^25 = 4.291870719743483, so
/// 0.078226718212274. The DSCR loan pays 12,360,000 / 1.6 = 7,725,000 a
/// year, so it is 7,725,000 / 0.078226718212274 = 98,751,426.32 (< the
/// LTV cap: DSCR binds). Fees 987,514.26.
/// - y2: interest 0.06 × 98,751,426.32 = 5,925,085.58; principal
///   7,725,000 − 5,925,085.58 = 1,799,914.42; balance 96,951,511.90;
///   DSCR 12,360,000 / 7,725,000 = 1.6.
/// - y3: interest 0.06 × 96,951,511.90 = 5,817,090.71; scheduled principal
///   1,907,909.29, DSCR 12,730,800 / 7,725,000 = 1.648; balloon
///   95,043,602.62, so principal repaid 96,951,511.90, balance 0.
///
/// Levered cash flows: y0 −100,000,000 + 60,000,000 = −40,000,000;
/// y1 12,000,000 − 64,800,000 + 98,751,426.32 − 987,514.26 = 44,963,912.06;
/// y2 12,360,000 − 7,725,000 = 4,635,000;
/// y3 176,639,850 − 7,725,000 − 95,043,602.62 = 73,871,247.38.
/// Cumulative −40,000,000 | 4,963,912.06 | … so peak equity 40,000,000.
/// At 10%: levered NPV = −40,000,000 + 44,963,912.06 / 1.1 + 4,635,000 /
/// 1.21 + 73,871,247.38 / 1.331 = 60,207,423.72; unlevered NPV
/// 53,836,100.68. IRRs by bisection on the same flows (python `decimal`,
/// 50 digits): levered 0.77531992, unlevered 0.28534212. Equity multiple
/// (44,963,912.06 + 4,635,000 + 73,871,247.38) / 40,000,000 = 3.0868.
#[tokio::test]
async fn a_levered_three_year_build_and_hold_matches_the_hand_calculation() {
    let app = spawn_app().await;
    let body = hand_built_levered();
    let res = app.post_json("/v1/colocation/project", &body).await;
    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    let cash_flows: Vec<_> = (0..4)
        .map(|t| out["years"][t]["cash_flow"].clone())
        .collect();
    assert_eq!(
        cash_flows,
        [
            json!(-100000000.0),
            json!(12000000.0),
            json!(12360000.0),
            json!(176639850.0)
        ]
    );
    assert_eq!(out["npv"], json!(53836100.68));
    assert_eq!(out["irr"], json!(0.28534212));

    let f = &out["financing"];
    assert_eq!(f["stabilization_year"], json!(1));
    let term = &f["term_loan"];
    assert_eq!(term["funding_period"], json!(1));
    assert_eq!(term["underwritten_noi"], json!(12360000.0));
    assert_eq!(term["value"], json!(154500000.0));
    assert_eq!(term["loan_to_value_amount"], json!(100425000.0));
    assert_eq!(term["dscr_amount"], json!(98751426.32));
    assert_eq!(term["amount"], json!(98751426.32));
    assert_eq!(term["sized_by"], json!("dscr"));
    assert_eq!(term["payment"], json!(7725000.0));
    assert_eq!(term["fees"], json!(987514.26));

    let s = &f["debt_schedule"];
    let cells =
        |key: &str| -> Vec<serde_json::Value> { (0..4).map(|t| s[t][key].clone()).collect() };
    assert_eq!(
        cells("construction_draw"),
        [json!(60000000.0), json!(0.0), json!(0.0), json!(0.0)]
    );
    assert_eq!(
        cells("construction_interest"),
        [json!(0.0), json!(4800000.0), json!(0.0), json!(0.0)]
    );
    assert_eq!(
        cells("construction_interest_paid"),
        [json!(0.0), json!(0.0), json!(0.0), json!(0.0)]
    );
    assert_eq!(
        cells("construction_repayment"),
        [json!(0.0), json!(64800000.0), json!(0.0), json!(0.0)]
    );
    assert_eq!(
        cells("construction_balance"),
        [json!(60000000.0), json!(0.0), json!(0.0), json!(0.0)]
    );
    assert_eq!(
        cells("term_funding"),
        [json!(0.0), json!(98751426.32), json!(0.0), json!(0.0)]
    );
    assert_eq!(
        cells("term_fees"),
        [json!(0.0), json!(987514.26), json!(0.0), json!(0.0)]
    );
    assert_eq!(
        cells("term_interest"),
        [json!(0.0), json!(0.0), json!(5925085.58), json!(5817090.71)]
    );
    assert_eq!(
        cells("term_principal"),
        [json!(0.0), json!(0.0), json!(1799914.42), json!(96951511.9)]
    );
    assert_eq!(
        cells("term_balance"),
        [
            json!(0.0),
            json!(98751426.32),
            json!(96951511.9),
            json!(0.0)
        ]
    );
    assert_eq!(
        cells("debt_service"),
        [json!(0.0), json!(0.0), json!(7725000.0), json!(7725000.0)]
    );
    assert_eq!(
        cells("dscr"),
        [
            serde_json::Value::Null,
            serde_json::Value::Null,
            json!(1.6),
            json!(1.648)
        ]
    );
    assert_eq!(
        cells("levered_cash_flow"),
        [
            json!(-40000000.0),
            json!(44963912.06),
            json!(4635000.0),
            json!(73871247.38)
        ]
    );
    assert_eq!(f["min_dscr"], json!(1.6));
    assert_eq!(f["avg_dscr"], json!(1.624));
    assert_eq!(f["peak_equity"], json!(40000000.0));
    assert_eq!(f["peak_construction_balance"], json!(64800000.0));
    assert_eq!(f["levered_npv"], json!(60207423.72));
    assert_eq!(f["levered_irr"], json!(0.77531992));
    assert_eq!(f["equity_multiple"], json!(3.0868));
}

/// The request of [`a_levered_three_year_build_and_hold_matches_the_hand_calculation`].
fn hand_built_levered() -> serde_json::Value {
    json!({
        "it_capacity_mw": 10,
        "cost_per_mw": 10000000,
        "rate_per_kw_month": 100,
        "lease_start_month": 12,
        "rent_escalator": 0.03,
        "discount_rate": 0.1,
        "horizon_years": 3,
        "exit_cap_rate": 0.08,
        "financing": {
            "construction_loan": {"loan_to_cost": 0.6, "rate": 0.08, "capitalize_interest": true},
            "term_loan": {"rate": 0.06, "amortization_years": 25, "target_dscr": 1.6,
                          "max_loan_to_value": 0.65, "fees": 0.01}
        }
    })
}

#[tokio::test]
async fn sensitivity_and_goal_seek_read_the_levered_metrics() {
    let app = spawn_app().await;
    // The DSCR test binds whatever the rent: the LTV loan is 0.65 / 0.08 =
    // 8.125 × NOI, the DSCR loan NOI / (1.6 × 0.0782267) = 7.99 × NOI; the
    // first term year's NOI is the underwritten NOI, so min DSCR = 1.6.
    let body = json!({
        "project": hand_built_levered(),
        "rows": {"variable": "rate_per_kw_month", "values": [100, 120]},
        "columns": {"variable": "discount_rate", "values": [0.1]},
        "outputs": ["min_dscr", "levered_irr"]
    });
    let res = app.post_json("/v1/colocation/sensitivity", &body).await;
    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    assert_eq!(out["grids"][0]["cells"][0][0]["value"], json!(1.6), "{out}");
    assert_eq!(out["grids"][0]["cells"][1][0]["value"], json!(1.6), "{out}");
    // The hand calculation's levered IRR at $100.
    assert_eq!(out["grids"][1]["cells"][0][0]["value"], json!(0.77531992));

    // Goal seek finds the hand calculation's rent from its levered IRR.
    let body = json!({
        "project": hand_built_levered(),
        "variable": "rate_per_kw_month", "metric": "levered_irr", "target": 0.77531992,
        "bracket": {"low": 50, "high": 150}
    });
    let res = app.post_json("/v1/colocation/goal-seek", &body).await;
    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    assert_eq!(out["value"], json!(100.0), "{out}");

    // A levered metric of an all-equity project is a cell error, not a 0.
    let mut unlevered = hand_built_levered();
    unlevered.as_object_mut().unwrap().remove("financing");
    let body = json!({
        "project": unlevered,
        "rows": {"variable": "rate_per_kw_month", "values": [100]},
        "columns": {"variable": "discount_rate", "values": [0.1]},
        "outputs": ["levered_irr"]
    });
    let res = app.post_json("/v1/colocation/sensitivity", &body).await;
    let out: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        out["grids"][0]["cells"][0][0]["error"], "no_solution",
        "{out}"
    );
}

/// One modified-gross lease with an extension, worked by hand.
///
/// 10 MW leased from month 12 for 24 months at $100/kW-month, +10% a
/// year; the landlord bears $20/kW-month; one 12-month extension with 6
/// months' downtime at a 75% renewal probability.
/// - y1: rent 10,000 × 100 × 12 = 12,000,000; opex 10,000 × 20 × 12 =
///   2,400,000; NOI 9,600,000.
/// - y2: rent 12,000,000 × 1.1 = 13,200,000; NOI 10,800,000.
/// - y3 (the extension): leased months 6 × 0.75 + 6 = 10.5, so occupancy
///   10.5 / 12 = 0.875; rent 10,000 × 100 × 1.21 × 10.5 = 12,705,000; opex
///   10,000 × 20 × 10.5 = 2,100,000; NOI 10,605,000.
/// - y4: the lease is over: no rent.
#[tokio::test]
async fn a_lease_with_an_extension_matches_the_hand_calculation() {
    let app = spawn_app().await;
    let body = json!({
        "it_capacity_mw": 10,
        "cost_per_mw": 10000000,
        "leases": [{
            "tenant": "Hand-built",
            "it_capacity_mw": 10,
            "start_month": 12,
            "term_months": 24,
            "rate_per_kw_month": 100,
            "rent_escalator": 0.1,
            "extensions": {"count": 1, "months": 12, "renewal_probability": 0.75, "downtime_months": 6},
            "structure": "modified_gross",
            "landlord_opex_per_kw_month": 20
        }],
        "discount_rate": 0.1,
        "horizon_years": 4
    });
    let res = app.post_json("/v1/colocation/project", &body).await;
    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    let cells = |key: &str| -> Vec<serde_json::Value> {
        (0..5).map(|t| out["years"][t][key].clone()).collect()
    };
    assert_eq!(
        cells("rent_revenue"),
        [
            json!(0.0),
            json!(12000000.0),
            json!(13200000.0),
            json!(12705000.0),
            json!(0.0)
        ]
    );
    assert_eq!(
        cells("noi"),
        [
            json!(0.0),
            json!(9600000.0),
            json!(10800000.0),
            json!(10605000.0),
            json!(0.0)
        ]
    );
    assert_eq!(out["years"][3]["occupancy"], json!(0.875));
    // Stabilized: the leases' first-year rent, 12,000,000, less 2,400,000.
    assert_eq!(out["stabilized_noi"], json!(9600000.0));
}

#[tokio::test]
async fn leases_refuse_the_single_rate_fields_and_an_over_let_site() {
    let app = spawn_app().await;
    let lease = json!({"tenant": "A", "it_capacity_mw": 6, "start_month": 12,
                       "term_months": 120, "rate_per_kw_month": 100});
    let mut body = json!({"it_capacity_mw": 10, "cost_per_mw": 10000000,
                          "rate_per_kw_month": 100, "leases": [lease],
                          "discount_rate": 0.1, "horizon_years": 4});
    let res = app.post_json("/v1/colocation/project", &body).await;
    assert_eq!(res.status(), 422);
    let problem: serde_json::Value = res.json().await.unwrap();
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("rate_per_kw_month"),
        "{problem}"
    );

    body.as_object_mut().unwrap().remove("rate_per_kw_month");
    body["leases"] = json!([lease, lease]);
    let problem = assert_problem(
        app.post_json("/v1/colocation/project", &body).await,
        422,
        "inconsistent",
    )
    .await;
    assert_eq!(problem["field"], "leases");

    body["leases"] = json!([{"tenant": "A", "it_capacity_mw": 6, "start_month": 12,
                             "term_months": 120, "rate_per_kw_month": 100,
                             "structure": "modified_gross"}]);
    let problem = assert_problem(
        app.post_json("/v1/colocation/project", &body).await,
        422,
        "inconsistent",
    )
    .await;
    assert_eq!(problem["field"], "leases[0].landlord_opex_per_kw_month");
}

/// Monthly periods on a 3-year build-and-hold: −100,000,000 in month 0;
/// 10,000 kW × $100 = 1,000,000 a month from month 12; the exit, forward
/// NOI 12,000,000 / 0.08 = 150,000,000, in month 47. With v = 1.1^(−1/12):
/// NPV = −100,000,000 + Σ_{m=12}^{47} 1,000,000 v^m + 150,000,000 v^47 =
/// 31,846,388.40 (python decimal, 40 digits). numpy_financial.irr of the
/// 48 monthly flows is 0.0145139262 a month, (1 + r)^12 − 1 = 0.18876540.
#[tokio::test]
async fn monthly_periods_match_numpy_financial_and_a_hand_npv() {
    let app = spawn_app().await;
    let body = json!({
        "it_capacity_mw": 10, "cost_per_mw": 10000000, "rate_per_kw_month": 100,
        "lease_start_month": 12, "discount_rate": 0.1, "horizon_years": 3,
        "exit_cap_rate": 0.08, "periods": "monthly"
    });
    let res = app.post_json("/v1/colocation/project", &body).await;
    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    let flows = out["monthly_cash_flows"].as_array().unwrap();
    assert_eq!(flows.len(), 48);
    assert_eq!(flows[0], json!(-100000000.0));
    assert_eq!(flows[12], json!(1000000.0));
    assert_eq!(flows[47], json!(151000000.0));
    assert_eq!(out["npv"], json!(31846388.4));
    assert_eq!(out["irr"], json!(0.1887654));
    // The yearly summary: 12 months of rent in year 1.
    assert_eq!(out["years"][1]["noi"], json!(12000000.0));
    assert_eq!(out["years"].as_array().unwrap().len(), 4);
}
