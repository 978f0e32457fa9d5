//! BIP39 mnemonics: generation from OS randomness, import with clear errors, and the BIP39 seed.
//!
//! ```
//! use coffer_core::mnemonic::{Mnemonic, WordCount};
//!
//! let m = Mnemonic::generate(WordCount::Words24).unwrap();
//! assert_eq!(m.word_count(), 24);
//!
//! let m = Mnemonic::parse("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about")
//!     .unwrap();
//! let _seed = m.to_seed("TREZOR");
//! ```

use core::fmt;
use core::str::FromStr;

use unicode_normalization::UnicodeNormalization;

use crate::secret::{SecretBytes, SecretString, SecretVec};

/// Longest mnemonic text accepted, in bytes. Twenty-four of the longest words of any list, with separators, fit
/// well within it; anything longer is not a mnemonic.
pub const MAX_MNEMONIC_BYTES: usize = 1024;
/// Longest BIP39 passphrase accepted, in bytes.
pub const MAX_PASSPHRASE_BYTES: usize = 1024;

/// The number of words in a mnemonic; each maps to an entropy size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum WordCount {
    /// 12 words, 128 bits of entropy.
    Words12,
    /// 15 words, 160 bits of entropy.
    Words15,
    /// 18 words, 192 bits of entropy.
    Words18,
    /// 21 words, 224 bits of entropy.
    Words21,
    /// 24 words, 256 bits of entropy. The default for new seeds.
    #[default]
    Words24,
}

impl WordCount {
    /// Every valid word count.
    pub const ALL: [WordCount; 5] = [Self::Words12, Self::Words15, Self::Words18, Self::Words21, Self::Words24];

    /// The number of words.
    #[must_use]
    pub fn words(self) -> usize {
        match self {
            Self::Words12 => 12,
            Self::Words15 => 15,
            Self::Words18 => 18,
            Self::Words21 => 21,
            Self::Words24 => 24,
        }
    }

    /// The entropy size in bytes.
    #[must_use]
    pub fn entropy_bytes(self) -> usize {
        self.words() / 3 * 4
    }
}

impl TryFrom<usize> for WordCount {
    type Error = MnemonicError;

    fn try_from(n: usize) -> Result<Self, MnemonicError> {
        Self::ALL.into_iter().find(|w| w.words() == n).ok_or(MnemonicError::BadWordCount { count: n })
    }
}

/// A BIP39 word list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Language {
    /// English, the default and by far the most used.
    #[default]
    English,
    /// Simplified Chinese.
    ChineseSimplified,
    /// Traditional Chinese.
    ChineseTraditional,
    /// Czech.
    Czech,
    /// French.
    French,
    /// Italian.
    Italian,
    /// Japanese.
    Japanese,
    /// Korean.
    Korean,
    /// Portuguese.
    Portuguese,
    /// Spanish.
    Spanish,
}

impl Language {
    /// Every supported language, English first.
    pub const ALL: [Language; 10] = [
        Self::English,
        Self::ChineseSimplified,
        Self::ChineseTraditional,
        Self::Czech,
        Self::French,
        Self::Italian,
        Self::Japanese,
        Self::Korean,
        Self::Portuguese,
        Self::Spanish,
    ];

