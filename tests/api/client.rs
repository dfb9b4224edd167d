//! The client crate's example, run against the real server behind an API key.

use infraval_api::valuation::FixedPoint;
use infraval_client::{Client, ClientError};
use rust_decimal_macros::dec;

use crate::helpers::{spawn_app_with_api_key, TestApp};

// Its `main` is for `cargo run --example quickstart`; the tests call `run`.
#[allow(dead_code)]
#[path = "../../crates/client/examples/quickstart.rs"]
mod quickstart;

const KEY: &str = "quickstart-key";
// SHA-256 of "quickstart-key", from `printf %s quickstart-key | sha256sum`.
const KEY_SHA256: &str = "130a82f68d3064ef477880b571abfcf0f1f4aac4f9cd161aea5e6b543d2ee2d8";

async fn app_with_key() -> TestApp {
    spawn_app_with_api_key(KEY_SHA256).await
}

#[tokio::test]
async fn the_quickstart_example_answers_the_seed_figures_through_an_api_key() {
    let app = app_with_key().await;
    let client = Client::builder(&app.address).api_key(KEY).build().unwrap();
    let answers = quickstart::run(&client).await.unwrap();

    // 250 MW × 1,000 kW/MW × $133.33 per kW-month × 12 = $399,990,000
    // (seed-figures.md).
    assert_eq!(answers.arr.arr, dec!(399990000));

    // 52.1832 shares per $1,000 at $15.03: parity 52.1832 × 15.03 / 10 =
    // 78.43135 per 100. Bond floor: 100 × exp(−(0.04 + 0.05) × 2,557 / 365)
    // = 53.232922 (2,557 days from 2025-12-15 to 2032-12-15).
    assert_eq!(answers.note.conversion_value_per_100, dec!(78.43135));
    let floor = 100.0 * (-(0.04 + 0.05) * 2557.0 / 365.0_f64).exp();
    assert!(
        (answers.note.bond_floor_per_100.to_f64() - floor).abs() < 1e-6,
        "{}",
        answers.note.bond_floor_per_100
    );
    // tests/data/convertibles.json, base: a textbook 1,000-step TF tree gives
    // 103.67754 at a 19.16 conversion price (52.1832 per $1,000 is 19.1633).
    let price = answers.note.price_per_100.to_f64();
    assert!((price - 103.67754).abs() / 103.67754 < 0.005, "{price}");

    // By hand: mining 50 × $30M = $1.5B; the site $400M × 8 − $2.5B = $0.7B;
    // treasury 13,000 × $90,000 × 0.9 = $1.053B; equity before the notes
    // 1.5 + 0.7 + 1.053 + 0.5 − 0.6 = $3.153B. The buyback retires the whole
    // shares $460M buys at $15.03 (30,605,455.76, so 30,605,455), leaving
    // 280M − 30,605,455 = 249,394,545 basic shares. As debt, the notes leave
    // (3.153B − 1.15B) / 249,394,545 = $8.0315 a share, below their $19.16
    // conversion price: the one consistent solution.
    let base = &answers.sum_of_parts.scenarios[0];
    assert_eq!(base.equity_before_convertibles, dec!(3153000000));
    assert_eq!(base.basic_shares, dec!(249394545));
    assert_eq!(base.value_per_share, dec!(8.0315));
    assert_eq!(base.fixed_point, FixedPoint::Unique);

    let shown = answers.to_string();
    assert!(shown.contains("ARR: $399990000"), "{shown}");
    assert!(shown.contains("base: $8.0315 a share"), "{shown}");
}

#[tokio::test]
async fn without_its_api_key_the_client_gets_the_servers_401_problem() {
    let app = app_with_key().await;
    let client = Client::new(&app.address).unwrap();
    let Err(err) = quickstart::run(&client).await else {
        panic!("a call without the key was answered");
    };
    let ClientError::Api { status, problem } = &err else {
        panic!("not an API problem: {err:?}");
    };
    assert_eq!(status.as_u16(), 401);
    assert_eq!(problem.code, "unauthorized");

    let wrong = Client::builder(&app.address)
        .api_key("quickstart-key!")
        .build()
        .unwrap();
    let err = quickstart::run(&wrong).await.err().expect("refused");
    assert_eq!(err.problem().map(|p| p.code.as_str()), Some("unauthorized"));
}
