//! The wire types of `POST /v1/batch` and of `infraval batch` files, and
//! how a scenario's shocks change an item's body.
//!
//! A batch names each item's operation by its stable id
//! ([`crate::operation::Operation::ID`]) and is dispatched through the
//! registry ([`crate::find`]), so every operation is in batch and its body
//! is parsed and validated exactly as over HTTP.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::json::BodyError;
use crate::problem::Problem;
use crate::wire::{Length, Nested, Num, Wire};

/// The path of `POST /v1/batch`.
pub const PATH: &str = "/v1/batch";

/// The most items in one batch request.
pub const MAX_ITEMS: usize = 1_000;
/// The most scenarios in one batch request.
pub const MAX_SCENARIOS: usize = 50;
/// The most shocks in one scenario.
pub const MAX_SHOCKS: usize = 100;
/// The rule of `items`: 1 to [`MAX_ITEMS`], the schema's `maxItems`.
pub const ITEMS: Length = Length::new(1, MAX_ITEMS);
/// The rule of `scenarios`: at most [`MAX_SCENARIOS`].
pub const SCENARIOS: Nested = Nested::list(MAX_SCENARIOS);
/// The rule of a scenario's `shocks`: at most [`MAX_SHOCKS`].
pub const SHOCKS: Length = Length::new(0, MAX_SHOCKS);
/// The most work one batch request may ask for, in work units summed over
/// every item × (base + scenarios) cell: about 20,000 default convertible
/// prices, 40 to 80 s of one core. Work units are the ones the overload
/// limit counts ([`crate::Operation::work_units`]).
pub const MAX_WORK_UNITS: u64 = 20_000;

/// A batch: items, each an operation and its body, and optional scenarios
/// that re-run every item with some inputs shocked.
///
/// At most 1,000 items, 50 scenarios of at most 100 shocks each, and at most 20,000 work units in
/// all (a default 1,000-step convertible price is one unit; every other
/// cheap operation is one unit too). Item ids and scenario names are
/// unique.
// The caps' rules document `maxItems`; `check` enforces the same
// constants with the batch's own errors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    /// The items, 1 to 1,000, with unique ids.
    #[wire(ITEMS)]
    pub items: Vec<BatchItem>,
    /// Scenarios, at most 50, with unique names. Each item is answered
    /// unshocked (the base) and once per scenario.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[wire(SCENARIOS)]
    pub scenarios: Vec<Scenario>,
}

/// One item of a batch, or one line of an `infraval batch` input file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchItem {
    /// The caller's name for the item, echoed in its results; unique within
    /// the batch.
    #[schema(example = "site-a")]
    pub id: String,
    /// The operation's stable id, e.g. `convertibles.price` or
    /// `colocation.arr` (each operation's id is in its description).
    #[schema(example = "colocation.arr")]
    pub operation: String,
    /// The operation's request body, exactly as its own path takes it.
    #[schema(value_type = Object)]
    pub body: Value,
}

/// A named set of shocks applied together to every item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, Wire)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The scenario's name, echoed in its results; unique within the batch.
    #[schema(example = "BTC crash")]
    pub name: String,
    /// The shocks, at most 100, applied in order (two shocks to one field
    /// compose).
    #[wire(SHOCKS)]
    pub shocks: Vec<Shock>,
}

/// A change to one input of every item whose body has it: exactly one of
/// `set`, `add` and `multiply`.
///
/// `field` is a dotted path of object members from the top of the body
/// (`stock_price`, `capped_call.cap_price`): the same spelling problems
/// use for `field`. Lists are not entered; shock a list input with `set`.
/// A body without the field is left as it is (a shock cannot turn a
/// defaulted input into a given one), and a shock that matches no item at
/// all is a 422 `unmatched_shock`, usually a misspelt field. Shocks apply
/// to the body before it is parsed, so the shocked body is validated as
/// any other: a shock that makes it invalid is that cell's problem.
/// `add` and `multiply` need the field to be a number, and compute in
/// exact decimal arithmetic (`0.05 + 0.02` is `0.07`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"field": "stock_price", "multiply": 0.7}))]
pub struct Shock {
    /// The input shocked, a dotted path: `stock_price`.
    pub field: String,
    /// Replace the value with this one (any JSON value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub set: Option<Value>,
    /// Add this to the value: `credit_spread` + 0.02.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add: Option<Num>,
    /// Multiply the value by this: `btc_price` × 0.5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiply: Option<Num>,
}

/// The answer to a batch in `application/json`: every result in request
/// order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BatchResponse {
    /// One result per item and scenario: each item's base, then its
    /// scenarios in request order; items in request order.
    pub results: Vec<BatchResult>,
}

