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

/// One row per (label, value, of): the label as text and a progress bar, in a grid that puts
/// the label above its bar on a narrow screen (a chart drawn as one SVG shrank its text to a few
/// pixels on a phone).
pub fn bar_list(rows: &[(String, u64, u64)]) -> String {
    let mut out = String::from(r#"<div class="bar-list">"#);
    for (label, value, of) in rows {
        let pct = (value * 100).checked_div(*of).unwrap_or(0);
        out.push_str(&format!(
            r#"<div class="bar-row"><span class="bar-label">{}</span>{}</div>"#,
            esc(label),
            progress_bar(*value, *of, &format!("{value} ({pct}%)")),
        ));
    }
    out.push_str("</div>");
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

/// A small bar per value (a day's count), for a row of a table; empty days are a thin line.
pub fn sparkline(values: &[u64]) -> String {
    bars(values, 3.0)
}

/// [`sparkline`] with bars `w` wide (a week each on the overview).
pub fn bars(values: &[u64], w: f64) -> String {
    let max = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    let h = 22.0;
    let mut out = format!(
        r#"<svg class="spark" viewBox="0 0 {vw} {h}" width="{vw}" height="{h}" role="img" aria-label="{n}">"#,
        vw = values.len() as f64 * w,
        n = values.iter().sum::<u64>(),
    );
    for (i, v) in values.iter().enumerate() {
        let bh = if *v == 0 {
            1.0
        } else {
            (*v as f64 / max * (h - 2.0)).max(2.0)
        };
        out.push_str(&format!(
            r##"<rect x="{x}" y="{y:.1}" width="{bw}" height="{bh:.1}" fill="{c}"/>"##,
            x = i as f64 * w,
            y = h - bh,
            bw = w - 1.0,
            c = if *v == 0 { "#ccd" } else { "#1f7a4d" },
        ));
    }
    out.push_str("</svg>");
    out
}

/// A household on the map: where, its colour, a title (no personal data) and its page.
pub struct MapPoint {
    pub lat: f64,
    pub lon: f64,
    pub colour: &'static str,
    pub title: String,
    pub href: String,
}

/// Households as points, drawn from their own coordinates (no map tiles: it reads offline). An
/// equirectangular projection at the points' mean latitude, fitted to the frame with a margin;
/// the frame's width in kilometres is written under it.
pub fn map(points: &[MapPoint]) -> String {
    const W: f64 = 800.0;
    const H: f64 = 560.0;
    const PAD: f64 = 20.0;
    if points.is_empty() {
        return String::new();
    }
    let fold = |f: fn(f64, f64) -> f64, init: f64, get: fn(&MapPoint) -> f64| {
        points.iter().map(get).fold(init, f)
    };
    let (south, north) = (
        fold(f64::min, f64::MAX, |p| p.lat),
        fold(f64::max, f64::MIN, |p| p.lat),
    );
    let (west, east) = (
        fold(f64::min, f64::MAX, |p| p.lon),
        fold(f64::max, f64::MIN, |p| p.lon),
    );
    let k = ((south + north) / 2.0).to_radians().cos();
    // At least about 200 m across, so one household is not drawn at an absurd zoom.
    let span_x = ((east - west) * k).max(0.002);
    let span_y = (north - south).max(0.002);
    let scale = ((W - 2.0 * PAD) / span_x).min((H - 2.0 * PAD) / span_y);
    let cx = (west + east) / 2.0 * k;
    let cy = (south + north) / 2.0;
    let mut out = format!(
        r##"<svg class="map" viewBox="0 0 {W} {H}" width="100%" role="img"><rect x="0" y="0" width="{W}" height="{H}" fill="#f7faf8" stroke="#ccd"/>"##
    );
    for p in points {
        let x = W / 2.0 + (p.lon * k - cx) * scale;
        let y = H / 2.0 - (p.lat - cy) * scale;
        out.push_str(&format!(
            r##"<a href="{href}"><circle cx="{x:.1}" cy="{y:.1}" r="5" fill="{c}" stroke="#fff" stroke-width="1"><title>{t}</title></circle></a>"##,
            href = esc(&p.href),
            c = p.colour,
            t = esc(&p.title),
        ));
    }
    let km = W / scale * 111.32;
    out.push_str(&format!(
        r##"<text x="{x}" y="{y}" font-size="13" text-anchor="end" fill="#456">≈ {km:.1} km</text></svg>"##,
        x = W - 8.0,
        y = H - 8.0,
    ));
    out
}
