//! A fleet by cohort on the wire: `cohorts[]` of both mining operations.

use infraval_core::error::AtField;
use infraval_core::mining::{Cohort, Cohorts, Hashrate, JoulesPerTerahash, Purchase, UsefulLife};
use infraval_core::num::{Fraction, Usd};
use infraval_core::CoreError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::at_most_one;
use crate::bounds;
use crate::wire::{Date, Int, Num, Wire};

/// Machines bought together: one hashrate, one efficiency, one purchase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct CohortRequest {
    /// The cohort's hashrate, EH/s; the cohorts in service
    /// together at most the network.
    #[wire(bounds::HASHRATE_EHS)]
    pub hashrate_ehs: Num,
    /// Its efficiency, J/TH (= W per TH/s).
    #[wire(bounds::EFFICIENCY_J_PER_TH)]
    pub efficiency_j_per_th: Num,
    /// What it cost in total, USD; give this or `purchase_cost_usd_per_th`
    /// (or neither, for no depreciation), with `useful_life_months`.
    #[wire(bounds::USD)]
    pub purchase_cost_usd: Option<Num>,
    /// What it cost per TH/s, USD; the total is
    /// `purchase_cost_usd_per_th × hashrate_ehs × 10^6`.
    #[wire(bounds::USD_PER_TH)]
    pub purchase_cost_usd_per_th: Option<Num>,
    /// When it was bought and placed in service (ISO 8601). In a
    /// projection it hashes from this date (from the start if earlier;
    /// default: the start date); its depreciation runs from it. A
    /// production request needs `start_date` with it.
    pub purchase_date: Option<Date>,
    /// Useful life, months, over which `cost × (1 − residual_fraction)` is
    /// depreciated straight line; requires a purchase cost.
    #[wire(bounds::USEFUL_LIFE_MONTHS)]
    pub useful_life_months: Option<Int>,
    /// Residual value at the end of the life, a fraction of the cost;
    /// requires a purchase cost. Default 0 with a purchase cost.
    #[wire(bounds::FRACTION, default_with = |r: &Self| (r.purchase_cost_usd.is_some() || r.purchase_cost_usd_per_th.is_some()).then_some(Num::ZERO))]
    pub residual_fraction: Option<Num>,
}

/// `cohorts[i].field`.
fn field(i: usize, name: &str) -> String {
    format!("cohorts[{i}].{name}")
}

fn cohort(i: usize, req: &CohortRequest) -> Result<Cohort, CoreError> {
    let hashrate = Hashrate::new(req.hashrate_ehs.get()).at(field(i, "hashrate_ehs"))?;
    let efficiency = JoulesPerTerahash::new(req.efficiency_j_per_th.get())
        .at(field(i, "efficiency_j_per_th"))?;
    let cost = match at_most_one(&[
        ("purchase_cost_usd", req.purchase_cost_usd.is_some()),
        (
            "purchase_cost_usd_per_th",
            req.purchase_cost_usd_per_th.is_some(),
        ),
    ])? {
        Some(0) => Some(
            Usd::new(req.purchase_cost_usd.unwrap_or_default().get())
                .at(field(i, "purchase_cost_usd"))?,
        ),
        Some(_) => {
            let per_th = Usd::new(req.purchase_cost_usd_per_th.unwrap_or_default().get())
                .at(field(i, "purchase_cost_usd_per_th"))?;
            Some(
                Purchase::cost_from_usd_per_th(per_th, hashrate)
                    .map_err(|e| at_index(e, i, "purchase_cost_usd_per_th"))?,
            )
        }
        None => None,
    };
    let purchase = match (cost, req.useful_life_months) {
        (Some(cost), Some(life)) => Some(Purchase {
            cost,
            useful_life: UsefulLife::new(life.to_u32()).at(field(i, "useful_life_months"))?,
            residual: req
                .residual_fraction
                .map_or(Ok(Fraction::ZERO), |r| Fraction::new(r.get()))
                .at(field(i, "residual_fraction"))?,
        }),
        (Some(_), None) => {
            return Err(CoreError::Inconsistent {
                field: field(i, "purchase_cost_usd"),
                reason: "a purchase cost needs useful_life_months to be depreciated over",
            })
        }
        (None, Some(_)) => {
            return Err(CoreError::Inconsistent {
                field: field(i, "useful_life_months"),
                reason: "a useful life needs purchase_cost_usd or purchase_cost_usd_per_th",
            })
        }
        (None, None) => {
            if req.residual_fraction.is_some() {
                return Err(CoreError::Inconsistent {
                    field: field(i, "residual_fraction"),
                    reason: "a residual value needs purchase_cost_usd or purchase_cost_usd_per_th",
                });
            }
            None
        }
    };
    Ok(Cohort {
        hashrate,
        efficiency,
        purchase_date: req.purchase_date.map(Date::get),
        purchase,
    })
}

