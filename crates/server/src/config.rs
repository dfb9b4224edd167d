//! Command line and environment settings (clap, with `env`).

use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::auth::{ApiKeys, KeysFileError};

/// infraval: valuation of compute infrastructure over HTTP/JSON.
#[derive(Debug, Parser)]
#[command(
    name = "infraval",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Settings for `serve`, also accepted with no subcommand.
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the HTTP service (the default).
    Serve(ServeArgs),
    /// Run batch items from a JSON Lines file, optionally one shard of it,
    /// e.g. `infraval batch --input book.jsonl --output results.jsonl
    /// --shard 0/3`.
    Batch(crate::batch_file::BatchArgs),
    /// Print the OpenAPI 3.1 document to stdout, e.g.
    /// `infraval openapi > openapi/openapi.json`.
    Openapi,
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One JSON object per line.
    Json,
    /// Human-readable, coloured.
    Pretty,
}

/// The settings of `infraval serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on, HOST:PORT (port 0 picks a free port).
    #[arg(long, env = "INFRAVAL_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Worker threads [default: the number of cores].
    #[arg(long, env = "INFRAVAL_WORKERS", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub workers: Option<u16>,
    /// Seconds that in-flight requests get to finish after SIGTERM or SIGINT.
    #[arg(long, env = "INFRAVAL_SHUTDOWN_GRACE_SECS", default_value_t = 10)]
    pub shutdown_grace_secs: u64,
    /// Largest accepted request body, in bytes; larger bodies get 413.
    #[arg(long, env = "INFRAVAL_BODY_LIMIT_BYTES", default_value_t = DEFAULT_BODY_LIMIT_BYTES)]
    pub body_limit_bytes: usize,
    /// Largest accepted body of `POST /v1/batch`, in bytes; larger bodies
    /// get 413. 1,000 convertible prices take about 400 KB.
    #[arg(long, env = "INFRAVAL_BATCH_BODY_LIMIT_BYTES", default_value_t = DEFAULT_BATCH_BODY_LIMIT_BYTES)]
    pub batch_body_limit_bytes: usize,
    /// Milliseconds a client gets to send a request's head; slower clients are
    /// cut off with 408 (slowloris protection).
    #[arg(
        long,
        env = "INFRAVAL_CLIENT_REQUEST_TIMEOUT_MS",
        default_value_t = 5000
    )]
    pub client_request_timeout_ms: u64,
    /// Milliseconds a client gets to close its side once the server closes.
    #[arg(
        long,
        env = "INFRAVAL_CLIENT_DISCONNECT_TIMEOUT_MS",
        default_value_t = 1000
    )]
    pub client_disconnect_timeout_ms: u64,
    /// Seconds an idle keep-alive connection is kept open.
    #[arg(long, env = "INFRAVAL_KEEP_ALIVE_SECS", default_value_t = 5)]
    pub keep_alive_secs: u64,
    /// Origins allowed by CORS, comma-separated; CORS is off when empty.
    #[arg(long, env = "INFRAVAL_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
    /// File of hex SHA-256 digests of API keys, one per line; when set,
    /// `/v1/*` requires `Authorization: Bearer <key>`.
    #[arg(long, env = "INFRAVAL_API_KEYS_FILE")]
    pub api_keys_file: Option<std::path::PathBuf>,
    /// Log format [default: pretty on a terminal, JSON otherwise]. Filter with RUST_LOG.
    #[arg(long, env = "INFRAVAL_LOG_FORMAT", value_enum)]
    pub log_format: Option<LogFormat>,
    /// Log lines held while the output is not drained; lines beyond them
    /// are dropped and counted (`infraval_log_lines_dropped_total`), so a
    /// stuck log output never holds up requests.
    #[arg(long, env = "INFRAVAL_LOG_BUFFER_LINES", default_value_t = crate::telemetry::DEFAULT_LOG_BUFFER_LINES,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub log_buffer_lines: u32,
    /// Work units of heavy operations (price, implied, profile,
    /// sensitivity, sum of the parts, mining projection) admitted to the blocking pool at
    /// once; beyond it they are answered 503 `overloaded` with
    /// `Retry-After`. A unit is about one 1,000-step convertible price.
    #[arg(long, env = "INFRAVAL_HEAVY_WORK_LIMIT", default_value_t = DEFAULT_HEAVY_WORK_LIMIT,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub heavy_work_limit: u64,
}

