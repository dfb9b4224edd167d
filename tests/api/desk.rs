//! The desk's endpoints: a capped call's value and cost, and the carry of
//! a delta-hedged note.

use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_app};

/// The Black-Scholes call written out with the Abramowitz-Stegun 26.2.17
/// normal distribution (|error| < 7.5e-8), apart from the server's `erfc`.
fn bs_call(s: f64, k: f64, t: f64, r: f64, q: f64, v: f64) -> f64 {
    let n = |x: f64| {
        let t = 1.0 / (1.0 + 0.231_641_9 * x.abs());
        let poly = t
            * (0.319_381_530
                + t * (-0.356_563_782
                    + t * (1.781_477_937 + t * (-1.821_255_978 + t * 1.330_274_429))));
        let tail = (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt() * poly;
        if x >= 0.0 {
            1.0 - tail
        } else {
            tail
        }
    };
    let d1 = ((s / k).ln() + (r - q + v * v / 2.0) * t) / (v * t.sqrt());
    let d2 = d1 - v * t.sqrt();
    s * (-q * t).exp() * n(d1) - k * (-r * t).exp() * n(d2)
}

/// The written-out `N`'s error, 7.5e-8 × (S + K) on each leg (about 65
/// USD here), plus the response's 6 decimals. Absolute, USD per share.
const CLOSED_FORM_ABS: f64 = 1e-5;

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("a number, got {v}"))
}

fn cleanspark_2030() -> Value {
    // CleanSpark's $650M 0% notes due 2030-06-15: reference $12.33,
    // 67.5858 shares per $1,000, capped calls to $24.66 (8-K, December 2024).
    json!({
        "stock_price": 12.33,
        "volatility": 0.65,
        "risk_free_rate": 0.04,
        "cap_price": 24.66,
        "valuation_date": "2024-12-17",
        "expiry_date": "2030-06-15",
        "principal": 650000000,
        "conversion_rate": 67.5858
    })
}

fn with(mut body: Value, extra: Value) -> Value {
    if let (Some(b), Value::Object(extra)) = (body.as_object_mut(), extra) {
        b.extend(extra);
    }
    body
}

#[tokio::test]
async fn the_2030_capped_call_is_a_black_scholes_call_spread_on_the_underlying_shares() {
    let app = spawn_app().await;
    let res = app
        .post_json("/v1/convertibles/capped-call", &cleanspark_2030())
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    // 2024-12-17 to 2030-06-15 is 2,006 days; the lower strike defaults to
    // 1,000 / 67.5858 = 14.796007.
    let t = 2006.0 / 365.0;
    let k = 1000.0 / 67.5858;
    let expected =
        bs_call(12.33, k, t, 0.04, 0.0, 0.65) - bs_call(12.33, 24.66, t, 0.04, 0.0, 0.65);
    let value = f(&body["value_per_share"]);
    assert!(
        (value - expected).abs() < CLOSED_FORM_ABS,
        "{value} vs {expected}"
    );
    // 650,000 notes × 67.5858 = 43,930,770 shares.
    assert_eq!(f(&body["shares"]), 43_930_770.0);
    let total = f(&body["total_cost"]);
    assert!(
        (total - value * 43_930_770.0).abs() < 0.01 + 43_930_770.0 * 5e-7,
        "{total}"
    );
    let per_note = f(&body["cost_per_note"]);
    assert!((per_note - value * 67.5858).abs() < 0.006, "{per_note}");
    let fraction = f(&body["cost_fraction_of_principal"]);
    assert!(
        (fraction - total / 650_000_000.0).abs() < 1e-9,
        "{fraction}"
    );
    // CleanSpark paid $90.4M (13.9% of principal); the flat 65% figure is
    // well below, as the README says.
    assert!(total < 90_400_000.0, "{total}");
}

#[tokio::test]
async fn a_discrete_dividend_comes_off_the_stock_at_its_present_value() {
    let app = spawn_app().await;
    let body = json!({
        "stock_price": 12.33,
        "volatility": 0.65,
        "risk_free_rate": 0.04,
        "dividends": [{"ex_date": "2025-12-17", "amount": 1}],
        "lower_strike": 14.80,
        "cap_price": 24.66,
        "valuation_date": "2024-12-17",
        "expiry_date": "2030-06-15",
        "shares": 1000
    });
    let res = app.post_json("/v1/convertibles/capped-call", &body).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    // $1 a year (365 days) out at 4%: PV e^{−0.04} = 0.960789;
    // S* = 12.33 − 0.960789 = 11.369211.
    assert_eq!(f(&body["dividends_pv"]), 0.960789);
    assert_eq!(f(&body["escrowed_stock_price"]), 11.369211);
    let t = 2006.0 / 365.0;
    let s = 12.33 - (-0.04_f64).exp();
    let expected = bs_call(s, 14.80, t, 0.04, 0.0, 0.65) - bs_call(s, 24.66, t, 0.04, 0.0, 0.65);
    assert!((f(&body["value_per_share"]) - expected).abs() < CLOSED_FORM_ABS);
    assert!(body["cost_per_note"].is_null() && body["cost_fraction_of_principal"].is_null());
}

