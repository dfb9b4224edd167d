//! A mining site converted to a data center: `conversion` on
//! `POST /v1/colocation/project`, goal seek, and its refusals.

use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_app};

/// 1 MW converted: mining stops in month 6 and gives up $1M a month; the
/// $12M build spends $1M a month over months 6 to 17; rent of $4,000 a
/// kW-month ($4M a month) from month 18; 10% discount rate, years 0 to 2.
fn converted() -> Value {
    json!({
        "it_capacity_mw": 1, "cost_per_mw": 12000000,
        "phases": [{"it_capacity_mw": 1, "start_month": 6, "duration_months": 12}],
        "rate_per_kw_month": 4000, "lease_start_month": 18,
        "discount_rate": 0.1, "horizon_years": 2,
        "conversion": {"start_month": 6, "mining_margin_per_month": 1000000}
    })
}

#[tokio::test]
async fn a_flat_margin_given_up_matches_the_hand_calculation() {
    // Hand calculation, by year (months 12t to 12t + 11):
    //   forgone  6 × 1M = 6M, 12M, 12M (30M in all); capex 6M, 6M, 0
    //   NOI      0, 6 × 4M = 24M, 48M (the margin given up is not in NOI)
    //   CF       −6M − 6M = −12M; 24M − 6M − 12M = 6M; 48M − 12M = 36M
    //   NPV      −12M + 6M / 1.1 + 36M / 1.21 = 28.08M / 1.21 = 23,206,611.57
    //   IRR      6x² + x − 2 = 0 for x = 1 / (1 + r): x = 1/2, r = 1
    //            (NPV(1) = −12 + 6/2 + 36/4 = 0)
    //   payback  cumulative −12M, −6M, 30M: 1 + 6/36 = 1.1667 years
    //   forgone PV 6M + 12M / 1.1 + 12M / 1.21 = 32.46M / 1.21 = 26,826,446.28
    //   equity multiple (6 + 36) / 12 = 3.5
    let app = spawn_app().await;
    let res = app.post_json("/v1/colocation/project", &converted()).await;
    assert_eq!(res.status(), 200);
    let out: Value = res.json().await.unwrap();
    let column = |key: &str| -> Vec<Value> {
        out["years"]
            .as_array()
            .unwrap()
            .iter()
            .map(|y| y[key].clone())
            .collect()
    };
    assert_eq!(
        column("mining_margin_forgone"),
        vec![json!(6000000.0), json!(12000000.0), json!(12000000.0)]
    );
    assert_eq!(
        column("noi"),
        vec![json!(0.0), json!(24000000.0), json!(48000000.0)]
    );
    assert_eq!(
        column("cash_flow"),
        vec![json!(-12000000.0), json!(6000000.0), json!(36000000.0)]
    );
    assert_eq!(out["npv"], json!(23206611.57));
    assert_eq!(out["irr"], json!(1.0));
    assert_eq!(out["payback_years"], json!(1.1667));
    assert_eq!(out["equity_multiple"], json!(3.5));
    assert_eq!(out["mining_margin_forgone"], json!(30000000.0));
    assert_eq!(out["mining_margin_forgone_pv"], json!(26826446.28));
}

#[tokio::test]
async fn goal_seek_solves_a_converted_project() {
    // NPV = 0 in the cost C a MW (half spent in year 0, half in year 1):
    // −C/2 − 6M + (12M − C/2) / 1.1 + 36M / 1.21 = 0, so
    // C/2 × 2.1/1.1 = (−6 × 1.21 + 12 × 1.1 + 36)M / 1.21 = 41.94M / 1.21,
    // C = 2 × 41.94M × 1.1 / (1.21 × 2.1) = 36,311,688.31.
    let app = spawn_app().await;
    let body = json!({"project": converted(), "variable": "cost_per_mw", "metric": "npv",
                      "target": 0});
    let res = app.post_json("/v1/colocation/goal-seek", &body).await;
    assert_eq!(res.status(), 200);
    let out: Value = res.json().await.unwrap();
    assert_eq!(out["value"], json!(36311688.31));
}

