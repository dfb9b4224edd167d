//! Every chart drawn from its operation's request example, read back as
//! XML and as pixels.

use std::path::PathBuf;

use roxmltree::Document;
use serde_json::{json, Value};

use super::layout::{BLUE, GREEN, ORANGE, RED};
use super::{dilution, mining, profile, project, sensitivity, valuation};
use crate::operation::{Examples, Operation};
use crate::operations::{
    ColocationProject, ColocationSensitivity, ConvertibleDilution, ConvertibleProfile,
    MiningProjection, SumOfParts,
};
use plotters::style::RGBColor;

/// The first request example of `Op`, as the OpenAPI document shows it.
fn example<Op: Operation>() -> Value {
    <Op::Request as Examples>::examples()
        .into_iter()
        .next()
        .expect("every operation has a request example")
        .body
}

/// The chart of the answer to `body`.
fn chart<Op: Operation>(body: Value) -> String {
    let request: Op::Request = serde_json::from_value(body).unwrap();
    let response = Op::run(request.clone()).unwrap();
    let chart = Op::CHART.expect("the operation declares a chart");
    (chart.draw)(&request, &response).unwrap().into_string()
}

/// The request example of `Op` named `name`.
fn named_example<Op: Operation>(name: &str) -> Value {
    <Op::Request as Examples>::examples()
        .into_iter()
        .find(|example| example.name == name)
        .unwrap_or_else(|| panic!("`{}` has no example `{name}`", Op::ID))
        .body
}

/// The chart of the request example.
fn example_chart<Op: Operation>() -> String {
    chart::<Op>(example::<Op>())
}

fn hex(RGBColor(r, g, b): RGBColor) -> String {
    format!("#{r:02X}{g:02X}{b:02X}")
}

/// What a test reads in a chart: its texts, and its shapes by kind and fill.
struct Read {
    texts: Vec<String>,
    shapes: Vec<(String, String)>,
}

impl Read {
    fn new(svg: &str) -> Read {
        let doc = Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        let texts = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.text().unwrap_or_default().trim().to_owned())
            .collect();
        let shapes = doc
            .descendants()
            .filter(|n| n.is_element())
            .map(|n| {
                let fill = n.attribute("fill").unwrap_or_default().to_owned();
                (n.tag_name().name().to_owned(), fill)
            })
            .collect();
        Read { texts, shapes }
    }

    fn has_text(&self, wanted: &str) -> bool {
        self.texts.iter().any(|t| t == wanted)
    }

    fn text_containing(&self, wanted: &str) -> bool {
        self.texts.iter().any(|t| t.contains(wanted))
    }

    fn count(&self, tag: &str, fill: RGBColor) -> usize {
        let fill = hex(fill);
        self.shapes
            .iter()
            .filter(|(t, f)| t == tag && *f == fill)
            .count()
    }

    fn assert_texts(&self, wanted: &[&str]) {
        for w in wanted {
            assert!(self.has_text(w), "no text `{w}` in {:?}", self.texts);
        }
    }
}

#[test]
fn the_profile_draws_three_lines_a_point_per_share_price_and_the_conversion_price() {
    let svg = example_chart::<ConvertibleProfile>();
    let read = Read::new(&svg);
    // 1,000 / 52.1832 shares = $19.1633 a share.
    assert!(
        read.text_containing("conversion $19.16, vol 60%, spread 500 bp"),
        "{:?}",
        read.texts
    );
    read.assert_texts(&[
        profile::FAIR_VALUE,
        profile::BOND_FLOOR,
        profile::PARITY,
        "Conversion price $19.16",
        "Share price (USD)",
        "Value per 100 of face",
    ]);
    // The example asks for six share prices.
    assert_eq!(read.count("circle", BLUE), 6);
    assert!(svg.contains("<title>Convertible value by share price"));
}

#[test]
fn the_project_draws_a_bar_per_year_and_the_cumulative_line() {
    let svg = example_chart::<ColocationProject>();
    let read = Read::new(&svg);
    // The example runs 20 years after year 0: 21 bars, plus the legend's
    // two swatches; the cumulative line has a point per year.
    let bars = read.count("rect", project::IN_COLOUR) + read.count("rect", project::OUT_COLOUR);
    assert_eq!(bars, 21 + 2);
    assert_eq!(read.count("circle", BLUE), 21);
    read.assert_texts(&[project::CASH_IN, project::CASH_OUT, project::CUMULATIVE]);
    assert!(read.text_containing("250 MW · $10M/MW · $133/kW-mo · 20-year horizon · exit cap 7%"));
    // Money on the axis reads in billions: the build costs $2.5B.
    assert!(
        read.texts
            .iter()
            .any(|t| t.starts_with("-$") && t.ends_with('B')),
        "{:?}",
        read.texts
    );
}

