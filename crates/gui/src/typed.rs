//! [`TypedSecret`]: the text buffer behind every field where a person types a secret (passwords, the BIP39
//! passphrase, recovery words asked back in a backup check).
//!
//! egui edits any [`egui::TextBuffer`]; with a plain `String`, the typed text is printed by `Debug`, and a deletion
//! or an insertion past the capacity leaves old bytes behind in freed or spare memory. This buffer
//! - prints `[redacted]` in `Debug`,
//! - moves to a new allocation on every edit and wipes the old one (typed text is short, so the copies cost
//!   nothing), so no deleted or outgrown text stays behind in the heap,
//! - wipes itself on drop and on [`TypedSecret::take_secret`],
//! - is neither `Clone` nor `Serialize`.
//!
//! What it cannot reach: egui's own copies (the laid-out text of a visible field, its undo history), documented in
//! docs/desktop-app.md.

use core::ops::Range;

use coffer_core::secret::SecretString;
use egui::text::CharIndex;
use zeroize::Zeroize;

/// Room reserved by [`TypedSecret::new`]: enough for any password or passphrase a person types.
pub const CAPACITY: usize = 1024;

/// Secret text typed into an egui field (see the module docs).
pub struct TypedSecret(String);

impl TypedSecret {
    /// An empty buffer with [`CAPACITY`] bytes reserved.
    #[must_use]
    pub fn new() -> Self {
        Self(String::with_capacity(CAPACITY))
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether nothing was typed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Wipes the text (the allocation stays, zeroed).
    pub fn wipe(&mut self) {
        self.0.zeroize();
    }

    /// Moves the text into a [`SecretString`] (trimmed of surrounding white space when `trim`) and wipes this
    /// buffer.
    #[must_use]
    pub fn take_secret(&mut self, trim: bool) -> SecretString {
        let text = if trim { self.0.trim() } else { self.0.as_str() };
        let mut s = SecretString::with_capacity(text.len());
        s.expose_mut().push_str(text);
        self.wipe();
        s
    }

    /// Puts `next` in place of the text and wipes the old allocation.
    fn replace(&mut self, next: String) {
        self.0.zeroize();
        self.0 = next;
    }

    /// The byte offset of character `c` (the end when past it).
    fn byte_at(&self, c: CharIndex) -> usize {
        self.0.char_indices().nth(c.0).map_or(self.0.len(), |(b, _)| b)
    }
}

/// `pieces` joined in a new allocation of at least `capacity` bytes.
fn joined(pieces: &[&str], capacity: usize) -> String {
    let mut next = String::with_capacity(capacity.max(pieces.iter().map(|p| p.len()).sum()));
    pieces.iter().for_each(|p| next.push_str(p));
    next
}

impl Default for TypedSecret {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TypedSecret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl std::fmt::Debug for TypedSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TypedSecret([redacted])")
    }
}

impl egui::TextBuffer for TypedSecret {
    fn is_mutable(&self) -> bool {
        true
    }

    fn as_str(&self) -> &str {
        &self.0
    }

    fn insert_text(&mut self, text: &str, char_index: CharIndex) -> usize {
        let at = self.byte_at(char_index);
        let next = joined(&[&self.0[..at], text, &self.0[at..]], self.0.capacity());
        self.replace(next);
        text.chars().count()
    }

    fn delete_char_range(&mut self, char_range: Range<CharIndex>) {
        let (start, end) = (self.byte_at(char_range.start), self.byte_at(char_range.end));
        if start < end {
            let next = joined(&[&self.0[..start], &self.0[end..]], self.0.capacity());
            self.replace(next);
        }
    }

    fn type_id(&self) -> std::any::TypeId {
        std::any::TypeId::of::<Self>()
    }
}

#[cfg(test)]
mod tests {
    use egui::TextBuffer as _;

    use super::*;

    #[test]
    fn edits_debug_and_take() {
        let mut t = TypedSecret::new();
        assert_eq!(t.insert_text("hunter", CharIndex(0)), 6);
        t.insert_text("é2", CharIndex(6));
        t.insert_text(">", CharIndex(0));
        assert_eq!(t.as_str(), ">hunteré2");
        t.delete_char_range(CharIndex(0)..CharIndex(1));
        t.delete_char_range(CharIndex(6)..CharIndex(7)); // the two-byte 'é'
        assert_eq!(t.as_str(), "hunter2");
        t.delete_char_range(CharIndex(3)..CharIndex(3)); // empty range: nothing
        assert_eq!(t.as_str(), "hunter2");
        assert!(t.capacity_at_least(CAPACITY), "edits keep the reserved room");
        assert_eq!(format!("{t:?}"), "TypedSecret([redacted])");
        t.insert_text("  ", CharIndex(0));
        let s = t.take_secret(true);
        assert_eq!(s.expose(), "hunter2");
        assert!(t.is_empty(), "taken text is wiped");
    }

    impl TypedSecret {
        fn capacity_at_least(&self, n: usize) -> bool {
            self.0.capacity() >= n
        }
    }
}