/// The result of one item (under one scenario, or unshocked).
///
/// In `application/x-ndjson` each line is one of these, written as soon as
/// it is computed (in completion order: put them back in order with
/// `index` and `scenario`). `infraval batch` writes one per line in input
/// order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BatchResult {
    /// The item's position in the request's `items` (or its line in an
    /// input file), from 0.
    pub index: usize,
    /// The item's id.
    pub id: String,
    /// The scenario's name; absent for the unshocked base.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// The HTTP status the item's own request would have had: 200, or its
    /// problem's status.
    pub status: u16,
    /// The operation's answer, when `status` is 200: the body its own path
    /// answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub body: Option<Value>,
    /// Why the item has no answer: the problem its own request would have
    /// had.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<Problem>,
}

/// Why a batch as a whole is refused (its items' own failures are in
/// their results).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BatchError {
    /// `items`, `scenarios` or a scenario's `shocks` is over its cap.
    #[error("`{field}` has {count} entries; at most {max} are allowed")]
    TooMany {
        /// `items`, `scenarios` or `scenarios[i].shocks`.
        field: String,
        /// The entries sent.
        count: usize,
        /// The cap.
        max: usize,
    },
    /// `items` is empty.
    #[error("`items` is empty; a batch needs at least one item")]
    NoItems,
    /// Two items share an id, or two scenarios a name.
    #[error("`{field}` is `{value}`, already used by entry {first}")]
    Duplicate {
        /// The second one's path: `items[3].id`.
        field: String,
        /// The id or name.
        value: String,
        /// The first entry with it.
        first: usize,
    },
    /// A shock has none, or more than one, of `set`, `add`, `multiply`.
    #[error("a shock takes exactly one of `set`, `add` and `multiply`")]
    ShockNotOne {
        /// The shock's path: `scenarios[0].shocks[1]`.
        field: String,
    },
    /// A shock's field is in no item's body.
    #[error("no item's body has `{name}`, so the shock would change nothing")]
    UnmatchedShock {
        /// The shock's path: `scenarios[0].shocks[1].field`.
        field: String,
        /// The field it names.
        name: String,
    },
    /// The batch's cells add up to more work than one batch may ask for.
    #[error("the batch asks for {units} work units in all; at most {max} are allowed (split it, or run `infraval batch` on a file)")]
    TooMuchWork {
        /// The work asked for, summed over every cell.
        units: u64,
        /// [`MAX_WORK_UNITS`].
        max: u64,
    },
}

impl BatchError {
    /// The field at fault.
    pub fn field(&self) -> &str {
        match self {
            BatchError::TooMany { field, .. } => field,
            BatchError::NoItems | BatchError::TooMuchWork { .. } => "items",
            BatchError::Duplicate { field, .. }
            | BatchError::ShockNotOne { field }
            | BatchError::UnmatchedShock { field, .. } => field,
        }
    }
}

impl BatchRequest {
    /// The example of the OpenAPI document: two sites, one of them missing
    /// a field, and a scenario that cuts rents by a tenth.
    pub fn example() -> BatchRequest {
        let site = |id: &str, operation: &str, body: Value| BatchItem {
            id: id.to_owned(),
            operation: operation.to_owned(),
            body,
        };
        BatchRequest {
            items: vec![
                site(
                    "site-a",
                    "colocation.arr",
                    serde_json::json!({"it_capacity_mw": 250, "rate_per_kw_month": 133.33}),
                ),
                site(
                    "site-b",
                    "build-cost",
                    serde_json::json!({"it_capacity_mw": 250}),
                ),
            ],
            scenarios: vec![Scenario {
                name: "rents down 10%".to_owned(),
                shocks: vec![Shock {
                    field: "rate_per_kw_month".to_owned(),
                    set: None,
                    add: None,
                    multiply: Some(Num::new(Decimal::new(9, 1))),
                }],
            }],
        }
    }

