//! The signing log: every signature the vault made (time UTC, chain, path, summary) and whether the log's hash
//! chain is intact.

use coffer_core::signing_log::{self, LogEntry};
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

/// `secs` since the Unix epoch as `YYYY-MM-DD HH:MM:SS UTC` (proleptic Gregorian calendar).
#[must_use]
pub fn utc(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX / 2);
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC", rem / 3600, rem / 60 % 60, rem % 60)
}

/// The log screen: a snapshot of the log taken when it was opened or after a signature.
#[derive(Debug, Default)]
pub struct LogScreen {
    rows: Vec<LogRow>,
    /// `None`: intact; `Some(i)`: the chain first breaks at entry `i`.
    first_break: Option<usize>,
}

impl LogScreen {
    /// The screen for the vault's log entries.
    #[must_use]
    pub fn new(entries: &[LogEntry]) -> Self {
        let rows = entries
            .iter()
            .map(|e| LogRow {
                time: utc(e.time),
                chain: e.chain.clone(),
                path: e.path.clone(),
                summary: e.summary.clone(),
            })
            .collect();
        let first_break = signing_log::verify_chain(entries).err().map(|b| b.index);
        Self { rows, first_break }
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
            for (i, r) in self.rows.iter().enumerate() {
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
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(1_795_833_105), "2026-11-28 02:31:45 UTC");
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
        let screen = LogScreen::new(&entries);
        let h = Harness::new_ui(move |ui| screen.ui(ui));
        h.get_by_label_contains("Log intact: 2 entries");
        h.get_by_label("2026-11-28 02:31:45 UTC");
        h.get_by_label("solana transaction: again");

        entries[0].summary = "tampered".into();
        let screen = LogScreen::new(&entries);
        let h = Harness::new_ui(move |ui| screen.ui(ui));
        h.get_by_label_contains("breaks at entry 1");
    }
}
