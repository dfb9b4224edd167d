//! Prometheus metrics through the `metrics` crate and its Prometheus
//! exporter: requests and latency by method, route template and status,
//! requests in flight, log lines dropped, build info. Rendered by
//! `GET /metrics`.
//!
//! Each [`Metrics`] has its own recorder, used through
//! [`metrics::with_local_recorder`], rather than one installed globally, so
//! that every app in a process (the end-to-end tests start many) counts
//! only its own requests.

use std::sync::{Arc, Weak};
use std::time::Duration;

use metrics::{Counter, Gauge, SharedString};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};

/// Requests served, by method, route template and status.
pub const REQUESTS_TOTAL: &str = "infraval_http_requests_total";
/// Request latency histogram, seconds, by method, route template and status.
pub const REQUEST_DURATION_SECONDS: &str = "infraval_http_request_duration_seconds";
/// Requests being served.
pub const REQUESTS_IN_FLIGHT: &str = "infraval_http_requests_in_flight";
/// Log lines dropped because the log output was not drained.
pub const LOG_LINES_DROPPED_TOTAL: &str = "infraval_log_lines_dropped_total";
/// The running build, by version; always 1.
pub const BUILD_INFO: &str = "infraval_build_info";

/// Upper bounds of the latency histogram's buckets, seconds.
const BUCKETS_SECONDS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

/// How often histogram samples are folded into their buckets when nobody
/// scrapes (a scrape does it too), so memory stays bounded.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// The service's metrics, shared by all workers.
///
/// Routes are labelled by their template (`/v1/colocation/arr`), never by
/// the raw path, unmatched requests share one `unmatched` label and
/// non-standard methods one `OTHER` label, so the number of series is
/// bounded by the number of routes.
pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    in_flight: Gauge,
    log_lines_dropped: Counter,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

/// Decrements the in-flight gauge when dropped, also on a panic or when
/// the client goes away mid-request.
#[derive(Debug)]
pub struct InFlight(Gauge);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.decrement(1.0);
    }
}

/// The method as a label: the standard ones by name, any other `OTHER`,
/// so that clients inventing methods cannot create series without bound.
pub fn method_label(method: &str) -> &'static str {
    const KNOWN: [&str; 9] = [
        "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE",
    ];
    KNOWN
        .iter()
        .find(|known| **known == method)
        .copied()
        .unwrap_or("OTHER")
}

impl Metrics {
    /// New metrics, with the build info set, and a thread that does the
    /// exporter's upkeep for as long as they live.
    pub fn start() -> Arc<Self> {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full(REQUEST_DURATION_SECONDS.to_owned()),
                &BUCKETS_SECONDS,
            )
            // Only an empty bucket list is refused.
            .unwrap_or_else(|_| PrometheusBuilder::new())
            .build_recorder();
        let handle = recorder.handle();
        let (in_flight, log_lines_dropped) = metrics::with_local_recorder(&recorder, || {
            metrics::describe_counter!(
                REQUESTS_TOTAL,
                "Requests served, by route template and status."
            );
            metrics::describe_histogram!(
                REQUEST_DURATION_SECONDS,
                metrics::Unit::Seconds,
                "Request latency, by route template and status."
            );
            metrics::describe_gauge!(REQUESTS_IN_FLIGHT, "Requests being served.");
            metrics::describe_counter!(
                LOG_LINES_DROPPED_TOTAL,
                "Log lines dropped because the log output was not drained."
            );
            metrics::describe_gauge!(BUILD_INFO, "The running build.");
            metrics::gauge!(BUILD_INFO, "version" => env!("CARGO_PKG_VERSION")).set(1.0);
            (
                metrics::gauge!(REQUESTS_IN_FLIGHT),
                metrics::counter!(LOG_LINES_DROPPED_TOTAL),
            )
        });
        let metrics = Arc::new(Metrics {
            recorder,
            handle,
            in_flight,
            log_lines_dropped,
        });
        let weak = Arc::downgrade(&metrics);
        // Without the exporter's HTTP listener nothing else runs the upkeep.
        let _ = std::thread::Builder::new()
            .name("metrics-upkeep".to_owned())
            .spawn(move || upkeep(&weak));
        metrics
    }

    /// Counts a request as in flight until the guard drops.
    pub fn start_request(&self) -> InFlight {
        self.in_flight.increment(1.0);
        InFlight(self.in_flight.clone())
    }

    /// Records one finished request.
    pub fn observe(
        &self,
        method: &'static str,
        route: impl Into<SharedString>,
        status: u16,
        latency: Duration,
    ) {
        let route: SharedString = route.into();
        let status = SharedString::from(status.to_string());
        metrics::with_local_recorder(&self.recorder, || {
            metrics::counter!(REQUESTS_TOTAL, "method" => method, "route" => route.clone(), "status" => status.clone())
                .increment(1);
            metrics::histogram!(REQUEST_DURATION_SECONDS, "method" => method, "route" => route, "status" => status)
                .record(latency.as_secs_f64());
        });
    }

    /// The Prometheus text exposition (format 0.0.4).
    pub fn render(&self) -> String {
        self.log_lines_dropped
            .absolute(crate::telemetry::dropped_log_lines());
        self.handle.render()
    }
}

