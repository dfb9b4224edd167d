//! Running CPU-heavy computations off the worker's event loop, and bounding
//! how much of that work may wait.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use actix_web::web;

use crate::error::ApiError;

/// Blocking threads per worker for heavy computations. The work is CPU
/// bound, so more threads than cores would only share the same cores;
/// requests beyond this wait their turn.
pub const MAX_BLOCKING_THREADS_PER_WORKER: usize = 2;

/// What a client refused with `overloaded` is told to wait, seconds.
pub const RETRY_AFTER_SECS: u64 = 1;

/// The heavy work admitted to the blocking pool and not yet finished, in
/// work units ([`infraval_api::Operation::work_units`]), shared by every
/// worker.
///
/// Work beyond `limit` is refused with 503 `overloaded` instead of
/// queueing without bound; a request is always admitted when nothing else
/// is, so one whose estimate alone exceeds the limit still runs on an idle
/// server.
#[derive(Debug)]
pub struct HeavyWork {
    limit: u64,
    admitted: AtomicU64,
}

/// Heavy work admitted; gives its units back when dropped, also when the
/// computation panics or the client goes away.
#[derive(Debug)]
pub struct Admitted {
    work: Arc<HeavyWork>,
    units: u64,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.work.admitted.fetch_sub(self.units, Ordering::AcqRel);
    }
}

impl HeavyWork {
    /// A limit of `limit` work units admitted at once.
    pub fn new(limit: u64) -> Self {
        HeavyWork {
            limit,
            admitted: AtomicU64::new(0),
        }
    }

    /// Admits `units` of work, or refuses with [`ApiError::Overloaded`].
    pub fn admit(self: &Arc<Self>, units: u64) -> Result<Admitted, ApiError> {
        let mut queued = self.admitted.load(Ordering::Acquire);
        loop {
            if queued > 0 && queued.saturating_add(units) > self.limit {
                return Err(ApiError::Overloaded {
                    queued,
                    limit: self.limit,
                    retry_after_secs: RETRY_AFTER_SECS,
                });
            }
            match self.admitted.compare_exchange_weak(
                queued,
                queued.saturating_add(units),
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => {
                    return Ok(Admitted {
                        work: Arc::clone(self),
                        units,
                    })
                }
                Err(now) => queued = now,
            }
        }
    }
}

/// Runs `compute` on actix's blocking pool, so that a lattice with 20,000
/// steps or a 10,000-cell grid does not hold up the cheap requests queued
/// on the same worker. A panic inside is answered as a 500 problem and
/// logged, like a panic in a handler.
pub async fn blocking<T, F>(compute: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
{
    match web::block(compute).await {
        Ok(result) => result,
        Err(_) => {
            let request_id = crate::telemetry::current_request_id();
            tracing::error!(
                request_id = request_id.as_deref(),
                "a handler panicked on the blocking pool; answering 500"
            );
            Err(ApiError::Internal)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn a_result_comes_back_from_the_blocking_pool() {
        let value = blocking(|| Ok(6 * 7)).await;
        assert!(matches!(value, Ok(42)));
    }

    #[actix_web::test]
    async fn a_panic_in_the_blocking_pool_is_an_internal_error() {
        let value: Result<(), ApiError> = blocking(|| panic!("lattice bug")).await;
        assert!(matches!(value, Err(ApiError::Internal)));
    }

    #[test]
    fn work_over_the_limit_is_refused_until_admitted_work_finishes() {
        let work = Arc::new(HeavyWork::new(10));
        let first = work.admit(6).unwrap();
        let second = work.admit(4).unwrap();
        assert!(matches!(
            work.admit(1),
            Err(ApiError::Overloaded {
                queued: 10,
                limit: 10,
                ..
            })
        ));
        drop(first);
        assert!(work.admit(6).is_ok());
        drop(second);
    }

    #[test]
    fn work_larger_than_the_limit_runs_when_nothing_else_does() {
        let work = Arc::new(HeavyWork::new(10));
        let big = work.admit(400).unwrap();
        assert!(work.admit(1).is_err());
        drop(big);
        assert!(work.admit(1).is_ok());
    }
}
