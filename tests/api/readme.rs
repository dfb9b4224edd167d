//! The README says what the code says and the server answers.
//!
//! Generated from the code: the endpoint table (the operation list and the
//! spec's other paths), the configuration table (the command line) and the
//! Rust client excerpt (`crates/client/examples/quickstart.rs` between its
//! `readme` markers). Checked against the real server: every `curl`
//! example, posted as written, must answer what the comment lines under it
//! show, where `...` stands for what is left out. With `UPDATE_README=1` the
//! test rewrites the README instead of failing, keeping which fields each
//! example shows.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use infraval_api::operation::Visitor;
use infraval_api::Operation;
use infraval_server::config::Cli;
use serde_json::Value;

use crate::helpers::spawn_app;

/// The address the README's examples are written for.
const README_ADDRESS: &str = "http://127.0.0.1:8080";
/// Width of a regenerated output line, `# ` included.
const OUTPUT_WIDTH: usize = 100;

fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(repo_path(relative))
        .unwrap_or_else(|e| panic!("cannot read {relative}: {e}"))
}

#[tokio::test]
async fn the_readme_shows_what_the_code_says_and_the_server_answers() {
    let readme = read("README.md");
    let mut differences = Vec::new();
    let mut text = readme.clone();

    text = replace_region(
        &text,
        "endpoints",
        &endpoint_table(&readme),
        &mut differences,
    );
    text = replace_region(
        &text,
        "configuration",
        &configuration_table(),
        &mut differences,
    );
    text = replace_fenced_after(&text, "client-example", &client_excerpt(), &mut differences);
    text = check_curl_examples(&text, &mut differences).await;
    check_client_dependencies(&text, &mut differences);
    check_python_client_version(&text, &mut differences);

    if std::env::var_os("UPDATE_README").is_some() {
        if text != readme {
            std::fs::write(repo_path("README.md"), &text).expect("README.md is writable");
        }
        let left: Vec<_> = differences.iter().filter(|p| !p.fixed).collect();
        assert!(
            left.is_empty(),
            "UPDATE_README=1 rewrote what it could; fix these by hand:\n{}",
            left.iter()
                .map(|p| p.message.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        );
        return;
    }
    assert!(
        differences.is_empty(),
        "README.md differs from the code or the server:\n{}\n\nRegenerate with \
         `UPDATE_README=1 cargo test -p infraval-server --test api readme` and review the diff.",
        differences
            .iter()
            .map(|p| p.message.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// One way the README and the code differ.
struct Difference {
    message: String,
    /// Whether the regenerated text fixes it.
    fixed: bool,
}

fn differ(differences: &mut Vec<Difference>, fixed: bool, message: String) {
    differences.push(Difference { message, fixed });
}

// ---- generated regions ----

fn markers(name: &str) -> (String, String) {
    (
        format!("<!-- {name}:begin -->\n"),
        format!("<!-- {name}:end -->"),
    )
}

/// Puts `content` between the `<!-- name:begin -->` and `<!-- name:end -->`
/// lines.
fn replace_region(
    text: &str,
    name: &str,
    content: &str,
    differences: &mut Vec<Difference>,
) -> String {
    let (begin, end) = markers(name);
    let (Some(b), Some(e)) = (text.find(&begin), text.find(&end)) else {
        differ(
            differences,
            false,
            format!("the `{name}` markers are missing"),
        );
        return text.to_owned();
    };
    let start = b + begin.len();
    if text[start..e] != *content {
        differ(
            differences,
            true,
            format!("the {name} table is not the generated one"),
        );
    }
    format!("{}{content}{}", &text[..start], &text[e..])
}

/// Replaces the body of the fenced block that follows the
/// `<!-- name -->` line.
fn replace_fenced_after(
    text: &str,
    name: &str,
    content: &str,
    differences: &mut Vec<Difference>,
) -> String {
    let marker = format!("<!-- {name} -->\n");
    let Some(m) = text.find(&marker) else {
        differ(
            differences,
            false,
            format!("the `{name}` marker is missing"),
        );
        return text.to_owned();
    };
    let after = m + marker.len();
    let Some(open_end) = text[after..].find('\n').map(|i| after + i + 1) else {
        differ(
            differences,
            false,
            format!("no fenced block after `{name}`"),
        );
        return text.to_owned();
    };
    let Some(close) = text[open_end..].find("```\n").map(|i| open_end + i) else {
        differ(
            differences,
            false,
            format!("the block after `{name}` is not closed"),
        );
        return text.to_owned();
    };
    if text[open_end..close] != *content {
        differ(
            differences,
            true,
            format!("the {name} block is not the generated one"),
        );
    }
    format!("{}{content}{}", &text[..open_end], &text[close..])
}

/// One row per operation, from the operation list, then the spec's other
/// paths; each operation links to the README section of its example.
fn endpoint_table(readme: &str) -> String {
    let sections = example_sections(readme);
    let mut table = String::from("| endpoint | what it does |\n| --- | --- |\n");
    for (path, doc) in operation_docs() {
        let summary = infraval_api::operation::summary(doc);
        let endpoint = match sections.iter().find(|(p, _)| p == path) {
            Some((_, heading)) => format!("[`POST {path}`](#{})", slug(heading)),
            None => format!("`POST {path}`"),
        };
        writeln!(table, "| {endpoint} | {} |", cell(summary)).unwrap();
    }
    let spec = serde_json::to_value(infraval_server::mount::openapi()).unwrap();
    for (path, item) in spec["paths"].as_object().unwrap() {
        if path.starts_with("/v1/") {
            continue;
        }
        for (method, operation) in item.as_object().unwrap() {
            let summary = operation["summary"].as_str().unwrap_or_default();
            writeln!(
                table,
                "| `{} {path}` | {} |",
                method.to_uppercase(),
                cell(summary)
            )
            .unwrap();
        }
    }
    table
}

/// Each operation's path and doc comment, in the list's order.
fn operation_docs() -> Vec<(&'static str, &'static str)> {
    struct Docs(Vec<(&'static str, &'static str)>);
    impl Visitor for Docs {
        fn visit<Op: Operation>(&mut self) {
            self.0.push((Op::PATH, Op::DOC));
        }
    }
    let mut docs = Docs(Vec::new());
    infraval_api::operation::visit(&mut docs);
    docs.0
}

/// The section heading above each `curl` example, by path.
fn example_sections(readme: &str) -> Vec<(String, String)> {
    curl_examples(readme)
        .into_iter()
        .map(|ex| (ex.path, ex.heading))
        .collect()
}

/// GitHub's anchor for a heading.
fn slug(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn cell(text: &str) -> String {
    text.replace('\n', " ").replace('|', "\\|")
}

/// Every flag of `infraval serve`, from the command line's own declaration.
fn configuration_table() -> String {
    let cli = Cli::command();
    let mut table =
        String::from("| flag | environment | default | meaning |\n| --- | --- | --- | --- |\n");
    for arg in cli.get_arguments() {
        let Some(long) = arg.get_long() else { continue };
        if matches!(long, "help" | "version") {
            continue;
        }
        let env = arg
            .get_env()
            .map_or_else(String::new, |e| format!("`{}`", e.to_string_lossy()));
        let defaults: Vec<_> = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        let mut help = arg
            .get_long_help()
            .or_else(|| arg.get_help())
            .map(|h| h.to_string())
            .unwrap_or_default();
        // A default computed at run time is written in the help text.
        let mut default = if defaults.is_empty() {
            "unset".to_owned()
        } else {
            format!("`{}`", defaults.join(","))
        };
        if let Some(at) = help.find(" [default: ") {
            if let Some(len) = help[at..].find(']') {
                default = help[at + " [default: ".len()..at + len].to_owned();
                help.replace_range(at..=at + len, "");
            }
        }
        writeln!(
            table,
            "| `--{long}` | {env} | {default} | {} |",
            cell(&help)
        )
        .unwrap();
    }
    table
}

/// The example's lines between `// readme:begin` and `// readme:end`,
/// unindented as a block.
fn client_excerpt() -> String {
    let source = read("crates/client/examples/quickstart.rs");
    let lines: Vec<&str> = source
        .lines()
        .skip_while(|l| l.trim() != "// readme:begin")
        .skip(1)
        .take_while(|l| l.trim() != "// readme:end")
        .collect();
    assert!(!lines.is_empty(), "quickstart.rs has no readme markers");
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| format!("{}\n", l.get(indent..).unwrap_or("").trim_end()))
        .collect()
}

/// Each dependency the README's `toml` block names, besides the infraval
/// crates, is one the example builds with, at the workspace's version.
fn check_client_dependencies(readme: &str, differences: &mut Vec<Difference>) {
    let Some(block) = fenced_blocks(readme).into_iter().find(|b| b.lang == "toml") else {
        differ(
            differences,
            false,
            "no `toml` block shows the client's dependencies".into(),
        );
        return;
    };
    let client_manifest = read("crates/client/Cargo.toml");
    let workspace = read("Cargo.toml");
    for line in block.body.lines() {
        let Some((name, spec)) = line.split_once(" = ") else {
            continue;
        };
        let name = name.trim();
        if name.starts_with("infraval-") {
            continue;
        }
        let shown = version_in(spec);
        let declared = workspace
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name} = ")))
            .and_then(version_in);
        let used = client_manifest.contains(&format!("\n{name}.workspace = true"))
            || client_manifest.contains(&format!("\n{name} = "));
        if !used || shown.is_none() || shown != declared {
            differ(
                differences,
                false,
                format!(
                    "README's toml block: `{name}` {shown:?} is not a dependency of the \
                     client's example at the workspace's version {declared:?}"
                ),
            );
        }
    }
}

fn version_in(spec: &str) -> Option<String> {
    let spec = spec.trim();
    let quoted = if spec.starts_with('"') {
        spec
    } else {
        spec.split_once("version = ")?.1
    };
    let quoted = quoted.strip_prefix('"')?;
    Some(quoted[..quoted.find('"')?].to_owned())
}

/// The README names the generator version that `.ci/python-client` pins.
fn check_python_client_version(readme: &str, differences: &mut Vec<Difference>) {
    let script = read(".ci/python-client");
    let Some(version) = script
        .lines()
        .find_map(|l| l.strip_prefix("OPENAPI_PYTHON_CLIENT_VERSION="))
    else {
        differ(
            differences,
            false,
            ".ci/python-client pins no version".into(),
        );
        return;
    };
    if !readme.contains(&format!("openapi-python-client=={version}")) {
        differ(
            differences,
            false,
            format!("README does not name openapi-python-client=={version}, the version CI uses"),
        );
    }
}

// ---- fenced blocks and curl examples ----

struct Block {
    lang: String,
    /// Byte offset of the body's first line.
    start: usize,
    body: String,
    /// The nearest `##` heading above.
    heading: String,
}

fn fenced_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut heading = String::new();
    let mut offset = 0;
    let mut open: Option<(String, usize)> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        match &open {
            None if trimmed.starts_with("```") => {
                open = Some((trimmed[3..].to_owned(), offset + line.len()));
            }
            None => {
                if let Some(h) = trimmed.strip_prefix("## ") {
                    heading = h.to_owned();
                }
            }
            Some((lang, start)) if trimmed == "```" => {
                blocks.push(Block {
                    lang: lang.clone(),
                    start: *start,
                    body: text[*start..offset].to_owned(),
                    heading: heading.clone(),
                });
                open = None;
            }
            Some(_) => {}
        }
        offset += line.len();
    }
    blocks
}

struct CurlExample {
    heading: String,
    path: String,
    body: Option<String>,
    /// The comment lines' text, joined.
    shown: String,
    /// Byte range of the comment lines in the README.
    output: std::ops::Range<usize>,
}

fn curl_examples(text: &str) -> Vec<CurlExample> {
    let mut examples = Vec::new();
    for block in fenced_blocks(text) {
        if block.lang != "sh" || !block.body.starts_with("curl ") {
            continue;
        }
        let command_len = block
            .body
            .split_inclusive('\n')
            .take_while(|l| !l.starts_with('#'))
            .map(str::len)
            .sum::<usize>();
        let command = &block.body[..command_len];
        let url_at = command
            .find(README_ADDRESS)
            .unwrap_or_else(|| panic!("a curl example without {README_ADDRESS}: {command}"));
        let path: String = command[url_at + README_ADDRESS.len()..]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '\'')
            .collect();
        let body = command.find("-d '").map(|at| {
            let rest = &command[at + 4..];
            rest[..rest.find('\'').expect("the -d body's closing quote")].to_owned()
        });
        if body.is_some() {
            assert!(
                command
                    .to_lowercase()
                    .contains("-h 'content-type: application/json'"),
                "the curl example for {path} sends JSON without its content type"
            );
        }
        let shown = block.body[command_len..]
            .lines()
            .map(|l| l.trim_start_matches('#').trim())
            .collect::<String>();
        examples.push(CurlExample {
            heading: block.heading,
            path,
            body,
            shown,
            output: block.start + command_len..block.start + block.body.len(),
        });
    }
    examples
}

