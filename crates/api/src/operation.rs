//! What an operation is, and the registry of every operation by id.
//!
//! The operations themselves are declared once, in [`crate::operations`];
//! this module says what each declaration provides ([`Operation`]) and
//! how the rest of the service walks them: typed ([`visit`], for routes,
//! the OpenAPI document and the client) or type-erased by id
//! ([`operations`], [`find`], for batch and command-line dispatch).

use std::marker::PhantomData;

use infraval_core::CoreError;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::Serialize;
use utoipa::ToSchema;

use crate::chart::Chart;
use crate::json::{self, BodyError};
use crate::provenance::{Answered, Provenance};
use crate::wire::{self, FieldErrors, Num, Wire};

/// Where an operation's computation runs in the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runs {
    /// On the request's worker, at once: cheap, bounded work (tens of
    /// microseconds).
    Inline,
    /// On the blocking pool, so a long computation does not hold up the
    /// cheap requests on the same worker; admitted by work units.
    Blocking,
}

/// One operation of the API: its path, docs, wire types and computation.
///
/// Implemented only by the declarations in [`crate::operations`].
pub trait Operation: Send + Sync + 'static {
    /// The stable id, dot-separated: `colocation.arr`. Batch items and the
    /// command line name operations by it.
    const ID: &'static str;
    /// The name of the client's method and the OpenAPI `operationId`:
    /// `colocation_arr`.
    const NAME: &'static str;
    /// The HTTP path of `POST`: `/v1/colocation/arr`.
    const PATH: &'static str;
    /// The OpenAPI tag.
    const TAG: &'static str;
    /// The declaration's doc comment: the first line is the summary, the
    /// rest (after a blank line) the description.
    const DOC: &'static str;
    /// What the 200 answer is, in a few words.
    const RESPONSE_DESCRIPTION: &'static str;
    /// Inline or on the blocking pool.
    const RUNS: Runs;
    /// The request body.
    type Request: Serialize + DeserializeOwned + ToSchema + Wire + Examples + Clone + Send + 'static;
    /// The validated core input the request converts into.
    type Input: TryFrom<Self::Request, Error = CoreError> + Send + 'static;
    /// The response body.
    type Response: Serialize + DeserializeOwned + ToSchema + Send + 'static;
    /// The chart of an answer, when the operation draws one: it then also
    /// answers `Accept: image/svg+xml` with it.
    const CHART: Option<Chart<Self::Request, Self::Response>>;
    /// The conventions of time, rates and rounding, a stable id stated in
    /// every answer's `meta`: `act365f/continuous`.
    const CONVENTIONS: &'static str;

    /// The model that computes `input`, a stable id stated in every
    /// answer's `meta`: `lattice.crr.tsiveriotis_fernandes`.
    fn model(input: &Self::Input) -> &'static str;

    /// The cost of computing `input`, in work units (at least 1): about one
    /// 1,000-step convertible lattice, a few milliseconds of one core. The
    /// server's overload limit counts them.
    fn work_units(input: &Self::Input) -> u64;

    /// Computes the answer.
    fn compute(input: Self::Input) -> Result<Self::Response, CoreError>;

    /// Checks every field of a request against its rule, reporting every
    /// fault at once, then converts it into the core input (which checks
    /// the rules between fields).
    fn validate(request: Self::Request) -> Result<Self::Input, OperationError> {
        Ok(Self::prepare(request)?.0)
    }

    /// Checks a request as [`Operation::validate`] does, applies its
    /// defaults (the core reads the request with them) and states its
    /// provenance: the canonical request's hash, the defaults applied, the
    /// model and conventions.
    fn prepare(request: Self::Request) -> Result<(Self::Input, Provenance), OperationError> {
        wire::check(&request)?;
        let given = serde_json::to_value(&request).map_err(OperationError::Response)?;
        let mut request = request;
        request.fill_defaults();
        let canonical = serde_json::to_value(&request).map_err(OperationError::Response)?;
        let input = Self::Input::try_from(request)?;
        let provenance = Provenance::new(
            Self::ID,
            Self::model(&input),
            Self::CONVENTIONS,
            &given,
            &canonical,
        );
        Ok((input, provenance))
    }

    /// Validates a request and computes its answer with its provenance, on
    /// the calling thread.
    fn run(request: Self::Request) -> Result<Answered<Self::Response>, OperationError> {
        let (input, provenance) = Self::prepare(request)?;
        Ok(provenance.answer(Self::compute(input)?))
    }
}

