//! The lattice pricer against independent reference prices
//! (`tests/data/convertibles.json`; see `tests/data/README.md` for their source).
//!
//! Every deviation is collected and reported together in the failure message.

use approx::{abs_diff_eq, assert_abs_diff_eq, relative_eq};
use chrono::NaiveDate;
use infraval_core::convertible::lattice::{
    CallPeriod, ConvertibleInput, ConvertibleSpec, Model, PutDate, DEFAULT_CALL_PUT_STEPS,
    DEFAULT_STEPS,
};
use infraval_core::convertible::pricing::fair_value_per_100;
use infraval_core::convertible::schedule::DayCount;
use infraval_core::tolerance::{
    CASH_FLOW_PER_100_ABS, CONVERGED_PER_100_ABS, EUROPEAN_TF_PER_100_ABS, HAZARD_REFERENCE_REL,
    LATTICE_ORDER_PER_100_ABS, TF_REFERENCE_REL, ZERO_SPREAD_PER_100_ABS,
};
use serde_json::Value;

mod common;
use common::report;

fn reference() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/convertibles.json"
    );
    let text = std::fs::read_to_string(path).expect("tests/data/convertibles.json is readable");
    serde_json::from_str(&text).expect("the reference file is JSON")
}

fn date(v: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(v.as_str().expect("a date string"), "%Y-%m-%d").expect("ISO date")
}

fn num(v: &Value) -> f64 {
    v.as_f64().expect("a number")
}

/// The reference case as our spec (model and steps set by the caller).
fn spec_of(case: &Value) -> ConvertibleSpec {
    let i = &case["inputs"];
    let call_schedule = match &i["call_schedule"] {
        Value::Null => vec![],
        c => vec![CallPeriod {
            from_date: date(&c["first_date"]),
            to_date: date(&c["last_date"]),
            price_per_100: num(&c["price_per_100"]),
            trigger: c["trigger_fraction_of_conversion_price"].as_f64(),
            test: None,
        }],
    };
    let put_schedule = match &i["put_schedule"] {
        Value::Array(puts) => puts
            .iter()
            .map(|p| PutDate {
                date: date(&p["date"]),
                price_per_100: num(&p["price_per_100"]),
            })
            .collect(),
        _ => vec![],
    };
    let day_count = match i["coupon_day_count"].as_str() {
        Some(s) if s.contains("30") => DayCount::Thirty360,
        _ => DayCount::Act365F,
    };
    ConvertibleSpec {
        face: num(&i["face"]),
        issue_date: date(&i["issue_date"]),
        maturity_date: date(&i["maturity_date"]),
        valuation_date: date(&i["valuation_date"]),
        coupon_rate: num(&i["coupon_rate"]),
        coupon_frequency: i["coupon_frequency"].as_u64().expect("frequency") as u32,
        coupon_day_count: day_count,
        conversion_rate_per_1000: num(&i["conversion_rate_per_1000"]),
        conversion_start_date: None,
        stock_price: num(&i["stock_price"]),
        volatility: num(&i["volatility"]),
        risk_free_rate: num(&i["risk_free_rate"]),
        credit_spread: num(&i["credit_spread"]),
        dividend_yield: num(&i["dividend_yield"]),
        dividends: vec![],
        call_schedule,
        put_schedule,
        model: Model::TsiveriotisFernandes,
        recovery_rate: 0.0,
        steps: Some(i["steps"].as_u64().expect("steps") as usize),
        contract: Default::default(),
    }
}

fn price(spec: &ConvertibleSpec, model: Model, steps: Option<usize>) -> f64 {
    let mut spec = spec.clone();
    spec.model = model;
    spec.steps = steps.or(spec.steps);
    let input = ConvertibleInput::new(spec).expect("reference inputs are valid");
    fair_value_per_100(&input).expect("reference cases price")
}

fn cases() -> Vec<Value> {
    reference()["cases"].as_array().expect("cases").clone()
}

