//! `infraval batch` on a file: the real binary, whole and in shards.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("infraval-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `infraval batch --input input --output output` and `extra` arguments.
fn infraval_batch(input: &Path, output: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_infraval"))
        .arg("batch")
        .arg("--input")
        .arg(input)
        .arg("--output")
        .arg(output)
        .args(extra)
        .output()
        .expect("the binary runs")
}

/// 300 items: sites of growing size, build costs, convertible terms, and
/// every 25th one broken (a missing field, or an unknown operation).
fn book() -> Vec<Value> {
    (0..300)
        .map(|i| {
            let id = format!("item-{i}");
            match (i % 25, i % 3) {
                (0, _) => json!({"id": id, "operation": "build-cost", "body": {"it_capacity_mw": 10}}),
                (12, _) => json!({"id": id, "operation": "colocation.nope", "body": {}}),
                (_, 0) => json!({"id": id, "operation": "colocation.arr",
                    "body": {"it_capacity_mw": 1 + i, "rate_per_kw_month": 133.33}}),
                (_, 1) => json!({"id": id, "operation": "build-cost",
                    "body": {"it_capacity_mw": 1 + i, "cost_per_mw": 11_000_000}}),
                _ => json!({"id": id, "operation": "convertibles.terms",
                    "body": {"principal": 1_150_000_000, "conversion_price": 19.16 + f64::from(i) / 100.0}}),
            }
        })
        .collect()
}

fn write_lines(path: &Path, lines: &[Value]) {
    let text: String = lines.iter().map(|line| format!("{line}\n")).collect();
    std::fs::write(path, text).unwrap();
}

fn read_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).expect("each output line is JSON"))
        .collect()
}

#[test]
fn three_shards_put_together_equal_the_whole_run() {
    let dir = scratch("shards");
    let input = dir.join("book.jsonl");
    let book = book();
    write_lines(&input, &book);

    let whole = dir.join("whole.jsonl");
    let run = infraval_batch(&input, &whole, &["--threads", "2"]);
    let summary = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{summary}");
    // Every 25th item is broken: indices 0, 12, 25, 37, …: 24 of 300.
    assert!(
        summary.contains("300 items of 300 lines: 276 ok, 24 failed"),
        "{summary}"
    );
    let whole = read_lines(&whole);
    assert_eq!(whole.len(), 300);
    for (i, (result, item)) in whole.iter().zip(&book).enumerate() {
        assert_eq!(result["index"], i);
        assert_eq!(result["id"], item["id"]);
        let broken = i % 25 == 0 || i % 25 == 12;
        assert_eq!(result["status"] != 200, broken, "{result}");
    }
    // Item 0's build cost lacks its cost; item 3's ARR is 4 MW × 1,000
    // kW/MW × $133.33 × 12 = $6,399,840.
    assert_eq!(whole[0]["problem"]["field"], "cost_per_mw");
    assert_eq!(whole[3]["body"]["arr"], json!(6_399_840.0));
    assert_eq!(whole[12]["problem"]["code"], "unknown_operation");

    let mut merged = Vec::new();
    for shard in 0..3 {
        let output = dir.join(format!("shard-{shard}.jsonl"));
        let run = infraval_batch(&input, &output, &["--shard", &format!("{shard}/3")]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let lines = read_lines(&output);
        assert_eq!(lines.len(), 100);
        assert!(lines
            .iter()
            .all(|line| line["index"].as_u64().unwrap() % 3 == shard));
        merged.extend(lines);
    }
    merged.sort_by_key(|line| line["index"].as_u64());
    assert_eq!(merged, whole);
    // The README's merge, `sort -t: -k2,2n`, relies on every line starting
    // with its index.
    let text = std::fs::read_to_string(dir.join("whole.jsonl")).unwrap();
    for (i, line) in text.lines().enumerate() {
        assert!(line.starts_with(&format!("{{\"index\":{i},")), "{line}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_line_that_is_not_an_item_fails_the_run_with_its_line_number() {
    let dir = scratch("bad-line");
    let input = dir.join("book.jsonl");
    let mut lines: Vec<String> = book()[..4].iter().map(Value::to_string).collect();
    lines.push("{\"id\": \"x\", \"operation\": ".to_owned());
    std::fs::write(&input, lines.join("\n")).unwrap();
    let output = dir.join("out.jsonl");
    let run = infraval_batch(&input, &output, &[]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success(), "{stderr}");
    assert!(stderr.contains("book.jsonl:5:"), "{stderr}");

    let duplicated = format!("{}\n{}\n", lines[1], lines[1]);
    std::fs::write(&input, duplicated).unwrap();
    let run = infraval_batch(&input, &output, &[]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success(), "{stderr}");
    assert!(
        stderr.contains("book.jsonl:2: id `item-1` is already used on line 1"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