/// Month 1 and 2 of a projection from the mining core's closed-form test:
/// a network held at its difficulty (1,000 EH/s, 144 blocks a day), 3.125
/// BTC a block, no fees.
/// Dec 2025 (31 days): fleet 50 + 10 = 60 EH/s, BTC $100,000:
///   60/1,000 × 144 × 3.125 × 31 = 837 BTC = $83,700,000;
///   power 20 J/TH × 60 EH/s = 1,200 MW × 24 × 31 × $50 = $44,640,000;
///   other opex $100,000 × 31 = $3,100,000; margin $35,960,000.
/// Jan 2026 (31 days): fleet 50, BTC $110,000: 697.5 BTC = $76,725,000;
///   power 1,000 MW × 24 × 31 × 50 = $37,200,000; margin $36,425,000.
fn projection(with_power: bool) -> Value {
    let mut p = json!({
        "start_date": "2025-12-01", "months": 2, "fleet_hashrate_ehs": 50,
        "fleet_additions_ehs": [10, -10], "network_hashrate_ehs": 1000,
        "block_subsidy_btc": 3.125, "btc_price": 100000, "btc_price_growth_per_month": 0.1,
        "efficiency_j_per_th": 20, "other_opex_per_day": 100000
    });
    if with_power {
        p["power_price_per_mwh"] = json!(50);
    }
    p
}

#[tokio::test]
async fn a_projections_monthly_margin_lands_from_the_start_month_on() {
    // Converted in month 11, built in month 11 ($12M), rent $4M a month from
    // month 12; monthly periods. Projection month 1 is project month 11,
    // month 2 is month 12, then nothing (the projection ends):
    //   month 11: −12M − 35.96M = −47.96M; month 12: 4M − 36.425M = −32.425M;
    //   months 13 to 23: 4M.
    // Forgone PV: 35.96M / 1.1^(11/12) + 36.425M / 1.1
    //   = 35,960,000 / 1.0912978378 + 33,113,636.36 = 66,065,227.35.
    let app = spawn_app().await;
    let body = json!({
        "it_capacity_mw": 1, "cost_per_mw": 12000000,
        "phases": [{"it_capacity_mw": 1, "start_month": 11, "duration_months": 1}],
        "rate_per_kw_month": 4000, "lease_start_month": 12,
        "discount_rate": 0.1, "horizon_years": 1, "periods": "monthly",
        "conversion": {"start_month": 11, "mining_projection": projection(true)}
    });
    let res = app.post_json("/v1/colocation/project", &body).await;
    assert_eq!(res.status(), 200);
    let out: Value = res.json().await.unwrap();
    let flows = out["monthly_cash_flows"].as_array().unwrap();
    assert_eq!(flows[10], json!(0.0));
    assert_eq!(flows[11], json!(-47960000.0));
    assert_eq!(flows[12], json!(-32425000.0));
    assert_eq!(flows[13], json!(4000000.0));
    assert_eq!(out["years"][0]["mining_margin_forgone"], json!(35960000.0));
    assert_eq!(out["years"][1]["mining_margin_forgone"], json!(36425000.0));
    assert_eq!(out["mining_margin_forgone"], json!(72385000.0));
    assert_eq!(out["mining_margin_forgone_pv"], json!(66065227.35));
    // −80.385M, then 11 × 4M = 44M back: never paid back.
    assert!(out.get("payback_years").is_none(), "{out}");
}

async fn refused(body: Value, code: &str, field: Option<&str>) {
    let app = spawn_app().await;
    let res = app.post_json("/v1/colocation/project", &body).await;
    let problem = assert_problem(res, 422, code).await;
    if let Some(field) = field {
        assert_eq!(problem["field"], json!(field), "{problem}");
    }
}

#[tokio::test]
async fn rent_before_the_conversion_is_refused_naming_the_lease() {
    let mut body = converted();
    body["lease_start_month"] = json!(5);
    refused(body, "inconsistent", Some("lease_start_month")).await;
    let mut body = converted();
    body.as_object_mut().unwrap().remove("rate_per_kw_month");
    body.as_object_mut().unwrap().remove("lease_start_month");
    body["leases"] = json!([{"tenant": "T", "it_capacity_mw": 1, "start_month": 5,
                             "term_months": 24, "rate_per_kw_month": 4000}]);
    refused(body, "inconsistent", Some("leases[0].start_month")).await;
}

#[tokio::test]
async fn a_build_before_the_conversion_is_refused_naming_the_phase() {
    let mut body = converted();
    body["conversion"]["start_month"] = json!(7);
    refused(body, "inconsistent", Some("phases[0].start_month")).await;
}

#[tokio::test]
async fn two_sources_of_the_margin_are_refused() {
    let mut body = converted();
    body["conversion"]["mining_projection"] = projection(true);
    refused(body, "exactly_one_of", None).await;
}

