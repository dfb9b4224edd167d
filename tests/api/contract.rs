//! The contract tells the truth: every range the served spec documents is
//! the range the server enforces, fractions written as percentages are
//! refused as such, a request object is an object, and every example in
//! the spec is what the server answers.
//!
//! Everything here is read from the served spec (`GET /openapi.json`): the
//! operations, their request examples, the schemas' `minimum`, `maximum`,
//! `exclusiveMinimum`, `exclusiveMaximum` and `format: fraction`, and the
//! documented answers. Nothing is listed by hand but the exceptions below.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use crate::helpers::{spawn_app, TestApp};

/// Values at a documented bound that the schema allows but a rule between
/// fields legitimately refuses with another documented 422, never
/// `out_of_range` on the field itself. Each is `(path, field, bound, code,
/// why)`: `field` as the problem names it (`[0]` for the first item of a
/// list, `*` for every field of the operation), `bound` `min`, `max` or
/// `both`, and `code` the one 422 the value may answer instead of 200.
const EXCEPTIONS: &[(&str, &str, &str, &str, &str)] = &[
    ("/v1/build-cost", "already_spent", "max", "inconsistent", "at most the total cost"),
    ("/v1/colocation/project", "already_spent", "max", "inconsistent", "at most the total cost"),
    ("/v1/build-cost", "phases[0].it_capacity_mw", "both", "inconsistent", "the phases add up to it_capacity_mw"),
    ("/v1/build-cost", "phases[0].start_month", "max", "inconsistent", "a phase ends by month 600"),
    ("/v1/colocation/project", "leases[0].extensions.downtime_months", "max", "inconsistent", "the downtime is at most the extension's months"),
    ("/v1/colocation/project", "leases[0].extensions.months", "min", "inconsistent", "the downtime is at most the extension's months"),
    ("/v1/colocation/project", "leases[0].it_capacity_mw", "max", "inconsistent", "the leases add up to at most it_capacity_mw"),
    ("/v1/colocation/project", "conversion.start_month", "max", "inconsistent", "rent and the build start at or after the conversion"),
    ("/v1/colocation/project", "*", "both", "no_solution", "cash flows that never change sign (no cost, no rent, opex eating the rent, a lease starting after the horizon) have no IRR"),
    ("/v1/gpu-cloud/project", "contracts[0].gpu_count", "both", "inconsistent", "a contract holds at most gpu_count GPUs, and its prepayment is at most its revenue"),
    ("/v1/gpu-cloud/project", "contracts[0].price_per_gpu_hour", "min", "inconsistent", "a prepayment is at most the contract's revenue"),
    ("/v1/gpu-cloud/project", "contracts[0].prepayment_usd", "max", "inconsistent", "a prepayment is at most the contract's revenue"),
    ("/v1/gpu-cloud/project", "contracts[0].start_year", "max", "inconsistent", "a contract starts by horizon_years"),
    ("/v1/gpu-cloud/project", "contracts[0].term_years", "max", "inconsistent", "a contract ends by horizon_years"),
    ("/v1/gpu-cloud/project", "gpu_count", "max", "inconsistent", "the fleet and its deliveries hold at most 10,000,000 GPUs"),
    ("/v1/gpu-cloud/project", "horizon_years", "min", "inconsistent", "deliveries and contracts fall within horizon_years"),
    ("/v1/gpu-cloud/project", "deliveries[0].gpu_count", "max", "inconsistent", "the fleet and its deliveries hold at most 10,000,000 GPUs"),
    ("/v1/gpu-cloud/project", "deliveries[0].delivery_year", "max", "inconsistent", "a delivery serves from a year within horizon_years"),
    ("/v1/gpu-cloud/project", "*", "both", "no_solution", "cash flows that never change sign (free GPUs, no rent, power or opex eating the rent) or whose NPV never crosses zero have no IRR"),
    ("/v1/colocation/sensitivity", "rows.range.steps", "max", "inconsistent", "rows × columns is at most 10,000 cells"),
    ("/v1/convertibles/dilution", "basic_shares_outstanding", "min", "inconsistent", "the buyback retires fewer shares than there are"),
    ("/v1/convertibles/dilution", "buyback.amount", "max", "inconsistent", "the buyback retires fewer shares than there are"),
    ("/v1/convertibles/dilution", "buyback.price_per_share", "min", "inconsistent", "the buyback retires fewer shares than there are"),
    ("/v1/convertibles/dilution", "buyback.shares", "max", "inconsistent", "the buyback retires fewer shares than there are"),
    ("/v1/convertibles/dilution", "capped_call.cap_price", "min", "inconsistent", "the cap lies above the lower strike"),
    ("/v1/convertibles/dilution", "capped_call.lower_strike", "max", "inconsistent", "the cap lies above the lower strike"),
    ("/v1/convertibles/dilution", "conversion_rate", "max", "out_of_range", "the make-whole cap is at least the conversion rate"),
    ("/v1/convertibles/dilution", "make_whole.max_conversion_rate", "min", "out_of_range", "the make-whole cap is at least the conversion rate"),
    ("/v1/convertibles/dilution", "make_whole.stock_prices[0]", "max", "not_increasing", "the make-whole prices increase"),
    ("/v1/convertibles/dilution", "share_prices[0]", "max", "not_increasing", "the prices increase"),
    ("/v1/convertibles/dilution", "share_prices.from", "max", "inconsistent", "`to` lies above `from`"),
    ("/v1/convertibles/dilution", "share_prices.to", "min", "inconsistent", "`to` lies above `from`"),
    ("/v1/convertibles/implied", "call_schedule[0].trigger_days", "max", "inconsistent", "an N-of-M test's trigger_days are at most its window_days"),
    ("/v1/convertibles/implied", "call_schedule[0].window_days", "min", "inconsistent", "an N-of-M test's trigger_days are at most its window_days"),
    ("/v1/convertibles/implied", "contingent_conversion.trigger_days", "max", "inconsistent", "an N-of-M test's trigger_days are at most its window_days"),
    ("/v1/convertibles/implied", "contingent_conversion.window_days", "min", "inconsistent", "an N-of-M test's trigger_days are at most its window_days"),
    ("/v1/convertibles/implied", "paths", "max", "inconsistent", "paths × trading days to maturity is at most 210,000,000"),
    ("/v1/convertibles/implied", "conversion_rate", "max", "out_of_range", "the make-whole cap is at least the conversion rate"),
    ("/v1/convertibles/implied", "make_whole.max_conversion_rate", "min", "out_of_range", "the make-whole cap is at least the conversion rate"),
    ("/v1/convertibles/implied", "make_whole.stock_prices[0]", "max", "not_increasing", "the make-whole prices increase"),
    ("/v1/convertibles/price", "call_schedule[0].trigger_days", "max", "inconsistent", "an N-of-M test's trigger_days are at most its window_days"),
    ("/v1/convertibles/price", "call_schedule[0].window_days", "min", "inconsistent", "an N-of-M test's trigger_days are at most its window_days"),
    ("/v1/convertibles/price", "contingent_conversion.trigger_days", "max", "inconsistent", "an N-of-M test's trigger_days are at most its window_days"),
    ("/v1/convertibles/price", "contingent_conversion.window_days", "min", "inconsistent", "an N-of-M test's trigger_days are at most its window_days"),
    ("/v1/convertibles/price", "paths", "max", "inconsistent", "paths × trading days to maturity is at most 210,000,000"),
    ("/v1/convertibles/price", "conversion_rate", "max", "out_of_range", "the make-whole cap is at least the conversion rate"),
    ("/v1/convertibles/price", "make_whole.max_conversion_rate", "min", "out_of_range", "the make-whole cap is at least the conversion rate"),
    ("/v1/convertibles/price", "make_whole.stock_prices[0]", "max", "not_increasing", "the make-whole prices increase"),
    ("/v1/convertibles/profile", "call_schedule[0].trigger_days", "max", "inconsistent", "an N-of-M test's trigger_days are at most its window_days"),
    ("/v1/convertibles/profile", "call_schedule[0].window_days", "min", "inconsistent", "an N-of-M test's trigger_days are at most its window_days"),
    ("/v1/convertibles/profile", "contingent_conversion.trigger_days", "max", "inconsistent", "an N-of-M test's trigger_days are at most its window_days"),
    ("/v1/convertibles/profile", "contingent_conversion.window_days", "min", "inconsistent", "an N-of-M test's trigger_days are at most its window_days"),
    ("/v1/convertibles/profile", "paths", "max", "inconsistent", "paths × trading days to maturity is at most 210,000,000"),
    ("/v1/convertibles/profile", "conversion_rate", "max", "out_of_range", "the make-whole cap is at least the conversion rate"),
    ("/v1/convertibles/profile", "make_whole.max_conversion_rate", "min", "out_of_range", "the make-whole cap is at least the conversion rate"),
    ("/v1/convertibles/profile", "make_whole.stock_prices[0]", "max", "not_increasing", "the make-whole prices increase"),
    ("/v1/convertibles/implied", "credit_spread", "max", "no_solution", "the exact engine searches near the lattice's roots only"),
    ("/v1/convertibles/implied", "*", "both", "solution_out_of_range", "an input at its bound moves the prices the solver reaches over the solved field's range away from the market price"),
    ("/v1/convertibles/price", "dividends[0].amount", "max", "inconsistent", "the share price exceeds the dividends' present value"),
    ("/v1/convertibles/hedge", "call_schedule[0].trigger_days", "max", "inconsistent", "an N-of-M test's trigger_days are at most its window_days"),
    ("/v1/convertibles/hedge", "call_schedule[0].window_days", "min", "inconsistent", "an N-of-M test's trigger_days are at most its window_days"),
    ("/v1/convertibles/hedge", "contingent_conversion.trigger_days", "max", "inconsistent", "an N-of-M test's trigger_days are at most its window_days"),
    ("/v1/convertibles/hedge", "contingent_conversion.window_days", "min", "inconsistent", "an N-of-M test's trigger_days are at most its window_days"),
    ("/v1/convertibles/hedge", "paths", "max", "inconsistent", "paths × trading days to maturity is at most 210,000,000"),
    ("/v1/convertibles/hedge", "conversion_rate", "max", "out_of_range", "the make-whole cap is at least the conversion rate"),
    ("/v1/convertibles/hedge", "make_whole.max_conversion_rate", "min", "out_of_range", "the make-whole cap is at least the conversion rate"),
    ("/v1/convertibles/hedge", "make_whole.stock_prices[0]", "max", "not_increasing", "the make-whole prices increase"),
    ("/v1/convertibles/hedge", "dividends[0].amount", "max", "inconsistent", "the share price exceeds the dividends' present value"),
    ("/v1/convertibles/capped-call", "cap_price", "min", "inconsistent", "the cap lies above the lower strike"),
    ("/v1/convertibles/capped-call", "lower_strike", "max", "inconsistent", "the cap lies above the lower strike"),
    ("/v1/convertibles/capped-call", "conversion_price", "max", "inconsistent", "the cap lies above the lower strike, by default the conversion price"),
    ("/v1/convertibles/capped-call", "conversion_rate", "min", "inconsistent", "the cap lies above the lower strike, by default the conversion price"),
    ("/v1/convertibles/capped-call", "reference_price", "max", "inconsistent", "the cap lies above the lower strike, by default the conversion price"),
    ("/v1/convertibles/capped-call", "dividends[0].amount", "max", "inconsistent", "the share price exceeds the dividends' present value"),
    ("/v1/convertibles/yield", "price_per_100", "min", "target_unattainable", "a yield above 1,000% is beyond the solver's bracket"),
    ("/v1/mining/production", "fleet_hashrate_ehs", "max", "inconsistent", "the fleet is at most the network"),
    ("/v1/mining/production", "network_hashrate_ehs", "min", "inconsistent", "the fleet is at most the network"),
    ("/v1/mining/production", "difficulty", "min", "inconsistent", "the fleet is at most the network"),
    ("/v1/mining/production", "miner_count", "both", "inconsistent", "machines × TH/s match the fleet within 2%"),
    ("/v1/mining/production", "th_per_miner", "both", "inconsistent", "machines × TH/s match the fleet within 2%"),
    ("/v1/mining/projection", "fleet_hashrate_ehs", "max", "inconsistent", "the fleet is at most the network"),
    ("/v1/mining/production", "cohorts[0].hashrate_ehs", "max", "inconsistent", "the cohorts are at most the network"),
    ("/v1/mining/production", "power_price_profile[0].share_of_hours", "both", "inconsistent", "the buckets' shares add up to 1"),
    ("/v1/mining/projection", "cohorts[0].hashrate_ehs", "max", "inconsistent", "the cohorts are at most the network"),
    ("/v1/mining/projection", "power_price_profile[0].share_of_hours", "both", "inconsistent", "the buckets' shares add up to 1"),
    ("/v1/mining/projection", "network_hashrate_ehs", "min", "inconsistent", "the fleet is at most the network"),
    ("/v1/mining/projection", "network_growth_per_month", "min", "inconsistent", "the fleet is at most the network in every month"),
    ("/v1/mining/projection", "network_hashrate_path_ehs[0]", "min", "inconsistent", "the fleet is at most the network"),
    ("/v1/mining/projection", "difficulty", "min", "inconsistent", "the fleet is at most the network"),
    ("/v1/mining/projection", "difficulty_path[0]", "min", "inconsistent", "the fleet is at most the network"),
    ("/v1/mining/projection", "fleet_additions_ehs[0]", "both", "inconsistent", "the fleet stays above 0 and at most the network"),
    ("/v1/valuations/sum-of-parts", "scenarios[0].basic_shares", "min", "inconsistent", "the buyback retires fewer shares than there are"),
    ("/v1/valuations/sum-of-parts", "scenarios[0].convertibles[0].redemption_amount", "both", "inconsistent", "between the principal and twice it"),
    ("/v1/valuations/sum-of-parts", "scenarios[0].probability", "both", "inconsistent", "the scenarios' probabilities add up to 1"),
];

