//! Batches: many operations in one request (`POST /v1/batch`) or one file
//! (`infraval batch`), dispatched through the registry
//! ([`infraval_api::find`]) on a rayon pool sized to the cores, never on
//! actix's workers.
//!
//! An item under one scenario (or unshocked) is a [`Cell`]: parsed and
//! validated by its operation as its own request would be, then computed.
//! A cell that fails carries the problem its own request would have
//! answered ([`ApiError::problem`], the one status and code mapping); it
//! never fails the batch.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use infraval_api::batch::{
    BatchError, BatchItem, BatchRequest, BatchResponse, BatchResult, Scenario, MAX_WORK_UNITS,
};
use infraval_api::operation::Prepared;
use rayon::prelude::*;

use crate::compute::HeavyWork;
use crate::error::ApiError;
use crate::extract::ValidJson;

pub use infraval_api::batch::PATH;

/// The media type of a streamed batch: one [`BatchResult`] per line.
pub const NDJSON: &str = "application/x-ndjson";

/// The CPU pool batches run on.
#[derive(Debug)]
pub struct BatchPool(rayon::ThreadPool);

impl BatchPool {
    /// A pool of `threads` threads, or one per core. A panic that escapes a
    /// job is logged (cells catch their own; rayon's default would abort
    /// the process).
    pub fn new(threads: Option<usize>) -> Result<Self, rayon::ThreadPoolBuildError> {
        let threads = threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        });
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("batch-{i}"))
            .panic_handler(|_| tracing::error!("a batch job panicked"))
            .build()
            .map(BatchPool)
    }

    /// Runs `job` on the pool and waits for it without blocking the
    /// caller's thread; a panic in it is an internal error.
    async fn run<T: Send + 'static>(
        self: &Arc<Self>,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.0.spawn(move || {
            let _ = tx.send(job());
        });
        rx.await.map_err(|_| ApiError::Internal)
    }

    /// Runs `job` on the pool, so that its parallel iterators use it.
    pub fn install<T: Send>(&self, job: impl FnOnce() -> T + Send) -> T {
        self.0.install(job)
    }
}

/// One item under one scenario, or unshocked, ready to compute.
pub struct Cell {
    index: usize,
    id: String,
    scenario: Option<String>,
    prepared: Result<Prepared, ApiError>,
}

impl Cell {
    /// Item `index` under `scenario` (the base when `None`): its body
    /// shocked, then parsed and validated by its operation.
    pub fn new(index: usize, item: &BatchItem, scenario: Option<&Scenario>) -> Cell {
        let prepared = match infraval_api::find(&item.operation) {
            None => Err(ApiError::UnknownOperation {
                operation: item.operation.clone(),
            }),
            Some(op) => scenario
                .map_or_else(|| Ok(item.body.clone()), |s| s.apply(item.body.clone()))
                .map_err(ApiError::from)
                .and_then(|body| op.prepare(body).map_err(ApiError::from)),
        };
        Cell {
            index,
            id: item.id.clone(),
            scenario: scenario.map(|s| s.name.clone()),
            prepared,
        }
    }

    /// What computing it costs, in work units; nothing when it failed
    /// already.
    pub fn work_units(&self) -> u64 {
        self.prepared.as_ref().map_or(0, Prepared::work_units)
    }

    /// Computes the cell, on the calling thread. A panic is this cell's 500
    /// problem, not the batch's.
    pub fn run(self, request_id: Option<&str>) -> BatchResult {
        let outcome = self.prepared.and_then(|prepared| {
            match catch_unwind(AssertUnwindSafe(|| prepared.compute())) {
                Ok(computed) => computed.map_err(ApiError::from),
                Err(_) => {
                    tracing::error!(request_id, "a batch item panicked; answering 500");
                    Err(ApiError::Internal)
                }
            }
        });
        let (status, body, problem) = match outcome {
            Ok(body) => (200, Some(body), None),
            Err(err) => {
                let mut problem = err.problem();
                problem.request_id = request_id.map(str::to_owned);
                (problem.status, None, Some(problem))
            }
        };
        BatchResult {
            index: self.index,
            id: self.id,
            scenario: self.scenario,
            status,
            body,
            problem,
        }
    }
}

/// The cells of item `index`: its base, then each scenario.
fn item_cells<'a>(
    index: usize,
    item: &'a BatchItem,
    scenarios: &'a [Option<&'a Scenario>],
) -> impl Iterator<Item = Cell> + 'a {
    scenarios
        .iter()
        .map(move |scenario| Cell::new(index, item, *scenario))
}

