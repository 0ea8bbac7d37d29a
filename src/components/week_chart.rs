//! A bar chart of the kilograms collected per week, drawn as plain SVG so
//! the server renders it whole (no script, no inline styles: the CSP
//! forbids them). It scales with its `viewBox`; a second, narrower drawing
//! with fewer labels replaces it on phones, where the wide one's text would
//! shrink below reading size.

use leptos::prelude::*;

use crate::{
    domain::{format_points, Weight},
    wire::programme::WeekTotal,
};

/// A total weight for people: `12.35 kg` below 100 kg, then tenths with
/// thousands separators (`1,234.5 kg`, `20,000 kg`).
pub fn kg_total(centikg: i64) -> String {
    if centikg.abs() < 100 * 100 {
        return Weight(centikg).to_string();
    }
    let tenths = (centikg + 5) / 10;
    match tenths % 10 {
        0 => format!("{} kg", format_points(tenths / 10)),
        t => format!("{}.{t} kg", format_points(tenths / 10)),
    }
}

/// A short number of kilograms for an axis or a bar: `0`, `0.5`, `12`, `1,250`.
fn kg_short(centikg: i64) -> String {
    if centikg >= 10 * 100 || centikg % 100 == 0 {
        format_points((centikg + 50) / 100)
    } else {
        let tenths = (centikg + 5) / 10;
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// The gridline step, in centikg: the smallest "round" value (1, 2 or 5
/// times a power of ten, at least 0.1 kg) that fits the maximum in four
/// steps, so the axis shows three to five values.
fn axis_step(max_centikg: i64) -> i64 {
    let target = (max_centikg + 3) / 4;
    let mut magnitude = 10;
    loop {
        for factor in [1, 2, 5] {
            let step = factor * magnitude;
            if step >= target {
                return step;
            }
        }
        magnitude *= 10;
    }
}

/// One drawing of the chart: its size in SVG units and how much it labels.
/// Everything is placed on whole units: a unit is a fraction of a pixel at
/// any width the chart is shown at, and whole numbers keep the drawing short
/// (with `56.83333333333333` in every coordinate, the two drawings were
/// about half of the console page's HTML).
struct Layout {
    class: &'static str,
    width: i64,
    height: i64,
    left: i64,
    right: i64,
    top: i64,
    bottom: i64,
    /// Label every n-th week (counting back from the current week).
    label_every: usize,
    /// Print each bar's value above it.
    values: bool,
}

const WIDE: Layout = Layout {
    class: "week-chart wide",
    width: 640,
    height: 260,
    left: 48,
    right: 8,
    top: 22,
    bottom: 30,
    label_every: 1,
    values: true,
};

const NARROW: Layout = Layout {
    class: "week-chart narrow",
    width: 340,
    height: 250,
    left: 40,
    right: 4,
    top: 12,
    bottom: 30,
    label_every: 2,
    values: false,
};

/// What a screen reader hears instead of the drawing.
fn summary(weeks: &[WeekTotal]) -> String {
    let total: i64 = weeks.iter().map(|w| w.centikg).sum();
    let busiest = weeks.iter().max_by_key(|w| w.centikg);
    let mut text = format!(
        "Bar chart of kilograms collected per week over the last {} weeks: {} in all.",
        weeks.len(),
        kg_total(total)
    );
    if let Some(best) = busiest {
        text.push_str(&format!(" Busiest week: {}, {}.", best.label, kg_total(best.centikg)));
    }
    if let Some(current) = weeks.last() {
        text.push_str(&format!(" This week so far: {}.", kg_total(current.centikg)));
    }
    text
}

/// One drawing as SVG markup. Written as text rather than as views: the
/// drawing has no reactive part and nothing in it to hydrate, and its ~70
/// elements cost the console page a sixth of its render as views. The only
/// text in it that is not a number (week labels, the summary) is escaped.
fn drawing(layout: &Layout, weeks: &[WeekTotal], label: &str) -> String {
    use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
    use std::fmt::Write;

    let max = weeks.iter().map(|w| w.centikg).max().unwrap_or(0).max(1);
    let step = axis_step(max);
    let top_value = step * ((max + step - 1) / step);
    let plot_width = layout.width - layout.left - layout.right;
    let plot_height = layout.height - layout.top - layout.bottom;
    let baseline = layout.top + plot_height;
    // Rounded to the nearest unit; a week with anything in it keeps a bar.
    let height_of = move |centikg: i64| {
        if centikg <= 0 {
            return 0;
        }
        ((plot_height * centikg + top_value / 2) / top_value).max(1)
    };
    let band = plot_width as f64 / weeks.len().max(1) as f64;
    let bar_width = (band * 0.64).round() as i64;
    let last = weeks.len().saturating_sub(1);
    let (left, right_edge) = (layout.left, layout.width - layout.right);

    // Writing to a String cannot fail.
    let mut svg = String::with_capacity(6 * 1024);
    let _ = write!(
        svg,
        r#"<svg class="{}" viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        layout.class,
        layout.width,
        layout.height,
        attr(label)
    );
    for i in 0..=top_value / step {
        let value = i * step;
        let y = baseline - height_of(value);
        let _ = write!(
            svg,
            r##"<g class="chart-grid"><line x1="{left}" x2="{right_edge}" y1="{y}" y2="{y}" stroke="#e2e7eb"></line><text x="{}" y="{}" text-anchor="end" font-size="12" fill="#66727d">{}</text></g>"##,
            left - 6,
            y + 4,
            kg_short(value)
        );
    }
    let _ = write!(
        svg,
        r##"<text x="4" y="{}" font-size="11" fill="#66727d" class="chart-unit">kg</text>"##,
        layout.top - 8
    );
    for (i, week) in weeks.iter().enumerate() {
        let centre = left + (band * (i as f64 + 0.5)).round() as i64;
        let height = height_of(week.centikg);
        let y = baseline - height;
        let current = i == last;
        let (class, fill, so_far) = if current {
            ("chart-bar current", "#8fd6ae", " (so far)")
        } else {
            ("chart-bar", "#23895a", "")
        };
        let week_label = text(&week.label);
        let _ = write!(
            svg,
            r#"<g class="{class}"><title>Week of {week_label}{so_far}: {}</title><rect x="{}" y="{y}" width="{bar_width}" height="{height}" rx="3" fill="{fill}"></rect>"#,
            kg_total(week.centikg),
            centre - bar_width / 2,
        );
        if layout.values && week.centikg > 0 {
            let _ = write!(
                svg,
                r##"<text class="chart-value" x="{centre}" y="{}" text-anchor="middle" font-size="11" fill="#3b4752">{}</text>"##,
                y - 5,
                kg_short(week.centikg)
            );
        }
        if (last - i).is_multiple_of(layout.label_every) {
            let _ = write!(
                svg,
                r##"<text class="chart-label" x="{centre}" y="{}" text-anchor="middle" font-size="12" fill="#66727d">{week_label}</text>"##,
                baseline + 18
            );
        }
        svg.push_str("</g>");
    }
    let _ = write!(
        svg,
        r##"<line x1="{left}" x2="{right_edge}" y1="{baseline}" y2="{baseline}" stroke="#c9d1d8"></line></svg>"##
    );
    svg
}

/// Kilograms collected per week, oldest week first and the current (still
/// running) week last, as the console's figures give them.
#[component]
pub fn WeekChart(weeks: Vec<WeekTotal>) -> impl IntoView {
    if weeks.iter().all(|w| w.centikg <= 0) {
        return view! {
            <div class="chart-empty" data-testid="week-chart-empty">
                <p>"No collections recorded in the last 12 weeks."</p>
                <p class="hint">"Recorded collections appear here, one bar per week."</p>
            </div>
        }
        .into_any();
    }
    let label = summary(&weeks);
    view! {
        <figure class="chart" data-testid="week-chart">
            <div class="chart-drawing" inner_html=drawing(&WIDE, &weeks, &label) + &drawing(&NARROW, &weeks, &label)></div>
            <figcaption class="hint">
                <span class="chart-key current" aria-hidden="true"></span>
                " The lighter bar is the current week so far. Weeks start on Monday."
            </figcaption>
        </figure>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_steps_are_round_and_give_three_to_five_values() {
        for max in [1, 9, 10, 37, 99, 100, 250, 401, 999, 1_000, 12_345, 99_999, 1_000_000, 7_654_321] {
            let step = axis_step(max);
            let digits = step.to_string();
            assert!(digits.starts_with(['1', '2', '5']) && digits[1..].chars().all(|c| c == '0'), "{step}");
            let values = (max + step - 1) / step + 1;
            assert!(values <= 5, "max {max}: step {step} gives {values} values");
            if max >= 40 {
                assert!(values >= 3, "max {max}: step {step} gives {values} values");
            }
        }
    }

    #[test]
    fn the_drawing_is_placed_on_whole_units_and_every_week_with_a_collection_shows() {
        let weeks: Vec<WeekTotal> = [0, 3, 12_345, 99_999, 40_000, 7]
            .into_iter()
            .enumerate()
            .map(|(i, centikg)| WeekTotal { label: format!("{} Nov", i + 1), centikg })
            .collect();
        let html = drawing(&WIDE, &weeks, "chart");
        let mut heights = Vec::new();
        for name in ["x", "y", "x1", "x2", "y1", "y2", "width", "height"] {
            for value in html.split(&format!(" {name}=\"")).skip(1) {
                let value = &value[..value.find('"').unwrap()];
                if value == "100%" {
                    continue; // the drawing's own width on the page
                }
                let n: i64 =
                    value.parse().unwrap_or_else(|_| panic!("{name}={value:?} is not a whole number"));
                if name == "height" {
                    heights.push(n);
                }
            }
        }
        // Every week but the empty first one has a bar, the tiny ones too,
        // and the busiest reaches the top gridline's height or near it.
        assert_eq!(heights.len(), weeks.len());
        assert_eq!(heights[0], 0);
        assert!(heights[1..].iter().all(|h| *h >= 1), "{heights:?}");
        let plot_height = WIDE.height - WIDE.top - WIDE.bottom;
        assert!(heights[3] <= plot_height && heights[3] > plot_height / 2, "{heights:?}");
    }

    #[test]
    fn the_drawings_text_is_escaped() {
        let weeks = vec![WeekTotal { label: "<b>1 & 2</b>".into(), centikg: 500 }];
        let svg = drawing(&WIDE, &weeks, r#"say "hi" <now>"#);
        assert!(svg.contains(r#"aria-label="say &quot;hi&quot; &lt;now&gt;""#), "{svg}");
        assert!(
            svg.contains("<title>Week of &lt;b&gt;1 &amp; 2&lt;/b&gt; (so far): 5.00 kg</title>"),
            "{svg}"
        );
        assert!(!svg.contains("<b>"));
    }

    #[test]
    fn totals_read_as_kilograms() {
        assert_eq!(kg_total(0), "0.00 kg");
        assert_eq!(kg_total(1_235), "12.35 kg");
        assert_eq!(kg_total(123_450), "1,234.5 kg");
        assert_eq!(kg_total(2_000_000), "20,000 kg");
        assert_eq!(kg_short(50), "0.5");
        assert_eq!(kg_short(1_250), "13");
        assert_eq!(kg_short(125_000), "1,250");
    }
}
