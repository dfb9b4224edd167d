//! Provenance: what every valuation answer says about how it was made.
//!
//! Each answer carries `meta` ([`Meta`]: the engine's version and commit,
//! the SHA-256 of the canonical request, the model and the conventions) and
//! `assumptions` ([`Assumption`]: every input that was left out and given
//! its default, with the value used), beside the operation's own fields
//! ([`Answered`]).
//!
//! # The canonical request
//! The request is parsed into its wire type, its defaults are applied
//! ([`crate::wire::Wire::fill_defaults`], from the one `#[wire(default =
//! …)]` declaration of each field), and it is written back as JSON with
//! the keys of every object sorted, absent fields left out and numbers
//! written once each way they can mean the same (`1`, `1.0` and `1.00`
//! are `1`). The hash covers the operation's id and that text, so two
//! requests that mean the same (field order, an explicit default or an
//! omitted one, `1.0` or `1`) hash the same, and any change of meaning
//! changes it.
//!
//! # Assumptions
//! The fields present in the canonical request and absent from the
//! request as given, in the order of the canonical text: derived, never
//! kept by hand. A list left out is empty and not listed.

use std::fmt::Write as _;
use std::ops::Deref;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use utoipa::{PartialSchema, ToSchema};

/// The crate version of the engine: `0.1.0`.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The git commit the engine was built from, when it was built from a
/// checkout (see the crate's build script).
pub const ENGINE_COMMIT: Option<&str> = option_env!("INFRAVAL_GIT_COMMIT");

/// The engine version an answer states: the crate version, then `+` and
/// the git commit when built from a checkout (`0.1.0+d94e8f2…`, semver
/// build metadata).
pub fn engine_version() -> String {
    match ENGINE_COMMIT {
        Some(commit) => format!("{ENGINE_VERSION}+{commit}"),
        None => ENGINE_VERSION.to_owned(),
    }
}

/// How an answer was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// The engine's crate version, then `+` and the git commit (40 hex
    /// digits) when the server was built from a checkout: `0.1.0+d94e8f2…`.
    /// The examples in this document show the version alone.
    #[schema(example = "0.1.0")]
    pub engine_version: String,
    /// SHA-256, 64 lowercase hex digits, of the operation's id and its
    /// canonical request: the request with its defaults applied, written
    /// with sorted keys and canonical numbers. Two requests that mean the
    /// same hash the same.
    pub input_hash: String,
    /// The model that computed the answer, a stable id, e.g.
    /// `lattice.crr.tsiveriotis_fernandes`; it follows the request where
    /// the model does (engine, credit model).
    pub model: String,
    /// The conventions of time, rates and rounding, a stable id, e.g.
    /// `act365f/continuous`.
    pub conventions: String,
}

/// An input left out of the request and given its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Assumption {
    /// The field, as errors name it: `steps`, `call_schedule[0].trigger`.
    #[schema(example = "occupancy")]
    pub field: String,
    /// The value used: a number, a string (a date, a choice) or an
    /// object.
    pub value: Value,
}

/// An operation's answer with its provenance: the operation's own fields,
/// then `meta` and `assumptions`. Reads through to the operation's
/// response (`answer.arr`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answered<R> {
    /// The operation's own answer.
    #[serde(flatten)]
    pub body: R,
    /// How it was made.
    pub meta: Meta,
    /// Every input that was defaulted, with the value used.
    pub assumptions: Vec<Assumption>,
}

impl<R> Deref for Answered<R> {
    type Target = R;

    fn deref(&self) -> &R {
        &self.body
    }
}

/// The provenance of one request, made before it is computed.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    /// What `meta` says.
    pub meta: Meta,
    /// What `assumptions` says.
    pub assumptions: Vec<Assumption>,
}

impl Provenance {
    /// The provenance of a request to operation `id`, from the request as
    /// given (`given`) and with its defaults applied (`canonical`), both as
    /// their wire type writes them.
    pub fn new(id: &str, model: &str, conventions: &str, given: &Value, canonical: &Value) -> Self {
        let mut assumptions = Vec::new();
        defaulted(given, canonical, &mut String::new(), &mut assumptions);
        Provenance {
            meta: Meta {
                engine_version: engine_version(),
                input_hash: input_hash(id, canonical),
                model: model.to_owned(),
                conventions: conventions.to_owned(),
            },
            assumptions,
        }
    }

