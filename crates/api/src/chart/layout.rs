//! What every chart shares: the canvas, the title block, the palette, the
//! text styles and the axis ranges.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartError, Svg};

/// The canvas, pixels.
pub(super) const WIDTH: u32 = 960;
pub(super) const HEIGHT: u32 = 600;
/// The title block's height, pixels.
const HEADER: u32 = 70;
/// Space around a plot, pixels.
pub(super) const MARGIN: u32 = 16;
/// The font family: generic, so the reader's own fonts draw it.
pub(super) const FONT: &str = "sans-serif";

/// The series colours (matplotlib's tab10, readable on white and by most
/// colour-blind readers).
pub(super) const BLUE: RGBColor = RGBColor(31, 119, 180);
pub(super) const ORANGE: RGBColor = RGBColor(255, 127, 14);
pub(super) const GREEN: RGBColor = RGBColor(44, 160, 44);
pub(super) const RED: RGBColor = RGBColor(214, 39, 40);
pub(super) const PURPLE: RGBColor = RGBColor(148, 103, 189);
pub(super) const GREY: RGBColor = RGBColor(127, 127, 127);
/// Text and axes.
pub(super) const INK: RGBColor = RGBColor(33, 33, 33);

/// One panel of a chart.
pub(super) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// What a chart's title block says: what is drawn, with its key inputs,
/// and the other inputs beneath.
pub(super) struct Title {
    /// The first line, bold.
    pub(super) headline: String,
    /// The second line.
    pub(super) inputs: String,
}

/// Draws a chart of `size` pixels: the title block, then `body` below it.
pub(super) fn render(
    size: (u32, u32),
    title: &Title,
    body: impl FnOnce(&Area<'_>) -> Result<(), ChartError>,
) -> Result<Svg, ChartError> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        root.fill(&WHITE)?;
        let (head, rest) = root.split_vertically(HEADER);
        let left = i32::try_from(MARGIN).unwrap_or_default();
        head.draw_text(
            &title.headline,
            &TextStyle::from((FONT, 22).into_font().style(FontStyle::Bold)).color(&INK),
            (left, 14),
        )?;
        head.draw_text(&title.inputs, &text(16).color(&GREY), (left, 44))?;
        body(&rest)?;
        root.present()?;
    }
    Ok(Svg(with_title_element(out, &title.headline)))
}

/// The document with a `<title>` (what screen readers and browser tabs
/// show) as its first child.
fn with_title_element(svg: String, title: &str) -> String {
    let Some(end) = svg
        .find("<svg")
        .and_then(|start| svg[start..].find('>').map(|e| start + e + 1))
    else {
        return svg;
    };
    let escaped = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!("{}\n<title>{escaped}</title>{}", &svg[..end], &svg[end..])
}

/// A text style of `size` (plotters' units; the SVG's font-size is
/// `size / 1.24` px).
pub(super) fn text(size: u32) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font()).color(&INK)
}

/// Text centred on its position.
pub(super) fn centred(style: TextStyle<'static>) -> TextStyle<'static> {
    style.pos(Pos::new(HPos::Center, VPos::Center))
}

/// The grid's lines: faint, so the series stand out.
pub(super) fn grid() -> ShapeStyle {
    INK.mix(0.1).into()
}

/// `[lo, hi]` widened by `share` of its width at each end (by 1 when it
/// has no width), so that nothing is drawn on the frame.
pub(super) fn padded(lo: f64, hi: f64, share: f64) -> (f64, f64) {
    let width = hi - lo;
    if width > 0.0 {
        (lo - width * share, hi + width * share)
    } else {
        let pad = if lo.abs() > 0.0 { lo.abs() * 0.1 } else { 1.0 };
        (lo - pad, hi + pad)
    }
}

/// The smallest and largest of `values` (`(0, 0)` when there are none).
pub(super) fn extent(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc: Option<(f64, f64)>, v| {
            Some(acc.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
        })
        .unwrap_or((0.0, 0.0))
}

/// `[lo, hi]` stretched to include zero, then padded: the range of a bar
/// chart, whose bars start at zero.
pub(super) fn with_zero(lo: f64, hi: f64) -> (f64, f64) {
    padded(lo.min(0.0), hi.max(0.0), 0.05)
}

/// Tick labels at whole numbers only, for axes of years or months drawn
/// on a continuous range.
pub(super) fn whole(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        String::new()
    }
}
