//! A hand-written SVG line plot: one line per series over shared x values, with axes, ticks,
//! grid lines, axis labels and a legend. No dependencies.

use std::fmt::Write as _;

/// One line of the plot.
pub struct Series<'a> {
    /// The legend entry.
    pub name: &'a str,
    /// One y value per x value of the plot.
    pub ys: Vec<f64>,
}

/// What to draw.
pub struct Plot<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    /// Shared x values, ascending.
    pub xs: Vec<f64>,
    pub series: Vec<Series<'a>>,
}

const WIDTH: f64 = 820.0;
const HEIGHT: f64 = 520.0;
const LEFT: f64 = 80.0;
const RIGHT: f64 = 170.0;
const TOP: f64 = 50.0;
const BOTTOM: f64 = 60.0;
const COLORS: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
];

impl Plot<'_> {
    /// The plot as a standalone SVG document.
    pub fn to_svg(&self) -> String {
        let plot_w = WIDTH - LEFT - RIGHT;
        let plot_h = HEIGHT - TOP - BOTTOM;
        let (x_min, x_max) = bounds(self.xs.iter().copied(), false);
        let (_, y_max) = bounds(self.series.iter().flat_map(|s| s.ys.iter().copied()), true);
        let (x_ticks, x_decimals) = ticks(x_min, x_max, 10);
        let (y_ticks, y_decimals) = ticks(0.0, y_max, 8);
        let (x_lo, x_hi) = (
            x_min.min(x_ticks[0]),
            x_max.max(*x_ticks.last().unwrap_or(&x_max)),
        );
        let y_hi = y_max.max(*y_ticks.last().unwrap_or(&y_max));
        let sx = |x: f64| LEFT + (x - x_lo) / span(x_lo, x_hi) * plot_w;
        let sy = |y: f64| TOP + plot_h - y / span(0.0, y_hi) * plot_h;

        let mut svg = String::new();
        let _ = writeln!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">"#
        );
        let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
        let _ = writeln!(
            svg,
            r#"<text x="{}" y="28" text-anchor="middle" font-size="16">{}</text>"#,
            LEFT + plot_w / 2.0,
            escape(self.title)
        );

        // Grid lines, tick marks and tick labels.
        let (right, bottom) = (LEFT + plot_w, TOP + plot_h);
        for &y in &y_ticks {
            let py = sy(y);
            let (tick_x, text_x, text_y) = (LEFT - 5.0, LEFT - 8.0, py + 4.0);
            let _ = writeln!(
                svg,
                r##"<line x1="{LEFT}" y1="{py:.1}" x2="{right:.1}" y2="{py:.1}" stroke="#e0e0e0"/>"##
            );
            let _ = writeln!(
                svg,
                r#"<line x1="{tick_x:.1}" y1="{py:.1}" x2="{LEFT}" y2="{py:.1}" stroke="black"/>"#
            );
            let _ = writeln!(
                svg,
                r#"<text x="{text_x:.1}" y="{text_y:.1}" text-anchor="end">{y:.y_decimals$}</text>"#
            );
        }
        for &x in &x_ticks {
            let px = sx(x);
            let (tick_y, text_y) = (bottom + 5.0, bottom + 20.0);
            let _ = writeln!(
                svg,
                r##"<line x1="{px:.1}" y1="{TOP}" x2="{px:.1}" y2="{bottom:.1}" stroke="#e0e0e0"/>"##
            );
            let _ = writeln!(
                svg,
                r#"<line x1="{px:.1}" y1="{bottom:.1}" x2="{px:.1}" y2="{tick_y:.1}" stroke="black"/>"#
            );
            let _ = writeln!(
                svg,
                r#"<text x="{px:.1}" y="{text_y:.1}" text-anchor="middle">{x:.x_decimals$}</text>"#
            );
        }

        // Axes and their labels.
        let _ = writeln!(
            svg,
            r#"<path d="M{LEFT},{TOP} V{bottom:.1} H{right:.1}" fill="none" stroke="black"/>"#
        );
        let _ = writeln!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            LEFT + plot_w / 2.0,
            HEIGHT - 15.0,
            escape(self.x_label)
        );
        let _ = writeln!(
            svg,
            r#"<text transform="translate(20,{:.1}) rotate(-90)" text-anchor="middle">{}</text>"#,
            TOP + plot_h / 2.0,
            escape(self.y_label)
        );

        // Lines, markers and legend.
        for (i, series) in self.series.iter().enumerate() {
            let color = COLORS[i % COLORS.len()];
            let points: Vec<String> = self
                .xs
                .iter()
                .zip(&series.ys)
                .map(|(&x, &y)| format!("{:.1},{:.1}", sx(x), sy(y)))
                .collect();
            let _ = writeln!(
                svg,
                r#"<polyline points="{}" fill="none" stroke="{color}" stroke-width="2"/>"#,
                points.join(" ")
            );
            for point in &points {
                let (cx, cy) = point.split_once(',').unwrap_or(("0", "0"));
                let _ = writeln!(svg, r#"<circle cx="{cx}" cy="{cy}" r="3" fill="{color}"/>"#);
            }
            let ly = TOP + 10.0 + 22.0 * i as f64;
            let lx = LEFT + plot_w + 20.0;
            let _ = writeln!(
                svg,
                r#"<line x1="{lx}" y1="{ly}" x2="{}" y2="{ly}" stroke="{color}" stroke-width="2"/><text x="{}" y="{}">{}</text>"#,
                lx + 25.0,
                lx + 32.0,
                ly + 4.0,
                escape(series.name)
            );
        }
        svg.push_str("</svg>\n");
        svg
    }
}

/// The smallest and largest finite value (0 and 1 if there are none); `from_zero` widens the
/// range down to zero.
fn bounds(values: impl Iterator<Item = f64>, from_zero: bool) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        return (0.0, 1.0);
    }
    let lo = if from_zero { lo.min(0.0) } else { lo };
    (lo, hi)
}

/// A non-zero width for scaling.
fn span(lo: f64, hi: f64) -> f64 {
    if hi > lo {
        hi - lo
    } else {
        1.0
    }
}

/// Round tick values covering `[lo, hi]` with about `target` intervals (steps of 1, 2 or 5
/// times a power of ten), and how many decimals their labels need.
fn ticks(lo: f64, hi: f64, target: u32) -> (Vec<f64>, usize) {
    let raw = span(lo, hi) / f64::from(target.max(1));
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * magnitude);
    let first = (lo / step).floor() as i64;
    let last = (hi / step).ceil() as i64;
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    ((first..=last).map(|k| k as f64 * step).collect(), decimals)
}

/// Escapes text for SVG.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
