//! A lean JSON log format: one object per line.
//!
//! tracing-subscriber's own JSON format re-parses each span's stored fields
//! into a `serde_json::Value` and serialises them again for every event;
//! under load that was more than a third of a request's instructions
//! (callgrind, `POST /v1/colocation/arr`). Here span fields are stored
//! once as a ready JSON fragment and pasted into each event as they are.
//!
//! ```text
//! {"timestamp":"2026-11-24T05:07:20.858159Z","level":"INFO","target":"infraval_server::telemetry",
//!  "message":"request completed","status":200,"latency_ms":0.21,
//!  "span":{"name":"request","method":"POST","route":"/v1/colocation/arr","request_id":"…"}}
//! ```

use std::fmt::{self, Write as _};

use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::field::RecordFields;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::time::{FormatTime, SystemTime};
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, FormattedFields};
use tracing_subscriber::registry::LookupSpan;

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

/// Writes `text` escaped for the inside of a JSON string.
fn write_json_str_body(w: &mut impl fmt::Write, text: &str) -> fmt::Result {
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
}

impl<W: fmt::Write> Fields<'_, W> {
    fn key(&mut self, field: &Field) -> fmt::Result {
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
                write!(w, "{value}")
            } else {
                write_json_str(w, &value.to_string())
            }
        });
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, |w| write!(w, "{value}"));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, |w| write!(w, "{value}"));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, |w| write!(w, "{value}"));
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
        SystemTime.format_time(&mut writer)?;
        write!(writer, "\",\"level\":\"{}\",\"target\":", meta.level())?;
        write_json_str(&mut writer, meta.target())?;
        let mut fields = Fields {
            writer: &mut writer,
            first: false,
            result: Ok(()),
        };
        event.record(&mut fields);
        fields.result?;
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

    #[test]
    fn each_line_is_valid_json_with_event_and_span_fields() {
        let buffer = Buffer::default();
        let sink = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || sink.clone())
            .event_format(JsonLine)
            .fmt_fields(JsonFields)
            .finish();
        tracing::subscriber::with_default(subscriber, || {
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
        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
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
    fn control_characters_are_escaped_as_unicode() {
        let mut out = String::new();
        write_json_str(&mut out, "a\u{1}b").unwrap();
        assert_eq!(out, "\"a\\u0001b\"");
    }
}