#[tokio::test]
async fn capped_call_inputs_out_of_place_are_422_naming_the_field() {
    let app = spawn_app().await;
    let cases = [
        (json!({"cap_price": 14}), "inconsistent", "cap_price"),
        (
            json!({"expiry_date": "2024-12-01"}),
            "date_order",
            "expiry_date",
        ),
        (
            json!({"dividends": [{"ex_date": "2031-01-01", "amount": 0.1}]}),
            "date_order",
            "dividends[0].ex_date",
        ),
        (json!({"volatility": 0}), "out_of_range", "volatility"),
    ];
    for (change, code, field) in cases {
        let res = app
            .post_json(
                "/v1/convertibles/capped-call",
                &with(cleanspark_2030(), change.clone()),
            )
            .await;
        let body = assert_problem(res, 422, code).await;
        assert_eq!(body["field"], field, "{change}: {body}");
    }
    let both = with(cleanspark_2030(), json!({"shares": 1000}));
    let res = app.post_json("/v1/convertibles/capped-call", &both).await;
    assert_problem(res, 422, "exactly_one_of").await;
    let mut neither = cleanspark_2030();
    neither.as_object_mut().unwrap().remove("principal");
    neither.as_object_mut().unwrap().remove("conversion_rate");
    let res = app
        .post_json("/v1/convertibles/capped-call", &neither)
        .await;
    assert_problem(res, 422, "exactly_one_of").await;
}

fn hedged_note() -> Value {
    json!({
        "issue_date": "2025-12-15",
        "maturity_date": "2032-12-15",
        "valuation_date": "2025-12-15",
        "conversion_rate": 52.1832,
        "risk_free_rate": 0.04,
        "coupon_rate": 0.02,
        "dividend_yield": 0.01,
        "dividends": [{"ex_date": "2026-01-05", "amount": 0.25}],
        "steps": 500,
        "stock_price": 15.03,
        "volatility": 0.6,
        "credit_spread": 0.05,
        "position_face": 10000000,
        "stock_borrow_rate": 0.01,
        "short_rebate_rate": 0.035,
        "financing_rate": 0.05,
        "haircut": 0.2,
        "holding_period_days": 30
    })
}

#[tokio::test]
async fn the_hedges_carry_adds_up_by_hand_from_the_notes_price_and_delta() {
    let app = spawn_app().await;
    let res = app
        .post_json("/v1/convertibles/hedge", &hedged_note())
        .await;
    assert_eq!(res.status(), 200);
    let b: Value = res.json().await.unwrap();
    let price = f(&b["price_per_100"]);
    let delta = f(&b["delta_per_100"]);
    // 100,000 hundreds of face.
    let bond = 100_000.0 * price;
    let short_shares = 100_000.0 * delta;
    let short_value = short_shares * 15.03;
    let coupon = 10_000_000.0 * 0.02 / 365.0; // 547.945205
    let financing = 0.05 * 0.8 * bond / 365.0;
    let rebate = 0.035 * short_value / 365.0;
    let borrow = 0.01 * short_value / 365.0;
    let dividends = 0.01 * short_value / 365.0;
    let carry = coupon - financing + rebate - borrow - dividends;
    let cent = 0.006; // response rounding to cents, plus the 6-decimal greeks
    assert!((f(&b["coupon_per_day"]) - 547.95).abs() < 1e-9);
    assert!((f(&b["financing_per_day"]) - financing).abs() < cent + 1e-6 * bond / 365.0);
    assert!(
        (f(&b["carry_per_day"]) - carry).abs() < 0.05,
        "{} vs {carry}",
        b["carry_per_day"]
    );
    // The $0.25 dividend of 2026-01-05 falls in the 30 days.
    let period = carry * 30.0 - short_shares * 0.25;
    assert!(
        (f(&b["carry_per_period"]) - period).abs() < 1.0,
        "{} vs {period}",
        b["carry_per_period"]
    );
    let capital = 0.2 * bond;
    assert!((f(&b["return_on_capital"]) - period / capital).abs() < 1e-6);
    // ½ Γ x² = −(θ + carry): x = √(−2 (θ + carry) / Γ) when θ + carry < 0.
    let theta = 100_000.0 * f(&b["theta_per_100_per_day"]);
    let gamma = 100_000.0 * f(&b["gamma_per_100"]);
    match b["breakeven_move_up"].as_f64() {
        Some(up) => {
            let x = (-2.0 * (theta + carry) / gamma).sqrt();
            assert!((up - x).abs() < 1e-3 * x, "{up} vs {x}");
            assert_eq!(f(&b["breakeven_move_down"]), -up);
        }
        None => assert!(theta + carry >= -0.05, "{theta} + {carry}"),
    }
}