    /// The stable lower-case name used by the CLI, the vault and JSON output.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::English => "english",
            Self::ChineseSimplified => "chinese-simplified",
            Self::ChineseTraditional => "chinese-traditional",
            Self::Czech => "czech",
            Self::French => "french",
            Self::Italian => "italian",
            Self::Japanese => "japanese",
            Self::Korean => "korean",
            Self::Portuguese => "portuguese",
            Self::Spanish => "spanish",
        }
    }

    /// The 2048 words of this list.
    #[must_use]
    pub fn word_list(self) -> &'static [&'static str; 2048] {
        self.to_bip39().word_list()
    }

    /// The words of this list that start with `prefix` (for completion while typing).
    #[must_use]
    pub fn words_by_prefix(self, prefix: &str) -> Vec<&'static str> {
        self.to_bip39().words_by_prefix_iter(prefix).collect()
    }

    /// Whether `word` (already normalized) is in this list.
    #[must_use]
    pub fn contains(self, word: &str) -> bool {
        self.to_bip39().find_word(word).is_some()
    }

    pub(crate) fn to_bip39(self) -> bip39::Language {
        match self {
            Self::English => bip39::Language::English,
            Self::ChineseSimplified => bip39::Language::SimplifiedChinese,
            Self::ChineseTraditional => bip39::Language::TraditionalChinese,
            Self::Czech => bip39::Language::Czech,
            Self::French => bip39::Language::French,
            Self::Italian => bip39::Language::Italian,
            Self::Japanese => bip39::Language::Japanese,
            Self::Korean => bip39::Language::Korean,
            Self::Portuguese => bip39::Language::Portuguese,
            Self::Spanish => bip39::Language::Spanish,
        }
    }

    fn from_bip39(l: bip39::Language) -> Self {
        Self::ALL.into_iter().find(|x| x.to_bip39() == l).unwrap_or(Self::English)
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Language {
    type Err = MnemonicError;

    fn from_str(s: &str) -> Result<Self, MnemonicError> {
        let s = s.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|l| l.name() == s).ok_or(MnemonicError::UnknownLanguage)
    }
}

/// Why a mnemonic was rejected. Messages name positions and suggestions, never the words of the mnemonic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MnemonicError {
    /// The text holds no words.
    #[error("the mnemonic is empty")]
    Empty,
    /// The text is longer than any mnemonic.
    #[error("the mnemonic text is too long ({bytes} bytes; at most {MAX_MNEMONIC_BYTES})")]
    TooLong {
        /// Its length in bytes.
        bytes: usize,
    },
    /// The passphrase is longer than accepted.
    #[error("the BIP39 passphrase is too long ({bytes} bytes; at most {MAX_PASSPHRASE_BYTES})")]
    PassphraseTooLong {
        /// Its length in bytes.
        bytes: usize,
    },
    /// Not 12, 15, 18, 21 or 24 words.
    #[error("a mnemonic has 12, 15, 18, 21 or 24 words, this one has {count}")]
    BadWordCount {
        /// The number of words found.
        count: usize,
    },
    /// A word is not in the word list.
    #[error("word {position} is not in the BIP39 {language} word list{}", suggestion_text(suggestions))]
    UnknownWord {
        /// 1-based position of the word.
        position: usize,
        /// The list it was checked against.
        language: Language,
        /// The nearest words of the list, best first (may be empty).
        suggestions: Vec<&'static str>,
    },
    /// Every word is valid but the checksum does not match: a word is wrong or the order is off.
    #[error("the mnemonic's checksum is wrong: a word is mistyped or out of order")]
    InvalidChecksum,
    /// Entropy of a size BIP39 does not allow.
    #[error("entropy must be 16, 20, 24, 28 or 32 bytes, got {bytes}")]
    BadEntropyLength {
        /// The size given.
        bytes: usize,
    },
    /// A language name that is not supported.
    #[error(
        "unknown word-list language (choose from english, chinese-simplified, chinese-traditional, czech, french, \
         italian, japanese, korean, portuguese, spanish)"
    )]
    UnknownLanguage,
    /// The operating system's random number generator failed.
    #[error("the operating system's random number generator failed")]
    Random,
}

fn suggestion_text(s: &[&str]) -> String {
    if s.is_empty() { String::new() } else { format!("; did you mean: {}?", s.join(", ")) }
}

/// A BIP39 mnemonic. Its words are secret: it zeroizes on drop, prints redacted and cannot be cloned.
pub struct Mnemonic {
    inner: bip39::Mnemonic,
}

impl fmt::Debug for Mnemonic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mnemonic")
            .field("language", &self.language())
            .field("words", &self.word_count())
            .finish_non_exhaustive()
    }
}