    /// Checks the caps, the unique ids and names, and the shocks' form;
    /// the work cap is checked once the cells are prepared.
    pub fn check(&self) -> Result<(), BatchError> {
        if self.items.is_empty() {
            return Err(BatchError::NoItems);
        }
        let shocks = self
            .scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("scenarios[{i}].shocks"), s.shocks.len(), SHOCKS.max));
        for (field, count, max) in [
            ("items".to_owned(), self.items.len(), ITEMS.max),
            ("scenarios".to_owned(), self.scenarios.len(), MAX_SCENARIOS),
        ]
        .into_iter()
        .chain(shocks)
        {
            if count > max {
                return Err(BatchError::TooMany { field, count, max });
            }
        }
        unique(
            self.items.iter().map(|item| item.id.as_str()),
            "items",
            "id",
        )?;
        unique(
            self.scenarios.iter().map(|s| s.name.as_str()),
            "scenarios",
            "name",
        )?;
        for (i, scenario) in self.scenarios.iter().enumerate() {
            for (j, shock) in scenario.shocks.iter().enumerate() {
                let given = [
                    shock.set.is_some(),
                    shock.add.is_some(),
                    shock.multiply.is_some(),
                ];
                if given.iter().filter(|g| **g).count() != 1 {
                    return Err(BatchError::ShockNotOne {
                        field: format!("scenarios[{i}].shocks[{j}]"),
                    });
                }
                if !self
                    .items
                    .iter()
                    .any(|item| lookup(&item.body, &shock.field))
                {
                    return Err(BatchError::UnmatchedShock {
                        field: format!("scenarios[{i}].shocks[{j}].field"),
                        name: shock.field.clone(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// The first repeated key, as [`BatchError::Duplicate`].
fn unique<'a>(
    keys: impl Iterator<Item = &'a str>,
    list: &str,
    key: &str,
) -> Result<(), BatchError> {
    let mut seen = std::collections::HashMap::new();
    for (i, value) in keys.enumerate() {
        if let Some(first) = seen.insert(value, i) {
            return Err(BatchError::Duplicate {
                field: format!("{list}[{i}].{key}"),
                value: value.to_owned(),
                first,
            });
        }
    }
    Ok(())
}

/// Whether `body` has the member at the dotted `path`.
fn lookup(body: &Value, path: &str) -> bool {
    path.split('.')
        .try_fold(body, |node, name| node.as_object()?.get(name))
        .is_some()
}

impl Scenario {
    /// `body` with every shock applied, or the problem of the first shock
    /// that cannot apply (a number shock on a value that is not a number,
    /// or a result beyond Decimal's range).
    pub fn apply(&self, mut body: Value) -> Result<Value, BodyError> {
        for shock in &self.shocks {
            shock.apply(&mut body)?;
        }
        Ok(body)
    }
}

impl Shock {
    fn apply(&self, body: &mut Value) -> Result<(), BodyError> {
        let Some(value) = self
            .field
            .split('.')
            .try_fold(body, |node, name| node.as_object_mut()?.get_mut(name))
        else {
            return Ok(());
        };
        if let Some(set) = &self.set {
            *value = set.clone();
            return Ok(());
        }
        let number = Num::deserialize(&*value).map_err(|e| BodyError::InvalidType {
            field: self.field.clone(),
            detail: format!("a shock's `add` or `multiply` needs a number: {e}"),
        })?;
        let shocked = match (self.add, self.multiply) {
            (Some(add), _) => number.get().checked_add(add.get()),
            (None, Some(multiply)) => number.get().checked_mul(multiply.get()),
            (None, None) => Some(number.get()),
        }
        .ok_or_else(|| BodyError::InvalidValue {
            field: self.field.clone(),
            detail: "the shocked value is beyond ±7.9e28".to_owned(),
        })?;
        *value = serde_json::to_value(Num::from(shocked)).map_err(|e| BodyError::InvalidValue {
            field: self.field.clone(),
            detail: e.to_string(),
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn scenario(shocks: Value) -> Scenario {
        serde_json::from_value(json!({"name": "s", "shocks": shocks})).unwrap()
    }

    #[test]
    fn add_and_multiply_are_exact_in_decimal() {
        let body = json!({"credit_spread": 0.05, "stock_price": 15.03, "other": 1});
        let shocked = scenario(json!([
            {"field": "credit_spread", "add": 0.02},
            {"field": "stock_price", "multiply": 0.7}
        ]))
        .apply(body)
        .unwrap();
        // 0.05 + 0.02 = 0.07; 15.03 × 0.7 = 10.521 (binary doubles would
        // give 0.07000000000000001 and 10.520999999999999).
        assert_eq!(
            shocked,
            json!({"credit_spread": 0.07, "stock_price": 10.521, "other": 1})
        );
    }

    #[test]
    fn a_dotted_path_reaches_a_nested_member_and_a_missing_one_changes_nothing() {
        let body = json!({"capped_call": {"cap_price": 30}});
        let shocks = scenario(json!([
            {"field": "capped_call.cap_price", "set": 40},
            {"field": "capped_call.lower_strike", "add": 1}
        ]));
        assert_eq!(
            shocks.apply(body).unwrap(),
            json!({"capped_call": {"cap_price": 40}})
        );
    }

    #[test]
    fn a_number_shock_on_text_names_the_field() {
        let err = scenario(json!([{"field": "date", "add": 1}]))
            .apply(json!({"date": "2025-12-15"}))
            .unwrap_err();
        assert_eq!(err.field(), Some("date"));
    }

    fn request(body: Value) -> BatchRequest {
        serde_json::from_value(body).unwrap()
    }

    #[test]
    fn duplicate_ids_and_unmatched_shocks_name_their_entry() {
        let item = json!({"id": "a", "operation": "colocation.arr", "body": {"x": 1}});
        let dup = request(json!({"items": [item, item]})).check().unwrap_err();
        assert_eq!(dup.field(), "items[1].id");
        let unmatched = request(json!({
            "items": [item],
            "scenarios": [{"name": "s", "shocks": [{"field": "x", "add": 1}, {"field": "y", "add": 1}]}]
        }))
        .check()
        .unwrap_err();
        assert_eq!(unmatched.field(), "scenarios[0].shocks[1].field");
        let two = request(json!({
            "items": [item],
            "scenarios": [{"name": "s", "shocks": [{"field": "x", "add": 1, "set": 2}]}]
        }))
        .check()
        .unwrap_err();
        assert_eq!(two.field(), "scenarios[0].shocks[0]");
    }
}
