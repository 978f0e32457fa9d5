//! Printing results: tables for people, JSON for scripts.

use std::io::Write;

use crate::error::{CliError, code};

/// Prints a JSON value on standard output.
pub fn print_json(value: &serde_json::Value) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(out))
        .map_err(write_error)
}

/// Prints rows as aligned columns under a header.
pub fn print_table(header: &[&str], rows: &[Vec<String>]) -> Result<(), CliError> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = std::io::stdout().lock();
    let line = |cells: Vec<&str>| {
        let n = cells.len();
        let mut s = String::new();
        for (i, (cell, w)) in cells.into_iter().zip(&widths).enumerate() {
            if i + 1 == n {
                s.push_str(cell);
            } else {
                s.push_str(&format!("{cell:<w$}  "));
            }
        }
        s
    };
    writeln!(out, "{}", line(header.to_vec())).map_err(write_error)?;
    for row in rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect())).map_err(write_error)?;
    }
    Ok(())
}

/// Prints one line on standard output.
pub fn print_line(text: &str) -> Result<(), CliError> {
    writeln!(std::io::stdout().lock(), "{text}").map_err(write_error)
}

/// Prints a warning on standard error: `coffer: message`, or with `--json` one line
/// `{"warning": {"kind": ..., "message": ...}}`, so that standard error stays machine-readable.
pub fn warn(json: bool, kind: &str, message: &str) {
    if json {
        eprintln!("{}", serde_json::json!({ "warning": { "kind": kind, "message": message } }));
    } else {
        eprintln!("coffer: {message}");
    }
}

fn write_error(e: std::io::Error) -> CliError {
    CliError::new(code::FAILURE, "io_error", format!("cannot write the output: {e}"))
}