impl Mnemonic {
    /// A fresh English mnemonic from the operating system's random number generator.
    ///
    /// # Errors
    /// [`MnemonicError::Random`] if the OS cannot provide randomness.
    pub fn generate(words: WordCount) -> Result<Self, MnemonicError> {
        Self::generate_in(Language::English, words)
    }

    /// A fresh mnemonic in `language` from the operating system's random number generator.
    ///
    /// # Errors
    /// [`MnemonicError::Random`] if the OS cannot provide randomness.
    pub fn generate_in(language: Language, words: WordCount) -> Result<Self, MnemonicError> {
        let entropy = SecretBytes::<32>::from_fn(|buf| {
            // On failure the buffer stays zero and we report below.
            if getrandom::fill(buf).is_err() {
                buf.fill(0);
            }
        });
        if entropy.expose().iter().all(|b| *b == 0) {
            return Err(MnemonicError::Random);
        }
        Self::from_entropy(language, &entropy.expose()[..words.entropy_bytes()])
    }

    /// The mnemonic that encodes `entropy` (16, 20, 24, 28 or 32 bytes).
    ///
    /// # Errors
    /// [`MnemonicError::BadEntropyLength`] for any other size.
    pub fn from_entropy(language: Language, entropy: &[u8]) -> Result<Self, MnemonicError> {
        bip39::Mnemonic::from_entropy_in(language.to_bip39(), entropy)
            .map(|inner| Self { inner })
            .map_err(|_| MnemonicError::BadEntropyLength { bytes: entropy.len() })
    }

    /// Parses a mnemonic typed or pasted by a person, detecting its language (English is preferred when the words
    /// fit several lists). Case, surrounding and repeated white space, and Unicode composition are forgiven.
    ///
    /// # Errors
    /// [`MnemonicError::Empty`], [`MnemonicError::TooLong`], [`MnemonicError::BadWordCount`],
    /// [`MnemonicError::UnknownWord`] (with suggestions) or [`MnemonicError::InvalidChecksum`].
    pub fn parse(text: &str) -> Result<Self, MnemonicError> {
        let normalized = normalize_phrase(text)?;
        let words: Vec<&str> = normalized.expose().split(' ').collect();
        // Rank languages by how many of the words they know; English wins ties.
        let mut best: Option<(Language, usize)> = None;
        for lang in Language::ALL {
            let known = words.iter().filter(|w| lang.contains(w)).count();
            if best.is_none_or(|(_, n)| known > n) {
                best = Some((lang, known));
            }
        }
        let (best_lang, known) = best.unwrap_or((Language::English, 0));
        if known < words.len() {
            return Self::parse_in_normalized(best_lang, &normalized);
        }
        // Every word is known to `best_lang` and maybe to others: the checksum picks.
        let mut first_err = None;
        for lang in Language::ALL.into_iter().filter(|l| words.iter().all(|w| l.contains(w))) {
            match Self::parse_in_normalized(lang, &normalized) {
                Ok(m) => return Ok(m),
                Err(e) => {
                    first_err.get_or_insert(e);
                }
            }
        }
        Err(first_err.unwrap_or(MnemonicError::InvalidChecksum))
    }

    /// Parses a mnemonic in a given word list.
    ///
    /// # Errors
    /// As [`Mnemonic::parse`].
    pub fn parse_in(language: Language, text: &str) -> Result<Self, MnemonicError> {
        let normalized = normalize_phrase(text)?;
        Self::parse_in_normalized(language, &normalized)
    }

    fn parse_in_normalized(language: Language, normalized: &SecretString) -> Result<Self, MnemonicError> {
        let words: Vec<&str> = normalized.expose().split(' ').collect();
        WordCount::try_from(words.len())?;
        if let Some(i) = words.iter().position(|w| !language.contains(w)) {
            return Err(MnemonicError::UnknownWord {
                position: i + 1,
                language,
                suggestions: suggest(language, words[i]),
            });
        }
        match bip39::Mnemonic::parse_in_normalized(language.to_bip39(), normalized.expose()) {
            Ok(inner) => Ok(Self { inner }),
            Err(bip39::Error::InvalidChecksum) => Err(MnemonicError::InvalidChecksum),
            Err(bip39::Error::BadWordCount(count)) => Err(MnemonicError::BadWordCount { count }),
            Err(bip39::Error::UnknownWord(i)) => {
                Err(MnemonicError::UnknownWord { position: i + 1, language, suggestions: Vec::new() })
            }
            Err(_) => Err(MnemonicError::InvalidChecksum),
        }
    }

