//! The server keeps answering when its log output is stuck, and refuses
//! heavy work beyond its limit instead of queueing it without bound.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt as _};
use infraval_server::config::Settings;
use serde_json::{json, Value};

use crate::convertible_pricing::{base, with};
use crate::helpers::{assert_problem, spawn_app_with};

const ARR_BODY: &str = r#"{"it_capacity_mw": 250, "rate_per_kw_month": 133.33}"#;

/// A port nobody listens on right now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Kills the child when the test ends, however it ends.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_output_nobody_reads_drops_lines_but_never_stops_the_server() {
    let port = free_port();
    let mut server = Server(
        Command::new(env!("CARGO_BIN_EXE_infraval"))
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .env("INFRAVAL_LOG_FORMAT", "json")
            .env("INFRAVAL_LOG_BUFFER_LINES", "256")
            .env("INFRAVAL_WORKERS", "1")
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts"),
    );
    // Held open and never read: a pipe holds about 64 KiB (some 250 lines),
    // the writer's buffer 256 more.
    let _unread = server.0.stdout.take();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let started = Instant::now();
    while http.get(format!("{base}/health")).send().await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the server did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let requests = 4_000;
    let answered = stream::iter(0..requests)
        .map(|_| {
            let http = http.clone();
            let url = format!("{base}/v1/colocation/arr");
            async move {
                http.post(url)
                    .header("content-type", "application/json")
                    .body(ARR_BODY)
                    .send()
                    .await
                    .map(|res| res.status().as_u16())
            }
        })
        .buffer_unordered(16)
        .filter(|status| std::future::ready(matches!(status, Ok(200))))
        .count()
        .await;
    assert_eq!(answered, requests, "every request is answered 200");

    let health = http.get(format!("{base}/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let metrics = http
        .get(format!("{base}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let dropped: f64 = metrics
        .lines()
        .find_map(|line| line.strip_prefix("infraval_log_lines_dropped_total "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no dropped-lines counter in {metrics}"));
    // At least the access lines beyond the pipe and the buffer.
    assert!(dropped > 1_000.0, "dropped {dropped}");
}

/// The reference base case at 4,000 steps: 16 work units.
fn heavy_price() -> Value {
    with(base(), json!({"steps": 4000}))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn heavy_work_beyond_the_limit_is_a_503_while_cheap_requests_stay_fast() {
    let app = spawn_app_with(Settings {
        heavy_work_limit: 16,
        ..Settings::for_tests()
    })
    .await;
    let heavy = heavy_price();
    let flood = stream::iter(0..24)
        .map(|_| app.post_json("/v1/convertibles/price", &heavy))
        .buffer_unordered(24)
        .collect::<Vec<_>>();
    let cheap = async {
        let mut slowest = Duration::ZERO;
        for _ in 0..20 {
            let started = Instant::now();
            let res = app
                .post_raw("/v1/colocation/arr", "application/json", ARR_BODY)
                .await;
            assert_eq!(res.status(), 200, "a cheap request under the flood");
            slowest = slowest.max(started.elapsed());
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        slowest
    };
    let (answers, slowest_cheap) = tokio::join!(flood, cheap);

    let mut ok = 0;
    let mut overloaded = 0;
    for res in answers {
        match res.status().as_u16() {
            200 => ok += 1,
            503 => {
                assert_eq!(res.headers()["retry-after"], "1");
                let problem = assert_problem(res, 503, "overloaded").await;
                assert!(
                    problem["detail"]
                        .as_str()
                        .unwrap()
                        .contains("of 16 work units"),
                    "{problem}"
                );
                overloaded += 1;
            }
            other => panic!("a heavy request answered {other}"),
        }
    }
    assert!(ok >= 1, "the limit admits work ({ok} answered)");
    assert!(
        overloaded >= 1,
        "the flood was refused in part ({overloaded} refused)"
    );
    // Heavy work runs on the blocking pool, so the worker keeps answering.
    assert!(
        slowest_cheap < Duration::from_secs(1),
        "the slowest cheap request took {slowest_cheap:?}"
    );
    // Once the flood has drained, heavy work is admitted again.
    let res = app.post_json("/v1/convertibles/price", &heavy).await;
    assert_eq!(res.status(), 200);
}