/// Numeric request fields the schema leaves unbounded because their range
/// is another field's: checked against it at run time.
const UNBOUNDED: &[(&str, &str, &str)] = &[
    ("GoalSeekRequest", "target", "in the unit of `metric`"),
    ("GpuGoalSeekRequest", "target", "in the unit of `metric`"),
    (
        "BracketWire",
        "low",
        "within the range of `variable`'s project field",
    ),
    (
        "BracketWire",
        "high",
        "within the range of `variable`'s project field",
    ),
    (
        "AxisRequest",
        "values",
        "within the range of `variable`'s project field",
    ),
    (
        "RangeWire",
        "from",
        "within the range of `variable`'s project field",
    ),
    (
        "RangeWire",
        "to",
        "within the range of `variable`'s project field",
    ),
];

/// The schema a `$ref` names, with its component name; any other schema
/// as it is.
fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> (&'a Value, Option<&'a str>) {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            (&spec["components"]["schemas"][name], Some(name))
        }
        None => (schema, None),
    }
}

fn types(schema: &Value) -> Vec<&str> {
    match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The alternative of a schema that stands for `value`: for a one-of
/// (an optional object, or a list-or-range), the one of the value's JSON
/// type.
fn matching<'a>(spec: &'a Value, schema: &'a Value, value: &Value) -> (&'a Value, Option<&'a str>) {
    let (schema, name) = resolve(spec, schema);
    let Some(alternatives) = schema["oneOf"].as_array() else {
        return (schema, name);
    };
    let wanted = match value {
        Value::Object(_) => "object",
        Value::Array(_) => "array",
        Value::Null => "null",
        _ => "number",
    };
    alternatives
        .iter()
        .map(|alternative| resolve(spec, alternative))
        .find(|(alternative, _)| types(alternative).contains(&wanted))
        .unwrap_or((schema, name))
}