    /// The word list this mnemonic uses.
    #[must_use]
    pub fn language(&self) -> Language {
        Language::from_bip39(self.inner.language())
    }

    /// The number of words.
    #[must_use]
    pub fn word_count(&self) -> usize {
        self.inner.word_count()
    }

    /// The words, in order, for showing to their owner (the strings are the static word list's; showing them is
    /// the caller's responsibility).
    pub fn words(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.inner.words()
    }

    /// The phrase as one space-separated secret string.
    #[must_use]
    pub fn phrase(&self) -> SecretString {
        let mut s = SecretString::with_capacity(24 * 40);
        for (i, w) in self.inner.words().enumerate() {
            if i > 0 {
                s.expose_mut().push(' ');
            }
            s.expose_mut().push_str(w);
        }
        s
    }

    /// The entropy the words encode.
    #[must_use]
    pub fn entropy(&self) -> SecretVec {
        let (mut arr, len) = self.inner.to_entropy_array();
        let mut v = SecretVec::with_capacity(len);
        v.expose_mut().extend_from_slice(&arr[..len]);
        zeroize::Zeroize::zeroize(&mut arr);
        v
    }

    /// The 64-byte BIP39 seed (PBKDF2-HMAC-SHA512, 2048 rounds) under an optional passphrase (`""` for none).
    /// The passphrase is NFKD-normalized as BIP39 requires.
    #[must_use]
    pub fn to_seed(&self, passphrase: &str) -> Seed {
        let normalized = normalize_passphrase(passphrase);
        let mut raw = self.inner.to_seed_normalized(normalized.expose());
        let seed = Seed { bytes: SecretBytes::take(&mut raw), len: 64 };
        zeroize::Zeroize::zeroize(&mut raw);
        seed
    }
}

/// Checks a passphrase's size.
///
/// # Errors
/// [`MnemonicError::PassphraseTooLong`].
pub fn check_passphrase(passphrase: &str) -> Result<(), MnemonicError> {
    if passphrase.len() > MAX_PASSPHRASE_BYTES {
        return Err(MnemonicError::PassphraseTooLong { bytes: passphrase.len() });
    }
    Ok(())
}

/// The fewest words a passphrase must have for [`passphrase_looks_like_words`] to take it for part of a mnemonic.
pub const MIN_WORDS_IN_PASSPHRASE: usize = 3;

/// Whether a BIP39 passphrase looks like more words of a mnemonic: at least [`MIN_WORDS_IN_PASSPHRASE`]
/// white-space-separated words, every one of them (case and Unicode composition forgiven, as in
/// [`Mnemonic::parse`]) in `language`'s word list.
///
/// A mnemonic written on two lines of a mnemonic file (all words go on the first, the passphrase on the second)
/// splits into a valid count on the first line and 3, 6, 9 or 12 words on the second; about one split in 16 of a
/// 24-word mnemonic into 12 + 12 has a valid checksum on the first line and would be imported silently as another
/// wallet. Front ends refuse such a passphrase unless the user confirms it is meant (a passphrase made of list words,
/// such as `correct horse battery staple`, needs that confirmation too).
///
/// ```
/// use coffer_core::mnemonic::{Language, passphrase_looks_like_words};
/// assert!(passphrase_looks_like_words(Language::English, "abandon ability Able"));
/// assert!(!passphrase_looks_like_words(Language::English, "abandon ability"));
/// assert!(!passphrase_looks_like_words(Language::English, "abandon ability xyzzy"));
/// assert!(!passphrase_looks_like_words(Language::English, ""));
/// ```
#[must_use]
pub fn passphrase_looks_like_words(language: Language, passphrase: &str) -> bool {
    let mut count = 0;
    for word in passphrase.split_whitespace() {
        // Sized exactly first (NFKD can grow text about 11×), so the buffer never reallocates.
        let len = word.nfkd().flat_map(char::to_lowercase).map(char::len_utf8).sum();
        let mut normalized = SecretString::with_capacity(len);
        normalized.expose_mut().extend(word.nfkd().flat_map(char::to_lowercase));
        if !language.contains(normalized.expose()) {
            return false;
        }
        count += 1;
    }
    count >= MIN_WORDS_IN_PASSPHRASE
}