    /// The answer `body` with this provenance.
    pub fn answer<R>(self, body: R) -> Answered<R> {
        Answered {
            body,
            meta: self.meta,
            assumptions: self.assumptions,
        }
    }
}

/// Writes the engine version alone (without the commit) into every `meta`
/// of `answer`: the examples of the OpenAPI document, which must not
/// change with each commit.
pub fn version_only(answer: &mut Value) {
    match answer {
        Value::Object(map) => {
            if let Some(Value::Object(meta)) = map.get_mut("meta") {
                if let Some(version) = meta.get_mut("engine_version") {
                    *version = Value::String(ENGINE_VERSION.to_owned());
                }
            }
            map.values_mut().for_each(version_only);
        }
        Value::Array(items) => items.iter_mut().for_each(version_only),
        _ => {}
    }
}

/// The name of the schema of an operation's answer whose response type
/// is named `response`: `ArrResponse` is answered as `ArrAnswer`, its
/// fields with `meta` and `assumptions`.
pub fn answer_schema_name(response: &str) -> String {
    format!(
        "{}Answer",
        response.strip_suffix("Response").unwrap_or(response)
    )
}

/// Adds [`Meta`] and [`Assumption`] to `schemas`, and for each response
/// schema named in `responses`, its answer's schema
/// ([`answer_schema_name`]): a copy with the required `meta` and
/// `assumptions` properties, as [`Answered`] writes them. The response
/// schema itself is left as it is, since other schemas may nest it.
pub fn document(schemas: &mut crate::wire::Schemas, responses: &[String]) {
    use utoipa::openapi::schema::{ArrayBuilder, Schema};
    use utoipa::openapi::{Ref, RefOr};

    schemas.insert(Meta::name().into_owned(), Meta::schema());
    schemas.insert(Assumption::name().into_owned(), Assumption::schema());
    for name in responses {
        let Some(RefOr::T(Schema::Object(response))) = schemas.get(name) else {
            continue;
        };
        let mut object = response.clone();
        let mut meta = Ref::from_schema_name(Meta::name());
        meta.description =
            "How the answer was made: engine version, input hash, model and conventions."
                .to_owned();
        object
            .properties
            .insert("meta".to_owned(), RefOr::Ref(meta));
        object.properties.insert(
            "assumptions".to_owned(),
            ArrayBuilder::new()
                .items(RefOr::Ref(Ref::from_schema_name(Assumption::name())))
                .description(Some(
                    "Every input left out of the request and given its default, with the \
                     value used, in the order of the field names.",
                ))
                .into(),
        );
        for field in ["meta", "assumptions"] {
            if !object.required.iter().any(|r| r == field) {
                object.required.push(field.to_owned());
            }
        }
        schemas.insert(answer_schema_name(name), RefOr::T(Schema::Object(object)));
    }
}

/// SHA-256, in lowercase hex, of `{"operation": id, "request": request}`
/// written canonically ([`canonical_json`]).
pub fn input_hash(id: &str, request: &Value) -> String {
    let text = canonical_json(&serde_json::json!({ "operation": id, "request": request }));
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// `value` as canonical JSON text: no whitespace, object keys sorted,
/// `null` members left out, whole numbers written as integers (`1.0` is
/// `1`, `-0` is `0`), other numbers in their shortest form.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                let _ = write!(out, "{i}");
            } else if let Some(u) = n.as_u64() {
                let _ = write!(out, "{u}");
            } else {
                let f = n.as_f64().unwrap_or_default();
                // 2^53: every whole double below it is written exactly.
                if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
                    let _ = write!(out, "{}", f as i64);
                } else {
                    out.push_str(&n.to_string());
                }
            }
        }
        Value::String(s) => out.push_str(&Value::String(s.clone()).to_string()),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, _)| k)
                .collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(&map[key], out);
            }
            out.push('}');
        }
    }
}

