//! Calls three operations of a running infraval server: a colocation
//! site's ARR, a convertible note's fair value and a sum-of-the-parts value
//! per share, all on CleanSpark's 2025 figures.
//!
//! ```text
//! cargo run --release                                   # the server, in another terminal
//! cargo run -p infraval-client --example quickstart     # INFRAVAL_URL, INFRAVAL_API_KEY
//! ```
//!
//! `tests/api/client.rs` runs [`run`] against the real server, and the
//! README shows the part between the `readme` markers.

use std::fmt;

use infraval_client::api::colocation::{ArrRequest, ArrResponse};
use infraval_client::api::convertible::pricing::{PriceRequest, PriceResponse};
use infraval_client::api::valuation::{SumOfPartsRequest, SumOfPartsResponse};
use infraval_client::{Answered, Client, ClientError};
use rust_decimal_macros::dec;
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("INFRAVAL_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into());
    let mut builder = Client::builder(url);
    if let Ok(key) = std::env::var("INFRAVAL_API_KEY") {
        builder = builder.api_key(key);
    }
    let answers = run(&builder.build()?).await?;
    println!("{answers}");
    Ok(())
}

/// What the three calls answered.
pub struct Answers {
    /// The ARR of 250 MW at $133.33 per kW-month.
    pub arr: Answered<ArrResponse>,
    /// CleanSpark's 0% notes due 2032 at issue.
    pub note: Answered<PriceResponse>,
    /// A one-scenario sum of the parts.
    pub sum_of_parts: Answered<SumOfPartsResponse>,
}

// readme:begin
/// Calls the three operations; any refusal comes back as
/// `ClientError::Api` with the server's problem (`code`, `field`, `detail`).
pub async fn run(client: &Client) -> Result<Answers, ClientError> {
    let arr = client
        .colocation_arr(&ArrRequest {
            it_capacity_mw: Some(dec!(250).into()),
            rate_per_kw_month: Some(dec!(133.33).into()),
            ..Default::default()
        })
        .await?;

    // A request can also be read from JSON, with the same field names and types as the server's.
    let note: PriceRequest = serde_json::from_value(json!({
        "issue_date": "2025-12-15", "maturity_date": "2032-12-15",
        "valuation_date": "2025-12-15", "conversion_rate": 52.1832,
        "stock_price": 15.03, "volatility": 0.6, "risk_free_rate": 0.04, "credit_spread": 0.05
    }))
    .expect("the JSON fits PriceRequest");
    let note = client.convertible_price(&note).await?;

    let sum_of_parts: SumOfPartsRequest = serde_json::from_value(json!({"scenarios": [{
        "name": "base",
        "mining": {"hashrate_ehs": 50, "usd_per_ehs": 30000000},
        "data_centers": [{"name": "Sandersville", "arr": 400000000, "arr_multiple": 8,
                          "remaining_capex": 2500000000_u64}],
        "bitcoin_treasury": {"btc": 13000, "btc_price": 90000, "haircut": 0.1},
        "cash": 500000000, "debt": 600000000,
        "convertibles": [{"name": "0% notes due 2032", "principal": 1150000000,
                          "conversion_rate": 52.1832, "settlement": "net_share"}],
        "basic_shares": 280000000,
        "buyback": {"amount": 460000000, "price_per_share": 15.03}
    }]}))
    .expect("the JSON fits SumOfPartsRequest");
    let sum_of_parts = client.sum_of_parts(&sum_of_parts).await?;

    Ok(Answers {
        arr,
        note,
        sum_of_parts,
    })
}
// readme:end

impl fmt::Display for Answers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "ARR: ${} a year", self.arr.arr)?;
        writeln!(
            f,
            "0% notes due 2032: {} per 100 ({} steps)",
            self.note.price_per_100, self.note.steps
        )?;
        for scenario in &self.sum_of_parts.scenarios {
            writeln!(
                f,
                "sum of the parts, {}: ${} a share ({})",
                scenario.name, scenario.value_per_share, scenario.regime_summary
            )?;
        }
        Ok(())
    }
}