/// One step into a JSON body.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn display(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) if out.is_empty() => out.push_str(key),
            Step::Key(key) => {
                out.push('.');
                out.push_str(key);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn at<'a>(body: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(body, |node, step| match step {
        Step::Key(key) => &mut node[key.as_str()],
        Step::Index(i) => &mut node[*i],
    })
}

/// A number of an example, with the schema that documents it.
struct Leaf {
    path: Vec<Step>,
    /// The object schema's component name and the property.
    owner: (String, String),
    schema: Value,
}

/// An object of an example, with whether its schema also takes an array
/// or `null` there.
struct ObjectAt {
    path: Vec<Step>,
    takes_array: bool,
    nullable: bool,
}

fn walk(
    spec: &Value,
    schema: &Value,
    value: &Value,
    owner: Option<(String, String)>,
    path: &mut Vec<Step>,
    leaves: &mut Vec<Leaf>,
    objects: &mut Vec<ObjectAt>,
) {
    let declared = resolve(spec, schema).0;
    let alternatives: Vec<Value> = declared["oneOf"]
        .as_array()
        .map(|items| items.iter().map(|i| resolve(spec, i).0.clone()).collect())
        .unwrap_or_else(|| vec![declared.clone()]);
    let (schema, name) = matching(spec, schema, value);
    match value {
        Value::Object(map) => {
            objects.push(ObjectAt {
                path: path.clone(),
                takes_array: alternatives.iter().any(|a| types(a).contains(&"array")),
                nullable: alternatives.iter().any(|a| types(a).contains(&"null")),
            });
            let component = name.unwrap_or("").to_owned();
            for (key, item) in map {
                let property = &schema["properties"][key];
                assert!(!property.is_null(), "no schema for {}.{key}", display(path));
                path.push(Step::Key(key.clone()));
                walk(
                    spec,
                    property,
                    item,
                    Some((component.clone(), key.clone())),
                    path,
                    leaves,
                    objects,
                );
                path.pop();
            }
        }
        Value::Array(items) => {
            let item_schema = &schema["items"];
            for (i, item) in items.iter().enumerate() {
                // Of a list of numbers, the first stands for all.
                if item.is_number() && i > 0 {
                    break;
                }
                path.push(Step::Index(i));
                walk(
                    spec,
                    item_schema,
                    item,
                    owner.clone(),
                    path,
                    leaves,
                    objects,
                );
                path.pop();
            }
        }
        Value::Number(_) => leaves.push(Leaf {
            path: path.clone(),
            owner: owner.expect("a number inside an object"),
            schema: schema.clone(),
        }),
        _ => {}
    }
}