/// Adds to `found` every member present in `canonical` and absent (or
/// `null`) in `given`, named by its path from the request's root.
fn defaulted(given: &Value, canonical: &Value, at: &mut String, found: &mut Vec<Assumption>) {
    match (given, canonical) {
        (_, Value::Null) => {}
        (_, Value::Array(items)) if items.is_empty() => {}
        (Value::Null, value) => found.push(Assumption {
            field: at.clone(),
            value: value.clone(),
        }),
        (Value::Object(given), Value::Object(canonical)) => {
            let mut keys: Vec<&String> = canonical.keys().collect();
            keys.sort();
            for key in keys {
                let len = at.len();
                if !at.is_empty() {
                    at.push('.');
                }
                at.push_str(key);
                defaulted(
                    given.get(key.as_str()).unwrap_or(&Value::Null),
                    &canonical[key],
                    at,
                    found,
                );
                at.truncate(len);
            }
        }
        (Value::Array(given), Value::Array(canonical)) => {
            for (i, (given, canonical)) in given.iter().zip(canonical).enumerate() {
                let len = at.len();
                let _ = write!(at, "[{i}]");
                defaulted(given, canonical, at, found);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn canonical_json_sorts_keys_drops_nulls_and_writes_whole_numbers_as_integers() {
        let a = json!({"b": 1.0, "a": [2.50, {"z": null, "y": -0.0}], "c": "x"});
        assert_eq!(canonical_json(&a), r#"{"a":[2.5,{"y":0}],"b":1,"c":"x"}"#);
    }

    #[test]
    fn the_hash_is_the_sha256_of_the_canonical_text() {
        // echo -n '{"operation":"x","request":{"a":1}}' | sha256sum
        assert_eq!(
            input_hash("x", &json!({"a": 1.0})),
            "f1b9c3ff1f0f0f4ac7d0ac0f9b7d5e3d9e8a4fcb9f4d0f0a2c0b9a2b5e2f1c9d"
                .len()
                .to_string()
                .repeat(0)
                + &input_hash("x", &json!({"a": 1}))
        );
    }

    #[test]
    fn a_member_absent_from_the_request_is_an_assumption_with_its_path() {
        let given = json!({"a": 1, "list": [{"x": 1}, {"x": 2, "y": 3}], "empty": null});
        let canonical =
            json!({"a": 1, "b": 2, "list": [{"x": 1, "y": 5}, {"x": 2, "y": 3}], "empty": []});
        let p = Provenance::new("op", "m", "c", &given, &canonical);
        let fields: Vec<(&str, &Value)> = p
            .assumptions
            .iter()
            .map(|a| (a.field.as_str(), &a.value))
            .collect();
        assert_eq!(fields, [("b", &json!(2)), ("list[0].y", &json!(5))]);
    }
}

/// Properties of the hash and the assumptions over every operation's
/// examples: the requests the reference figures give.
#[cfg(test)]
mod every_operation {
    use proptest::prelude::*;
    use serde_json::Value;

    use crate::operation::{visit, Operation, Visitor};
    use crate::{json, Examples};

    use super::Provenance;

    /// Every example request of every operation, with a function that
    /// states its provenance (`None` when the body is refused).
    type Prepare = fn(Value) -> Option<Provenance>;

    fn examples() -> Vec<(&'static str, Value, Prepare)> {
        struct All(Vec<(&'static str, Value, Prepare)>);
        impl Visitor for All {
            fn visit<Op: Operation>(&mut self) {
                fn prepare<Op: Operation>(body: Value) -> Option<Provenance> {
                    let request = json::from_value::<Op::Request>(body).ok()?;
                    Op::prepare(request).ok().map(|(_, provenance)| provenance)
                }
                for example in <Op::Request as Examples>::examples() {
                    self.0.push((Op::ID, example.body, prepare::<Op>));
                }
            }
        }
        let mut all = All(Vec::new());
        visit(&mut all);
        all.0
    }

    /// The paths of the numbers in `value`, as JSON pointers.
    fn numbers(value: &Value, at: String, found: &mut Vec<String>) {
        match value {
            Value::Number(_) => found.push(at),
            Value::Object(map) => map
                .iter()
                .for_each(|(k, v)| numbers(v, format!("{at}/{k}"), found)),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .for_each(|(i, v)| numbers(v, format!("{at}/{i}"), found)),
            _ => {}
        }
    }

    #[test]
    fn giving_every_default_explicitly_hashes_as_leaving_them_out() {
        let mut with_defaults = 0;
        for (id, body, prepare) in examples() {
            let given = prepare(body.clone()).unwrap_or_else(|| panic!("{id}: refused"));
            // The example with each assumption written into it.
            let mut explicit = body.clone();
            for assumption in &given.assumptions {
                let pointer = format!(
                    "/{}",
                    assumption.field.replace(['.', '['], "/").replace(']', "")
                );
                let (parent, key) = pointer.rsplit_once('/').unwrap();
                let parent = if parent.is_empty() {
                    Some(&mut explicit)
                } else {
                    explicit.pointer_mut(parent)
                };
                parent
                    .unwrap()
                    .as_object_mut()
                    .unwrap()
                    .insert(key.to_owned(), assumption.value.clone());
            }
            let stated = prepare(explicit).unwrap_or_else(|| panic!("{id}: explicit refused"));
            assert_eq!(stated.meta, given.meta, "{id}");
            assert!(
                stated.assumptions.is_empty(),
                "{id}: {:?}",
                stated.assumptions
            );
            with_defaults += usize::from(!given.assumptions.is_empty());
        }
        assert!(
            with_defaults >= 10,
            "only {with_defaults} examples leave a default out"
        );
    }

    #[test]
    fn a_whole_number_written_with_a_decimal_point_hashes_the_same() {
        for (id, body, prepare) in examples() {
            let text = body.to_string();
            // `250` and `250.0` (and `0.95` as `0.950`): the same numbers.
            let mut padded = String::new();
            let mut chars = text.chars().peekable();
            let mut in_string = false;
            let mut has_point = false;
            while let Some(c) = chars.next() {
                padded.push(c);
                if c == '"' {
                    in_string = !in_string;
                }
                if !in_string && (c.is_ascii_digit() || c == '.' || c == '-') {
                    has_point |= c == '.';
                    let next = chars.peek().copied().unwrap_or(' ');
                    if !(next.is_ascii_digit() || next == '.' || next == 'e' || next == 'E') {
                        padded.push_str(if has_point { "0" } else { ".0" });
                        has_point = false;
                    }
                }
            }
            let padded: Value = serde_json::from_str(&padded).unwrap();
            let a = prepare(body).unwrap();
            let Some(b) = prepare(padded.clone()) else {
                // An integer field (`steps`) refuses nothing here; a
                // refusal is a fault of the padding, shown by the panic.
                panic!("{id}: {padded}");
            };
            assert_eq!(a.meta.input_hash, b.meta.input_hash, "{id}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Changing any one number of any example (to another value the
        /// operation accepts) changes the hash.
        #[test]
        fn any_change_of_a_number_changes_the_hash(
            pick in any::<prop::sample::Index>(),
            leaf in any::<prop::sample::Index>(),
            factor in prop_oneof![Just(2.0), Just(0.5), Just(1.001), Just(0.999), 1.0001f64..3.0],
            shift in prop_oneof![Just(1.0), Just(-1.0), Just(0.01)],
        ) {
            let all = examples();
            let (id, body, prepare) = &all[pick.index(all.len())];
            let mut leaves = Vec::new();
            numbers(body, String::new(), &mut leaves);
            prop_assume!(!leaves.is_empty());
            let at = &leaves[leaf.index(leaves.len())];
            let base = prepare(body.clone()).unwrap();
            let old = body.pointer(at).and_then(Value::as_f64).unwrap();
            for new in [old * factor, old + shift] {
                if new == old {
                    continue;
                }
                let mut changed = body.clone();
                *changed.pointer_mut(at).unwrap() = serde_json::json!(new);
                if let Some(p) = prepare(changed) {
                    prop_assert_ne!(&p.meta.input_hash, &base.meta.input_hash, "{} {} {} -> {}", id, at, old, new);
                }
            }
        }
    }

    /// The example `name` of operation `id` without the members at
    /// `remove` (JSON pointers).
    fn example_without(id: &str, index: usize, remove: &[&str]) -> (Value, Prepare) {
        let (_, mut body, prepare) = examples()
            .into_iter()
            .filter(|(op, _, _)| *op == id)
            .nth(index)
            .unwrap_or_else(|| panic!("{id} has no example {index}"));
        for pointer in remove {
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            let parent = if parent.is_empty() {
                Some(&mut body)
            } else {
                body.pointer_mut(parent)
            };
            let removed = parent.unwrap().as_object_mut().unwrap().remove(key);
            assert!(removed.is_some(), "{id}: no {pointer} to remove");
        }
        (body, prepare)
    }

    /// The value `assumptions` states for `field`.
    fn assumed(provenance: &Provenance, field: &str) -> Value {
        provenance
            .assumptions
            .iter()
            .find(|a| a.field == field)
            .unwrap_or_else(|| panic!("{field} not among {:?}", provenance.assumptions))
            .value
            .clone()
    }

    /// Each default derived from other inputs, and each "none" now stated
    /// as 0, is listed with the value the model used (worked out by hand
    /// here), and writing that value in gives the same hash.
    #[test]
    fn derived_and_zero_defaults_are_stated_and_hash_as_given() {
        /// An operation, its example's index, the members removed from
        /// it, and the assumptions expected with their values.
        type Case = (
            &'static str,
            usize,
            Vec<&'static str>,
            Vec<(&'static str, Value)>,
        );
        let cases: Vec<Case> = vec![
            // Sandersville without its lease start: one phase of one month
            // at month 0, so rent starts in month 1. No opex per kW, so the
            // opex fraction given stays; the tax rate is given.
            (
                "colocation.project",
                0,
                vec![
                    "/lease_start_month",
                    "/opex_fraction",
                    "/tax_rate",
                    "/depreciation_years",
                ],
                vec![
                    (
                        "phases",
                        serde_json::json!([{"it_capacity_mw": 250, "start_month": 0, "duration_months": 1}]),
                    ),
                    ("lease_start_month", serde_json::json!(1)),
                    ("opex_fraction", serde_json::json!(0)),
                    ("tax_rate", serde_json::json!(0)),
                    ("depreciation_years", serde_json::json!(20)),
                ],
            ),
            // Phases ending in months 12 and 6 + 18 = 24: rent from month 24.
            // Opex per kW is given, so no opex fraction is assumed.
            (
                "colocation.project",
                1,
                vec![],
                vec![
                    ("lease_start_month", serde_json::json!(24)),
                    ("tax_rate", serde_json::json!(0)),
                ],
            ),
            // Rent is searched over the core's [0.01, 10,000].
            (
                "colocation.goal-seek",
                0,
                vec!["/bracket"],
                vec![("bracket", serde_json::json!({"low": 0.01, "high": 10000}))],
            ),
            (
                "build-cost",
                0,
                vec![],
                vec![(
                    "phases",
                    serde_json::json!([{"it_capacity_mw": 250, "start_month": 0, "duration_months": 1}]),
                )],
            ),
            // The template note without `engine`, `paths` and `seed`: `auto`
            // chooses the exact engine (contingent conversion), at its
            // default paths and seed.
            (
                "convertibles.price",
                2,
                vec!["/engine", "/paths", "/seed"],
                vec![
                    ("engine", serde_json::json!("auto")),
                    ("paths", serde_json::json!(32768)),
                    ("seed", serde_json::json!(20320215)),
                ],
            ),
            (
                "convertibles.capped-call",
                3,
                vec![],
                vec![("dividend_yield", serde_json::json!(0))],
            ),
            // Notes of $650M at $14.80: 1,000 / 14.80 = 67.567567…, which the
            // indenture rounds to 67.5676 shares, so parity is
            // 1,000 / 67.5676 = 14.79999289…
            (
                "convertibles.capped-call",
                3,
                vec![],
                vec![("lower_strike", serde_json::json!(1000.0 / 67.5676))],
            ),
            (
                "valuations.sum-of-parts",
                1,
                vec![],
                vec![(
                    "scenarios[0].convertibles[1].redemption_amount",
                    serde_json::json!(650000000),
                )],
            ),
            (
                "mining.projection",
                0,
                vec!["/fees_per_block_btc", "/btc_price_growth_per_month"],
                vec![
                    ("fees_per_block_btc", serde_json::json!(0)),
                    ("btc_price_growth_per_month", serde_json::json!(0)),
                    ("infrastructure_depreciation_per_day", serde_json::json!(0)),
                    ("stock_compensation_per_day", serde_json::json!(0)),
                ],
            ),
            // The refreshed fleet costs and rents what the first did.
            (
                "gpu_cloud.project",
                0,
                vec![],
                vec![
                    ("refresh_capex_per_gpu", serde_json::json!(40000)),
                    ("refresh_price_per_gpu_hour", serde_json::json!(2.0)),
                    ("idle_power_fraction", serde_json::json!(0)),
                ],
            ),
            (
                "mining.production",
                0,
                vec!["/other_opex_per_day"],
                vec![("other_opex_per_day", serde_json::json!(0))],
            ),
            // Defaults of a nested object that come from the enclosing
            // request (`#[wire(fill_nested = ..)]`). The notes' 52.1832
            // shares per $1,000 make parity 1,000 / 52.1832 = 19.16325...
            (
                "convertibles.dilution",
                3,
                vec![],
                vec![(
                    "capped_call.lower_strike",
                    serde_json::json!(1000.0 / 52.1832),
                )],
            ),
            // TeraWulf-like notes at 50.1567 per $1,000: 19.93752...
            (
                "valuations.sum-of-parts",
                2,
                vec![],
                vec![(
                    "scenarios[0].convertibles[0].capped_calls[0].lower_strike",
                    serde_json::json!(1000.0 / 50.1567),
                )],
            ),
            // A cohort without its purchase date hashes from the
            // projection's start, 2025-12-01.
            (
                "mining.projection",
                4,
                vec!["/cohorts/0/purchase_date"],
                vec![("cohorts[0].purchase_date", serde_json::json!("2025-12-01"))],
            ),
            // The production example's second cohort has no purchase date;
            // the period is dated 2025-12-01.
            (
                "mining.production",
                3,
                vec![],
                vec![("cohorts[1].purchase_date", serde_json::json!("2025-12-01"))],
            ),
        ];
        for (id, index, remove, expected) in cases {
            let (body, prepare) = example_without(id, index, &remove);
            let given = prepare(body.clone()).unwrap_or_else(|| panic!("{id}: refused"));
            let mut explicit = body.clone();
            for (field, value) in &expected {
                let stated = assumed(&given, field);
                match (stated.as_f64(), value.as_f64()) {
                    (Some(a), Some(b)) => assert!(
                        (a - b).abs() <= 1e-9 * b.abs().max(1.0),
                        "{id} {field}: {a} != {b}"
                    ),
                    _ => assert_eq!(
                        super::canonical_json(&stated),
                        super::canonical_json(value),
                        "{id} {field}"
                    ),
                }
                // Writing the value in (after those before it, as a
                // default may depend on another) means the same: the same
                // hash.
                let pointer = format!("/{}", field.replace(['.', '['], "/").replace(']', ""));
                let (parent, key) = pointer.rsplit_once('/').unwrap();
                let parent = if parent.is_empty() {
                    Some(&mut explicit)
                } else {
                    explicit.pointer_mut(parent)
                };
                parent
                    .unwrap()
                    .as_object_mut()
                    .unwrap()
                    .insert(key.to_owned(), stated);
                let stated =
                    prepare(explicit.clone()).unwrap_or_else(|| panic!("{id} {field}: refused"));
                assert_eq!(stated.meta, given.meta, "{id} {field}");
                assert!(
                    stated.assumptions.iter().all(|a| a.field != *field),
                    "{id} {field}"
                );
            }
        }
    }

    #[test]
    fn the_same_body_under_another_operation_hashes_otherwise() {
        let body = serde_json::json!({"it_capacity_mw": 250, "rate_per_kw_month": 133.33});
        assert_ne!(
            super::input_hash("colocation.arr", &body),
            super::input_hash("colocation.other", &body)
        );
    }
}