async fn check_curl_examples(text: &str, differences: &mut Vec<Difference>) -> String {
    let app = spawn_app().await;
    let examples = curl_examples(text);
    for op in infraval_api::operations() {
        if !examples.iter().any(|ex| ex.path == op.path()) {
            differ(
                differences,
                false,
                format!("no curl example calls {} ({})", op.path(), op.id()),
            );
        }
    }
    let mut out = String::new();
    let mut copied = 0;
    for ex in &examples {
        let url = format!("{}{}", app.address, ex.path);
        let request = match &ex.body {
            Some(body) => app
                .http
                .post(url)
                .header("content-type", "application/json")
                .body(body.clone()),
            None => app.http.get(url),
        };
        let answer = request.send().await.expect("the server answers");
        let answer: Value = answer.json().await.expect("a JSON answer");
        let where_ = format!(
            "the curl example for {} (section \"{}\")",
            ex.path, ex.heading
        );
        let rendered = if ex.shown.is_empty() {
            differ(differences, false, format!("{where_} shows no output"));
            String::new()
        } else {
            match Pattern::parse(&ex.shown) {
                Ok(pattern) => {
                    let mut mismatches = Vec::new();
                    let compact = pattern.render(&answer, "$", &mut mismatches);
                    for m in mismatches {
                        differ(differences, m.fixed, format!("{where_}: {}", m.message));
                    }
                    wrap_output(&compact)
                }
                Err(e) => {
                    differ(
                        differences,
                        false,
                        format!("{where_}: cannot read its output: {e}"),
                    );
                    text[ex.output.clone()].to_owned()
                }
            }
        };
        out.push_str(&text[copied..ex.output.start]);
        out.push_str(&rendered);
        copied = ex.output.end;
    }
    out.push_str(&text[copied..]);
    out
}

