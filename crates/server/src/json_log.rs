//! A lean JSON log format: one object per line.
//!
//! tracing-subscriber's own JSON format re-parses each span's stored fields
//! into a `serde_json::Value` and serialises them again for every event;
//! under load that was more than a third of a request's instructions
//! (callgrind, `POST /v1/colocation/arr`). Here span fields are stored
//! once as a ready JSON fragment and pasted into each event as they are.
//!
//! An event inside a request carries the request's id; a request's own
//! access line ([`AccessLine`]) is written without going through tracing:
//!
//! ```text
//! {"timestamp":"2026-11-24T05:07:20.858159Z","level":"INFO","target":"infraval_server::telemetry",
//!  "message":"request completed","method":"POST","route":"/v1/colocation/arr","status":200,
//!  "latency_ms":0.003848,"request_id":"…"}
//! ```

use std::fmt::{self, Write as _};

use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::field::RecordFields;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, FormattedFields};
use tracing_subscriber::registry::LookupSpan;

use crate::telemetry::REQUEST_ID;

/// Writes `now` as RFC 3339 UTC with microseconds,
/// `2026-11-24T07:15:30.493513Z`.
///
/// The date and time to the second are formatted once per second per
/// thread; only the microseconds are formatted for each line.
fn write_timestamp(w: &mut impl fmt::Write, now: std::time::SystemTime) -> fmt::Result {
    thread_local! {
        static SECOND: std::cell::RefCell<(u64, String)> =
            const { std::cell::RefCell::new((0, String::new())) };
    }
    let since_epoch = now
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let seconds = since_epoch.as_secs();
    SECOND.with(|cached| {
        let mut cached = cached.borrow_mut();
        if cached.0 != seconds || cached.1.is_empty() {
            let time = i64::try_from(seconds)
                .ok()
                .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
                .unwrap_or_default();
            cached.1.clear();
            write!(cached.1, "{}", time.format("%Y-%m-%dT%H:%M:%S"))?;
            cached.0 = seconds;
        }
        w.write_str(&cached.1)
    })?;
    let mut micros = since_epoch.subsec_micros();
    let mut text = *b".000000Z";
    for digit in text[1..7].iter_mut().rev() {
        // micros < 1,000,000, so each digit is below 10.
        *digit = b'0' + (micros % 10) as u8;
        micros /= 10;
    }
    // The bytes are ASCII by construction.
    w.write_str(std::str::from_utf8(&text).unwrap_or(".000000Z"))
}

/// Formats events as single-line JSON objects.
#[derive(Debug, Default, Clone, Copy)]
pub struct JsonLine;

/// Formats span fields as a JSON fragment (`"k":v,"k2":v2`), stored once
/// per span.
#[derive(Debug, Default, Clone, Copy)]
pub struct JsonFields;

/// Writes `text` as a JSON string, quotes included.
fn write_json_str(w: &mut impl fmt::Write, text: &str) -> fmt::Result {
    w.write_char('"')?;
    write_json_str_body(w, text)?;
    w.write_char('"')
}

/// Whether `byte` must be escaped inside a JSON string.
fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// Whether any byte of `text` must be escaped, eight bytes at a time.
///
/// # Formula
/// For a word `v` of eight bytes, `(v − 0x01…01 × n) & !v & 0x80…80` is
/// non-zero exactly when some byte of `v` is below `n` (`n ≤ 128`); a byte
/// equal to `c` is a zero byte of `v ^ (0x01…01 × c)`.
fn any_needs_escape(text: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let below = |v: u64, n: u64| v.wrapping_sub(ONES * n) & !v & HIGHS != 0;
    let mut words = text.chunks_exact(8);
    for word in &mut words {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        let v = u64::from_le_bytes(bytes);
        if below(v, 0x20)
            || below(v ^ (ONES * u64::from(b'"')), 1)
            || below(v ^ (ONES * u64::from(b'\\')), 1)
        {
            return true;
        }
    }
    words.remainder().iter().any(|b| needs_escape(*b))
}

/// Writes `text` escaped for the inside of a JSON string.
fn write_json_str_body(w: &mut impl fmt::Write, text: &str) -> fmt::Result {
    // Almost every logged string needs no escaping: one scan, one write.
    if !any_needs_escape(text.as_bytes()) {
        return w.write_str(text);
    }
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        w.write_str(&text[start..i])?;
        if escape.is_empty() {
            write!(w, "\\u{byte:04x}")?;
        } else {
            w.write_str(escape)?;
        }
        start = i + 1;
    }
    w.write_str(&text[start..])
}

