//! Log output buffered per thread, written out in batches.
//!
//! A request's log line is appended to a buffer owned by the thread that
//! served it: one uncontended lock and a copy, no allocation, no hand-off to
//! another thread and no wake-up. A background thread writes every buffer
//! out each [`FLUSH_INTERVAL`]; a thread whose buffer reaches
//! [`FLUSH_BYTES`] writes it out at once. Under load that is one `write(2)`
//! for hundreds of lines.
//!
//! The access line of each request ([`LogWriter::append_access`]) is
//! buffered as a compact record (its fields, about 70 bytes, with static
//! method and route labels kept by reference) and formatted
//! only when the buffer is written out, a few hundred lines at a time. That
//! keeps the formatting code and its output out of the caches while
//! requests are being served; formatting each line as it came cost the
//! server about a tenth of its throughput on its cheapest operation
//! (see `bench/RESULTS.md`). Every other line is buffered as text.
//!
//! It replaces `tracing-appender`'s non-blocking writer, which sends each
//! line through a channel (an allocation per line) to a writer thread that
//! must be woken whenever it has drained the channel.
//!
//! Guarantees:
//! - nothing is dropped: when the output cannot keep up (a full pipe),
//!   the thread logging waits, as with a plain blocking writer;
//! - each line is written whole, and a thread's lines keep their order
//!   (a buffer stays locked while it is being written out);
//! - lines of different threads may be written out of time order by up to
//!   [`FLUSH_INTERVAL`]; each carries its own timestamp;
//! - dropping the [`FlushGuard`] writes out everything buffered.

use std::cell::RefCell;
use std::io::{self, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

use tracing_subscriber::fmt::MakeWriter;

use crate::json_log::{AccessLine, Label};

/// The longest a line waits in a buffer before it is written out.
pub const FLUSH_INTERVAL: Duration = Duration::from_millis(100);

/// A buffer this full is written out by its own thread without waiting.
pub const FLUSH_BYTES: usize = 32 * 1024;

/// Entry tags in a buffer: text to write as it is, or an access record.
const TEXT: u8 = 0;
const ACCESS: u8 = 1;

/// Label tags in an access record: an index into the buffer's static
/// labels, or the text itself.
const STATIC: u8 = 0;
const INLINE: u8 = 1;

/// What a thread has logged and not yet written out: entries, and the
/// `&'static str` labels its access records refer to by index.
#[derive(Default)]
struct Pending {
    data: Vec<u8>,
    labels: Vec<&'static str>,
}

impl Pending {
    fn clear(&mut self) {
        self.data.clear();
        self.labels.clear();
    }
}

/// Appends a length-prefixed string.
fn put_str(data: &mut Vec<u8>, text: &str) {
    // Longer strings cannot come from a request (actix limits its head);
    // they are cut rather than corrupt the buffer.
    let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
    data.extend_from_slice(&len.to_le_bytes());
    data.extend_from_slice(&text.as_bytes()[..len as usize]);
}

/// Appends a label: a static one by index, so that reading it back is
/// neither a copy nor a UTF-8 check.
fn put_label(pending: &mut Pending, label: Label<'_>) {
    match label {
        Label::Static(text) => {
            // A buffer is written out long before 2^32 labels.
            let index = u32::try_from(pending.labels.len()).unwrap_or(u32::MAX);
            pending.labels.push(text);
            pending.data.push(STATIC);
            pending.data.extend_from_slice(&index.to_le_bytes());
        }
        Label::Borrowed(text) => {
            pending.data.push(INLINE);
            put_str(&mut pending.data, text);
        }
    }
}

/// Reads back what `put_*` wrote; `None` at the end or on anything amiss.
struct Reader<'a> {
    data: &'a [u8],
    labels: &'a [&'static str],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (self.data.get(..n)?, self.data.get(n..)?);
        self.data = rest;
        Some(head)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = u32::from_le_bytes(self.array()?);
        self.take(usize::try_from(len).ok()?)
    }

    fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }

    fn label(&mut self) -> Option<Label<'a>> {
        match self.array::<1>()?[0] {
            STATIC => {
                let index = u32::from_le_bytes(self.array()?);
                Some(Label::Static(
                    self.labels.get(usize::try_from(index).ok()?)?,
                ))
            }
            INLINE => Some(Label::Borrowed(self.str()?)),
            _ => None,
        }
    }
}

/// Appends an access record: the line's fields and its time.
fn put_access(pending: &mut Pending, line: &AccessLine<'_>, now: SystemTime) {
    let since = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    let data = &mut pending.data;
    data.push(ACCESS);
    data.extend_from_slice(&since.as_secs().to_le_bytes());
    data.extend_from_slice(&since.subsec_nanos().to_le_bytes());
    data.extend_from_slice(&line.latency_ms.to_le_bytes());
    data.extend_from_slice(&line.status.to_le_bytes());
    put_str(data, line.request_id);
    put_label(pending, line.method);
    put_label(pending, line.route);
}