#[test]
fn the_sensitivity_heatmap_labels_every_cell_of_the_first_output() {
    let body = example::<ColocationSensitivity>();
    let read = Read::new(&chart::<ColocationSensitivity>(body.clone()));
    assert!(
        read.text_containing("IRR by rent and build cost"),
        "{:?}",
        read.texts
    );
    read.assert_texts(&[
        "Rent (USD per kW-month)",
        "Build cost (USD per MW)",
        "$100/kW-mo",
        "$8M/MW",
    ]);
    // The example's first output is the IRR: 13.09% at $100/kW-month and
    // $8M/MW, the corner cell, as the JSON answer gives it.
    let request = serde_json::from_value(body).unwrap();
    let response = ColocationSensitivity::run(request).unwrap();
    let grid = &response.grids[0];
    assert_eq!(grid.output, crate::project::MetricName::Irr);
    for row in &grid.cells {
        for cell in row {
            let value = super::Coord::coord(cell.value.as_ref().unwrap());
            let words = format!("{:.1}%", value * 100.0);
            assert!(read.has_text(&words), "no cell `{words}`");
        }
    }
    assert!(read.has_text("13.1%"));
}

#[test]
fn a_cell_without_a_value_is_grey_and_names_its_error() {
    let mut body = example::<ColocationSensitivity>();
    // At $1/kW-month the site never pays back within its horizon.
    body["rows"] = json!({"variable": "rate_per_kw_month", "values": [1, 133.33]});
    body["outputs"] = json!(["payback_years"]);
    let read = Read::new(&chart::<ColocationSensitivity>(body));
    assert_eq!(read.count("rect", sensitivity::NO_VALUE), 3);
    assert_eq!(read.texts.iter().filter(|t| *t == "no_solution").count(), 3);
}

#[test]
fn a_grid_too_fine_to_label_is_drawn_without_cell_labels() {
    let mut body = example::<ColocationSensitivity>();
    body["rows"] =
        json!({"variable": "rate_per_kw_month", "range": {"from": 100, "to": 160, "steps": 60}});
    body["columns"] =
        json!({"variable": "cost_per_mw", "range": {"from": 8000000, "to": 12000000, "steps": 50}});
    body["outputs"] = json!(["npv"]);
    let svg = chart::<ColocationSensitivity>(body);
    let read = Read::new(&svg);
    // 3,000 cells and 64 bands of the colour scale; no cell labels, and at
    // most 16 tick labels an axis.
    assert!(read.shapes.iter().filter(|(t, _)| t == "rect").count() >= 3_000 + 64);
    assert!(read.texts.len() < 60, "{} texts", read.texts.len());
}

#[test]
fn the_mining_projection_draws_a_bar_per_month_and_the_margin() {
    let read = Read::new(&example_chart::<MiningProjection>());
    // 24 months, plus the legend's swatch.
    assert_eq!(read.count("rect", mining::BTC_COLOUR), 24 + 1);
    let margin_bars = read.count("rect", mining::MARGIN_IN_COLOUR)
        + read.count("rect", mining::MARGIN_OUT_COLOUR);
    // Every month of the example makes money: one green bar each, one swatch.
    assert_eq!(margin_bars, 24 + 1);
    read.assert_texts(&[
        mining::BTC_MINED,
        mining::REVENUE,
        mining::MARGIN_IN,
        "BTC per month",
        "USD per month",
    ]);
    assert!(
        read.text_containing(
            "Fleet 50 EH/s · network 1,070 EH/s +2%/mo · BTC $90k +1%/mo · 16.1 J/TH at $45/MWh"
        ),
        "{:?}",
        read.texts
    );
    assert!(read.has_text("2025-12"));
}

#[test]
fn a_projection_without_power_has_no_margin_series() {
    let mut body = example::<MiningProjection>();
    let object = body.as_object_mut().unwrap();
    object.remove("efficiency_j_per_th");
    object.remove("power_price_per_mwh");
    let read = Read::new(&chart::<MiningProjection>(body));
    assert_eq!(read.count("rect", mining::MARGIN_IN_COLOUR), 0);
    assert!(!read.has_text(mining::MARGIN_IN));
    assert!(read.text_containing("no margin without power"));
}

#[test]
fn the_dilution_chart_draws_a_line_per_settlement_with_the_conversion_and_cap_prices() {
    let read = Read::new(&example_chart::<ConvertibleDilution>());
    let (name, colour) =
        dilution::settlement(crate::convertible::terms::SettlementMethod::NetShare);
    // Seven share prices, in each of the two panels.
    assert_eq!(read.count("circle", colour), 2 * 7);
    read.assert_texts(&[
        name,
        "Basic shares 280M",
        "Conversion price $19.16",
        "Diluted shares",
        "Dilution (of basic)",
    ]);
    assert!(!read.text_containing("Capped call"), "{:?}", read.texts);
    assert!(read.text_containing("$1.15B notes converting at $19.16"));
    assert!(
        read.text_containing("buyback $460M at $15.03 (30.6M shares)"),
        "{:?}",
        read.texts
    );
    // The capped-call example marks its cap: four share prices, two panels.
    let read = Read::new(&chart::<ConvertibleDilution>(named_example::<
        ConvertibleDilution,
    >("with_capped_call")));
    assert_eq!(read.count("circle", colour), 2 * 4);
    read.assert_texts(&["Capped call cap $30.06", "Conversion price $19.16"]);
    assert!(
        read.text_containing("capped call to $30.06"),
        "{:?}",
        read.texts
    );
}

