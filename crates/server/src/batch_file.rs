//! `infraval batch`: the batch engine over a JSON Lines file, optionally
//! one shard of it, for books larger than one request.
//!
//! Each input line is a batch item `{id, operation, body}`; its index is
//! its line number less one. Items run through the registry on a rayon
//! pool, with every operation's own caps, exactly as `POST /v1/batch`
//! runs them; each output line is a [`BatchResult`] with the item's global
//! index, in input order. The per-request caps of `/v1/batch` (1,000 items,
//! 20,000 work units) do not apply: a file is bounded by the time its
//! operator gives it.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use infraval_api::batch::{BatchItem, BatchResult};
use rayon::prelude::*;

use crate::batch::{BatchPool, Cell};

/// Items computed between two writes: enough to keep every thread busy,
/// few enough that results are written as the run goes.
const CHUNK_ITEMS: usize = 1_024;

/// The settings of `infraval batch`.
#[derive(Debug, Clone, Args)]
pub struct BatchArgs {
    /// JSON Lines input: one batch item `{"id", "operation", "body"}` per
    /// line, as in `POST /v1/batch`'s `items`.
    #[arg(long)]
    pub input: PathBuf,
    /// JSON Lines output: one result `{"index", "id", "status", "body" |
    /// "problem"}` per item run, in input order.
    #[arg(long)]
    pub output: PathBuf,
    /// Threads computing items [default: the number of cores].
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// Run only the items whose index (line number − 1) is ≡ I (mod N),
    /// e.g. `--shard 0/3`; results keep their global index.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
}

/// One shard of an input: the items with index ≡ `index` (mod `count`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// I, from 0 to N − 1.
    pub index: usize,
    /// N, at least 1.
    pub count: usize,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let expected = || format!("`{text}` is not a shard I/N with 0 ≤ I < N, e.g. 0/3");
        let (index, count) = text.split_once('/').ok_or_else(expected)?;
        let index: usize = index.trim().parse().map_err(|_| expected())?;
        let count: usize = count.trim().parse().map_err(|_| expected())?;
        if index >= count {
            return Err(expected());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    fn takes(&self, index: usize) -> bool {
        index % self.count == self.index
    }
}

/// Why a file could not be run. Items' own failures are results, not
/// these.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The input could not be opened.
    #[error("cannot open {path}: {source}")]
    Open {
        /// The file.
        path: PathBuf,
        /// The system's words.
        source: io::Error,
    },
    /// A line could not be read.
    #[error("{path}:{line}: cannot read: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The line number, from 1.
        line: usize,
        /// The system's words.
        source: io::Error,
    },
    /// A line is not a batch item.
    #[error("{path}:{line}: not a batch item {{\"id\", \"operation\", \"body\"}}: {detail}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The line number, from 1.
        line: usize,
        /// The parser's words.
        detail: String,
    },
    /// Two lines share an id.
    #[error("{path}:{line}: id `{id}` is already used on line {first}")]
    DuplicateId {
        /// The file.
        path: PathBuf,
        /// The second line with it, from 1.
        line: usize,
        /// The id.
        id: String,
        /// The first line with it, from 1.
        first: usize,
    },
    /// The output could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The system's words.
        source: io::Error,
    },
    /// The thread pool could not start.
    #[error("cannot start {threads:?} threads: {detail}")]
    Threads {
        /// The threads asked for.
        threads: Option<u16>,
        /// rayon's words.
        detail: String,
    },
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Lines in the input.
    pub lines: usize,
    /// Items run (the shard's).
    pub items: usize,
    /// Items answered 200.
    pub ok: usize,
    /// Items answered with a problem.
    pub failed: usize,
    /// Wall time, reading to the last write.
    pub elapsed: Duration,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secs = self.elapsed.as_secs_f64();
        write!(
            f,
            "{} items of {} lines: {} ok, {} failed, in {:.2} s ({:.0} items/s)",
            self.items,
            self.lines,
            self.ok,
            self.failed,
            secs,
            self.items as f64 / secs.max(1e-9)
        )
    }
}

/// Reads every line (so that a malformed line or a duplicate id fails
/// every shard alike) and keeps the shard's items with their index.
fn read(path: &Path, shard: Option<Shard>) -> Result<(usize, Vec<(usize, BatchItem)>), FileError> {
    let file = File::open(path).map_err(|source| FileError::Open {
        path: path.to_owned(),
        source,
    })?;
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut items = Vec::new();
    let mut lines = 0;
    for (index, line) in BufReader::new(file).lines().enumerate() {
        let number = index + 1;
        lines = number;
        let line = line.map_err(|source| FileError::Read {
            path: path.to_owned(),
            line: number,
            source,
        })?;
        let item: BatchItem = serde_json::from_str(&line).map_err(|e| FileError::Parse {
            path: path.to_owned(),
            line: number,
            detail: e.to_string(),
        })?;
        if let Some(first) = ids.insert(item.id.clone(), number) {
            return Err(FileError::DuplicateId {
                path: path.to_owned(),
                line: number,
                id: item.id,
                first,
            });
        }
        if shard.is_none_or(|shard| shard.takes(index)) {
            items.push((index, item));
        }
    }
    Ok((lines, items))
}

/// A progress bar on stderr when it is a terminal, else nothing.
fn progress(items: usize) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(items as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{wide_bar} {human_pos}/{human_len} items  {per_sec}  {eta} left",
    ) {
        bar.set_style(style);
    }
    bar
}

/// Runs `args.input` (or its shard) into `args.output`.
pub fn run(args: &BatchArgs) -> Result<Summary, FileError> {
    let started = Instant::now();
    let (lines, items) = read(&args.input, args.shard)?;
    let pool = BatchPool::new(args.threads.map(usize::from)).map_err(|e| FileError::Threads {
        threads: args.threads,
        detail: e.to_string(),
    })?;
    let write_error = |source| FileError::Write {
        path: args.output.clone(),
        source,
    };
    let mut out = BufWriter::new(File::create(&args.output).map_err(write_error)?);
    let bar = progress(items.len());
    let mut ok = 0;
    for chunk in items.chunks(CHUNK_ITEMS) {
        let results: Vec<BatchResult> = pool.install(|| {
            chunk
                .par_iter()
                .map(|(index, item)| {
                    let result = Cell::new(*index, item, None).run(None);
                    bar.inc(1);
                    result
                })
                .collect()
        });
        for result in &results {
            ok += usize::from(result.status == 200);
            serde_json::to_writer(&mut out, result).map_err(|e| write_error(e.into()))?;
            out.write_all(b"\n").map_err(write_error)?;
        }
    }
    out.flush().map_err(write_error)?;
    bar.finish_and_clear();
    Ok(Summary {
        lines,
        items: items.len(),
        ok,
        failed: items.len() - ok,
        elapsed: started.elapsed(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shard_is_i_of_n_with_i_below_n() {
        assert_eq!("2/3".parse(), Ok(Shard { index: 2, count: 3 }));
        for bad in ["3/3", "0/0", "1", "a/3", "-1/3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        let shard = Shard { index: 1, count: 3 };
        let taken: Vec<usize> = (0..8).filter(|i| shard.takes(*i)).collect();
        assert_eq!(taken, [1, 4, 7]);
    }
}