/// Heavy work admitted at once by default, in work units: with two
/// blocking threads per core, some seconds of queue on a small machine.
pub const DEFAULT_HEAVY_WORK_LIMIT: u64 = 256;

/// The largest request body accepted by default, bytes: 256 KiB.
pub const DEFAULT_BODY_LIMIT_BYTES: usize = 256 * 1024;

/// The largest body of `POST /v1/batch` by default, bytes.
pub const DEFAULT_BATCH_BODY_LIMIT_BYTES: usize = 8 * 1024 * 1024;

impl ServeArgs {
    /// The server settings these arguments describe; reads the API keys file.
    pub fn settings(&self) -> Result<Settings, KeysFileError> {
        Ok(Settings {
            addr: self.addr.clone(),
            workers: self.workers.map(usize::from).unwrap_or_else(|| {
                std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
            }),
            shutdown_grace: Duration::from_secs(self.shutdown_grace_secs),
            body_limit_bytes: self.body_limit_bytes,
            batch_body_limit_bytes: self.batch_body_limit_bytes,
            client_request_timeout: Duration::from_millis(self.client_request_timeout_ms),
            client_disconnect_timeout: Duration::from_millis(self.client_disconnect_timeout_ms),
            keep_alive: Duration::from_secs(self.keep_alive_secs),
            cors_origins: self
                .cors_origins
                .iter()
                .map(|o| o.trim().to_owned())
                .filter(|o| !o.is_empty())
                .collect(),
            api_keys: self
                .api_keys_file
                .as_deref()
                .map(ApiKeys::load)
                .transpose()?,
            heavy_work_limit: self.heavy_work_limit,
        })
    }
}

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// HOST:PORT to bind.
    pub addr: String,
    /// Worker threads.
    pub workers: usize,
    /// Grace period for in-flight requests at shutdown.
    pub shutdown_grace: Duration,
    /// Largest accepted request body, bytes.
    pub body_limit_bytes: usize,
    /// Largest accepted body of `POST /v1/batch`, bytes.
    pub batch_body_limit_bytes: usize,
    /// Time a client gets to send a request's head.
    pub client_request_timeout: Duration,
    /// Time a client gets to close after the server closes.
    pub client_disconnect_timeout: Duration,
    /// Idle keep-alive time.
    pub keep_alive: Duration,
    /// CORS origins; CORS is off when empty.
    pub cors_origins: Vec<String>,
    /// API keys for `/v1/*`; open when `None`.
    pub api_keys: Option<ApiKeys>,
    /// Heavy work admitted to the blocking pool at once, work units.
    pub heavy_work_limit: u64,
}

impl Settings {
    /// Settings for tests: a free port on loopback, one worker, short grace.
    pub fn for_tests() -> Self {
        Settings {
            addr: "127.0.0.1:0".to_string(),
            workers: 1,
            shutdown_grace: Duration::from_secs(5),
            body_limit_bytes: DEFAULT_BODY_LIMIT_BYTES,
            batch_body_limit_bytes: DEFAULT_BATCH_BODY_LIMIT_BYTES,
            client_request_timeout: Duration::from_millis(5000),
            client_disconnect_timeout: Duration::from_millis(1000),
            keep_alive: Duration::from_secs(5),
            cors_origins: Vec::new(),
            api_keys: None,
            heavy_work_limit: DEFAULT_HEAVY_WORK_LIMIT,
        }
    }
}