#[test]
fn the_sum_of_the_parts_draws_a_waterfall_per_scenario() {
    let read = Read::new(&example_chart::<SumOfParts>());
    // Three scenarios of six bridge lines and the total, plus the legend's
    // three swatches.
    let bars = read.count("rect", valuation::ADDS.1)
        + read.count("rect", valuation::TAKES.1)
        + read.count("rect", valuation::TOTAL.1);
    assert_eq!(bars, 3 * 7 + 3);
    // base: (3,153M − 1,150M) / 249,394,544 diluted shares = $8.03.
    read.assert_texts(&[
        "base: $8.03 per diluted share",
        "data center: Sandersville",
        "Value per share",
        "$8.03",
    ]);
    // bull: E₀ = 3B + 3.5B + 1.755B + 0.5B − 0.6B = $8.155B; the notes convert
    // after the assumed call with the make-whole shares, 1,150,000 × 1.3649…
    // = 1,569,688 of them: 8.155B / (249,394,545 + 60,010,680 + 1,569,688) = $26.22
    // (without them, $26.36).
    assert!(read.text_containing(
        "Sum of the parts per diluted share: bear $3.48 · base $8.03 · bull $26.22"
    ));
}

#[test]
fn a_single_share_price_still_draws() {
    let mut body = example::<ConvertibleProfile>();
    body["stock_prices"] = json!([15.03]);
    let read = Read::new(&chart::<ConvertibleProfile>(body));
    assert_eq!(read.count("circle", BLUE), 1);
}

/// Non-white pixels of `svg` drawn at its own size, and the number of them
/// close to `colour`.
fn pixels(svg: &str, colour: RGBColor) -> (usize, usize) {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).unwrap();
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    let png = pixmap.encode_png().unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let RGBColor(r, g, b) = colour;
    let near = |a: u8, b: u8| a.abs_diff(b) <= 8;
    let mut inked = 0;
    let mut coloured = 0;
    for p in pixmap.pixels() {
        let p = p.demultiply();
        if (p.red(), p.green(), p.blue()) != (255, 255, 255) {
            inked += 1;
        }
        if near(p.red(), r) && near(p.green(), g) && near(p.blue(), b) {
            coloured += 1;
        }
    }
    (inked, coloured)
}

#[test]
fn every_chart_renders_to_pixels_in_its_series_colours() {
    let charts = [
        ("profile", example_chart::<ConvertibleProfile>(), BLUE),
        ("project", example_chart::<ColocationProject>(), GREEN),
        (
            "sensitivity",
            example_chart::<ColocationSensitivity>(),
            sensitivity::colour(1.0),
        ),
        ("mining", example_chart::<MiningProjection>(), ORANGE),
        ("dilution", example_chart::<ConvertibleDilution>(), ORANGE),
        ("sum of parts", example_chart::<SumOfParts>(), RED),
    ];
    for (name, svg, colour) in charts {
        let (inked, coloured) = pixels(&svg, colour);
        // The backgrounds are white; a drawn chart inks a few percent of
        // its canvas, and its series show in their colour.
        assert!(inked > 20_000, "{name}: {inked} pixels inked");
        assert!(
            coloured > 200,
            "{name}: {coloured} pixels in its series colour"
        );
    }
}

/// The example charts committed under `docs/charts/`, by operation id.
fn example_charts() -> Vec<(&'static str, String)> {
    vec![
        (
            ConvertibleProfile::ID,
            example_chart::<ConvertibleProfile>(),
        ),
        (
            ColocationSensitivity::ID,
            example_chart::<ColocationSensitivity>(),
        ),
        (ColocationProject::ID, example_chart::<ColocationProject>()),
        (MiningProjection::ID, example_chart::<MiningProjection>()),
        (
            ConvertibleDilution::ID,
            example_chart::<ConvertibleDilution>(),
        ),
        (SumOfParts::ID, example_chart::<SumOfParts>()),
    ]
}

fn docs_charts() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/charts")
}

/// Regenerates `docs/charts/`:
/// `cargo test -p infraval-api --lib write_example_charts -- --ignored`.
#[test]
#[ignore = "writes docs/charts/; run by hand after a chart or an example changes"]
fn write_example_charts() {
    std::fs::create_dir_all(docs_charts()).unwrap();
    for (id, svg) in example_charts() {
        std::fs::write(docs_charts().join(format!("{id}.svg")), svg).unwrap();
    }
}

#[test]
fn the_committed_example_charts_are_todays() {
    for (id, svg) in example_charts() {
        let path = docs_charts().join(format!("{id}.svg"));
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == svg,
            "{} is not the chart of today's example; regenerate with \
`cargo test -p infraval-api --lib write_example_charts -- --ignored`",
            path.display()
        );
    }
}