/// Appends to a byte buffer through `fmt::Write`.
struct Utf8Out<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Utf8Out<'_> {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.0.extend_from_slice(text.as_bytes());
        Ok(())
    }
}

/// The text of a buffer's entries, access records formatted.
fn format_entries(mut entries: Reader<'_>, out: &mut Vec<u8>) {
    let mut line = || -> Option<()> {
        match entries.array::<1>()?[0] {
            TEXT => out.extend_from_slice(entries.bytes()?),
            ACCESS => {
                let secs = u64::from_le_bytes(entries.array()?);
                let nanos = u32::from_le_bytes(entries.array()?);
                let latency_ms = f64::from_le_bytes(entries.array()?);
                let status = u16::from_le_bytes(entries.array()?);
                let request_id = entries.str()?;
                let line = AccessLine {
                    method: entries.label()?,
                    route: entries.label()?,
                    status,
                    latency_ms,
                    request_id,
                };
                let now = SystemTime::UNIX_EPOCH + Duration::new(secs, nanos);
                line.write(&mut Utf8Out(out), now).ok()?;
            }
            _ => return None,
        }
        Some(())
    };
    while line().is_some() {}
}

type Buffer = Arc<Mutex<Pending>>;

/// Locks `m`; a poisoned lock only means a thread panicked while holding
/// it, and a byte buffer or an output stream stays usable.
fn lock<T: ?Sized>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

struct Shared {
    /// Tells this writer's buffers apart in a thread's cache (tests build
    /// several writers in one process).
    id: usize,
    buffers: Mutex<Vec<Buffer>>,
    sink: Mutex<Box<dyn Write + Send>>,
}

impl Shared {
    /// Writes `data` out and empties it. Called with the buffer locked, so
    /// the thread that owns it cannot append meanwhile.
    fn write_out(&self, pending: &mut Pending) {
        if pending.data.is_empty() {
            return;
        }
        // Access lines take about three times their record's size.
        let mut text = Vec::with_capacity(pending.data.len() * 3);
        let entries = Reader {
            data: &pending.data,
            labels: &pending.labels,
        };
        format_entries(entries, &mut text);
        let mut sink = lock(&self.sink);
        // A log line that cannot be written has nowhere to be reported;
        // the service goes on.
        let _ = sink.write_all(&text).and_then(|()| sink.flush());
        pending.clear();
    }

    /// Writes out every buffer, and forgets those of threads that have
    /// ended (only this list still holds them) once they are empty.
    fn flush_all(&self) {
        let buffers: Vec<Buffer> = lock(&self.buffers).clone();
        for buffer in &buffers {
            self.write_out(&mut lock(buffer));
        }
        drop(buffers);
        lock(&self.buffers).retain(|b| Arc::strong_count(b) > 1 || !lock(b).data.is_empty());
    }
}

thread_local! {
    /// This thread's buffer, with the id of the writer it belongs to.
    static LOCAL: RefCell<Option<(usize, Buffer)>> = const { RefCell::new(None) };
}

/// A `MakeWriter` for `tracing-subscriber` that buffers per thread.
#[derive(Clone)]
pub struct LogWriter {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for LogWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogWriter")
            .field("id", &self.shared.id)
            .finish()
    }
}

/// Writes out what is buffered, stops the background thread when dropped.
#[must_use = "dropping the guard stops the periodic flush"]
pub struct FlushGuard {
    shared: Arc<Shared>,
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for FlushGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FlushGuard").finish_non_exhaustive()
    }
}

impl Drop for FlushGuard {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        self.shared.flush_all();
    }
}

impl LogWriter {
    /// A writer into `sink`, and the guard that keeps its background
    /// flush running.
    pub fn new(sink: impl Write + Send + 'static) -> (Self, FlushGuard) {
        static NEXT_ID: AtomicUsize = AtomicUsize::new(0);
        let shared = Arc::new(Shared {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            buffers: Mutex::new(Vec::new()),
            sink: Mutex::new(Box::new(sink)),
        });
        let (stop, stopped) = mpsc::channel::<()>();
        let flusher = Arc::clone(&shared);
        // Without the thread, lines would still be written at FLUSH_BYTES
        // and by the guard; only the interval would be lost.
        let thread = std::thread::Builder::new()
            .name("log-flush".into())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(FLUSH_INTERVAL) {
                    flusher.flush_all();
                }
            })
            .ok();
        let guard = FlushGuard {
            shared: Arc::clone(&shared),
            stop: Some(stop),
            thread,
        };
        (LogWriter { shared }, guard)
    }

    /// Appends one or more whole lines to this thread's buffer.
    pub fn append(&self, bytes: &[u8]) {
        // A longer text (it cannot be one line) goes in pieces.
        for piece in bytes.chunks(u32::MAX as usize) {
            self.with_buffer(|pending| {
                let data = &mut pending.data;
                data.push(TEXT);
                data.extend_from_slice(&(piece.len() as u32).to_le_bytes());
                data.extend_from_slice(piece);
            });
        }
    }

    /// Appends a request's access line, formatted when it is written out
    /// (see the module docs), as `line.write(.., now)` formats it.
    pub fn append_access(&self, line: &AccessLine<'_>, now: SystemTime) {
        self.with_buffer(|pending| put_access(pending, line, now));
    }

    /// Runs `put` on this thread's buffer, then writes the buffer out if
    /// it is full.
    fn with_buffer(&self, put: impl FnOnce(&mut Pending)) {
        LOCAL.with(|local| {
            // Re-entered (the sink itself logging): write straight through.
            let Ok(mut local) = local.try_borrow_mut() else {
                let mut pending = Pending::default();
                put(&mut pending);
                self.shared.write_out(&mut pending);
                return;
            };
            if !matches!(&*local, Some((id, _)) if *id == self.shared.id) {
                let buffer = Buffer::default();
                lock(&self.shared.buffers).push(Arc::clone(&buffer));
                *local = Some((self.shared.id, buffer));
            }
            if let Some((_, buffer)) = &*local {
                let mut pending = lock(buffer);
                put(&mut pending);
                if pending.data.len() >= FLUSH_BYTES {
                    self.shared.write_out(&mut pending);
                }
            }
        });
    }
}