/// A named request example, as the OpenAPI document shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The example's key in the document: `by_capacity_and_rent`.
    pub name: &'static str,
    /// One line on what it shows.
    pub summary: &'static str,
    /// The request body.
    pub body: serde_json::Value,
}

/// The request examples of an operation, built from the reference
/// figures; together they give every numeric field a value. The OpenAPI
/// document lists them by name (Swagger UI fills in the first in
/// alphabetical order) with what each answers; the first declared is the
/// one its error examples start from.
pub trait Examples {
    /// The examples, the default first.
    fn examples() -> Vec<Example>;
}

/// The summary of an operation: the first line of its doc comment.
pub fn summary(doc: &str) -> &str {
    doc.lines().next().unwrap_or_default().trim()
}

/// The description of an operation: its doc comment after the summary and
/// the blank line, one leading space taken off each line (as rustdoc
/// does), `None` when there is none.
pub fn description(doc: &str) -> Option<String> {
    let lines: Vec<&str> = doc
        .lines()
        .skip(1)
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .skip_while(|line| line.trim().is_empty())
        .collect();
    let text = lines.join("\n");
    let text = text.trim_end();
    (!text.is_empty()).then(|| text.to_owned())
}

/// Something that walks every operation with its types, as
/// [`visit`] calls it once per operation, in declaration order.
pub trait Visitor {
    /// Called for one operation.
    fn visit<Op: Operation>(&mut self);
}

/// Why an operation given a JSON body did not answer.
#[derive(Debug, thiserror::Error)]
pub enum OperationError {
    /// The body does not parse into the request type.
    #[error(transparent)]
    Body(#[from] BodyError),
    /// Fields out of their ranges, all of them.
    #[error(transparent)]
    Fields(#[from] FieldErrors),
    /// The core refused the input, or found no answer.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// The answer did not serialise: a bug, never the caller's fault.
    #[error("the response did not serialise: {0}")]
    Response(serde_json::Error),
}

/// A parsed and validated request, ready to compute.
pub struct Prepared {
    work_units: u64,
    compute: Box<dyn FnOnce() -> Result<serde_json::Value, OperationError> + Send>,
}

impl Prepared {
    /// What computing it costs, in work units (see
    /// [`Operation::work_units`]).
    pub fn work_units(&self) -> u64 {
        self.work_units
    }

    /// Computes the answer as JSON.
    pub fn compute(self) -> Result<serde_json::Value, OperationError> {
        (self.compute)()
    }
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("work_units", &self.work_units)
            .finish_non_exhaustive()
    }
}

/// An operation without its types: what batch and command-line dispatch
/// call, by id, with JSON in and out.
pub trait AnyOperation: Send + Sync {
    /// [`Operation::ID`].
    fn id(&self) -> &'static str;
    /// [`Operation::NAME`].
    fn name(&self) -> &'static str;
    /// [`Operation::PATH`].
    fn path(&self) -> &'static str;
    /// [`Operation::RUNS`].
    fn runs(&self) -> Runs;
    /// Whether [`Operation::CHART`] is declared.
    fn has_chart(&self) -> bool;
    /// Parses (with the same errors as the HTTP body) and validates a
    /// body; computing is left to the caller, who may charge its work
    /// units first.
    fn prepare(&self, body: serde_json::Value) -> Result<Prepared, OperationError>;
    /// Parses, validates and computes, on the calling thread.
    fn run(&self, body: serde_json::Value) -> Result<serde_json::Value, OperationError> {
        self.prepare(body)?.compute()
    }
}

impl std::fmt::Debug for dyn AnyOperation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// [`AnyOperation`] for one declared operation.
pub(crate) struct Erased<Op>(PhantomData<fn() -> Op>);

impl<Op> Erased<Op> {
    pub(crate) const NEW: Self = Erased(PhantomData);
}

impl<Op: Operation> AnyOperation for Erased<Op> {
    fn id(&self) -> &'static str {
        Op::ID
    }

