//! Graceful shutdown: in-flight requests finish.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_request_in_flight_at_shutdown_still_gets_its_answer() {
    let app = spawn_app().await;
    let body = r#"{"it_capacity_mw": 250, "rate_per_kw_month": 133.33}"#;
    let (head, tail) = body.split_at(20);
    let mut stream = tokio::net::TcpStream::connect(app.address.trim_start_matches("http://"))
        .await
        .unwrap();
    let request = format!(
        "POST /v1/colocation/arr HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{head}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    // The server has the request's head; now it is told to stop.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let stopping = tokio::spawn(app.handle.clone().stop(true));
    tokio::time::sleep(Duration::from_millis(200)).await;
    stream.write_all(tail.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("399990000"), "{response}");
    tokio::time::timeout(Duration::from_secs(5), stopping)
        .await
        .unwrap()
        .unwrap();
    let after = reqwest::Client::new()
        .get(format!("{}/health", app.address))
        .send()
        .await;
    assert!(after.is_err(), "the server still answers after stopping");
}

/// Starts the real binary on a free port and returns it with its port.
fn start_binary() -> (std::process::Child, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_infraval"))
        .args(["serve", "--addr", "127.0.0.1:0", "--workers", "1"])
        .env("INFRAVAL_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let port = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            let log: serde_json::Value = serde_json::from_str(&line).ok()?;
            (log["message"] == "listening").then(|| log["port"].as_u64())?
        })
        .expect("a `listening` log line with the port");
    // Keep draining the logs so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, u16::try_from(port).unwrap())
}

fn stops_cleanly_on(signal: &str) {
    let (mut child, port) = start_binary();
    let health = std::net::TcpStream::connect(("127.0.0.1", port));
    assert!(health.is_ok(), "the server listens on {port}");
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(exit) = child.try_wait().unwrap() {
            assert!(exit.success(), "exit status after {signal}: {exit}");
            return;
        }
        assert!(
            Instant::now() < deadline,
            "still running 10 s after {signal}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_binary_exits_0_on_sigterm() {
    stops_cleanly_on("-TERM");
}

#[test]
fn the_binary_exits_0_on_sigint() {
    stops_cleanly_on("-INT");
}