/// The base, then each scenario.
fn base_and(scenarios: &[Scenario]) -> Vec<Option<&Scenario>> {
    std::iter::once(None)
        .chain(scenarios.iter().map(Some))
        .collect()
}

/// Answers a batch on the calling thread, one cell after another, without
/// the work cap: the OpenAPI document's example answer.
pub fn answer_here(request: &BatchRequest) -> Result<BatchResponse, BatchError> {
    request.check()?;
    let scenarios = base_and(&request.scenarios);
    let results = request
        .items
        .iter()
        .enumerate()
        .flat_map(|(index, item)| item_cells(index, item, &scenarios))
        .map(|cell| cell.run(None))
        .collect();
    Ok(BatchResponse { results })
}

/// A checked batch request as cells: each item's base, then its scenarios,
/// items in request order.
pub struct Plan {
    cells: Vec<Cell>,
    work_units: u64,
}

impl Plan {
    /// Checks the request (caps, unique ids, shocks) and prepares every
    /// cell in parallel on the current rayon pool; refuses more work than
    /// [`MAX_WORK_UNITS`].
    pub fn new(request: &BatchRequest) -> Result<Plan, BatchError> {
        request.check()?;
        let scenarios = base_and(&request.scenarios);
        let cells: Vec<Cell> = request
            .items
            .par_iter()
            .enumerate()
            .flat_map_iter(|(index, item)| item_cells(index, item, &scenarios))
            .collect();
        let work_units = cells
            .iter()
            .map(Cell::work_units)
            .fold(0, u64::saturating_add);
        if work_units > MAX_WORK_UNITS {
            return Err(BatchError::TooMuchWork {
                units: work_units,
                max: MAX_WORK_UNITS,
            });
        }
        Ok(Plan { cells, work_units })
    }
}

/// Whether the client asked for a streamed answer.
fn wants_ndjson(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::ACCEPT)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|range| {
            range
                .split(';')
                .next()
                .is_some_and(|mime| mime.trim().eq_ignore_ascii_case(NDJSON))
        })
}

/// `POST /v1/batch`: checks and prepares the cells on the pool, admits
/// their total work to the overload limit, then computes them on the pool
/// and answers every result in order, or (with `Accept:
/// application/x-ndjson`) streams each as it completes.
pub async fn handle(
    req: HttpRequest,
    body: ValidJson<BatchRequest>,
    heavy: web::Data<HeavyWork>,
    pool: web::Data<BatchPool>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner();
    let pool = pool.into_inner();
    let request_id = crate::telemetry::current_request_id();
    let plan = pool.run(move || Plan::new(&request)).await??;
    let admitted = heavy.into_inner().admit(plan.work_units.max(1))?;
    if wants_ndjson(&req) {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Bytes>();
        let runner = Arc::clone(&pool);
        // The work is given back before the last line is sent, so that a
        // client's next request, sent on reading it, is not refused for it.
        let remaining = AtomicUsize::new(plan.cells.len());
        let admitted = Mutex::new(Some(admitted));
        runner.0.spawn(move || {
            plan.cells.into_par_iter().for_each_with(tx, |tx, cell| {
                // The client went away: leave the rest uncomputed.
                let result = (!tx.is_closed()).then(|| cell.run(request_id.as_deref()));
                if remaining.fetch_sub(1, Ordering::AcqRel) == 1 {
                    drop(admitted.lock().map(|mut held| held.take()));
                }
                if let Some(result) = result {
                    let mut line = serde_json::to_vec(&result).unwrap_or_default();
                    line.push(b'\n');
                    let _ = tx.send(Bytes::from(line));
                }
            });
        });
        let lines = futures_util::stream::poll_fn(move |cx| {
            rx.poll_recv(cx)
                .map(|line| line.map(Ok::<_, std::convert::Infallible>))
        });
        return Ok(HttpResponse::Ok().content_type(NDJSON).streaming(lines));
    }
    // Serialised on the pool too: 51,000 results are tens of milliseconds.
    let answer = pool
        .run(move || {
            let results: Vec<BatchResult> = plan
                .cells
                .into_par_iter()
                .map(|cell| cell.run(request_id.as_deref()))
                .collect();
            drop(admitted);
            serde_json::to_vec(&BatchResponse { results })
        })
        .await?
        .map_err(|err| {
            tracing::error!(error = %err, "a batch answer failed to serialise; answering 500");
            ApiError::Internal
        })?;
    Ok(HttpResponse::Ok()
        .content_type(header::ContentType::json())
        .body(answer))
}
