use infraval_api::convertible::dilution::{BuybackRequest, DilutionRequest, SharePricesRequest};
use infraval_api::convertible::terms::{SettlementMethod, TermsRequest};
use infraval_api::convertible::yield_::YieldRequest;
use infraval_api::wire::Num;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::json;

use crate::helpers::{assert_problem, spawn_app};

/// A yield returned to 10 decimals against an `f64` closed form: absolute,
/// a decimal fraction a year.
const YIELD_TOLERANCE: f64 = 1e-9;

fn cleanspark_terms() -> TermsRequest {
    TermsRequest {
        principal: dec!(1150000000).into(),
        conversion_rate: None,
        conversion_price: None,
        reference_price: Some(dec!(15.03).into()),
        conversion_premium: Some(dec!(0.275).into()),
    }
}

fn cleanspark_dilution(settlement: SettlementMethod, prices: Vec<Decimal>) -> DilutionRequest {
    let prices = prices.into_iter().map(Num::from).collect();
    DilutionRequest {
        principal: dec!(1150000000).into(),
        conversion_rate: None,
        conversion_price: None,
        reference_price: Some(dec!(15.03).into()),
        conversion_premium: Some(dec!(0.275).into()),
        basic_shares_outstanding: dec!(280000000).into(),
        share_prices: SharePricesRequest::List(prices),
        settlement,
        capped_call: None,
        buyback: Some(BuybackRequest {
            amount: Some(dec!(460000000).into()),
            price_per_share: Some(dec!(15.03).into()),
            shares: None,
        }),
        make_whole: None,
        call_date: None,
        fundamental_change_date: None,
    }
}

#[tokio::test]
async fn the_cleanspark_notes_convert_into_60_010_680_shares() {
    let app = spawn_app().await;
    let terms = app
        .client
        .convertible_terms(&cleanspark_terms())
        .await
        .unwrap();
    // seed-figures.md: 15.03 × 1.275 = 19.16325; 1000 / 19.16325 = 52.183215...
    // → 52.1832 at 4 decimals; 1,150,000 notes × 52.1832 = 60,010,680 shares.
    assert_eq!(terms.conversion_price, dec!(19.16325));
    assert_eq!(terms.conversion_rate, dec!(52.1832));
    assert_eq!(terms.shares_underlying, dec!(60010680));
    assert_eq!(terms.notes_count, dec!(1150000));
    assert_eq!(terms.conversion_premium, Some(dec!(0.275).into()));
}

#[tokio::test]
async fn the_seed_buyback_leaves_about_29_4_million_net_new_shares_under_physical_settlement() {
    let app = spawn_app().await;
    let out = app
        .client
        .convertible_dilution(&cleanspark_dilution(
            SettlementMethod::Physical,
            vec![dec!(30)],
        ))
        .await
        .unwrap();
    // 460,000,000 / 15.03 = 30,605,455.76 → 30,605,455 whole shares.
    assert_eq!(out.shares_repurchased, dec!(30605455));
    // 60,010,680 issued − 30,605,455 retired = 29,405,225 net new shares.
    let p = &out.points[0];
    assert_eq!(p.shares_issued, dec!(60010680));
    assert_eq!(
        p.diluted_shares_outstanding.get() - dec!(280000000),
        dec!(29405225)
    );
    // The physical break-even is the parity price, 1000 / 52.1832 = 19.163256.
    assert_eq!(out.buyback_break_even_price, Some(dec!(19.163256).into()));
}

#[tokio::test]
async fn net_share_settlement_at_thirty_dollars_issues_the_spread_over_principal() {
    let app = spawn_app().await;
    let out = app
        .client
        .convertible_dilution(&cleanspark_dilution(
            SettlementMethod::NetShare,
            vec![dec!(30)],
        ))
        .await
        .unwrap();
    // Each $1,000 note: 52.1832 × 30 = 1,565.496 USD of shares, of which
    // (1,565.496 − 1,000) / 30 = 18.8498667 shares are issued; × 1,150,000
    // notes = 21,677,346.6667 shares (4 decimals).
    let p = &out.points[0];
    assert_eq!(p.conversion_value, dec!(1800320400));
    assert_eq!(p.shares_issued, dec!(21677346.6667));
    // Break-even: 1,150,000,000 / (60,010,680 − 30,605,455) = 39.108696.
    assert_eq!(out.buyback_break_even_price, Some(dec!(39.108696).into()));
}

#[tokio::test]
async fn a_capped_call_at_a_100_percent_premium_offsets_all_shares_up_to_the_cap() {
    let app = spawn_app().await;
    let body = json!({
        "principal": 1150000000,
        "conversion_rate": 52.1832,
        "basic_shares_outstanding": 280000000,
        "share_prices": {"from": 20, "to": 30, "steps": 10},
        "settlement": "net_share",
        "capped_call": {"cap_price": 30.06}
    });
    let res = app.post_json("/v1/convertibles/dilution", &body).await;
    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    let points = out["points"].as_array().unwrap();
    assert_eq!(points.len(), 11);
    for p in points {
        assert_eq!(p["net_shares_issued"], json!(0.0), "{p}");
    }
    assert_eq!(out["effective_conversion_price"], json!(30.06));
}

