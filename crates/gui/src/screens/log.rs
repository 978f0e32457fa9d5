//! The signing log: every signature the vault made (time UTC, chain, path, summary) and whether the log's hash
//! chain is intact.

use coffer_core::signing_log::{self, Checkpoint, LogEntry};
use egui::RichText;

/// One row of the table (public data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    /// When, as `YYYY-MM-DD HH:MM:SS UTC`.
    pub time: String,
    /// The chain.
    pub chain: String,
    /// The derivation path.
    pub path: String,
    /// One-line summary.
    pub summary: String,
}

/// `secs` since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`, the same form the CLI prints.
#[must_use]
pub fn utc(secs: u64) -> String {
    coffer_core::time::utc_iso8601(secs)
}

/// The log screen: a snapshot of the log taken when it was opened or after a signature.
#[derive(Debug, Default)]
pub struct LogScreen {
    rows: Vec<LogRow>,
    /// `None`: intact; `Some(i)`: the chain first breaks at entry `i` (absolute index).
    first_break: Option<u64>,
    /// How many older entries were moved into the archive beside the vault (the first row's absolute index).
    archived: u64,
}

impl LogScreen {
    /// The screen for the log entries kept in the vault, which follow `checkpoint` (older entries archived).
    #[must_use]
    pub fn new(entries: &[LogEntry], checkpoint: Checkpoint) -> Self {
        let rows = entries
            .iter()
            .map(|e| LogRow {
                time: utc(e.time),
                chain: e.chain.clone(),
                path: e.path.clone(),
                summary: e.summary.clone(),
            })
            .collect();
        let first_break = signing_log::verify_chain_from(&checkpoint.head, entries)
            .err()
            .map(|b| checkpoint.archived + b.index as u64);
        Self { rows, first_break, archived: checkpoint.archived }
    }

    /// The rows, oldest first.
    #[must_use]
    pub fn rows(&self) -> &[LogRow] {
        &self.rows
    }

    /// Draws the screen.
    pub fn ui(&self, ui: &mut egui::Ui) {
        ui.heading("Signing log of this vault");
        match self.first_break {
            None => ui.label(
                RichText::new(format!("Log intact: {} entries, hash chain verified.", self.rows.len()))
                    .color(super::ok_color(ui)),
            ),
            Some(i) => ui.label(
                RichText::new(format!(
                    "The log's hash chain breaks at entry {i}: entries from there on were changed or removed."
                ))
                .color(super::error_color(ui))
                .strong(),
            ),
        };
        if self.archived > 0 {
            ui.label(format!(
                "{} older entries were moved to the log archive beside the vault file (checked and exported with \
                 `coffer log --export FILE`); the entries below continue its chain.",
                self.archived
            ));
        }
        if self.rows.is_empty() {
            ui.label("Nothing has been signed with this vault yet.");
            return;
        }
        ui.add_space(6.0);
        egui::Grid::new("signing-log").num_columns(5).striped(true).show(ui, |ui| {
            for h in ["#", "Time (UTC)", "Chain", "Path", "Summary"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for (i, r) in (self.archived..).zip(&self.rows) {
                ui.label(i.to_string());
                ui.label(&r.time);
                ui.label(&r.chain);
                ui.label(RichText::new(&r.path).monospace());
                ui.add(egui::Label::new(&r.summary).wrap());
                ui.end_row();
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use coffer_core::sign::LogRecord;
    use egui_kittest::{Harness, kittest::Queryable};

    #[test]
    fn utc_dates() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc(1_795_833_105), "2026-11-28T02:31:45Z");
    }

    fn record(summary: &str) -> LogRecord {
        LogRecord {
            chain: "solana".into(),
            path: "m/44'/501'/0'/0'".into(),
            digest: vec![1; 32],
            summary: summary.into(),
        }
    }

    #[test]
    fn table_and_verdict() {
        let mut entries = Vec::new();
        signing_log::append(&mut entries, 1_795_833_105, record("solana transaction: transfer"));
        signing_log::append(&mut entries, 1_795_833_200, record("solana transaction: again"));
        let screen = LogScreen::new(&entries, Checkpoint::START);
        let h = Harness::new_ui(move |ui| screen.ui(ui));
        h.get_by_label_contains("Log intact: 2 entries");
        h.get_by_label("2026-11-28T02:31:45Z");
        h.get_by_label("solana transaction: again");

        // The kept tail of an archived log verifies from its checkpoint and keeps its absolute indices.
        let checkpoint = Checkpoint { archived: 10_000, head: entries[0].hash() };
        let screen = LogScreen::new(&entries[1..], checkpoint);
        let h = Harness::new_ui(move |ui| screen.ui(ui));
        h.get_by_label_contains("Log intact: 1 entries");
        h.get_by_label_contains("10000 older entries");
        h.get_by_label("10000");

        entries[0].summary = "tampered".into();
        let screen = LogScreen::new(&entries, Checkpoint::START);
        let h = Harness::new_ui(move |ui| screen.ui(ui));
        h.get_by_label_contains("breaks at entry 1");
    }
}