/// An overflow in a cohort's cost names the cohort's field.
fn at_index(error: CoreError, i: usize, name: &str) -> CoreError {
    match error {
        CoreError::InvalidValue { error, .. } => CoreError::InvalidValue {
            field: field(i, name),
            error,
        },
        other => other,
    }
}

/// The validated cohorts: 1 to 50 ([`infraval_core::mining::MAX_COHORTS`], checked on the wire).
impl CohortRequest {
    /// Dates each cohort left without a `purchase_date` on `start`, the
    /// date the core takes for it, so that the answer's `assumptions`
    /// state it.
    pub(crate) fn fill_purchase_dates(cohorts: &mut [CohortRequest], start: Date) {
        for cohort in cohorts.iter_mut().filter(|c| c.purchase_date.is_none()) {
            cohort.purchase_date = Some(start);
        }
    }
}

pub(crate) fn cohorts(list: &[CohortRequest]) -> Result<Cohorts, CoreError> {
    let cohorts = list
        .iter()
        .enumerate()
        .map(|(i, c)| cohort(i, c))
        .collect::<Result<Vec<_>, _>>()?;
    Cohorts::new(cohorts).at("cohorts")
}

/// CleanSpark's 50 EH/s as the three cohorts the examples use (bought in
/// 2023, 2024 and 2025; illustrative efficiencies and prices per TH).
pub(crate) fn cleanspark_cohorts() -> Vec<serde_json::Value> {
    vec![
        serde_json::json!({"hashrate_ehs": 15, "efficiency_j_per_th": 19.5, "purchase_cost_usd_per_th": 18,
         "purchase_date": "2023-06-01", "useful_life_months": 36}),
        serde_json::json!({"hashrate_ehs": 25, "efficiency_j_per_th": 15, "purchase_cost_usd_per_th": 16,
         "purchase_date": "2024-09-01", "useful_life_months": 36, "residual_fraction": 0.1}),
        serde_json::json!({"hashrate_ehs": 10, "efficiency_j_per_th": 13.5, "purchase_cost_usd_per_th": 17,
         "purchase_date": "2025-06-01", "useful_life_months": 36, "residual_fraction": 0.1}),
    ]
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    fn s21() -> CohortRequest {
        serde_json::from_value(serde_json::json!({
            "hashrate_ehs": 10,
            "efficiency_j_per_th": 17.5,
            "purchase_cost_usd_per_th": 15,
            "useful_life_months": 36
        }))
        .unwrap()
    }

    #[test]
    fn a_price_per_terahash_becomes_the_cohort_s_total_cost() {
        // 10 EH/s = 10,000,000 TH/s × $15 = $150,000,000.
        let c = cohorts(&[s21()]).unwrap();
        let purchase = c.get()[0].purchase.unwrap();
        assert_eq!(purchase.cost.get(), dec!(150000000));
        assert_eq!(purchase.residual, Fraction::ZERO);
    }

    #[test]
    fn a_cohort_fault_names_the_cohort_and_its_field() {
        let mut bad = s21();
        bad.useful_life_months = Some(121.into());
        let err = cohorts(&[s21(), bad]).unwrap_err();
        assert_eq!(err.field(), Some("cohorts[1].useful_life_months"));

        let mut no_life = s21();
        no_life.useful_life_months = None;
        let err = cohorts(&[no_life]).unwrap_err();
        assert_eq!(err.field(), Some("cohorts[0].purchase_cost_usd"));

        let mut both = s21();
        both.purchase_cost_usd = Some(dec!(1).into());
        assert!(matches!(
            cohorts(&[both]),
            Err(CoreError::ExactlyOneOf { .. })
        ));
        assert_eq!(cohorts(&[]).unwrap_err().field(), Some("cohorts"));
    }
}