/// Every POST operation: its path, request schema, and named request and
/// documented answer examples.
struct Documented {
    path: String,
    request: Value,
    examples: Vec<(String, Value)>,
    answers: Map<String, Value>,
}

/// Every operation's documentation. Not `/v1/batch`: its items' bodies
/// are each operation's own, checked by the operation (batch.rs tests it).
fn operations(spec: &Value) -> Vec<Documented> {
    spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(path, _)| *path != "/v1/batch")
        .filter_map(|(path, item)| {
            let post = item.get("post")?;
            let media = &post["requestBody"]["content"]["application/json"];
            let examples = media["examples"]
                .as_object()
                .unwrap_or_else(|| panic!("POST {path} has no request examples"))
                .iter()
                .map(|(name, example)| (name.clone(), example["value"].clone()))
                .collect();
            let answers = post["responses"]["200"]["content"]["application/json"]["examples"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            Some(Documented {
                path: path.clone(),
                request: media["schema"].clone(),
                examples,
                answers,
            })
        })
        .collect()
}

struct Walked {
    leaves: Vec<(usize, Leaf)>,
    objects: Vec<(usize, ObjectAt)>,
}

fn walk_examples(spec: &Value, op: &Documented) -> Walked {
    let mut walked = Walked {
        leaves: Vec::new(),
        objects: Vec::new(),
    };
    for (i, (_, body)) in op.examples.iter().enumerate() {
        let mut leaves = Vec::new();
        let mut objects = Vec::new();
        walk(
            spec,
            &op.request,
            body,
            None,
            &mut Vec::new(),
            &mut leaves,
            &mut objects,
        );
        walked.leaves.extend(leaves.into_iter().map(|l| (i, l)));
        walked.objects.extend(objects.into_iter().map(|o| (i, o)));
    }
    walked
}

