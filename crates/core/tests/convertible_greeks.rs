//! Each greek at the default settings against a central bump of a
//! 20,000-step tree (the step cap), on notes of the book of issue 18's
//! floor (`benches/convertible_greeks.rs`): the soft-callable CleanSpark
//! note at share prices across the book. Vega, rho and CS01 are bumped on
//! trees of fewer steps than the price's (`pricing::VEGA_STEPS_DIVISOR`,
//! `RATE_STEPS_DIVISOR`); this holds them to their own accuracy.
//!
//! `cargo test -p infraval-core --test convertible_greeks -- --nocapture`
//! prints the table of `bench/RESULTS.md`.

use approx::{abs_diff_eq, relative_eq};
use chrono::Duration;
use infraval_core::convertible::lattice::{ConvertibleInput, ConvertibleSpec, MAX_STEPS};
use infraval_core::convertible::pricing::{fair_value_per_100, price, BP_BUMP, VEGA_BUMP};
use infraval_core::tolerance::{
    GREEK_DELTA_REL, GREEK_GAMMA_REL, GREEK_RATE_REL, GREEK_THETA_PER_100_PER_DAY_ABS,
    GREEK_VEGA_REL,
};

#[path = "../benches/common/book.rs"]
#[allow(dead_code)]
mod book;
mod common;

/// Share-price bump for the reference delta and gamma: 1% of the price.
const STOCK_BUMP_REL: f64 = 0.01;
/// Valuation-date bump for the reference theta, days.
const THETA_BUMP_DAYS: i64 = 1;

/// The price of `spec` on a tree of `steps`.
fn at_steps(spec: &ConvertibleSpec, steps: usize) -> f64 {
    let mut spec = spec.clone();
    spec.steps = Some(steps);
    fair_value_per_100(&ConvertibleInput::new(spec).expect("valid")).expect("prices")
}

/// The price of `spec` on a 20,000-step tree.
fn converged(spec: &ConvertibleSpec) -> f64 {
    at_steps(spec, MAX_STEPS)
}

/// `(V(bump(+1)) − V(bump(−1))) / 2` on trees of `steps`.
fn central_at(
    spec: &ConvertibleSpec,
    steps: usize,
    bump: impl Fn(&mut ConvertibleSpec, f64),
) -> f64 {
    let (mut up, mut down) = (spec.clone(), spec.clone());
    bump(&mut up, 1.0);
    bump(&mut down, -1.0);
    (at_steps(&up, steps) - at_steps(&down, steps)) / 2.0
}

/// `(V(bump(+1)) − V(bump(−1))) / 2` on 20,000-step trees.
fn central(spec: &ConvertibleSpec, bump: impl Fn(&mut ConvertibleSpec, f64)) -> f64 {
    central_at(spec, MAX_STEPS, bump)
}

#[test]
fn every_greek_at_the_default_settings_is_within_its_tolerance_of_a_20000_step_bump() {
    let mut failures = Vec::new();
    println!(
        "| share price | greek | default | 20,000-step bump | error | error bumped at the price's steps |"
    );
    println!("| ---: | --- | ---: | ---: | ---: | ---: |");
    for stock in [10.0, 15.03, 20.0, 24.0] {
        let spec = book::book_note(stock);
        let v = price(&ConvertibleInput::new(spec.clone()).expect("valid")).expect("prices");
        let g = v.greeks;
        let h = STOCK_BUMP_REL * stock;
        let at_stock = |k: f64| {
            let mut bumped = spec.clone();
            bumped.stock_price += k * h;
            converged(&bumped)
        };
        let (above, here, below) = (at_stock(1.0), at_stock(0.0), at_stock(-1.0));
        let delta = (above - below) / (2.0 * h);
        let gamma = (above - 2.0 * here + below) / (h * h);
        let theta = central(&spec, |s, k| {
            s.valuation_date += Duration::days(k as i64 * THETA_BUMP_DAYS)
        }) / THETA_BUMP_DAYS as f64;
        let vol_bump = |s: &mut ConvertibleSpec, k: f64| s.volatility += k * VEGA_BUMP;
        let rate_bump = |s: &mut ConvertibleSpec, k: f64| s.risk_free_rate += k * BP_BUMP;
        let spread_bump = |s: &mut ConvertibleSpec, k: f64| s.credit_spread += k * BP_BUMP;
        let (vega, rho, cs01) = (
            central(&spec, vol_bump),
            central(&spec, rate_bump),
            central(&spec, spread_bump),
        );
        // Not asserted: the same bumps on trees of the price's steps, as
        // every bump was before, for the table's last column.
        let at_price_steps = |name: &str| match name {
            "vega" => central_at(&spec, v.steps, vol_bump),
            "rho" => central_at(&spec, v.steps, rate_bump),
            "cs01" => central_at(&spec, v.steps, spread_bump),
            _ => f64::NAN,
        };
        let relative = |name: &str, got: f64, want: f64, tol: f64| {
            let before = at_price_steps(name);
            let before = if before.is_nan() {
                String::new()
            } else {
                format!("{:+.3}%", 100.0 * (before - want) / want)
            };
            println!(
                "| {stock} | {name} | {got:.6} | {want:.6} | {:+.3}% | {before} |",
                100.0 * (got - want) / want,
            );
            (!relative_eq!(got, want, max_relative = tol))
                .then(|| format!("S = {stock}: {name} {got:.6} vs {want:.6} (tolerance {tol})"))
        };
        failures.extend(
            [
                relative("delta", g.delta_per_100, delta, GREEK_DELTA_REL),
                relative("gamma", g.gamma_per_100, gamma, GREEK_GAMMA_REL),
                relative("vega", g.vega_per_100, vega, GREEK_VEGA_REL),
                relative("rho", g.rho_per_100_per_bp, rho, GREEK_RATE_REL),
                relative("cs01", g.cs01_per_100_per_bp, cs01, GREEK_RATE_REL),
            ]
            .into_iter()
            .flatten(),
        );
        let got = g.theta_per_100_per_day;
        println!(
            "| {stock} | theta | {got:.6} | {theta:.6} | {:+.6} per 100 per day | |",
            got - theta
        );
        if !abs_diff_eq!(got, theta, epsilon = GREEK_THETA_PER_100_PER_DAY_ABS) {
            failures.push(format!("S = {stock}: theta {got:.6} vs {theta:.6}"));
        }
    }
    common::report(&failures);
}