/// The passphrase NFKD-normalized, in a secret buffer of exactly its size.
///
/// NFKD can make text much longer (U+FDFA, 3 bytes, becomes 18 characters, 33 bytes): the size is counted in a
/// first pass that allocates nothing, so the buffer never grows and no unwiped copy is left behind by a
/// reallocation.
fn normalize_passphrase(passphrase: &str) -> SecretString {
    let len = passphrase.nfkd().map(char::len_utf8).sum();
    let mut out = SecretString::with_capacity(len);
    out.expose_mut().extend(passphrase.nfkd());
    out
}

/// The words of `text`, each NFKD-normalized and lower-cased (in that order, as [`normalize_phrase`] writes them).
fn phrase_words(text: &str) -> impl Iterator<Item = impl Iterator<Item = char> + '_> + '_ {
    text.split_whitespace().map(|word| word.nfkd().flat_map(char::to_lowercase))
}

/// Lower-cases, NFKD-normalizes and joins the words with single spaces, in a secret buffer of exactly the result's
/// size (counted first without allocating, as [`normalize_passphrase`] does, so the buffer never reallocates).
fn normalize_phrase(text: &str) -> Result<SecretString, MnemonicError> {
    if text.len() > MAX_MNEMONIC_BYTES {
        return Err(MnemonicError::TooLong { bytes: text.len() });
    }
    let (mut len, mut words) = (0usize, 0usize);
    for word in phrase_words(text) {
        len += word.map(char::len_utf8).sum::<usize>();
        words += 1;
    }
    let mut out = SecretString::with_capacity(len + words.saturating_sub(1));
    for word in phrase_words(text) {
        if !out.is_empty() {
            out.expose_mut().push(' ');
        }
        out.expose_mut().extend(word);
    }
    if out.is_empty() {
        return Err(MnemonicError::Empty);
    }
    Ok(out)
}

/// Up to three words of the list nearest to `typed`: unique-prefix matches first (BIP39 lists are unique in their
/// first four letters), then by edit distance (at most 2).
fn suggest(language: Language, typed: &str) -> Vec<&'static str> {
    let list = language.word_list();
    let typed_chars: Vec<char> = typed.chars().collect();
    let mut scored: Vec<(usize, &'static str)> = Vec::new();
    for &w in list {
        let d = edit_distance(&typed_chars, w);
        let prefix: String = typed_chars.iter().take(4).collect();
        let score = if typed_chars.len() >= 3 && w.starts_with(&prefix) { 0 } else { d };
        if score <= 2 {
            scored.push((score, w));
        }
    }
    scored.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, w)| w).collect()
}

/// Damerau–Levenshtein (optimal string alignment) distance, in characters.
fn edit_distance(a: &[char], b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
}

/// A BIP39 seed (64 bytes from a mnemonic), or any SLIP-0010 seed of 16 to 64 bytes. Secret.
pub struct Seed {
    /// Room for the longest seed, in locked memory; only the first `len` bytes are the seed.
    bytes: SecretBytes<64>,
    len: usize,
}