/// A documented bound: the number, whether it is allowed, and which end.
struct Bound {
    value: f64,
    inclusive: bool,
    end: &'static str,
}

fn bounds(schema: &Value) -> Vec<Bound> {
    [
        ("minimum", true, "min"),
        ("exclusiveMinimum", false, "min"),
        ("maximum", true, "max"),
        ("exclusiveMaximum", false, "max"),
    ]
    .into_iter()
    .filter_map(|(key, inclusive, end)| {
        schema[key].as_f64().map(|value| Bound {
            value,
            inclusive,
            end,
        })
    })
    .collect()
}

/// A step just beyond (or within) a bound: 1 for a whole number, one
/// millionth of the bound's magnitude (at least 10⁻⁶) otherwise.
fn nudge(schema: &Value, bound: f64) -> f64 {
    if types(schema).contains(&"integer") {
        1.0
    } else {
        (bound.abs() * 1e-6).max(1e-6)
    }
}

fn number(value: f64, integer: bool) -> Value {
    if integer {
        // Whole by construction: a bound ± 1.
        #[allow(clippy::cast_possible_truncation)]
        let whole = value as i64;
        json!(whole)
    } else {
        json!(value)
    }
}

async fn post(app: &TestApp, path: &str, body: &Value) -> (u16, Value) {
    let res = app.post_json(path, body).await;
    let status = res.status().as_u16();
    let body = res.json().await.unwrap_or(Value::Null);
    (status, body)
}