#[tokio::test]
async fn a_zero_bought_at_a_discount_accretes_to_par() {
    let app = spawn_app().await;
    let out = app
        .client
        .convertible_yield(&YieldRequest {
            price_per_100: dec!(90.5).into(),
            coupon_rate: dec!(0).into(),
            frequency: Some(2.into()),
            settlement_date: "2026-01-01".parse().unwrap(),
            maturity_date: "2028-01-01".parse().unwrap(),
        })
        .await
        .unwrap();
    // y = 2 × ((100 / 90.5)^(1/4) − 1) = 0.050533...
    let expected = 2.0 * ((100.0_f64 / 90.5).powf(0.25) - 1.0);
    let got: f64 = out.yield_to_maturity.to_string().parse().unwrap();
    assert!(
        (got - expected).abs() < YIELD_TOLERANCE,
        "{got} vs {expected}"
    );
    assert_eq!(out.schedule.len(), 5);
    assert_eq!(out.schedule[0].accreted_value, dec!(90.5));
    assert_eq!(out.schedule[4].accreted_value, dec!(100));
}

#[tokio::test]
async fn rate_and_price_both_given_is_refused_naming_both() {
    let app = spawn_app().await;
    let body =
        json!({"principal": 1150000000, "conversion_rate": 52.1832, "conversion_price": 19.16});
    let problem = assert_problem(
        app.post_json("/v1/convertibles/terms", &body).await,
        422,
        "exactly_one_of",
    )
    .await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("got `conversion_rate`, `conversion_price`"),
        "{detail}"
    );
}

#[tokio::test]
async fn a_premium_of_minus_one_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let body = json!({"principal": 1150000000, "reference_price": 15.03, "conversion_premium": -1});
    let problem = assert_problem(
        app.post_json("/v1/convertibles/terms", &body).await,
        422,
        "out_of_range",
    )
    .await;
    assert_eq!(problem["field"], "conversion_premium");
}

#[tokio::test]
async fn zero_or_negative_prices_are_refused_naming_the_field() {
    let app = spawn_app().await;
    for bad in [json!(0), json!(-19.16)] {
        let body = json!({"principal": 1150000000, "conversion_price": bad});
        let problem = assert_problem(
            app.post_json("/v1/convertibles/terms", &body).await,
            422,
            "out_of_range",
        )
        .await;
        assert_eq!(problem["field"], "conversion_price");
    }
    let body = json!({
        "principal": 1150000000, "conversion_rate": 52.1832,
        "basic_shares_outstanding": 280000000, "share_prices": [10, 0], "settlement": "physical"
    });
    let problem = assert_problem(
        app.post_json("/v1/convertibles/dilution", &body).await,
        422,
        "out_of_range",
    )
    .await;
    assert_eq!(problem["field"], "share_prices[1]");
}

#[tokio::test]
async fn prices_out_of_order_are_refused_at_the_offending_index() {
    let app = spawn_app().await;
    let body = json!({
        "principal": 1150000000, "conversion_rate": 52.1832,
        "basic_shares_outstanding": 280000000, "share_prices": [10, 30, 20], "settlement": "cash"
    });
    let problem = assert_problem(
        app.post_json("/v1/convertibles/dilution", &body).await,
        422,
        "not_increasing",
    )
    .await;
    assert_eq!(problem["field"], "share_prices[2]");
}

#[tokio::test]
async fn a_range_over_the_cap_of_1000_prices_is_refused() {
    let app = spawn_app().await;
    // 1,000 steps give 1,001 prices: one more than the cap, so `steps` is
    // out of its range, 1 to 999.
    let body = json!({
        "principal": 1150000000, "conversion_rate": 52.1832,
        "basic_shares_outstanding": 280000000,
        "share_prices": {"from": 1, "to": 100, "steps": 1000}, "settlement": "cash"
    });
    let problem = assert_problem(
        app.post_json("/v1/convertibles/dilution", &body).await,
        422,
        "out_of_range",
    )
    .await;
    assert_eq!(problem["field"], "share_prices.steps");
}

#[tokio::test]
async fn a_number_beyond_decimal_range_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let body = json!({"principal": 1e30, "conversion_rate": 52.1832});
    let problem = assert_problem(
        app.post_json("/v1/convertibles/terms", &body).await,
        422,
        "invalid_value",
    )
    .await;
    assert_eq!(problem["field"], "principal");
}

#[tokio::test]
async fn a_buyback_with_an_amount_but_no_price_names_the_missing_field() {
    let app = spawn_app().await;
    let body = json!({
        "principal": 1150000000, "conversion_rate": 52.1832,
        "basic_shares_outstanding": 280000000, "share_prices": [30], "settlement": "physical",
        "buyback": {"amount": 460000000}
    });
    let problem = assert_problem(
        app.post_json("/v1/convertibles/dilution", &body).await,
        422,
        "missing_dependency",
    )
    .await;
    assert_eq!(problem["field"], "buyback.amount");
}

#[tokio::test]
async fn a_maturity_before_settlement_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let body = json!({
        "price_per_100": 95, "coupon_rate": 0,
        "settlement_date": "2032-06-15", "maturity_date": "2025-12-15"
    });
    let problem = assert_problem(
        app.post_json("/v1/convertibles/yield", &body).await,
        422,
        "date_order",
    )
    .await;
    assert_eq!(problem["field"], "maturity_date");
}
