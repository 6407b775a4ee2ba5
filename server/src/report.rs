//! What a coordinator looks at: per-device sync status and the latest sessions. Holds no
//! personal data: ids, counts and times only.

use serde::Serialize;

use crate::store::{DeviceStatus, HubStore, SessionRecord, StoreResult};

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub hub_id: String,
    /// 0, then one more at each restore from a backup.
    pub generation: i64,
    pub restored_at: Option<String>,
    pub households: u64,
    pub devices: Vec<DeviceStatus>,
    pub sessions: Vec<SessionRecord>,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Report {
    pub fn collect(store: &dyn HubStore) -> StoreResult<Self> {
        Ok(Self {
            hub_id: store.hub_id()?,
            generation: store.lineage()?.0,
            restored_at: store.lineage()?.1,
            households: store.doc_count()?,
            devices: store.device_statuses()?,
            sessions: store.sessions(50)?,
        })
    }

    /// Plain text for the terminal.
    pub fn to_text(&self) -> String {
        let mut out = format!("hub {} — {} households\n", self.hub_id, self.households);
        if let Some(at) = &self.restored_at {
            // Devices that have not synced since the restore still hold what the backup lacks.
            // A phone's first sync since refills the hub (docs/sync-protocol.md,
            // "Reconciliation").
            let (behind, refilled): (Vec<&DeviceStatus>, Vec<&DeviceStatus>) = self
                .devices
                .iter()
                .filter(|d| !d.revoked)
                .partition(|d| d.last_success_at.as_deref().is_none_or(|s| s < at.as_str()));
            let names = |ds: &[&DeviceStatus]| {
                if ds.is_empty() {
                    "none".to_owned()
                } else {
                    ds.iter()
                        .map(|d| d.volunteer_id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            };
            out.push_str(&format!(
                "restored from a backup at {at} (generation {}); not synced since (khôi phục, chưa đồng bộ lại): {}\n",
                self.generation,
                names(&behind)
            ));
            out.push_str(&format!(
                "refilled the hub since (đã gửi bù): {}\n",
                names(&refilled)
            ));
        }
        out.push_str("\nDEVICES (thiết bị)\n");
        out.push_str(&format!(
            "{:<34} {:<14} {:<8} {:<26} {:>7}  {}\n",
            "device", "volunteer", "state", "last success", "pending", "last error"
        ));
        for d in &self.devices {
            out.push_str(&format!(
                "{:<34} {:<14} {:<8} {:<26} {:>7}  {}\n",
                d.device_id,
                d.volunteer_id,
                if d.revoked { "revoked" } else { "active" },
                d.last_success_at.as_deref().unwrap_or("never"),
                d.pending_docs
                    .map(|p| p.to_string())
                    .unwrap_or_else(|| "?".into()),
                d.last_error.as_deref().unwrap_or("-")
            ));
        }
        out.push_str("\nLATEST SESSIONS (phiên đồng bộ)\n");
        out.push_str(&format!(
            "{:>5} {:<34} {:<10} {:>7} {:>9} {:>9} {:>9} {:>8}\n",
            "id", "device", "outcome", "docs up", "bytes up", "docs down", "bytes down", "rejected"
        ));
        for s in &self.sessions {
            out.push_str(&format!(
                "{:>5} {:<34} {:<10} {:>7} {:>9} {:>9} {:>9} {:>8}\n",
                s.session_id,
                s.device_id,
                s.outcome.as_deref().unwrap_or("open/interrupted"),
                s.docs_up,
                s.bytes_up,
                s.docs_down,
                s.bytes_down,
                s.rejected
            ));
        }
        out
    }

    pub fn to_html(&self) -> String {
        let mut rows = String::new();
        for d in &self.devices {
            rows.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&d.device_id),
                esc(&d.volunteer_id),
                if d.revoked {
                    "thu hồi / revoked"
                } else {
                    "hoạt động / active"
                },
                esc(d.last_success_at.as_deref().unwrap_or("chưa / never")),
                d.pending_docs
                    .map(|p| p.to_string())
                    .unwrap_or_else(|| "?".into()),
                esc(d.last_error.as_deref().unwrap_or("-"))
            ));
        }
        let mut sessions = String::new();
        for s in &self.sessions {
            sessions.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                s.session_id,
                esc(&s.device_id),
                esc(&s.started_at),
                esc(s.outcome.as_deref().unwrap_or("dở dang / open or interrupted")),
                s.docs_up,
                s.bytes_up,
                s.docs_down,
                s.bytes_down,
                s.rejected
            ));
        }
        format!(
            "<!doctype html><html lang=vi><meta charset=utf-8><title>gocua hub</title>\
             <style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:4px 8px}}</style>\
             <h1>Máy chủ xã / Commune hub {}</h1><p>{} hộ / households</p>\
             <h2>Thiết bị / Devices</h2><table><tr><th>device</th><th>volunteer</th><th>state</th><th>last success</th><th>pending</th><th>last error</th></tr>{}</table>\
             <h2>Phiên đồng bộ / Sync sessions</h2><table><tr><th>id</th><th>device</th><th>started</th><th>outcome</th><th>docs up</th><th>bytes up</th><th>docs down</th><th>bytes down</th><th>rejected</th></tr>{}</table>\
             <p><a href=/status.json>status.json</a></p></html>",
            esc(&self.hub_id),
            self.households,
            rows,
            sessions
        )
    }
}