impl Seed {
    /// A seed from raw bytes (SLIP-0010 allows 16 to 64). The input is copied; wipe your own copy.
    ///
    /// # Errors
    /// [`MnemonicError::BadEntropyLength`] for a size outside 16..=64.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, MnemonicError> {
        if !(16..=64).contains(&bytes.len()) {
            return Err(MnemonicError::BadEntropyLength { bytes: bytes.len() });
        }
        let mut out = SecretBytes::<64>::zero();
        out.expose_mut()[..bytes.len()].copy_from_slice(bytes);
        Ok(Self { bytes: out, len: bytes.len() })
    }

    pub(crate) fn expose(&self) -> &[u8] {
        &self.bytes.expose()[..self.len]
    }
}

impl fmt::Debug for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Seed([redacted])")
    }
}

impl zeroize::ZeroizeOnDrop for Seed {}

#[cfg(test)]
mod tests {
    use super::*;

    const ABOUT: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    /// NFKD grows U+FDFA (3 bytes) to 18 characters (33 bytes) and U+3300 (3 bytes) to 4 katakana (12 bytes):
    /// the buffers are sized exactly, so they never reallocate (which would free an unwiped copy).
    #[test]
    fn nfkd_buffers_are_sized_exactly() {
        let arabic = "\u{635}\u{644}\u{649} \u{627}\u{644}\u{644}\u{647} \u{639}\u{644}\u{64a}\u{647} \u{648}\u{633}\u{644}\u{645}";
        for (input, expanded) in [
            ("\u{fdfa}", arabic.to_owned()),
            ("\u{3300}", "\u{30a2}\u{30cf}\u{309a}\u{30fc}\u{30c8}".to_owned()),
            ("x\u{fdfa}\u{3300}\u{fdfa}", format!("x{arabic}\u{30a2}\u{30cf}\u{309a}\u{30fc}\u{30c8}{arabic}")),
        ] {
            let mut p = normalize_passphrase(input);
            assert_eq!(p.expose(), expanded);
            let len = p.expose().len();
            assert_eq!(p.expose_mut().capacity(), len, "{input:?}: the buffer was not sized exactly");
        }
        // The phrase buffer: words NFKD-normalized, lower-cased and joined by single spaces.
        let text = format!("  {}\tAbc \u{fdfa}\u{fdfa}\u{fdfa} \u{3300}  ", "\u{fdfa}".repeat(3));
        let mut phrase = normalize_phrase(&text).unwrap();
        let want = format!("{a}{a}{a} abc {a}{a}{a} \u{30a2}\u{30cf}\u{309a}\u{30fc}\u{30c8}", a = arabic);
        assert_eq!(phrase.expose(), want);
        assert!(want.len() > text.len() * 4 + 8, "the input grows beyond the old estimate");
        let len = phrase.expose().len();
        assert_eq!(phrase.expose_mut().capacity(), len, "the phrase buffer was not sized exactly");
        // The seed is unchanged by the sizing: the passphrase is still normalized as BIP39 requires.
        let m = Mnemonic::parse(ABOUT).unwrap();
        assert_eq!(m.to_seed("\u{fdfa}").expose(), m.to_seed(arabic).expose());
        assert!(arabic.len() > "\u{fdfa}".len() * 4 + 8, "U+FDFA outgrows the old len*4+8 estimate");
    }

    #[test]
    fn parse_forgives_case_and_spacing() {
        let m = Mnemonic::parse(
            "  Abandon abandon\tabandon abandon abandon abandon abandon abandon abandon \n abandon abandon ABOUT ",
        )
        .unwrap();
        assert_eq!(m.phrase().expose(), ABOUT);
        assert_eq!(m.language(), Language::English);
    }

    #[test]
    fn unknown_word_names_position_and_suggestions() {
        let err = Mnemonic::parse(
            "abandon abandon abandon abandno abandon abandon abandon abandon abandon abandon abandon about",
        )
        .unwrap_err();
        match &err {
            MnemonicError::UnknownWord { position, suggestions, language } => {
                assert_eq!(*position, 4);
                assert_eq!(*language, Language::English);
                assert_eq!(suggestions.first(), Some(&"abandon"));
            }
            other => panic!("unexpected {other:?}"),
        }
        let msg = err.to_string();
        assert!(msg.contains("word 4") && msg.contains("abandon"), "{msg}");
        assert!(!msg.contains("abandno"), "the typed word is not echoed: {msg}");
    }

