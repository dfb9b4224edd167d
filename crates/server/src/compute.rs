//! Running CPU-heavy computations off the worker's event loop.

use actix_web::web;

use crate::error::ApiError;

/// Blocking threads per worker for heavy computations. The work is CPU
/// bound, so more threads than cores would only share the same cores;
/// requests beyond this wait their turn.
pub const MAX_BLOCKING_THREADS_PER_WORKER: usize = 2;

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
            tracing::error!("a handler panicked in a blocking computation; answering 500");
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
}