/// One event's writer: the formatter hands it the whole line at once.
#[derive(Debug)]
pub struct LineWriter<'a>(&'a LogWriter);

impl Write for LineWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.append(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for LogWriter {
    type Writer = LineWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        LineWriter(self)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            lock(&self.0).extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Sink {
        fn text(&self) -> String {
            String::from_utf8(lock(&self.0).clone()).unwrap()
        }
    }

    fn line(writer: &LogWriter, text: &str) {
        writer.make_writer().write_all(text.as_bytes()).unwrap();
    }

    #[test]
    fn every_line_of_every_thread_arrives_whole_and_in_its_threads_order() {
        let sink = Sink::default();
        let (writer, guard) = LogWriter::new(sink.clone());
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let writer = writer.clone();
                std::thread::spawn(move || {
                    for i in 0..5000 {
                        line(
                            &writer,
                            &format!("thread {t} line {i:05} {}\n", "x".repeat(40)),
                        );
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        // The threads have ended: their buffers are written out by the guard.
        drop(guard);
        let text = sink.text();
        for t in 0..4 {
            let prefix = format!("thread {t} line ");
            let numbers: Vec<usize> = text
                .lines()
                .filter_map(|l| l.strip_prefix(&prefix))
                .map(|rest| {
                    assert_eq!(rest.len(), 6 + 40, "a line was cut: {rest}");
                    rest[..5].parse().unwrap()
                })
                .collect();
            assert_eq!(numbers, (0..5000).collect::<Vec<_>>(), "thread {t}");
        }
        assert_eq!(text.lines().count(), 20_000);
    }

    #[test]
    fn a_lone_line_is_written_out_within_the_flush_interval() {
        let sink = Sink::default();
        let (writer, _guard) = LogWriter::new(sink.clone());
        line(&writer, "one\n");
        let start = Instant::now();
        while sink.text().is_empty() {
            assert!(
                start.elapsed() < FLUSH_INTERVAL * 20,
                "not written after {:?}",
                start.elapsed()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(sink.text(), "one\n");
    }

    #[test]
    fn access_records_are_written_as_their_lines_in_order_with_the_text_lines() {
        let sink = Sink::default();
        let (writer, guard) = LogWriter::new(sink.clone());
        let now = SystemTime::UNIX_EPOCH + Duration::new(1_795_000_000, 123_456_789);
        let route = String::from("/v1/colocation/\"arr\"");
        let access = |i: u16| AccessLine {
            // Static and borrowed labels both.
            method: if i % 2 == 0 {
                Label::Static("POST")
            } else {
                Label::Borrowed("PATCH")
            },
            route: if i % 3 == 0 {
                Label::Static("/v1/\\x")
            } else {
                Label::Borrowed(&route)
            },
            status: 200 + i,
            latency_ms: 0.25 * f64::from(i),
            request_id: "id-\u{e9}",
        };
        let mut expected = String::new();
        // Enough to fill the buffer a few times over.
        for i in 0..1000 {
            line(&writer, &format!("text {i}\n"));
            expected.push_str(&format!("text {i}\n"));
            writer.append_access(&access(i), now);
            access(i).write(&mut expected, now).unwrap();
        }
        drop(guard);
        assert_eq!(sink.text(), expected);
        assert!(
            expected.contains(r#""timestamp":"2026-11-18T"#),
            "{}",
            &expected[..200]
        );
    }

    #[test]
    fn a_full_buffer_is_written_out_at_once_by_its_own_thread() {
        let sink = Sink::default();
        let (writer, _guard) = LogWriter::new(sink.clone());
        let long = format!("{}\n", "y".repeat(FLUSH_BYTES));
        line(&writer, &long);
        assert_eq!(sink.text(), long);
    }
}
