//! Showing text that Coffer did not write (labels stored by earlier versions, memos and messages inside
//! transactions) so that it cannot deceive: one definition of the characters that hide or rearrange text
//! ([`INVISIBLE`], [`is_hidden`]) and the two ways such text is shown.
//!
//! - [`escape`] (labels): everything shown as it is except control, invisible and text-direction characters, which
//!   are written as `\u{XXXX}` (and `\` as `\\`).
//! - [`quote`] (text from a transaction or message, in signing summaries): in double quotes, printable ASCII as it
//!   is, `"` and `\` as `\"` and `\\`, line feed and tab as `\n` and `\t`, every other character as `\u{XXXX}`; when
//!   the text holds hidden characters ([`hidden`]) a note follows the closing quote. Two different strings never
//!   show the same: escaping non-ASCII as well means letters that look alike (Latin `a`, Cyrillic `а`) or the same
//!   letter composed two ways (`é`, `e` + U+0301) stay apart, and nothing can clear the line, move the cursor,
//!   recolour the terminal, reorder the text or hide in it.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Invisible and text-direction characters, as inclusive ranges of code points, sorted: refused in new labels,
/// escaped wherever untrusted text is shown. Unicode 16.0.0, the union of:
///
/// - `Bidi_Control` (PropList.txt): U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069 — they reorder the text
///   around them (U+202E RIGHT-TO-LEFT OVERRIDE shows `abc` as `cba`);
/// - `Default_Ignorable_Code_Point` (DerivedCoreProperties.txt): zero-width spaces and joiners, soft hyphen,
///   combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian and other variation selectors
///   (U+180B–U+180F, U+FE00–U+FE0F, U+E0100–U+E01EF), word joiner and invisible operators, byte-order mark, tags
///   (U+E0000–U+E0FFF);
/// - General_Category `Cf` (format characters, UnicodeData.txt), e.g. Arabic number signs U+0600–U+0605,
///   interlinear annotation U+FFF9–U+FFFB, Egyptian hieroglyph format controls U+13430–U+1343F;
/// - General_Category `Zl` and `Zp` (U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR): they break the line.
///
/// Control characters (`Cc`) are refused by their own rule. Sources: <https://www.unicode.org/Public/16.0.0/ucd/>
/// (PropList.txt, DerivedCoreProperties.txt, extracted/DerivedGeneralCategory.txt); Unicode Technical Standard #39,
/// section 3.1 (<https://www.unicode.org/reports/tr39/#Default_Identifier_Syntax>) excludes the same characters
/// from identifiers.
pub const INVISIBLE: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
];

/// Whether `c` is invisible or a text-direction control: in [`INVISIBLE`].
///
/// ```
/// use coffer_core::text::is_invisible;
/// assert!(is_invisible('\u{200B}')); // ZERO WIDTH SPACE
/// assert!(is_invisible('\u{202E}')); // RIGHT-TO-LEFT OVERRIDE
/// assert!(!is_invisible('a') && !is_invisible(' '));
/// ```
#[must_use]
pub fn is_invisible(c: char) -> bool {
    let c = u32::from(c);
    INVISIBLE
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                core::cmp::Ordering::Less
            } else if lo > c {
                core::cmp::Ordering::Greater
            } else {
                core::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Whether `c` would hide or rearrange text when shown raw: a control character (`Cc`: terminal escapes, carriage
/// return, ...) or [`is_invisible`].
///
/// ```
/// use coffer_core::text::is_hidden;
/// assert!(is_hidden('\u{1b}') && is_hidden('\u{202E}') && is_hidden('\u{200B}'));
/// assert!(!is_hidden('a') && !is_hidden('é'));
/// ```
#[must_use]
pub fn is_hidden(c: char) -> bool {
    c.is_control() || is_invisible(c)
}

fn push_escaped(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:04X}}}", u32::from(c));
}