/// A field to walk: its operation, the example that has it, and where.
struct Walk {
    op: usize,
    example: usize,
    leaf: Leaf,
}

/// Each numeric field once: in the first example that has it, of the
/// operation whose request it belongs to when there is one (the project's
/// fields in `/project`, not in goal seek).
fn fields_to_walk(spec: &Value, ops: &[Documented]) -> Vec<Walk> {
    let own = |op: &Documented, component: &str| {
        op.request["$ref"]
            .as_str()
            .is_some_and(|r| r.ends_with(&format!("/{component}")))
    };
    let mut chosen: BTreeMap<(String, String), Walk> = BTreeMap::new();
    for (o, op) in ops.iter().enumerate() {
        for (example, leaf) in walk_examples(spec, op).leaves {
            let better = match chosen.get(&leaf.owner) {
                None => true,
                Some(walk) => own(op, &leaf.owner.0) && !own(&ops[walk.op], &leaf.owner.0),
            };
            if better {
                chosen.insert(
                    leaf.owner.clone(),
                    Walk {
                        op: o,
                        example,
                        leaf,
                    },
                );
            }
        }
    }
    chosen.into_values().collect()
}

#[tokio::test]
async fn every_numeric_field_answers_200_within_its_documented_range_and_422_beyond_it() {
    let app = spawn_app().await;
    let spec = app.served_spec().await;
    let ops = operations(&spec);
    let mut failures = Vec::new();
    let mut checked = 0;
    for Walk { op, example, leaf } in fields_to_walk(&spec, &ops) {
        let op = &ops[op];
        let integer = types(&leaf.schema).contains(&"integer");
        let field = display(&leaf.path);
        for bound in bounds(&leaf.schema) {
            let step = nudge(&leaf.schema, bound.value);
            let outward = if bound.end == "min" { -step } else { step };
            // The bound itself, then a value just beyond it or, for an
            // exclusive bound, just within.
            let cases = if bound.inclusive {
                [(bound.value, true), (bound.value + outward, false)]
            } else {
                [(bound.value, false), (bound.value - outward, true)]
            };
            for (value, allowed) in cases {
                let mut body = op.examples[example].1.clone();
                *at(&mut body, &leaf.path) = number(value, integer);
                let (status, problem) = post(&app, &op.path, &body).await;
                checked += 1;
                let excepted = EXCEPTIONS.iter().find(|(path, f, end, ..)| {
                    *path == op.path
                        && (*f == field || *f == "*")
                        && (*end == bound.end || *end == "both")
                });
                let named = problem["code"] == "out_of_range" && problem["field"] == field;
                let ok = match (allowed, excepted) {
                    (true, None) => status == 200,
                    (true, Some((.., code, _))) => {
                        status == 200 || (status == 422 && problem["code"] == *code)
                    }
                    (false, _) => status == 422 && named,
                };
                if !ok {
                    failures.push(format!(
                        "POST {} `{field}` = {value} ({} {}): {status} {problem}",
                        op.path,
                        if allowed { "allowed at" } else { "beyond" },
                        bound.end,
                    ));
                }
            }
        }
    }
    assert!(checked > 500, "only {checked} values checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} values disagree with the spec:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn every_numeric_request_field_has_a_documented_range_and_an_example() {
    let app = spawn_app().await;
    let spec = app.served_spec().await;
    let mut in_examples = BTreeSet::new();
    let mut reachable = BTreeSet::new();
    for op in operations(&spec) {
        for (_, leaf) in walk_examples(&spec, &op).leaves {
            in_examples.insert(leaf.owner);
        }
        let mut pending = vec![op.request["$ref"].as_str().unwrap().to_owned()];
        while let Some(reference) = pending.pop() {
            let name = reference
                .trim_start_matches("#/components/schemas/")
                .to_owned();
            if !reachable.insert(name.clone()) {
                continue;
            }
            let text = spec["components"]["schemas"][&name].to_string();
            for part in text.split("\"$ref\":\"").skip(1) {
                pending.push(part.split('"').next().unwrap().to_owned());
            }
        }
    }
    let mut missing = Vec::new();
    for name in &reachable {
        let schema = &spec["components"]["schemas"][name];
        let Some(properties) = schema["properties"].as_object() else {
            continue;
        };
        for (property, declared) in properties {
            let numeric = |s: &Value| types(s).contains(&"number") || types(s).contains(&"integer");
            let target = if types(declared).contains(&"array") {
                &declared["items"]
            } else {
                declared
            };
            if !numeric(target) {
                continue;
            }
            let key = (name.clone(), property.clone());
            if !in_examples.contains(&key) {
                missing.push(format!("{name}.{property}: in no request example"));
            }
            let unbounded = UNBOUNDED
                .iter()
                .any(|(s, p, _)| *s == name && *p == property);
            let documented = !bounds(target).is_empty() || target.get("enum").is_some();
            if documented == unbounded {
                missing.push(format!(
                    "{name}.{property}: {}",
                    if unbounded {
                        "listed as unbounded but has a range"
                    } else {
                        "no documented range"
                    }
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[tokio::test]
async fn every_fraction_refuses_a_percentage_and_says_what_it_means() {
    let app = spawn_app().await;
    let spec = app.served_spec().await;
    let mut seen = BTreeSet::new();
    let mut failures = Vec::new();
    for op in operations(&spec) {
        let walked = walk_examples(&spec, &op);
        for (example, leaf) in walked.leaves {
            if leaf.schema["format"] != "fraction" || !seen.insert(leaf.owner.clone()) {
                continue;
            }
            let mut body = op.examples[example].1.clone();
            let slot = at(&mut body, &leaf.path);
            // The example's own fraction, or half the cap, written as a
            // percentage that lies beyond the range.
            let max = leaf.schema["maximum"]
                .as_f64()
                .or(leaf.schema["exclusiveMaximum"].as_f64())
                .unwrap();
            let fraction = match slot.as_f64() {
                Some(v) if v != 0.0 && v * 100.0 > max => v,
                _ => max / 2.0,
            };
            let percent = (fraction * 100.0 * 1e9).round() / 1e9;
            *slot = json!(percent);
            let field = display(&leaf.path);
            let (status, problem) = post(&app, &op.path, &body).await;
            let detail = problem["detail"].as_str().unwrap_or_default();
            let expected = format!("`{field}` is a fraction: {percent} means ");
            if status != 422
                || problem["code"] != "out_of_range"
                || problem["field"] != field
                || !detail.starts_with(&expected)
                || !detail.contains(&format!("did you mean {fraction}?"))
            {
                failures.push(format!(
                    "POST {} `{field}` = {percent}: {status} {problem}",
                    op.path
                ));
            }
        }
    }
    assert!(seen.len() > 30, "only {} fraction fields found", seen.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn an_array_string_number_or_null_in_place_of_an_object_is_an_invalid_type() {
    let app = spawn_app().await;
    let spec = app.served_spec().await;
    let mut failures = Vec::new();
    let mut checked = 0;
    for op in operations(&spec) {
        let walked = walk_examples(&spec, &op);
        let mut seen = BTreeSet::new();
        for (example, object) in walked.objects {
            // Each object position once; list items by their first.
            let key: Vec<String> = object
                .path
                .iter()
                .map(|step| match step {
                    Step::Key(key) => key.clone(),
                    Step::Index(_) => "[]".to_owned(),
                })
                .collect();
            if !seen.insert(key) {
                continue;
            }
            let original = at(&mut op.examples[example].1.clone(), &object.path).clone();
            // The object's values in order, as serde would read a struct
            // from an array by position.
            let as_array = Value::Array(original.as_object().unwrap().values().cloned().collect());
            let mut replacements = vec![json!("text"), json!(5)];
            if !object.takes_array {
                replacements.push(as_array);
            }
            if !object.nullable {
                replacements.push(Value::Null);
            }
            for replacement in replacements {
                let mut body = op.examples[example].1.clone();
                *at(&mut body, &object.path) = replacement.clone();
                let (status, problem) = post(&app, &op.path, &body).await;
                checked += 1;
                let field = display(&object.path);
                let named = if object.path.is_empty() {
                    problem.get("field").is_none()
                } else {
                    problem["field"] == field
                };
                let words = problem["detail"].as_str().unwrap_or_default();
                // "struct " with its space: serde says "expected struct
                // FooRequest", while `construction_loan` holds "struct".
                let rusty = ["struct ", "Request", "expected u", "sequence", "Wire"]
                    .iter()
                    .any(|w| words.contains(w));
                if status != 422 || problem["code"] != "invalid_type" || !named || rusty {
                    failures.push(format!(
                        "POST {} `{field}` = {replacement}: {status} {problem}",
                        op.path
                    ));
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} cases checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn every_request_example_answers_exactly_its_documented_200() {
    let app = spawn_app().await;
    let spec = app.served_spec().await;
    let mut checked = 0;
    for op in operations(&spec) {
        for (name, body) in &op.examples {
            let (status, mut answer) = post(&app, &op.path, body).await;
            assert_eq!(status, 200, "POST {} example `{name}`: {answer}", op.path);
            // The examples show the engine's version without the commit the
            // server was built from (`meta.engine_version`'s description).
            let served = answer["meta"]["engine_version"]
                .as_str()
                .unwrap_or_default();
            assert!(
                served == env!("CARGO_PKG_VERSION")
                    || served.starts_with(concat!(env!("CARGO_PKG_VERSION"), "+")),
                "{served}"
            );
            infraval_api::provenance::version_only(&mut answer);
            let documented = &op.answers[name.as_str()]["value"];
            assert_eq!(
                &answer, documented,
                "POST {} example `{name}` answers otherwise than the spec shows",
                op.path
            );
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} examples");
}

#[tokio::test]
async fn every_error_response_shows_an_example_of_its_own_status_and_code() {
    let app = spawn_app().await;
    let spec = app.served_spec().await;
    let codes = [
        ("400", "malformed_json"),
        ("401", "unauthorized"),
        ("413", "payload_too_large"),
        ("415", "unsupported_media_type"),
        ("422", "out_of_range or invalid_value"),
        ("503", "overloaded"),
    ];
    for op in operations(&spec) {
        let responses = &spec["paths"][&op.path]["post"]["responses"];
        for (status, code) in codes {
            let response = &responses[status];
            if response.is_null() {
                assert_ne!(status, "422", "POST {} documents no 422", op.path);
                continue;
            }
            let examples = response["content"]["application/problem+json"]["examples"]
                .as_object()
                .unwrap_or_else(|| panic!("POST {} {status}: no example", op.path));
            for example in examples.values() {
                let problem = &example["value"];
                assert_eq!(
                    problem["status"].to_string(),
                    status,
                    "POST {} {status}",
                    op.path
                );
                let found = problem["code"].as_str().unwrap_or_default();
                assert!(
                    code.split(" or ").any(|c| c == found),
                    "POST {} {status}: code {found}, expected {code}",
                    op.path
                );
            }
        }
        // The 422 names the operation's own fields: resolving each in the
        // request schema succeeds, and posting the first example with that
        // field at the documented value answers the same problem.
        let problem = responses["422"]["content"]["application/problem+json"]["examples"]
            .as_object()
            .and_then(|examples| examples.values().next())
            .map(|example| &example["value"])
            .unwrap();
        let errors = problem["errors"].as_array().unwrap();
        assert!(!errors.is_empty(), "POST {}: {problem}", op.path);
        let walked = walk_examples(&spec, &op);
        for error in errors {
            assert!(
                walked
                    .leaves
                    .iter()
                    .any(|(_, leaf)| display(&leaf.path) == error["field"]),
                "POST {}: the 422 example names `{}`, not a field of its examples",
                op.path,
                error["field"]
            );
        }
    }
}