/// `# ` then the compact JSON, broken after commas into lines of at most
/// [`OUTPUT_WIDTH`], continuation lines indented by one space.
fn wrap_output(compact: &str) -> String {
    let mut chunks = Vec::new();
    let (mut start, mut in_string, mut escaped) = (0, false, false);
    for (i, c) in compact.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            ',' if !in_string => {
                chunks.push(&compact[start..=i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    chunks.push(&compact[start..]);
    let mut lines = vec![String::from("# ")];
    for chunk in chunks {
        let line = lines.last_mut().unwrap();
        if line.len() > 3 && line.len() + chunk.len() > OUTPUT_WIDTH {
            lines.push(format!("#  {chunk}"));
        } else {
            line.push_str(chunk);
        }
    }
    lines.into_iter().map(|l| l + "\n").collect()
}

// ---- JSON with `...` ----

/// JSON in which `...` stands for a value, for members of an object, or
/// for elements of an array.
#[derive(Debug)]
enum Pattern {
    Any,
    /// A scalar as written.
    Leaf(String),
    Object(Vec<Member>),
    Array(Vec<Element>),
}

#[derive(Debug)]
enum Member {
    Field(String, Pattern),
    Rest,
}

#[derive(Debug)]
enum Element {
    Item(Pattern),
    Rest,
}

struct Mismatch {
    message: String,
    fixed: bool,
}

impl Pattern {
    fn parse(text: &str) -> Result<Pattern, String> {
        let mut parser = Parser { text, at: 0 };
        let pattern = parser.value()?;
        if parser.at != text.len() {
            return Err(format!(
                "unexpected text at {}: {}",
                parser.at,
                &text[parser.at..]
            ));
        }
        Ok(pattern)
    }

    /// The pattern with the answer's values in place of the shown ones,
    /// noting every difference.
    fn render(&self, actual: &Value, path: &str, out: &mut Vec<Mismatch>) -> String {
        let mut note = |message: String, fixed: bool| out.push(Mismatch { message, fixed });
        match self {
            Pattern::Any => "...".to_owned(),
            Pattern::Leaf(raw) => {
                let shown: Value = serde_json::from_str(raw).expect("a scalar parsed before");
                if same(&shown, actual) {
                    raw.clone()
                } else {
                    note(
                        format!("{path}: shows {raw}, the server answers {actual}"),
                        true,
                    );
                    actual.to_string()
                }
            }
            Pattern::Object(members) => {
                let Some(fields) = actual.as_object() else {
                    note(
                        format!("{path}: shows an object, the server answers {actual}"),
                        true,
                    );
                    return actual.to_string();
                };
                let mut parts = Vec::new();
                for member in members {
                    match member {
                        Member::Rest => parts.push("...".to_owned()),
                        Member::Field(key, pattern) => match fields.get(key) {
                            Some(value) => {
                                let inner = pattern.render(value, &format!("{path}.{key}"), out);
                                parts.push(format!("{}:{inner}", Value::from(key.as_str())));
                            }
                            None => out.push(Mismatch {
                                message: format!("{path}.{key}: not in the answer"),
                                fixed: true,
                            }),
                        },
                    }
                }
                let open = members.iter().any(|m| matches!(m, Member::Rest));
                let unshown: Vec<&String> = fields
                    .keys()
                    .filter(|k| {
                        !members
                            .iter()
                            .any(|m| matches!(m, Member::Field(f, _) if f == *k))
                    })
                    .collect();
                if !open && !unshown.is_empty() {
                    out.push(Mismatch {
                        message: format!("{path}: the answer also has {unshown:?}"),
                        fixed: true,
                    });
                    parts.push("...".to_owned());
                }
                format!("{{{}}}", parts.join(","))
            }
            Pattern::Array(elements) => {
                let Some(items) = actual.as_array() else {
                    note(
                        format!("{path}: shows an array, the server answers {actual}"),
                        true,
                    );
                    return actual.to_string();
                };
                let first_rest = elements.iter().position(|e| matches!(e, Element::Rest));
                let last_rest = elements.iter().rposition(|e| matches!(e, Element::Rest));
                let (head, tail) = match (first_rest, last_rest) {
                    (Some(f), Some(l)) => {
                        if elements[f..l].iter().any(|e| matches!(e, Element::Item(_))) {
                            note(
                                format!("{path}: items between two `...` are not supported"),
                                false,
                            );
                        }
                        (&elements[..f], &elements[l + 1..])
                    }
                    _ => (&elements[..], &elements[..0]),
                };
                let open = first_rest.is_some();
                if (!open && head.len() != items.len()) || head.len() + tail.len() > items.len() {
                    out.push(Mismatch {
                        message: format!(
                            "{path}: shows {} items, the server answers {}",
                            head.len() + tail.len(),
                            items.len()
                        ),
                        fixed: false,
                    });
                    return actual.to_string();
                }
                let mut parts = Vec::new();
                for (i, element) in head.iter().enumerate() {
                    if let Element::Item(p) = element {
                        parts.push(p.render(&items[i], &format!("{path}[{i}]"), out));
                    }
                }
                if open {
                    parts.push("...".to_owned());
                }
                let skip = items.len() - tail.len();
                for (j, element) in tail.iter().enumerate() {
                    if let Element::Item(p) = element {
                        parts.push(p.render(
                            &items[skip + j],
                            &format!("{path}[{}]", skip + j),
                            out,
                        ));
                    }
                }
                format!("[{}]", parts.join(","))
            }
        }
    }
}

/// Numbers are equal when their values are (`400000000` and
/// `400000000.0` are); everything else as JSON.
fn same(shown: &Value, actual: &Value) -> bool {
    match (shown.as_f64(), actual.as_f64()) {
        (Some(a), Some(b)) => a == b,
        _ => shown == actual,
    }
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn eat(&mut self, token: &str) -> bool {
        if self.rest().starts_with(token) {
            self.at += token.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, token: &str) -> Result<(), String> {
        if self.eat(token) {
            Ok(())
        } else {
            Err(format!(
                "expected `{token}` at {}: {}",
                self.at,
                self.rest()
            ))
        }
    }

    fn value(&mut self) -> Result<Pattern, String> {
        if self.eat("...") {
            return Ok(Pattern::Any);
        }
        if self.eat("{") {
            let mut members = Vec::new();
            if self.eat("}") {
                return Ok(Pattern::Object(members));
            }
            loop {
                if self.eat("...") {
                    members.push(Member::Rest);
                } else {
                    let key = self.string()?;
                    self.expect(":")?;
                    let key: String = serde_json::from_str(&key).map_err(|e| e.to_string())?;
                    members.push(Member::Field(key, self.value()?));
                }
                if self.eat("}") {
                    return Ok(Pattern::Object(members));
                }
                self.expect(",")?;
            }
        }
        if self.eat("[") {
            let mut elements = Vec::new();
            if self.eat("]") {
                return Ok(Pattern::Array(elements));
            }
            loop {
                if self.eat("...") {
                    elements.push(Element::Rest);
                } else {
                    elements.push(Element::Item(self.value()?));
                }
                if self.eat("]") {
                    return Ok(Pattern::Array(elements));
                }
                self.expect(",")?;
            }
        }
        let raw = if self.rest().starts_with('"') {
            self.string()?
        } else {
            let len = self
                .rest()
                .find([',', '}', ']'])
                .unwrap_or(self.rest().len());
            let raw = self.rest()[..len].to_owned();
            self.at += len;
            raw
        };
        serde_json::from_str::<Value>(&raw).map_err(|e| format!("`{raw}`: {e}"))?;
        Ok(Pattern::Leaf(raw))
    }

    /// A JSON string token, quotes and escapes included.
    fn string(&mut self) -> Result<String, String> {
        let rest = self.rest();
        if !rest.starts_with('"') {
            return Err(format!("expected a string at {}: {rest}", self.at));
        }
        let mut escaped = false;
        for (i, c) in rest.char_indices().skip(1) {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    let token = rest[..=i].to_owned();
                    self.at += i + 1;
                    return Ok(token);
                }
                _ => {}
            }
        }
        Err(format!("an unclosed string at {}", self.at))
    }
}

#[test]
fn an_elided_pattern_matches_only_the_answers_it_shows() {
    let answer: Value =
        serde_json::from_str(r#"{"a":1.0,"b":{"c":"x, y","d":[1,2,3]},"e":[{"f":1},{"f":2}]}"#)
            .unwrap();
    let check = |shown: &str| {
        let mut out = Vec::new();
        let rendered = Pattern::parse(shown)
            .unwrap()
            .render(&answer, "$", &mut out);
        (rendered, out.len())
    };
    assert_eq!(check(r#"{"a":1,...}"#), (r#"{"a":1,...}"#.to_owned(), 0));
    assert_eq!(check(r#"{"b":{"d":[1,...],...},...}"#).1, 0);
    assert_eq!(check(r#"{"b":{"d":[1,...]},...}"#).1, 1);
    assert_eq!(check(r#"{...,"e":[...,{"f":2}]}"#).1, 0);
    // A wrong value, a missing field, an unshown field, a wrong length.
    assert_eq!(check(r#"{"a":2,...}"#), (r#"{"a":1.0,...}"#.to_owned(), 1));
    assert_eq!(check(r#"{"z":1,...}"#).1, 1);
    assert_eq!(check(r#"{"a":1}"#), (r#"{"a":1,...}"#.to_owned(), 1));
    assert_eq!(check(r#"{"b":{"d":[1,2],...},...}"#).1, 1);
    assert_eq!(
        wrap_output(r#"{"c":"x, y","d":1}"#),
        "# {\"c\":\"x, y\",\"d\":1}\n"
    );
}