#[tokio::test]
async fn a_projection_without_a_power_price_is_refused_naming_the_field() {
    let mut body = converted();
    body["conversion"] = json!({"start_month": 6, "mining_projection": projection(false)});
    refused(
        body,
        "inconsistent",
        Some("conversion.mining_projection.power_price_per_mwh"),
    )
    .await;
}

#[tokio::test]
async fn a_nested_projection_costing_more_than_one_work_unit_is_refused() {
    // 120 months × (32 + 3 cohorts × 16 price buckets) = 9,600 > 8,000.
    let mut p = projection(true);
    p["months"] = json!(120);
    p.as_object_mut().unwrap().remove("fleet_hashrate_ehs");
    p.as_object_mut().unwrap().remove("fleet_additions_ehs");
    p["cohorts"] = json!([
        {"hashrate_ehs": 1, "efficiency_j_per_th": 20},
        {"hashrate_ehs": 1, "efficiency_j_per_th": 20},
        {"hashrate_ehs": 1, "efficiency_j_per_th": 20}
    ]);
    p.as_object_mut().unwrap().remove("efficiency_j_per_th");
    p["power_price_profile"] = json!(vec![
        json!({"share_of_hours": 0.0625, "price_multiple": 1});
        16
    ]);
    let mut body = converted();
    body["conversion"] = json!({"start_month": 6, "mining_projection": p});
    refused(body, "inconsistent", Some("conversion.mining_projection")).await;
}

#[tokio::test]
async fn goal_seek_and_sensitivity_vary_the_margin_given_up() {
    // NPV = 0 in the margin x a month: CF = −6M − 6x, 18M − 12x, 48M − 12x;
    // × 1.21: −7.26 − 7.26x + 19.8 − 13.2x + 48 − 12x = 0 (in $M), so
    // x = 60.54 / 32.46 = 1.8650647M = 1,865,064.70 a month.
    let app = spawn_app().await;
    let body = json!({"project": converted(), "variable": "mining_margin_per_month",
                      "metric": "npv", "target": 0});
    let res = app.post_json("/v1/colocation/goal-seek", &body).await;
    assert_eq!(res.status(), 200);
    let out: Value = res.json().await.unwrap();
    assert_eq!(out["value"], json!(1865064.7));
    // The grid: at x = 0 the NPV is 60.54M / 1.21 = 50,033,057.85; at $1M
    // it is the hand case's 23,206,611.57.
    let body = json!({"project": converted(),
                      "rows": {"variable": "mining_margin_per_month", "values": [0, 1000000]},
                      "columns": {"variable": "discount_rate", "values": [0.1]},
                      "outputs": ["npv"]});
    let res = app.post_json("/v1/colocation/sensitivity", &body).await;
    assert_eq!(res.status(), 200);
    let out: Value = res.json().await.unwrap();
    let cells = &out["grids"][0]["cells"];
    assert_eq!(cells[0][0]["value"], json!(50033057.85), "{out}");
    assert_eq!(cells[1][0]["value"], json!(23206611.57), "{out}");
    // Not a conversion: nothing to vary.
    let mut project = converted();
    project.as_object_mut().unwrap().remove("conversion");
    let body = json!({"project": project, "variable": "mining_margin_per_month",
                      "metric": "npv", "target": 0});
    let res = app.post_json("/v1/colocation/goal-seek", &body).await;
    let problem = assert_problem(res, 422, "inconsistent").await;
    assert_eq!(problem["field"], json!("variable"), "{problem}");
}

#[tokio::test]
async fn a_sum_of_the_parts_site_is_worth_its_conversions_npv() {
    // The hand case's NPV, 23,206,611.57, net of the $30M of margin given
    // up; a projection error inside a site names its whole path.
    let app = spawn_app().await;
    let scenario = |development: Value| {
        json!({"scenarios": [{"name": "base", "basic_shares": 280000000,
                              "data_centers": [{"name": "Converted", "development": development}]}]})
    };
    let res = app
        .post_json("/v1/valuations/sum-of-parts", &scenario(converted()))
        .await;
    assert_eq!(res.status(), 200);
    let out: Value = res.json().await.unwrap();
    assert_eq!(
        out["scenarios"][0]["data_centers"][0]["value"],
        json!(23206611.57),
        "{out}"
    );
    let mut development = converted();
    development["conversion"] = json!({"start_month": 6, "mining_projection": projection(false)});
    let res = app
        .post_json("/v1/valuations/sum-of-parts", &scenario(development))
        .await;
    let problem = assert_problem(res, 422, "inconsistent").await;
    assert_eq!(
        problem["field"],
        json!("scenarios[0].data_centers[0].development.conversion.mining_projection.power_price_per_mwh"),
        "{problem}"
    );
}