/// Escapes everything written through it into the JSON string body it
/// wraps, so `Debug` and `Display` values are never first collected into
/// a temporary `String`.
struct Escaping<'a, W: fmt::Write>(&'a mut W);

impl<W: fmt::Write> fmt::Write for Escaping<'_, W> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        write_json_str_body(self.0, text)
    }
}

/// Writes each field as `,"name":value` (no comma before the first when
/// `first` is set).
struct Fields<'a, W: fmt::Write> {
    writer: &'a mut W,
    first: bool,
    result: fmt::Result,
    /// Whether a field named `request_id` was written.
    request_id: bool,
}

impl<W: fmt::Write> Fields<'_, W> {
    fn key(&mut self, field: &Field) -> fmt::Result {
        self.request_id |= field.name() == "request_id";
        if !std::mem::take(&mut self.first) {
            self.writer.write_char(',')?;
        }
        write_json_str(self.writer, field.name())?;
        self.writer.write_char(':')
    }

    fn put(&mut self, field: &Field, value: impl FnOnce(&mut W) -> fmt::Result) {
        if self.result.is_ok() {
            self.result = self.key(field).and_then(|()| value(self.writer));
        }
    }
}

impl<W: fmt::Write> Visit for Fields<'_, W> {
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.put(field, |w| {
            if value.is_finite() {
                w.write_str(zmij::Buffer::new().format_finite(value))
            } else {
                write_json_str(w, &value.to_string())
            }
        });
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, |w| w.write_str(itoa::Buffer::new().format(value)));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, |w| w.write_str(itoa::Buffer::new().format(value)));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, |w| w.write_str(if value { "true" } else { "false" }));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, |w| write_json_str(w, value));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.put(field, |w| {
            w.write_char('"')?;
            write!(Escaping(w), "{value:?}")?;
            w.write_char('"')
        });
    }
}

impl<'writer> FormatFields<'writer> for JsonFields {
    fn format_fields<R: RecordFields>(
        &self,
        mut writer: Writer<'writer>,
        fields: R,
    ) -> fmt::Result {
        let mut visitor = Fields {
            writer: &mut writer,
            first: true,
            result: Ok(()),
            request_id: false,
        };
        fields.record(&mut visitor);
        visitor.result
    }

    fn add_fields(
        &self,
        current: &'writer mut FormattedFields<Self>,
        fields: &tracing::span::Record<'_>,
    ) -> fmt::Result {
        let first = current.fields.is_empty();
        let mut visitor = Fields {
            writer: &mut current.fields,
            first,
            result: Ok(()),
            request_id: false,
        };
        fields.record(&mut visitor);
        visitor.result
    }
}

impl<S, N> FormatEvent<S, N> for JsonLine
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let meta = event.metadata();
        writer.write_str("{\"timestamp\":\"")?;
        write_timestamp(&mut writer, std::time::SystemTime::now())?;
        writer.write_str("\",\"level\":\"")?;
        writer.write_str(meta.level().as_str())?;
        writer.write_str("\",\"target\":")?;
        write_json_str(&mut writer, meta.target())?;
        let mut fields = Fields {
            writer: &mut writer,
            first: false,
            result: Ok(()),
            request_id: false,
        };
        event.record(&mut fields);
        fields.result?;
        if !fields.request_id {
            // Inside a request, every event carries the request's id.
            let _ = REQUEST_ID.try_with(|id| {
                writer
                    .write_str(",\"request_id\":")
                    .and_then(|()| write_json_str(&mut writer, id.as_str()))
            });
        }
        if let Some(span) = ctx.lookup_current() {
            writer.write_str(",\"span\":{\"name\":")?;
            write_json_str(&mut writer, span.name())?;
            let extensions = span.extensions();
            if let Some(stored) = extensions.get::<FormattedFields<N>>() {
                if !stored.fields.is_empty() {
                    writer.write_char(',')?;
                    writer.write_str(&stored.fields)?;
                }
            }
            writer.write_char('}')?;
        }
        writer.write_str("}\n")
    }
}

