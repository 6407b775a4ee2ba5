//! Results: one row per system, workload and link; the Markdown section of docs/BENCHMARKS.md.

use serde::{Deserialize, Serialize};

use crate::proxy::Counts;

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Row {
    pub system: String,
    pub workload: String,
    pub link: String,
    pub households: usize,
    pub counts: Counts,
    pub wall_ms: f64,
    pub hub_cpu_ms: Option<u64>,
    pub hub_peak_rss_kib: Option<u64>,
    pub device_db_bytes: Option<u64>,
    pub converged: Option<bool>,
    pub conflicts_for_a_person: Option<u64>,
    /// Attempts that failed before the one that finished.
    pub failures: u32,
    /// W2: edits that must survive, [shown, kept only as a concurrent value, lost].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edit_check: Option<[u64; 3]>,
    /// When the run that measured this row started (a report may join runs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
    pub note: String,
}

pub fn find<'a>(rows: &'a [Row], system: &str, workload: &str, link: &str) -> Option<&'a Row> {
    rows.iter()
        .find(|r| r.system == system && r.workload == workload && r.link == link)
}

fn kb(b: u64) -> String {
    if b < 10_000 {
        format!("{b} B")
    } else {
        format!("{:.1} KB", b as f64 / 1000.0)
    }
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "–".into())
}

fn wall(r: &Row) -> String {
    if r.note.starts_with("not run") {
        format!("≈ {:.0} s (estimate, not run)", r.wall_ms / 1000.0)
    } else if r.note.starts_with("did not finish") {
        format!("did not finish ({:.0} ms)", r.wall_ms)
    } else {
        format!("{:.0} ms", r.wall_ms)
    }
}

pub fn table(rows: &[Row]) -> String {
    let mut s = String::from(
        "| workload | link | system | households | up | down | total | requests | round trips | connections | wall | hub CPU | hub peak RSS | device DB | converged | conflicts for a person |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for r in rows {
        let c = &r.counts;
        s += &format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            r.workload,
            r.link,
            r.system,
            r.households,
            kb(c.up),
            kb(c.down),
            kb(c.total()),
            c.requests,
            c.round_trips,
            c.connections,
            wall(r),
            r.hub_cpu_ms
                .map(|v| format!("{v} ms"))
                .unwrap_or_else(|| "–".into()),
            r.hub_peak_rss_kib
                .map(|v| format!("{:.0} MiB", v as f64 / 1024.0))
                .unwrap_or_else(|| "–".into()),
            r.device_db_bytes.map(kb).unwrap_or_else(|| "–".into()),
            match r.converged {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "–",
            },
            opt(r.conflicts_for_a_person),
        );
    }
    s
}

/// Replaces (or appends) the section starting with `heading` in `doc`, up to the next `## `.
pub fn replace_section(doc: &str, heading: &str, body: &str) -> String {
    let section = format!("{heading}\n\n{}\n", body.trim_end());
    match doc.find(heading) {
        Some(start) => {
            let after = start + heading.len();
            let end = doc[after..]
                .find("\n## ")
                .map(|i| after + i + 1)
                .unwrap_or(doc.len());
            let gap = if end < doc.len() { "\n" } else { "" };
            format!("{}{}{}{}", &doc[..start], section, gap, &doc[end..])
        }
        None => format!(
            "{}\n{}",
            doc.trim_end_matches('\n').to_string() + "\n",
            section
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_is_replaced_in_place_and_others_are_kept() {
        let doc = "# B\n\n## A\n\na\n\n## X\n\nold\n\n## C\n\nc\n";
        let out = replace_section(doc, "## X", "new");
        assert_eq!(out, "# B\n\n## A\n\na\n\n## X\n\nnew\n\n## C\n\nc\n");
        let out = replace_section("# B\n", "## X", "new");
        assert_eq!(out, "# B\n\n## X\n\nnew\n");
    }
}