#[tokio::test]
async fn a_sum_of_the_parts_takes_at_most_ten_sites_converted_from_a_projection() {
    let app = spawn_app().await;
    let mut development = converted();
    development["conversion"] = json!({"start_month": 6, "mining_projection": projection(true)});
    let sites = |n: usize| -> Value {
        (0..n)
            .map(|k| json!({"name": format!("Site {k}"), "development": development.clone()}))
            .collect()
    };
    let body = |n: usize| {
        json!({"scenarios": [{"name": "base", "basic_shares": 280000000,
                              "data_centers": sites(n)}]})
    };
    let res = app
        .post_json("/v1/valuations/sum-of-parts", &body(10))
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post_json("/v1/valuations/sum-of-parts", &body(11))
        .await;
    let problem = assert_problem(res, 422, "inconsistent").await;
    assert_eq!(
        problem["field"],
        json!("scenarios[0].data_centers[10].development.conversion.mining_projection"),
        "{problem}"
    );
}

/// A dependency inside the nested `mining_projection` names its whole path,
/// on the project endpoint and, deeper, inside a sum of the parts' site.
#[tokio::test]
async fn a_nested_projections_missing_dependency_names_its_whole_path() {
    let app = spawn_app().await;
    // A power price with no efficiency to turn hashrate into megawatts.
    let mut p = projection(true);
    p.as_object_mut().unwrap().remove("efficiency_j_per_th");
    let mut body = converted();
    body["conversion"] = json!({"start_month": 6, "mining_projection": p});
    let problem = assert_problem(
        app.post_json("/v1/colocation/project", &body).await,
        422,
        "missing_dependency",
    )
    .await;
    assert_eq!(
        problem["field"], "conversion.mining_projection.power_price_per_mwh",
        "{problem}"
    );
    assert_eq!(
        problem["detail"],
        "`conversion.mining_projection.power_price_per_mwh` requires \
         `conversion.mining_projection.efficiency_j_per_th`",
        "{problem}"
    );
    let site = |development: Value| json!({"name": "Converted", "development": development});
    let sotp = json!({"scenarios": [
        {"name": "base", "basic_shares": 280000000, "data_centers": [site(converted())]},
        {"name": "bull", "basic_shares": 280000000,
         "data_centers": [site(converted()), site(body)]}
    ]});
    let problem = assert_problem(
        app.post_json("/v1/valuations/sum-of-parts", &sotp).await,
        422,
        "missing_dependency",
    )
    .await;
    assert_eq!(
        problem["detail"],
        "`scenarios[1].data_centers[1].development.conversion.mining_projection.power_price_per_mwh` \
         requires `scenarios[1].data_centers[1].development.conversion.mining_projection.efficiency_j_per_th`",
        "{problem}"
    );
}

/// Goal seek's and sensitivity's nested `project` name `project.…` in the
/// errors between its fields, as they do in its range errors.
#[tokio::test]
async fn a_nested_projects_alternatives_and_dependencies_name_project() {
    let app = spawn_app().await;
    let mut rent_twice = converted();
    rent_twice["leases"] = json!([{"tenant": "T", "it_capacity_mw": 1, "start_month": 18,
                                   "term_months": 24, "rate_per_kw_month": 4000}]);
    let body = json!({"project": rent_twice, "variable": "cost_per_mw", "metric": "npv",
                      "target": 0});
    let problem = assert_problem(
        app.post_json("/v1/colocation/goal-seek", &body).await,
        422,
        "exactly_one_of",
    )
    .await;
    assert_eq!(
        problem["detail"],
        "give exactly one of `project.leases`, `project.rate_per_kw_month`; \
         got `project.leases`, `project.rate_per_kw_month`",
        "{problem}"
    );
    let mut unstable = converted();
    unstable["stabilized_occupancy"] = json!(0.9);
    let body = json!({"project": unstable,
                      "rows": {"variable": "cost_per_mw", "values": [12000000]},
                      "columns": {"variable": "discount_rate", "values": [0.1]},
                      "outputs": ["npv"]});
    let problem = assert_problem(
        app.post_json("/v1/colocation/sensitivity", &body).await,
        422,
        "missing_dependency",
    )
    .await;
    assert_eq!(
        problem["field"], "project.stabilized_occupancy",
        "{problem}"
    );
    assert_eq!(
        problem["detail"], "`project.stabilized_occupancy` requires `project.months_to_stabilize`",
        "{problem}"
    );
}