#[test]
fn every_case_is_within_tolerance_of_the_independent_reference_prices() {
    let mut failures = Vec::new();
    for case in cases() {
        let id = case["id"].as_str().expect("id").to_string();
        let reference = &case["reference_per_100"];
        let spec = spec_of(&case);
        let tf = price(&spec, Model::TsiveriotisFernandes, None);
        let hazard = price(&spec, Model::HazardRate, None);

        if let Some(want) = reference["tsiveriotis_fernandes"].as_f64() {
            if !relative_eq!(tf, want, max_relative = TF_REFERENCE_REL) {
                failures.push(format!(
                    "{id}: TF {tf:.6} vs reference {want:.6}: {:.3}% > {:.1}%",
                    (tf - want).abs() / want * 100.0,
                    TF_REFERENCE_REL * 100.0
                ));
            }
        }
        if let Some(want) = reference["hazard_rate_recovery_0"].as_f64() {
            if !relative_eq!(hazard, want, max_relative = HAZARD_REFERENCE_REL) {
                failures.push(format!(
                    "{id}: hazard {hazard:.6} vs reference {want:.6}: {:.3}% > {:.1}%",
                    (hazard - want).abs() / want * 100.0,
                    HAZARD_REFERENCE_REL * 100.0
                ));
            }
        }
        if spec.credit_spread == 0.0 {
            for column in [
                "tsiveriotis_fernandes",
                "hazard_rate_recovery_0",
                "quantlib_blended_crr",
                "quantlib_blended_converged",
            ] {
                let want = num(&reference[column]);
                for (name, got) in [("TF", tf), ("hazard", hazard)] {
                    if !abs_diff_eq!(got, want, epsilon = ZERO_SPREAD_PER_100_ABS) {
                        failures.push(format!(
                            "{id}: {name} {got:.6} vs {column} {want:.6}: off by {:.4} > {ZERO_SPREAD_PER_100_ABS}",
                            (got - want).abs()
                        ));
                    }
                }
            }
        }
        if !spec.call_schedule.is_empty() {
            let mut no_call = spec.clone();
            no_call.call_schedule.clear();
            let parity = spec.conversion_rate_per_1000 / 10.0 * spec.stock_price;
            for (name, model, callable) in [
                ("TF", Model::TsiveriotisFernandes, tf),
                ("hazard", Model::HazardRate, hazard),
            ] {
                let straight = price(&no_call, model, None);
                if callable > straight + LATTICE_ORDER_PER_100_ABS {
                    failures.push(format!(
                        "{id}: {name} callable {callable:.6} above the non-callable {straight:.6}"
                    ));
                }
                if callable < parity - LATTICE_ORDER_PER_100_ABS {
                    failures.push(format!(
                        "{id}: {name} callable {callable:.6} below parity {parity:.6}"
                    ));
                }
            }
        }

        let input = ConvertibleInput::new(spec.clone()).expect("valid");
        for (what, got, column) in [
            ("bond floor", input.bond_floor_per_100(), "bond_floor"),
            (
                "parity",
                input.conversion_shares_per_100() * spec.stock_price,
                "conversion_value",
            ),
            ("accrued", input.accrued_per_100(), "accrued"),
        ] {
            let want = num(&reference[column]);
            if !abs_diff_eq!(got, want, epsilon = CASH_FLOW_PER_100_ABS) {
                failures.push(format!("{id}: {what} {got:.9} vs reference {want:.9}"));
            }
        }
    }
    report(&failures);
}

#[test]
fn the_default_step_count_is_within_a_hundredth_of_the_20000_step_price() {
    // The converged value is the same lattice at the step cap; the claim is
    // that the default step count (DEFAULT_STEPS, or DEFAULT_CALL_PUT_STEPS
    // with a call or put schedule) already sits within 0.01 per 100 of it.
    let mut failures = Vec::new();
    for case in cases() {
        let id = case["id"].as_str().expect("id").to_string();
        let mut spec = spec_of(&case);
        spec.steps = None;
        let steps = if spec.call_schedule.is_empty() && spec.put_schedule.is_empty() {
            DEFAULT_STEPS
        } else {
            DEFAULT_CALL_PUT_STEPS
        };
        for model in [Model::TsiveriotisFernandes, Model::HazardRate] {
            let default = price(&spec, model, None);
            let converged = price(&spec, model, Some(20_000));
            if !abs_diff_eq!(default, converged, epsilon = CONVERGED_PER_100_ABS) {
                failures.push(format!(
                    "{id} {model:?}: {default:.6} at {steps} steps vs {converged:.6} at 20,000: off by {:.4} > {CONVERGED_PER_100_ABS}",
                    (default - converged).abs()
                ));
            }
        }
    }
    report(&failures);
}

#[test]
fn a_zero_coupon_note_without_dividends_converges_to_the_closed_form_european_tf_value() {
    // With q = 0 and no coupon, call or put, early conversion is worth almost
    // nothing (only deep in the money, where the cash part's spread makes the
    // shares worth more), so the TF value is the European one:
    //   equity = n·S·N(d1), cash = 100·e^{−(r+s)T}·N(−d2),
    //   d1 = (ln(nS/100) + (r + σ²/2)T) / (σ√T), d2 = d1 − σ√T.
    // Base case of the reference file, conversion price 19.16 (52.1920668
    // shares per 1,000), computed by hand (Python's math.erfc for N):
    // n·S = 78.444676, T = 2557/365 = 7.005479, σ√T = 1.588072,
    // d1 = (−0.242830 + 1.541205) / 1.588072 = 0.817613, d2 = −0.770459;
    // N(d1) = 0.793211, N(−d2) = 0.779486;
    // equity = 62.223181, cash = 53.232922 × 0.779486 = 41.494320; total 103.717501.
    // (CleanSpark's own rate, 52.1832, gives 103.706222: tests/convertible_peers.rs.)
    let european = 103.717501;
    let case = cases()
        .into_iter()
        .find(|c| c["id"] == "base")
        .expect("base case");
    let tree = price(&spec_of(&case), Model::TsiveriotisFernandes, Some(20_000));
    assert_abs_diff_eq!(tree, european, epsilon = EUROPEAN_TF_PER_100_ABS);
}
