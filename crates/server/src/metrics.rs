//! Prometheus metrics: requests and latency by route template and status,
//! requests in flight, build info. Rendered by `GET /metrics`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency histogram's buckets, seconds.
const BUCKETS_SECONDS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct SeriesKey {
    method: String,
    route: String,
    status: u16,
}

#[derive(Debug, Default, Clone)]
struct Series {
    count: u64,
    sum_seconds: f64,
    /// Non-cumulative counts per bucket; rendering accumulates them.
    buckets: [u64; BUCKETS_SECONDS.len()],
}

/// The service's metrics, shared by all workers.
///
/// Routes are labelled by their template (`/v1/colocation/arr`), never by
/// the raw path, and unmatched requests share one `unmatched` label, so
/// the number of series is bounded by the number of routes.
#[derive(Debug, Default)]
pub struct Metrics {
    in_flight: AtomicI64,
    series: Mutex<HashMap<SeriesKey, Series>>,
}

/// Decrements the in-flight gauge when dropped, also on a panic.
pub struct InFlight<'a>(&'a Metrics);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Metrics {
    /// Counts a request as in flight until the guard drops.
    pub fn start(&self) -> InFlight<'_> {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(self)
    }

    /// Records one finished request.
    pub fn observe(&self, method: &str, route: &str, status: u16, latency: Duration) {
        let seconds = latency.as_secs_f64();
        let bucket = BUCKETS_SECONDS.iter().position(|b| seconds <= *b);
        // A poisoned lock only means another thread panicked mid-update of
        // plain counters; the data is still usable.
        let mut series = self.series.lock().unwrap_or_else(|p| p.into_inner());
        let key = SeriesKey {
            method: method.to_owned(),
            route: route.to_owned(),
            status,
        };
        let entry = series.entry(key).or_default();
        entry.count += 1;
        entry.sum_seconds += seconds;
        if let Some(i) = bucket {
            entry.buckets[i] += 1;
        }
    }

    /// The Prometheus text exposition (format 0.0.4).
    pub fn render(&self) -> String {
        let mut series: Vec<(SeriesKey, Series)> = {
            let map = self.series.lock().unwrap_or_else(|p| p.into_inner());
            map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
        };
        series.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = String::with_capacity(1024 + series.len() * 1024);
        // Writing to a String cannot fail.
        let _ = writeln!(out, "# HELP infraval_build_info The running build.");
        let _ = writeln!(out, "# TYPE infraval_build_info gauge");
        let _ = writeln!(
            out,
            "infraval_build_info{{version=\"{}\"}} 1",
            env!("CARGO_PKG_VERSION")
        );
        let _ = writeln!(
            out,
            "# HELP infraval_http_requests_in_flight Requests being served."
        );
        let _ = writeln!(out, "# TYPE infraval_http_requests_in_flight gauge");
        let _ = writeln!(
            out,
            "infraval_http_requests_in_flight {}",
            self.in_flight.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "# HELP infraval_http_requests_total Requests served, by route template and status."
        );
        let _ = writeln!(out, "# TYPE infraval_http_requests_total counter");
        for (key, s) in &series {
            let _ = writeln!(
                out,
                "infraval_http_requests_total{{{}}} {}",
                labels(key),
                s.count
            );
        }
        let _ = writeln!(out, "# HELP infraval_http_request_duration_seconds Request latency, by route template and status.");
        let _ = writeln!(
            out,
            "# TYPE infraval_http_request_duration_seconds histogram"
        );
        for (key, s) in &series {
            let labels = labels(key);
            let mut cumulative = 0;
            for (bound, n) in BUCKETS_SECONDS.iter().zip(s.buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "infraval_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "infraval_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(
                out,
                "infraval_http_request_duration_seconds_sum{{{labels}}} {}",
                s.sum_seconds
            );
            let _ = writeln!(
                out,
                "infraval_http_request_duration_seconds_count{{{labels}}} {}",
                s.count
            );
        }
        out
    }
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn labels(key: &SeriesKey) -> String {
    format!(
        "method=\"{}\",route=\"{}\",status=\"{}\"",
        escape(&key.method),
        escape(&key.route),
        key.status
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative_and_end_at_the_count() {
        let m = Metrics::default();
        m.observe("POST", "/v1/x", 200, Duration::from_micros(300));
        m.observe("POST", "/v1/x", 200, Duration::from_millis(3));
        m.observe("POST", "/v1/x", 200, Duration::from_secs(10));
        let text = m.render();
        let labels = r#"method="POST",route="/v1/x",status="200""#;
        assert!(
            text.contains(&format!("infraval_http_requests_total{{{labels}}} 3")),
            "{text}"
        );
        // 0.3 ms falls in the first bucket; 3 ms first counts at le=0.005.
        assert!(
            text.contains(&format!("_bucket{{{labels},le=\"0.0005\"}} 1")),
            "{text}"
        );
        assert!(
            text.contains(&format!("_bucket{{{labels},le=\"0.0025\"}} 1")),
            "{text}"
        );
        assert!(
            text.contains(&format!("_bucket{{{labels},le=\"0.005\"}} 2")),
            "{text}"
        );
        assert!(
            text.contains(&format!("_bucket{{{labels},le=\"2.5\"}} 2")),
            "{text}"
        );
        assert!(
            text.contains(&format!("_bucket{{{labels},le=\"+Inf\"}} 3")),
            "{text}"
        );
    }

    #[test]
    fn the_in_flight_gauge_falls_back_when_the_guard_drops() {
        let m = Metrics::default();
        let guard = m.start();
        assert!(m.render().contains("infraval_http_requests_in_flight 1"));
        drop(guard);
        assert!(m.render().contains("infraval_http_requests_in_flight 0"));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape(r#"a"b\c"#), r#"a\"b\\c"#);
    }
}
