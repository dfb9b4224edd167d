//! Prometheus metrics: requests and latency by route template and status,
//! requests in flight, build info. Rendered by `GET /metrics`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Upper bounds of the latency histogram's buckets, seconds.
const BUCKETS_SECONDS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct SeriesKey {
    method: &'static str,
    route: String,
    status: u16,
}

/// The method's own static text when it is one of the nine standard ones.
pub(crate) fn standard_method(method: &str) -> Option<&'static str> {
    const KNOWN: [&str; 9] = [
        "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE",
    ];
    KNOWN.iter().find(|known| **known == method).copied()
}

/// The method as a label: the standard ones by name, any other `OTHER`,
/// so that clients inventing methods cannot create series without bound.
fn method_label(method: &str) -> &'static str {
    standard_method(method).unwrap_or("OTHER")
}

/// FNV-1a, for the series map: its keys are route templates of our own
/// router, so SipHash's protection against chosen keys buys nothing, and
/// it was the largest part of recording a request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A route's series, by method and status: a handful, scanned in order.
type RouteSeries = Vec<(&'static str, u16, Series)>;

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
    /// By route template, then method and status. Looked up by `&str`,
    /// so recording a request allocates only for a series' first request.
    series: Mutex<HashMap<String, RouteSeries, BuildHasherDefault<Fnv>>>,
}

/// Decrements the in-flight gauge when dropped, also on a panic or when
/// the client goes away mid-request.
#[derive(Debug)]
pub struct InFlight(Arc<Metrics>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Metrics {
    /// Counts a request as in flight until the guard drops.
    pub fn start(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(Arc::clone(self))
    }

    /// Records one finished request.
    pub fn observe(&self, method: &str, route: &str, status: u16, latency: Duration) {
        let seconds = latency.as_secs_f64();
        let bucket = BUCKETS_SECONDS.iter().position(|b| seconds <= *b);
        // A poisoned lock only means another thread panicked mid-update of
        // plain counters; the data is still usable.
        let method = method_label(method);
        let mut routes = self.series.lock().unwrap_or_else(|p| p.into_inner());
        // One lookup for a route already seen; `entry` would need an owned
        // key, an allocation per request.
        let list = match routes.get_mut(route) {
            Some(list) => list,
            None => routes.entry(route.to_owned()).or_default(),
        };
        let at = match list
            .iter()
            .position(|(m, s, _)| *s == status && *m == method)
        {
            Some(at) => at,
            None => {
                list.push((method, status, Series::default()));
                list.len() - 1
            }
        };
        let entry = &mut list[at].2;
        entry.count += 1;
        entry.sum_seconds += seconds;
        if let Some(i) = bucket {
            entry.buckets[i] += 1;
        }
    }

    /// The Prometheus text exposition (format 0.0.4).
    pub fn render(&self) -> String {
        let mut series: Vec<(SeriesKey, Series)> = {
            let routes = self.series.lock().unwrap_or_else(|p| p.into_inner());
            routes
                .iter()
                .flat_map(|(route, list)| {
                    list.iter().map(|(method, status, series)| {
                        let key = SeriesKey {
                            method,
                            route: route.clone(),
                            status: *status,
                        };
                        (key, series.clone())
                    })
                })
                .collect()
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
        escape(key.method),
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
        let m = Arc::new(Metrics::default());
        let guard = m.start();
        assert!(m.render().contains("infraval_http_requests_in_flight 1"));
        drop(guard);
        assert!(m.render().contains("infraval_http_requests_in_flight 0"));
    }

    #[test]
    fn series_are_kept_apart_by_method_route_and_status() {
        let m = Metrics::default();
        m.observe("POST", "/v1/x", 200, Duration::from_micros(300));
        m.observe("POST", "/v1/x", 422, Duration::from_micros(300));
        m.observe("GET", "/v1/x", 405, Duration::from_micros(300));
        m.observe("POST", "/v1/y", 200, Duration::from_micros(300));
        m.observe("POST", "/v1/x", 200, Duration::from_micros(300));
        let text = m.render();
        let totals: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("infraval_http_requests_total{"))
            .collect();
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
        let m = Metrics::default();
        for i in 0..100 {
            m.observe(&format!("M{i}"), "unmatched", 405, Duration::from_micros(1));
        }
        let text = m.render();
        assert!(
            text.contains(
                r#"infraval_http_requests_total{method="OTHER",route="unmatched",status="405"} 100"#
            ),
            "{text}"
        );
        assert_eq!(text.matches("infraval_http_requests_total{").count(), 1);
    }

    #[test]
    fn fnv_matches_its_published_test_vectors() {
        // FNV-1a 64-bit: "" -> cbf29ce484222325, "a" -> af63dc4c8601ec8c,
        // "foobar" -> 85944171f73967e8 (the FNV reference test suite).
        let hash = |text: &str| {
            let mut h = Fnv::default();
            h.write(text.as_bytes());
            h.finish()
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape(r#"a"b\c"#), r#"a\"b\\c"#);
    }
}