    fn name(&self) -> &'static str {
        Op::NAME
    }

    fn path(&self) -> &'static str {
        Op::PATH
    }

    fn runs(&self) -> Runs {
        Op::RUNS
    }

    fn has_chart(&self) -> bool {
        Op::CHART.is_some()
    }

    fn prepare(&self, body: serde_json::Value) -> Result<Prepared, OperationError> {
        let request: Op::Request = json::from_value(body)?;
        let (input, provenance) = Op::prepare(request)?;
        Ok(Prepared {
            work_units: Op::work_units(&input).max(1),
            compute: Box::new(move || {
                let response = provenance.answer(Op::compute(input)?);
                serde_json::to_value(response).map_err(OperationError::Response)
            }),
        })
    }
}

/// An example request with one or two of its numbers put out of range, and
/// the faults the check finds: what the OpenAPI document shows as an
/// operation's 422.
///
/// Each number other than zero, in the order of the example, is multiplied
/// by 100 (a fraction then reads as a percentage); a change the check
/// refuses is kept, any other undone, until two are found. `None` when no
/// number of the example can be put out of range that way.
pub fn out_of_range_example<Op: Operation>(example: &serde_json::Value) -> Option<FieldErrors> {
    fn numbers(value: &serde_json::Value, at: &mut Vec<Step>, found: &mut Vec<Vec<Step>>) {
        match value {
            serde_json::Value::Number(_) => found.push(at.clone()),
            serde_json::Value::Object(map) => {
                for (key, item) in map {
                    at.push(Step::Key(key.clone()));
                    numbers(item, at, found);
                    at.pop();
                }
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    at.push(Step::Index(i));
                    numbers(item, at, found);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    fn slot<'a>(value: &'a mut serde_json::Value, at: &[Step]) -> &'a mut serde_json::Value {
        at.iter().fold(value, |node, step| match step {
            Step::Key(key) => &mut node[key.as_str()],
            Step::Index(i) => &mut node[*i],
        })
    }
    #[derive(Clone)]
    enum Step {
        Key(String),
        Index(usize),
    }

    let mut leaves = Vec::new();
    numbers(example, &mut Vec::new(), &mut leaves);
    let mut body = example.clone();
    let mut best: Option<FieldErrors> = None;
    for at in leaves {
        let original = slot(&mut body, &at).clone();
        let Ok(number) = serde_json::from_value::<Num>(original.clone()) else {
            continue;
        };
        let broken = match number.get().checked_mul(Decimal::ONE_HUNDRED) {
            Some(v) if !v.is_zero() => Num::new(v.normalize()),
            _ => continue,
        };
        *slot(&mut body, &at) = serde_json::to_value(broken).ok()?;
        let faults = json::from_value::<Op::Request>(body.clone())
            .ok()
            .and_then(|request| wire::check(&request).err());
        let found = best.as_ref().map_or(0, |b| b.all().len());
        match faults {
            Some(faults) if faults.all().len() > found => {
                let done = faults.all().len() >= 2;
                best = Some(faults);
                if done {
                    break;
                }
            }
            _ => *slot(&mut body, &at) = original,
        }
    }
    best
}

/// Every operation, in declaration order.
pub fn operations() -> &'static [&'static dyn AnyOperation] {
    crate::operations::ALL
}

/// The operation with this id.
pub fn find(id: &str) -> Option<&'static dyn AnyOperation> {
    operations().iter().copied().find(|op| op.id() == id)
}

/// Calls `visitor` once per operation, with its types, in declaration
/// order.
pub fn visit(visitor: &mut impl Visitor) {
    crate::operations::visit_all(visitor);
}

/// The default estimate: one unit.
pub(crate) fn one_unit<T>(_: &T) -> u64 {
    1
}

