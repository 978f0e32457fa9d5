//! Printing results: tables for people, JSON for scripts.
//!
//! Everything printed for people passes [`safe`]: control characters (terminal escape sequences), invisible and
//! text-direction characters in labels, paths or messages are written as `\u{XXXX}`. JSON strings write the
//! invisible and text-direction characters as `\uXXXX` escapes (serde_json already escapes control characters), so
//! the parsed value is exact and a terminal showing the document shows them too.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};
use zeroize::Zeroizing;

use crate::error::{CliError, code};

/// `text` as it may reach a terminal: control, invisible and text-direction characters written as `\u{XXXX}` (the
/// escaping of [`coffer_core::text::escape`]); unchanged (borrowed) when it holds none.
pub fn safe(text: &str) -> Cow<'_, str> {
    coffer_core::text::escape(text)
}

/// Prints a JSON value on standard output.
pub fn print_json(value: &serde_json::Value) -> Result<(), CliError> {
    print_json_secret(value)
}

/// Prints a JSON document that may hold a secret (a fresh mnemonic): the value is serialized straight into a
/// zeroizing buffer, reserved up front so it never reallocates, written to standard output in one call and wiped.
/// Serialize a struct that borrows the secret (`&str` from a `SecretString`), never a `serde_json::Value` or a
/// `String` holding it.
pub fn print_json_secret<T: Serialize + ?Sized>(value: &T) -> Result<(), CliError> {
    let mut buf = Zeroizing::new(Vec::with_capacity(64 * 1024));
    let mut ser = serde_json::Serializer::with_formatter(&mut *buf, Escaping(PrettyFormatter::new()));
    value.serialize(&mut ser).map_err(|e| write_error(io::Error::from(e)))?;
    buf.push(b'\n');
    let mut out = io::stdout().lock();
    // The whole document ends with a newline: the line-buffered stdout passes it on without keeping a copy.
    out.write_all(&buf).and_then(|()| out.flush()).map_err(write_error)
}

/// A JSON value on one line (errors and warnings on standard error), escaped as every JSON output is.
pub fn json_line(value: &serde_json::Value) -> String {
    let mut buf = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, Escaping(CompactFormatter));
    if value.serialize(&mut ser).is_err() {
        return String::from("{}");
    }
    String::from_utf8(buf).unwrap_or_default()
}

/// Prints rows as aligned columns under a header.
pub fn print_table(header: &[&str], rows: &[Vec<String>]) -> Result<(), CliError> {
    let rows: Vec<Vec<Cow<'_, str>>> = rows.iter().map(|r| r.iter().map(|c| safe(c)).collect()).collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = io::stdout().lock();
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
    for row in &rows {
        writeln!(out, "{}", line(row.iter().map(AsRef::as_ref).collect())).map_err(write_error)?;
    }
    Ok(())
}

/// Prints one line on standard output ([`safe`]).
pub fn print_line(text: &str) -> Result<(), CliError> {
    writeln!(io::stdout().lock(), "{}", safe(text)).map_err(write_error)
}

/// Prints a warning on standard error: `coffer: message`, or with `--json` one line
/// `{"warning": {"kind": ..., "message": ...}}`, so that standard error stays machine-readable.
pub fn warn(json: bool, kind: &str, message: &str) {
    if json {
        eprintln!("{}", json_line(&serde_json::json!({ "warning": { "kind": kind, "message": message } })));
    } else {
        eprintln!("coffer: {}", safe(message));
    }
}

fn write_error(e: io::Error) -> CliError {
    CliError::new(code::FAILURE, "io_error", format!("cannot write the output: {e}"))
}

/// A JSON formatter that writes invisible and text-direction characters ([`coffer_core::text::is_invisible`]) as
/// `\uXXXX` escapes; everything else as the wrapped formatter does.
struct Escaping<F>(F);

impl<F: Formatter> Formatter for Escaping<F> {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, fragment: &str) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if coffer_core::text::is_invisible(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    write!(w, "\\u{u:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_key(w)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_invisible_characters_and_round_trips() {
        let v = serde_json::json!({ "label": "main\u{200B}", "x": "\u{202E}\u{1F512}", "esc": "\u{1b}[31m" });
        let line = json_line(&v);
        assert!(!line.contains('\u{200B}') && !line.contains('\u{202E}'), "{line}");
        assert!(line.contains("main\\u200b") && line.contains("\\u202e") && line.contains("\\u001b"), "{line}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&line).expect("valid JSON"), v);
        assert_eq!(safe("\u{1b}]0;title\u{7}"), "\\u{001B}]0;title\\u{0007}");
        assert_eq!(safe("/tmp/plain path"), "/tmp/plain path");
    }
}