    #[test]
    fn suggestions_for_typos() {
        assert_eq!(suggest(Language::English, "zoo").first(), Some(&"zoo"));
        assert!(suggest(Language::English, "acount").contains(&"account"));
        assert!(suggest(Language::English, "wrold").contains(&"world"));
        assert!(suggest(Language::English, "qqqqqqqq").is_empty());
    }

    #[test]
    fn errors() {
        assert_eq!(Mnemonic::parse("   ").unwrap_err(), MnemonicError::Empty);
        assert_eq!(Mnemonic::parse("abandon about").unwrap_err(), MnemonicError::BadWordCount { count: 2 });
        assert_eq!(Mnemonic::parse(&"abandon ".repeat(12)).unwrap_err(), MnemonicError::InvalidChecksum);
        assert!(matches!(Mnemonic::parse(&"a".repeat(5000)).unwrap_err(), MnemonicError::TooLong { .. }));
        assert!(matches!(
            Mnemonic::from_entropy(Language::English, &[0u8; 15]).unwrap_err(),
            MnemonicError::BadEntropyLength { bytes: 15 }
        ));
        assert_eq!("klingon".parse::<Language>().unwrap_err(), MnemonicError::UnknownLanguage);
    }

    #[test]
    fn generate_every_size_round_trips() {
        for wc in WordCount::ALL {
            let m = Mnemonic::generate(wc).unwrap();
            assert_eq!(m.word_count(), wc.words());
            assert_eq!(m.entropy().len(), wc.entropy_bytes());
            let again = Mnemonic::parse(m.phrase().expose()).unwrap();
            assert_eq!(again.entropy(), m.entropy());
        }
        let a = Mnemonic::generate(WordCount::Words24).unwrap();
        let b = Mnemonic::generate(WordCount::Words24).unwrap();
        assert_ne!(a.entropy(), b.entropy());
    }

    #[test]
    fn every_language_round_trips() {
        for lang in Language::ALL {
            let m = Mnemonic::generate_in(lang, WordCount::Words12).unwrap();
            let phrase = m.phrase();
            let parsed = Mnemonic::parse(phrase.expose()).unwrap();
            assert_eq!(parsed.entropy(), m.entropy(), "{lang}");
            let parsed = Mnemonic::parse_in(lang, phrase.expose()).unwrap();
            assert_eq!(parsed.language(), lang);
            assert_eq!(lang.name().parse::<Language>().unwrap(), lang);
        }
    }

    #[test]
    fn a_second_half_of_words_is_recognized() {
        let m = Mnemonic::generate(WordCount::Words24).unwrap();
        let words: Vec<&str> = m.words().collect();
        assert!(passphrase_looks_like_words(Language::English, &words[12..].join(" ")));
        assert!(passphrase_looks_like_words(Language::English, &words[21..].join("  ").to_uppercase()));
        assert!(!passphrase_looks_like_words(Language::English, &words[22..].join(" ")));
        assert!(!passphrase_looks_like_words(Language::English, "TREZOR"));
        assert!(!passphrase_looks_like_words(Language::English, "my secret passphrase 2026"));
        let ja = Mnemonic::generate_in(Language::Japanese, WordCount::Words12).unwrap();
        let ja_words: Vec<&str> = ja.words().collect();
        // Japanese phrases are written with ideographic spaces.
        assert!(passphrase_looks_like_words(Language::Japanese, &ja_words[..6].join("\u{3000}")));
        assert!(!passphrase_looks_like_words(Language::English, &ja_words[..6].join(" ")));
    }

    #[test]
    fn debug_redacts_words() {
        let m = Mnemonic::parse(ABOUT).unwrap();
        let d = format!("{m:?} {:?}", m.to_seed(""));
        assert!(!d.contains("abandon"), "{d}");
    }
}