/// Expands a table of operations (see [`crate::for_each_operation`]) into
/// one [`Operation`] implementation each, [`operations::ALL`] and
/// `visit_all`.
///
/// [`operations::ALL`]: crate::operations::ALL
macro_rules! declare_operations {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident = $op:ident {
            id: $id:literal,
            path: $path:literal,
            tag: $tag:literal,
            request: $request:ty => $input:ty,
            response: $response:ty, $response_description:literal,
            runs: $runs:ident,
            compute: $compute:path,
            $(work_units: $work_units:path,)?
            $(chart: $chart:expr,)?
            $(model: $model:literal,)?
            $(model_of: $model_of:path,)?
            conventions: $conventions:literal,
        }
    )*) => {
        $(
            $(#[doc = $doc])*
            #[doc = ""]
            #[doc = concat!("`POST ", $path, "`, id `", $id, "`.")]
            #[derive(Debug, Clone, Copy, Default)]
            pub struct $op;

            impl $crate::operation::Operation for $op {
                const ID: &'static str = $id;
                const NAME: &'static str = stringify!($name);
                const PATH: &'static str = $path;
                const TAG: &'static str = $tag;
                const DOC: &'static str = concat!($($doc, "\n"),*);
                const RESPONSE_DESCRIPTION: &'static str = $response_description;
                const RUNS: $crate::operation::Runs = $crate::operation::Runs::$runs;
                type Request = $request;
                type Input = $input;
                type Response = $response;
                const CHART: Option<$crate::chart::Chart<$request, $response>> =
                    declare_operations!(@chart $($chart)?);
                const CONVENTIONS: &'static str = $conventions;

                fn model(_input: &$input) -> &'static str {
                    $($model)? $($model_of(_input))?
                }

                fn work_units(input: &$input) -> u64 {
                    declare_operations!(@units $($work_units)?)(input)
                }

                fn compute(input: $input) -> Result<$response, infraval_core::CoreError> {
                    $compute(input)
                }
            }
        )*

        /// Every operation, type-erased, in declaration order.
        pub(crate) static ALL: &[&dyn $crate::operation::AnyOperation] = &[
            $(&$crate::operation::Erased::<$op>::NEW,)*
        ];

        pub(crate) fn visit_all(visitor: &mut impl $crate::operation::Visitor) {
            $(visitor.visit::<$op>();)*
        }
    };
    (@units) => { $crate::operation::one_unit };
    (@units $work_units:path) => { $work_units };
    (@chart) => { None };
    (@chart $chart:expr) => { Some($chart) };
}

pub(crate) use declare_operations;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_is_the_first_line_and_the_description_the_rest() {
        let doc = " Liveness.\n\n Answers 200 while\n the process serves.\n";
        assert_eq!(summary(doc), "Liveness.");
        assert_eq!(
            description(doc).as_deref(),
            Some("Answers 200 while\nthe process serves.")
        );
        assert_eq!(description(" Only a summary.\n"), None);
    }

    #[test]
    fn ids_paths_and_names_are_unique() {
        let all = operations();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a.id(), b.id());
                assert_ne!(a.path(), b.path());
                assert_ne!(a.name(), b.name());
            }
            assert!(find(a.id()).is_some_and(|found| found.path() == a.path()));
        }
        assert!(find("no.such").is_none());
    }

    #[test]
    fn the_registry_runs_an_operation_from_json() {
        // 250 MW × 1,000 kW/MW × $133.33/kW-month × 12 = $399,990,000.
        let arr = find("colocation.arr")
            .unwrap()
            .run(serde_json::json!({"it_capacity_mw": 250, "rate_per_kw_month": 133.33}))
            .unwrap();
        assert_eq!(arr["arr"], serde_json::json!(399_990_000.0));
    }

    #[test]
    fn the_registry_names_the_field_at_fault_as_http_does() {
        let err = find("build-cost")
            .unwrap()
            .run(serde_json::json!({"it_capacity_mw": 250}))
            .unwrap_err();
        assert!(
            matches!(&err, OperationError::Body(BodyError::MissingField { field }) if field == "cost_per_mw"),
            "{err:?}"
        );
    }

    #[test]
    fn a_default_price_is_one_work_unit_and_twenty_thousand_steps_four_hundred() {
        let price = |steps: u64| {
            find("convertibles.price")
                .unwrap()
                .prepare(serde_json::json!({
                    "issue_date": "2025-12-15",
                    "maturity_date": "2032-12-15",
                    "valuation_date": "2025-12-15",
                    "conversion_price": 19.16,
                    "stock_price": 15.03,
                    "volatility": 0.6,
                    "risk_free_rate": 0.04,
                    "credit_spread": 0.05,
                    "steps": steps
                }))
                .unwrap()
                .work_units()
        };
        // steps² / 10⁶, rounded up.
        assert_eq!(price(1_000), 1);
        assert_eq!(price(20_000), 400);
        assert_eq!(find("colocation.arr").unwrap().runs(), Runs::Inline);
    }
}
