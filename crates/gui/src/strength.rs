//! A small, honest password-strength estimate: roughly how many guesses (as bits) an attacker who knows the usual
//! tricks needs. No big dictionary: it charges little for repeats, sequences, keyboard rows and the most common
//! passwords, at most a dictionary word's worth for anything that looks like a word, and counts a passphrase of
//! BIP39 words at 11 bits a word.

use coffer_core::Language;

/// Common passwords and fragments, charged as a single guess from a small list.
const COMMON: &[&str] = &[
    "password", "passwort", "123456", "qwerty", "azerty", "letmein", "welcome", "monkey", "dragon", "iloveyou",
    "admin", "login", "master", "sunshine", "princess", "football", "baseball", "shadow", "superman", "trustno1",
    "abc123", "111111", "000000", "secret", "coffer", "wallet", "bitcoin", "crypto", "seed", "iota", "solana",
    "stellar", "changeme", "default", "qwertz", "asdf", "zxcv", "pass", "love", "hello",
];

/// Keyboard rows and sequences, for runs like "qwer" or "4567".
const SEQUENCES: &[&str] = &["abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm"];

/// The verdict shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Below 40 bits: refused.
    TooWeak,
    /// 40 to 59 bits.
    Fair,
    /// 60 to 79 bits.
    Good,
    /// 80 bits or more.
    Strong,
}

impl Verdict {
    /// Words for the user.
    #[must_use]
    pub fn text(self) -> &'static str {
        match self {
            Self::TooWeak => "too weak",
            Self::Fair => "fair",
            Self::Good => "good",
            Self::Strong => "strong",
        }
    }
}

/// The estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Strength {
    /// Estimated bits (log2 of the guesses needed).
    pub bits: f64,
    /// What that means.
    pub verdict: Verdict,
}

/// Least bits accepted for a vault password.
pub const MIN_BITS: f64 = 40.0;

/// Estimates `password`'s strength.
#[must_use]
pub fn estimate(password: &str) -> Strength {
    let bits = words_bits(password).unwrap_or_else(|| chars_bits(password));
    let verdict = if bits < MIN_BITS {
        Verdict::TooWeak
    } else if bits < 60.0 {
        Verdict::Fair
    } else if bits < 80.0 {
        Verdict::Good
    } else {
        Verdict::Strong
    };
    Strength { bits, verdict }
}

/// A passphrase made only of BIP39 English words (separated by spaces, dashes, dots or underscores): 11 bits a word
/// — the honest figure if the words were picked at random, generous if they form a sentence.
fn words_bits(password: &str) -> Option<f64> {
    let words: Vec<String> = password
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '.' | '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.len() < 2 || !words.iter().all(|w| Language::English.contains(w)) {
        return None;
    }
    let mut distinct = words.clone();
    distinct.sort_unstable();
    distinct.dedup();
    #[allow(clippy::cast_precision_loss)] // a handful of words
    Some(distinct.len() as f64 * 11.0)
}

/// Per-character estimate: each character costs log2 of the alphabet its class implies, except characters that
/// repeat the previous one, continue a sequence or keyboard row, or belong to a common password.
fn chars_bits(password: &str) -> f64 {
    let lower = password.to_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    let mut cheap = vec![false; chars.len()];
    // Common passwords: the whole match costs about log2(list size), charged on its first character.
    let mut common_hits = 0usize;
    for word in COMMON {
        let w: Vec<char> = word.chars().collect();
        let mut i = 0;
        while i + w.len() <= chars.len() {
            if chars[i..i + w.len()] == w[..] && !cheap[i] {
                cheap[i..i + w.len()].iter_mut().for_each(|c| *c = true);
                common_hits += 1;
                i += w.len();
            } else {
                i += 1;
            }
        }
    }
    // Word-like letter runs cost at most a word from a large dictionary; separators between words cost a bit.
    let mut word_caps: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && chars[i].is_alphabetic() {
            i += 1;
        }
        if looks_like_word(&chars[start..i]) {
            word_caps.push((start, i));
        }
        i = i.max(start + 1);
    }
    let adjacent = |a: char, b: char| {
        SEQUENCES.iter().any(|s| {
            let s: Vec<char> = s.chars().collect();
            s.windows(2).any(|p| (p[0] == a && p[1] == b) || (p[0] == b && p[1] == a))
        })
    };
    for i in 1..chars.len() {
        let (a, b) = (chars[i - 1], chars[i]);
        // A run of three or more along a sequence or keyboard row ("abc", "4321", "qwer"); two neighbours alone
        // happen often in random strings.
        let sequence = i >= 2 && adjacent(chars[i - 2], a) && adjacent(a, b);
        if a == b || sequence {
            cheap[i] = true;
        }
    }
    let pool = pool_size(password);
    let per_char = pool.log2();
    let cost = |i: usize| {
        if cheap[i] {
            if i == 0 { 0.0 } else { 1.0 }
        } else if matches!(chars[i], ' ' | '-' | '_' | '.')
            && i > 0
            && chars[i - 1].is_alphabetic()
            && chars.get(i + 1).is_some_and(|c| c.is_alphabetic())
        {
            1.0
        } else {
            per_char
        }
    };
    let mut bits = 0.0;
    let mut i = 0;
    while i < chars.len() {
        if let Some(&(start, end)) = word_caps.iter().find(|(s, _)| *s == i) {
            let full: f64 = (start..end).map(cost).sum();
            #[allow(clippy::cast_precision_loss)] // short runs
            let cap = WORD_BITS + (end - start).saturating_sub(8) as f64 * 2.0;
            bits += full.min(cap);
            i = end;
        } else {
            bits += cost(i);
            i += 1;
        }
    }
    #[allow(clippy::cast_precision_loss)] // small counts
    {
        bits += common_hits as f64 * (COMMON.len() as f64).log2();
    }
    // Human passwords usually start with a capital and end in digits: no credit for that pattern alone.
    if password.chars().next().is_some_and(char::is_uppercase) && password.chars().skip(1).all(|c| !c.is_uppercase()) {
        bits -= 1.0;
    }
    bits.max(0.0)
}

