//! Charts drawn on the server as SVG: numbers stay text, readable and selectable.

use chrono::NaiveDate;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A horizontal progress bar with its label inside: `done` of `total`.
pub fn progress_bar(done: u64, total: u64, label: &str) -> String {
    let pct = if total == 0 {
        0.0
    } else {
        done as f64 * 100.0 / total as f64
    };
    format!(
        r##"<svg class="bar" viewBox="0 0 300 22" width="100%" height="22" role="img" aria-label="{label}"><rect x="0" y="0" width="300" height="22" rx="4" fill="#e6ece9"/><rect x="0" y="0" width="{w:.1}" height="22" rx="4" fill="#1f7a4d"/><text x="6" y="15" font-size="12" fill="{tc}">{label}</text></svg>"##,
        w = pct * 3.0,
        label = esc(label),
        tc = if pct > 30.0 { "#fff" } else { "#123" },
    )
}

/// Horizontal bars, one per row: (label, value, of).
pub fn bar_chart(rows: &[(String, u64, u64)]) -> String {
    let row_h = 24.0;
    let label_w = 290.0;
    let bar_w = 330.0;
    let height = row_h * rows.len() as f64 + 4.0;
    let mut out = format!(
        r#"<svg class="chart" viewBox="0 0 {w} {height}" width="100%" role="img">"#,
        w = label_w + bar_w + 90.0
    );
    for (i, (label, value, of)) in rows.iter().enumerate() {
        let y = i as f64 * row_h + 2.0;
        let pct = if *of == 0 {
            0.0
        } else {
            *value as f64 / *of as f64
        };
        out.push_str(&format!(
            r##"<text x="{lx}" y="{ty}" font-size="12" text-anchor="end" fill="#123">{label}</text><rect x="{bx}" y="{y}" width="{bar_w}" height="{bh}" fill="#eef2f0"/><rect x="{bx}" y="{y}" width="{w:.1}" height="{bh}" fill="#2d6cdf"/><text x="{vx}" y="{ty}" font-size="12" fill="#123">{value} ({p:.0}%)</text>"##,
            lx = label_w - 6.0,
            ty = y + 15.0,
            label = esc(label),
            bx = label_w,
            bh = row_h - 6.0,
            w = pct * bar_w,
            vx = label_w + bar_w + 6.0,
            p = pct * 100.0,
        ));
    }
    out.push_str("</svg>");
    out
}

/// Cumulative lines over days: each series is (name, colour, per-day counts).
/// A chart series: name, colour, counts per day.
pub type Series<'a> = (&'a str, &'a str, &'a [(NaiveDate, u64)]);

pub fn cumulative_chart(series: &[Series<'_>]) -> String {
    let (w, h, left, bottom, top, right) = (720.0, 260.0, 56.0, 30.0, 24.0, 16.0);
    let days: Vec<NaiveDate> = series
        .iter()
        .flat_map(|(_, _, pts)| pts.iter().map(|(d, _)| *d))
        .collect();
    let (Some(first), Some(last)) = (days.iter().min(), days.iter().max()) else {
        return String::new();
    };
    let span = ((*last - *first).num_days().max(1)) as f64;
    let totals: Vec<u64> = series
        .iter()
        .map(|(_, _, pts)| pts.iter().map(|(_, n)| n).sum())
        .collect();
    let max = totals.iter().copied().max().unwrap_or(1).max(1) as f64;
    let x = |d: NaiveDate| left + (d - *first).num_days() as f64 / span * (w - left - right);
    let y = |v: f64| top + (1.0 - v / max) * (h - top - bottom);
    let mut out = format!(
        r##"<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img"><rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="#fafcfb" stroke="#ccd"/>"##,
        pw = w - left - right,
        ph = h - top - bottom
    );
    for i in 0..=4 {
        let v = max * i as f64 / 4.0;
        out.push_str(&format!(
            r##"<line x1="{left}" x2="{x2}" y1="{yy:.1}" y2="{yy:.1}" stroke="#e3e6e8"/><text x="{tx}" y="{ty:.1}" font-size="11" text-anchor="end" fill="#456">{v:.0}</text>"##,
            x2 = w - right,
            yy = y(v),
            tx = left - 6.0,
            ty = y(v) + 4.0
        ));
    }
    out.push_str(&format!(
        r##"<text x="{left}" y="{ty}" font-size="11" fill="#456">{first}</text><text x="{rx}" y="{ty}" font-size="11" text-anchor="end" fill="#456">{last}</text>"##,
        ty = h - 10.0,
        rx = w - right
    ));
    for (i, (name, colour, pts)) in series.iter().enumerate() {
        let mut acc = 0u64;
        let mut path = String::new();
        for (j, (d, n)) in pts.iter().enumerate() {
            if j == 0 {
                path.push_str(&format!("M{:.1},{:.1}", x(*d), y(0.0)));
            }
            path.push_str(&format!(" L{:.1},{:.1}", x(*d), y(acc as f64)));
            acc += n;
            path.push_str(&format!(" L{:.1},{:.1}", x(*d), y(acc as f64)));
        }
        if let Some((d, _)) = pts.last() {
            let _ = d;
            path.push_str(&format!(" L{:.1},{:.1}", w - right, y(acc as f64)));
        }
        out.push_str(&format!(
            r#"<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>"#
        ));
        let lx = left + 10.0 + 260.0 * i as f64;
        out.push_str(&format!(
            r##"<rect x="{lx}" y="6" width="12" height="12" fill="{colour}"/><text x="{tx}" y="16" font-size="12" fill="#123">{name}: {acc}</text>"##,
            tx = lx + 16.0,
            name = esc(name)
        ));
    }
    out.push_str("</svg>");
    out
}

/// A QR code as SVG.
pub fn qr(payload: &str) -> String {
    match qrcode::QrCode::new(payload.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(180, 180)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}