/// Text as it may be shown on a terminal or screen: unchanged (borrowed) unless it holds hidden characters
/// ([`is_hidden`]), which are written as `\u{XXXX}` (and then `\` as `\\`). For labels, which people type and read
/// in their own script.
///
/// ```
/// use coffer_core::text::escape;
/// assert_eq!(escape("main"), "main");
/// assert_eq!(escape("main\u{200B}"), "main\\u{200B}");
/// assert_eq!(escape("\u{202E}niam"), "\\u{202E}niam");
/// ```
#[must_use]
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_hidden(c) {
            push_escaped(&mut out, c);
        } else if c == '\\' {
            out.push_str("\\\\");
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The hidden characters of `text` ([`is_hidden`], except line feed and tab, which [`quote`] shows as `\n` and
/// `\t`), each once, in the order they first appear.
///
/// ```
/// use coffer_core::text::hidden;
/// assert_eq!(hidden("a\u{1b}[2Kb\u{202E}\u{1b}"), ['\u{1b}', '\u{202E}']);
/// assert!(hidden("line one\nline two\té").is_empty());
/// ```
#[must_use]
pub fn hidden(text: &str) -> Vec<char> {
    let mut found = Vec::new();
    for c in text.chars() {
        if is_hidden(c) && !matches!(c, '\n' | '\t') && !found.contains(&c) {
            found.push(c);
        }
    }
    found
}

/// The note [`quote`] puts after text that holds hidden characters.
pub const HIDDEN_NOTE: &str = "(contains hidden or control characters, shown as \\u{XXXX})";

/// Untrusted text for display (see the [module](self) documentation): quoted, printable ASCII as it is, everything
/// else escaped, and [`HIDDEN_NOTE`] after it when it holds [`hidden`] characters.
///
/// ```
/// use coffer_core::text::quote;
/// assert_eq!(quote("id 42"), r#""id 42""#);
/// assert_eq!(quote("café"), r#""caf\u{00E9}""#);
/// assert_eq!(
///     quote("\u{1b}[2Kpay\u{202E}\u{200B}"),
///     r#""\u{001B}[2Kpay\u{202E}\u{200B}" (contains hidden or control characters, shown as \u{XXXX})"#
/// );
/// ```
#[must_use]
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            _ => push_escaped(&mut out, c),
        }
    }
    out.push('"');
    if !hidden(text).is_empty() {
        out.push(' ');
        out.push_str(HIDDEN_NOTE);
    }
    out
}

/// `U+001B, U+202E`: the code points of `chars`, for messages.
#[must_use]
pub fn code_points(chars: &[char]) -> String {
    chars.iter().map(|&c| format!("U+{:04X}", u32::from(c))).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_disjoint() {
        for w in INVISIBLE.windows(2) {
            assert!(w[0].0 <= w[0].1 && w[0].1 < w[1].0, "{w:x?}");
        }
    }

    #[test]
    fn quoting_escapes_everything_but_printable_ascii() {
        assert_eq!(quote(""), r#""""#);
        assert_eq!(quote("a\"b\\c\nd\te"), r#""a\"b\\c\nd\te""#);
        // Not hidden, but escaped: lookalikes and compositions stay apart.
        assert_eq!(quote("\u{430}"), r#""\u{0430}""#);
        assert_ne!(quote("\u{E9}"), quote("e\u{301}"));
        assert_eq!(quote("\u{1F512}"), r#""\u{1F512}""#);
        // Hidden: escaped and noted.
        for c in ['\u{1b}', '\r', '\u{7f}', '\u{9b}', '\u{202E}', '\u{2066}', '\u{200B}', '\u{FEFF}', '\u{E0041}'] {
            let q = quote(&format!("x{c}y"));
            assert!(q.ends_with(HIDDEN_NOTE) && !q.contains(c), "U+{:04X}: {q}", u32::from(c));
            assert_eq!(hidden(&format!("x{c}y")), [c]);
        }
        // A literal backslash-u cannot pass for an escape.
        assert_ne!(quote("\\u{200B}"), quote("\u{200B}"));
    }

    #[test]
    fn escaping_keeps_readable_text() {
        assert_eq!(escape("plain \\ label é 日本"), "plain \\ label é 日本");
        assert_eq!(escape("a\\b\u{200B}"), "a\\\\b\\u{200B}");
        assert_eq!(escape("\u{1b}[31m"), "\\u{001B}[31m");
    }
}