/// What one word from a large dictionary (about 65 000 words) is worth.
const WORD_BITS: f64 = 16.0;

/// Whether a run of letters could be a dictionary word: three letters or more, with vowels and no long consonant
/// clusters. (Random letter strings usually fail this, and keep their full per-character cost.)
fn looks_like_word(run: &[char]) -> bool {
    if run.len() < 3 {
        return false;
    }
    let vowel = |c: &char| "aeiouyäöüéèàáíóú".contains(*c);
    let mut streak = 0;
    for c in run {
        streak = if vowel(c) { 0 } else { streak + 1 };
        if streak > 3 {
            return false;
        }
    }
    run.iter().any(vowel)
}

/// The size of the alphabet the character classes used suggest.
fn pool_size(password: &str) -> f64 {
    let mut pool = 0.0;
    if password.chars().any(|c| c.is_ascii_lowercase()) {
        pool += 26.0;
    }
    if password.chars().any(|c| c.is_ascii_uppercase()) {
        pool += 26.0;
    }
    if password.chars().any(|c| c.is_ascii_digit()) {
        pool += 10.0;
    }
    if password.chars().any(|c| c.is_ascii_punctuation() || c == ' ') {
        pool += 33.0;
    }
    if !password.is_ascii() {
        pool += 100.0;
    }
    f64::max(pool, 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_weak() {
        for p in ["", "a", "password", "Password1", "12345678", "qwertyuiop", "aaaaaaaaaaaa", "abcdefgh", "coffer2026"]
        {
            assert_eq!(estimate(p).verdict, Verdict::TooWeak, "{p}: {:?}", estimate(p));
        }
    }

    #[test]
    fn random_and_long_passwords_are_strong() {
        assert!(estimate("xK9#mQ2$vL7!pR4&").verdict >= Verdict::Strong);
        assert_eq!(estimate("tv8#Lq2m").verdict, Verdict::Fair);
        assert!(estimate("my cat eats 3 green pancakes!").verdict >= Verdict::Good);
        // Ordinary words are worth a dictionary word each, not their letters.
        let s = estimate("correct horse battery staple");
        assert!(s.bits > 60.0 && s.bits < 80.0, "{s:?}");
        assert!(estimate("Sunflower").verdict == Verdict::TooWeak);
        // Random letters keep their full cost.
        let r = estimate("qzxwvkjpmtrb");
        assert!(r.bits > 45.0, "{r:?}");
    }

    #[test]
    fn bip39_passphrases_count_per_word() {
        let s = estimate("orbit-velvet-harvest-ridge-catalog-trial-era");
        assert!((s.bits - 77.0).abs() < 1e-9, "{s:?}");
        assert_eq!(s.verdict, Verdict::Good);
        // Repeating a word adds nothing.
        assert!((estimate("orbit orbit orbit").bits - 11.0).abs() < 1e-9);
    }

    #[test]
    fn more_is_more() {
        assert!(estimate("tv8#Lq2mZ").bits > estimate("tv8#Lq2m").bits);
        assert!(estimate("password").bits < estimate("pwzkrhqy").bits);
    }
}