#[tokio::test]
async fn hedge_inputs_out_of_range_are_422_naming_the_field() {
    let app = spawn_app().await;
    for (change, field) in [
        (json!({"haircut": 1.5}), "haircut"),
        (json!({"holding_period_days": 0}), "holding_period_days"),
        (json!({"financing_rate": 2}), "financing_rate"),
        (json!({"position_face": 0}), "position_face"),
    ] {
        let res = app
            .post_json(
                "/v1/convertibles/hedge",
                &with(hedged_note(), change.clone()),
            )
            .await;
        let body = assert_problem(res, 422, "out_of_range").await;
        assert_eq!(body["field"], field, "{change}: {body}");
    }
}

#[tokio::test]
async fn a_takeover_adds_the_make_whole_shares_to_the_dilution_and_says_so() {
    let app = spawn_app().await;
    let body = json!({
        "principal": 1150000000,
        "conversion_rate": 52.1832,
        "basic_shares_outstanding": 280000000,
        "share_prices": [10, 25],
        "settlement": "net_share",
        "make_whole": {
            "effective_dates": ["2025-12-15", "2027-02-15", "2029-02-15", "2031-02-15", "2032-02-15"],
            "stock_prices": [15.03, 17, 19.16, 25, 30, 40],
            "additional_shares_per_1000": [[14.3504, 10.9, 8.1, 4.2, 2.6, 0],
                                           [14.3504, 10.2, 7.2, 3.4, 2.0, 0],
                                           [14.3504, 9.0, 5.6, 2.2, 1.1, 0],
                                           [14.3504, 7.6, 3.4, 0.9, 0.3, 0],
                                           [14.3504, 6.6403, 0, 0, 0, 0]],
            "max_conversion_rate": 66.5336
        },
        "fundamental_change_date": "2027-06-15"
    });
    let res = app.post_json("/v1/convertibles/dilution", &body).await;
    assert_eq!(res.status(), 200);
    let b: Value = res.json().await.unwrap();
    // $10 is below the table's $15.03: no additional shares, no conversion.
    let low = &b["points"][0];
    assert_eq!(f(&low["additional_shares_per_1000"]), 0.0);
    assert_eq!(f(&low["shares_issued"]), 0.0);
    // 2027-06-15 lies 120 of the 731 days from 2027-02-15 to 2029-02-15;
    // at $25 (a column) the rows read 3.4 and 2.2:
    // 3.4 − 1.2 × 120 / 731 = 3.203010 per $1,000.
    let p = &b["points"][1];
    let extra = 3.4 - 1.2 * 120.0 / 731.0;
    assert!((f(&p["additional_shares_per_1000"]) - extra).abs() < 1e-4);
    // Net share: 1,150,000 × ((52.1832 + extra) × 25 − 1,000) / 25, of
    // which the table's are 1,150,000 × extra.
    let issued = 1_150_000.0 * ((52.1832 + extra) * 25.0 - 1000.0) / 25.0;
    assert!((f(&p["shares_issued"]) - issued).abs() < 1e-3, "{p}");
    assert!(
        (f(&p["make_whole_shares"]) - 1_150_000.0 * extra).abs() < 1e-3,
        "{p}"
    );
    // The date needs the table, and one date only.
    let mut no_table = body.clone();
    no_table.as_object_mut().unwrap().remove("make_whole");
    let res = app.post_json("/v1/convertibles/dilution", &no_table).await;
    let problem = assert_problem(res, 422, "inconsistent").await;
    assert_eq!(problem["field"], "fundamental_change_date");
    let mut negative = body.clone();
    negative["make_whole"]["additional_shares_per_1000"][1][2] = json!(-1);
    let res = app.post_json("/v1/convertibles/dilution", &negative).await;
    let problem = assert_problem(res, 422, "out_of_range").await;
    assert_eq!(
        problem["field"],
        "make_whole.additional_shares_per_1000[1][2]"
    );
    let both = with(body, json!({"call_date": "2029-03-01"}));
    let res = app.post_json("/v1/convertibles/dilution", &both).await;
    assert_problem(res, 422, "exactly_one_of").await;
}