/// The line logged for each request, as [`JsonLine`] would format the
/// `request completed` event with these fields, written without going
/// through `tracing`'s field visitors.
///
/// At tens of thousands of requests a second per core, dispatching that
/// one event cost as much as the ARR handler's own work (callgrind: 5,100
/// instructions per line through `tracing`, 1,850 this way, timestamp and
/// buffering included), so the per-request line takes this path when the
/// output is JSON; every other event goes through `tracing`.
#[derive(Debug, Clone, Copy)]
pub struct AccessLine<'a> {
    /// HTTP method.
    pub method: Label<'a>,
    /// Route template (`/v1/colocation/arr`), or `unmatched`.
    pub route: Label<'a>,
    /// HTTP status.
    pub status: u16,
    /// Time from the request's arrival at the middleware to its response.
    pub latency_ms: f64,
    /// The request id.
    pub request_id: &'a str,
}

/// A method or route in an access line. Almost all are `&'static str`
/// (every method and route the direct path logs, and the standard
/// methods), which a buffered record keeps by reference instead of
/// copying and re-reading the text.
#[derive(Debug, Clone, Copy)]
pub enum Label<'a> {
    /// Text that lives as long as the program.
    Static(&'static str),
    /// Text borrowed for the call.
    Borrowed(&'a str),
}

impl<'a> Label<'a> {
    /// The label's text.
    pub fn as_str(&self) -> &'a str {
        match *self {
            Label::Static(text) | Label::Borrowed(text) => text,
        }
    }
}

impl AccessLine<'_> {
    /// The message of the line.
    pub const MESSAGE: &'static str = "request completed";

    /// The line's text from the level to the method's value: the same for
    /// every access line, so it is written as one piece, not escaped field
    /// by field. The target is `telemetry::TARGET`, where the line is
    /// logged from (a test checks the whole against `JsonLine`'s output).
    const AFTER_TIMESTAMP: &'static str = concat!(
        "\",\"level\":\"INFO\",\"target\":\"infraval_server::telemetry",
        "\",\"message\":\"request completed\",\"method\":"
    );

    /// Appends the line, newline included, to `out`.
    pub fn write(&self, out: &mut impl fmt::Write, now: std::time::SystemTime) -> fmt::Result {
        out.write_str("{\"timestamp\":\"")?;
        write_timestamp(out, now)?;
        out.write_str(Self::AFTER_TIMESTAMP)?;
        write_json_str(out, self.method.as_str())?;
        out.write_str(",\"route\":")?;
        write_json_str(out, self.route.as_str())?;
        out.write_str(",\"status\":")?;
        out.write_str(itoa::Buffer::new().format(self.status))?;
        out.write_str(",\"latency_ms\":")?;
        if self.latency_ms.is_finite() {
            out.write_str(zmij::Buffer::new().format_finite(self.latency_ms))?;
        } else {
            write_json_str(out, &self.latency_ms.to_string())?;
        }
        out.write_str(",\"request_id\":")?;
        write_json_str(out, self.request_id)?;
        out.write_str("}\n")
    }
}

#[cfg(test)]
mod tests {
    use std::io;
    use std::sync::{Arc, Mutex};

