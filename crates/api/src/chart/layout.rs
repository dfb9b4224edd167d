//! What every chart shares: the canvas, the title block, the palette, the
//! text styles and the axis ranges.

use plotters::chart::MeshStyle;
use plotters::coord::combinators::{BindKeyPoints, WithKeyPoints};
use plotters::coord::types::{RangedCoordf64, RangedCoordi32};
use plotters::coord::{CoordTranslate, Shift};
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

/// The axes' look every chart shares: described axes, faint grid lines at
/// the labels and none between.
pub(super) fn plain<'m, 'a, 'b, X: Ranged, Y: Ranged>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, SVGBackend<'a>>,
) -> &'m mut MeshStyle<'a, 'b, X, Y, SVGBackend<'a>> {
    mesh.axis_desc_style(text(16))
        .label_style(text(14))
        .bold_line_style(grid())
        .max_light_lines(0)
}

/// Draws the legend of `chart`'s labelled series at `position`.
pub(super) fn legend<'a, 'b: 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, CT>,
    position: SeriesLabelPosition,
) -> Result<(), ChartError> {
    chart
        .configure_series_labels()
        .position(position)
        .label_font(text(15))
        .background_style(WHITE.mix(0.9))
        .border_style(GREY.mix(0.5))
        .draw()?;
    Ok(())
}

/// A legend entry for bars of `colour`.
pub(super) fn swatch(colour: RGBColor) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
    move |(x, y)| Rectangle::new([(x, y - 6), (x + 18, y + 6)], colour.filled())
}

/// A legend entry for a line drawn in `style`.
pub(super) fn stroke(style: ShapeStyle) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], style)
}

/// Plotters labels only integer axes at chosen points, so the x axis of a
/// bar chart is integer: each slot (a year, a month) is `SLOT` units
/// wide, centred on `SLOT × index`.
pub(super) const SLOT: i32 = 10;
/// Half a bar's width, of a slot's `SLOT` units.
const BAR_HALF_WIDTH: i32 = 4;

/// A chart over slots, with values in f64.
pub(super) type SlotChart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<WithKeyPoints<RangedCoordi32>, RangedCoordf64>>;

/// The x coordinate of slot `index`.
pub(super) fn slot(index: u32) -> i32 {
    SLOT.saturating_mul(i32::try_from(index).unwrap_or(i32::MAX))
}

/// The x axis of slots `first..=last`, labelled at every slot, or at
/// evenly spaced ones when there are more than `labels`.
pub(super) fn slots(first: u32, last: u32, labels: usize) -> WithKeyPoints<RangedCoordi32> {
    let count = usize::try_from(last.saturating_sub(first)).unwrap_or(usize::MAX);
    let every = count.saturating_add(1).div_ceil(labels.max(1)).max(1);
    let keys = (first..=last).step_by(every).map(slot).collect();
    (slot(first) - SLOT / 2 - 1..slot(last) + SLOT / 2 + 1).with_key_points(keys)
}

/// A bar from zero to `value` in slot `x`.
pub(super) fn bar(x: i32, value: f64, style: ShapeStyle) -> Rectangle<(i32, f64)> {
    Rectangle::new(
        [(x - BAR_HALF_WIDTH, 0.0), (x + BAR_HALF_WIDTH, value)],
        style,
    )
}

/// Bars from zero at `points` (slot, value), in the colour and under the
/// legend name of their sign, positive first; a sign without bars gets no
/// legend entry.
pub(super) fn signed_bars(
    chart: &mut SlotChart<'_, '_>,
    points: &[(i32, f64)],
    series: [(&'static str, RGBColor); 2],
) -> Result<(), ChartError> {
    for ((name, colour), positive) in series.into_iter().zip([true, false]) {
        let bars: Vec<_> = points
            .iter()
            .filter(|p| (p.1 >= 0.0) == positive)
            .map(|&(x, value)| bar(x, value, colour.mix(0.85).filled()))
            .collect();
        if !bars.is_empty() {
            chart.draw_series(bars)?.label(name).legend(swatch(colour));
        }
    }
    Ok(())
}

/// The upper of two panels over one x axis: its tick labels, without the
/// axis' description.
pub(super) fn upper<'a, 'b>(area: &'a Area<'b>) -> ChartBuilder<'a, 'static, SVGBackend<'b>> {
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(MARGIN)
        .margin_bottom(4)
        .x_label_area_size(24)
        .y_label_area_size(80);
    builder
}

/// The lower of two panels over one x axis, with its description.
pub(super) fn lower<'a, 'b>(area: &'a Area<'b>) -> ChartBuilder<'a, 'static, SVGBackend<'b>> {
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(MARGIN)
        .margin_top(4)
        .x_label_area_size(44)
        .y_label_area_size(80);
    builder
}

/// The two panels' areas: upper and lower halves.
pub(super) fn halves<'b>(area: &Area<'b>) -> (Area<'b>, Area<'b>) {
    let (_, height) = area.dim_in_pixel();
    area.split_vertically(height / 2)
}