fn upkeep(metrics: &Weak<Metrics>) {
    loop {
        std::thread::sleep(UPKEEP_EVERY);
        match metrics.upgrade() {
            Some(metrics) => metrics.handle.run_upkeep(),
            None => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative_and_end_at_the_count() {
        let m = Metrics::start();
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
        for (le, count) in [
            ("0.0005", 1),
            ("0.0025", 1),
            ("0.005", 2),
            ("2.5", 2),
            ("+Inf", 3),
        ] {
            let line = format!("_bucket{{{labels},le=\"{le}\"}} {count}");
            assert!(text.contains(&line), "{line} in {text}");
        }
    }

    #[test]
    fn the_in_flight_gauge_falls_back_when_the_guard_drops() {
        let m = Metrics::start();
        let guard = m.start_request();
        assert!(m.render().contains("infraval_http_requests_in_flight 1"));
        drop(guard);
        assert!(m.render().contains("infraval_http_requests_in_flight 0"));
    }

    #[test]
    fn series_are_kept_apart_by_method_route_and_status() {
        let m = Metrics::start();
        m.observe("POST", "/v1/x", 200, Duration::from_micros(300));
        m.observe("POST", "/v1/x", 422, Duration::from_micros(300));
        m.observe("GET", "/v1/x", 405, Duration::from_micros(300));
        m.observe("POST", "/v1/y", 200, Duration::from_micros(300));
        m.observe("POST", "/v1/x", 200, Duration::from_micros(300));
        let text = m.render();
        let mut totals: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("infraval_http_requests_total{"))
            .collect();
        totals.sort_unstable();
        assert_eq!(
            totals,
            [
                r#"infraval_http_requests_total{method="GET",route="/v1/x",status="405"} 1"#,
                r#"infraval_http_requests_total{method="POST",route="/v1/x",status="200"} 2"#,
                r#"infraval_http_requests_total{method="POST",route="/v1/x",status="422"} 1"#,
                r#"infraval_http_requests_total{method="POST",route="/v1/y",status="200"} 1"#,
            ],
            "{text}"
        );
    }

    #[test]
    fn invented_methods_share_one_label() {
        assert_eq!(method_label("POST"), "POST");
        assert_eq!(method_label("M7"), "OTHER");
        assert_eq!(method_label("post"), "OTHER");
    }

    #[test]
    fn two_apps_count_apart() {
        let a = Metrics::start();
        let b = Metrics::start();
        a.observe("POST", "/v1/x", 200, Duration::from_micros(300));
        assert!(a.render().contains("infraval_http_requests_total{"));
        assert!(!b.render().contains("infraval_http_requests_total{"));
    }
}