    use super::*;

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// What `JsonLine` writes for the events `emit` logs.
    fn capture(emit: impl FnOnce()) -> String {
        let buffer = Buffer::default();
        let sink = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || sink.clone())
            .event_format(JsonLine)
            .fmt_fields(JsonFields)
            .finish();
        tracing::subscriber::with_default(subscriber, emit);
        let text = buffer.0.lock().unwrap().clone();
        String::from_utf8(text).unwrap()
    }

    #[test]
    fn each_line_is_valid_json_with_event_and_span_fields() {
        let text = capture(|| {
            let span = tracing::info_span!("request", method = "POST", route = "/v1/x\"y", request_id = %"id-1");
            span.in_scope(|| {
                tracing::info!(
                    status = 200u16,
                    latency_ms = 0.25,
                    ok = true,
                    "request \"completed\"\n"
                );
            });
            tracing::warn!(value = f64::NAN, "no span");
        });
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect();
        assert_eq!(lines.len(), 2, "{text}");
        let first = &lines[0];
        assert_eq!(first["level"], "INFO");
        assert_eq!(first["message"], "request \"completed\"\n");
        assert_eq!(first["status"], 200);
        assert_eq!(first["latency_ms"], 0.25);
        assert_eq!(first["ok"], true);
        assert_eq!(first["span"]["name"], "request");
        assert_eq!(first["span"]["route"], "/v1/x\"y");
        assert_eq!(first["span"]["request_id"], "id-1");
        assert!(first["timestamp"].as_str().unwrap().ends_with('Z'));
        assert_eq!(lines[1]["value"], "NaN");
        assert!(lines[1].get("span").is_none());
    }

    #[test]
    fn the_access_line_is_what_json_line_makes_of_the_same_event() {
        let text = capture(|| {
            tracing::info!(
                target: crate::telemetry::TARGET,
                method = "POST",
                route = "/v1/a\"b",
                status = 422u16,
                latency_ms = 0.125,
                request_id = "id-9",
                "request completed"
            );
        });
        let mut direct = String::new();
        AccessLine {
            method: Label::Static("POST"),
            route: Label::Borrowed("/v1/a\"b"),
            status: 422,
            latency_ms: 0.125,
            request_id: "id-9",
        }
        .write(&mut direct, std::time::SystemTime::now())
        .unwrap();
        // Equal past the timestamp, which is the only part that differs.
        let rest = |line: &str| line.split_once("\",\"level\"").unwrap().1.to_owned();
        assert_eq!(rest(&direct), rest(&text));
        assert!(direct.ends_with("}\n"));
        let parsed: serde_json::Value = serde_json::from_str(&direct).unwrap();
        assert_eq!(parsed["route"], "/v1/a\"b");
        assert_eq!(parsed["status"], 422);
    }

    #[test]
    fn events_inside_a_request_carry_its_id_once() {
        let text = capture(|| {
            REQUEST_ID.sync_scope(
                crate::telemetry::RequestId::from_caller(b"req-7").unwrap(),
                || {
                    tracing::error!("inside");
                    tracing::info!(request_id = "own", "inside, with its own id");
                },
            );
            tracing::info!("outside");
        });
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        let ids: Vec<usize> = lines
            .iter()
            .map(|l| l.matches("\"request_id\"").count())
            .collect();
        assert_eq!(ids, [1, 1, 0], "{text}");
        let parsed: Vec<serde_json::Value> = lines
            .iter()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(parsed[0]["request_id"], "req-7");
        assert_eq!(parsed[1]["request_id"], "own");
    }

    #[test]
    fn timestamps_are_rfc_3339_utc_with_microseconds() {
        // 2026-11-24T07:15:30Z is 1,795,504,530 s after the epoch:
        // 20,781 days (2026-11-24 counted from 1970-01-01) × 86,400 + 26,130.
        let at = std::time::UNIX_EPOCH + std::time::Duration::new(1_795_504_530, 493_513_999);
        let mut out = String::new();
        write_timestamp(&mut out, at).unwrap();
        assert_eq!(out, "2026-11-24T07:15:30.493513Z");
        // The next second on the same thread replaces the cached part.
        out.clear();
        write_timestamp(&mut out, at + std::time::Duration::from_millis(600)).unwrap();
        assert_eq!(out, "2026-11-24T07:15:31.093513Z");
        out.clear();
        write_timestamp(
            &mut out,
            std::time::UNIX_EPOCH + std::time::Duration::from_micros(7),
        )
        .unwrap();
        assert_eq!(out, "1970-01-01T00:00:00.000007Z");
    }

    proptest::proptest! {
        #[test]
        fn the_word_scan_finds_exactly_the_bytes_that_need_escaping(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    12 => 0x20u8..0x7f,
                    4 => 0x80u8..=0xff,
                    1 => 0u8..0x20,
                    1 => proptest::strategy::Just(b'"'),
                    1 => proptest::strategy::Just(b'\\'),
                ],
                0..40,
            ),
        ) {
            proptest::prop_assert_eq!(
                any_needs_escape(&bytes),
                bytes.iter().any(|b| needs_escape(*b))
            );
        }
    }

    #[test]
    fn the_word_scan_sees_every_special_byte_at_every_position() {
        for len in 0..20 {
            for at in 0..len {
                for special in (0u8..0x20).chain([b'"', b'\\']) {
                    let mut text = vec![b'a'; len];
                    text[at] = special;
                    assert!(any_needs_escape(&text), "{special:#x} at {at} of {len}");
                }
                for plain in [b' ', b'!', b'#', b'[', b']', b'~', 0x7f, 0x80, 0xdc, 0xff] {
                    let mut text = vec![b'a'; len];
                    text[at] = plain;
                    assert!(!any_needs_escape(&text), "{plain:#x} at {at} of {len}");
                }
            }
        }
    }

    #[test]
    fn control_characters_are_escaped_as_unicode() {
        let mut out = String::new();
        write_json_str(&mut out, "a\u{1}b").unwrap();
        assert_eq!(out, "\"a\\u0001b\"");
    }
}
