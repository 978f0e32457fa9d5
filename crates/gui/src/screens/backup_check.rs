//! Backup check: at several random positions, choose the right word among a few candidates.

use coffer_core::{Language, Mnemonic};
use egui::RichText;

use crate::effect::{Effect, Go};

/// How many positions are asked.
pub const QUESTIONS: usize = 3;
/// How many candidates each position offers (one right, the rest random words of the list).
pub const CANDIDATES: usize = 4;

/// What the user chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupCheckIntent {
    /// Every answer was right.
    Passed,
    /// Go back to the words.
    ShowWordsAgain,
    /// Throw this seed away.
    Cancel,
}

/// One asked position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// 0-based position in the mnemonic.
    pub position: usize,
    /// Words offered, in display order. They point into the static word list, so no copy of a secret word is made.
    pub candidates: Vec<&'static str>,
    /// Index into `candidates` of the user's choice.
    pub chosen: Option<usize>,
}

/// A uniform random number below `n` from the operating system (rejection sampling, no modulo bias).
#[must_use]
pub fn os_random_below(n: u32) -> u32 {
    if n <= 1 {
        return 0;
    }
    let zone = u32::MAX - u32::MAX % n;
    loop {
        // getrandom only fails if the OS has no randomness at all; then fall back to a fixed value rather than
        // hang (the check still works, its positions are just predictable).
        let r = getrandom::u32().unwrap_or(0);
        if r < zone {
            return r % n;
        }
    }
}

/// `count` distinct positions below `words`, sorted.
pub fn pick_positions(words: usize, count: usize, rng: &mut impl FnMut(u32) -> u32) -> Vec<usize> {
    let mut all: Vec<usize> = (0..words).collect();
    let count = count.min(words);
    // Partial Fisher–Yates.
    for i in 0..count {
        let left = u32::try_from(words - i).unwrap_or(u32::MAX);
        let j = i + rng(left) as usize;
        all.swap(i, j);
    }
    let mut picked = all[..count].to_vec();
    picked.sort_unstable();
    picked
}

/// `count` distinct words of `list` including `correct`, in random order.
pub fn make_candidates(
    correct: &'static str,
    list: &'static [&'static str; 2048],
    count: usize,
    rng: &mut impl FnMut(u32) -> u32,
) -> Vec<&'static str> {
    let mut out = vec![correct];
    while out.len() < count {
        let w = list[rng(2048) as usize];
        if !out.contains(&w) {
            out.push(w);
        }
    }
    for i in (1..out.len()).rev() {
        let j = rng(u32::try_from(i + 1).unwrap_or(u32::MAX)) as usize;
        out.swap(i, j);
    }
    out
}

/// The 1-based positions answered wrongly (or not at all), given the mnemonic's words.
#[must_use]
pub fn wrong_positions(questions: &[Question], words: &[&str]) -> Vec<usize> {
    questions
        .iter()
        .filter(|q| q.chosen.and_then(|c| q.candidates.get(c)).is_none_or(|w| Some(w) != words.get(q.position)))
        .map(|q| q.position + 1)
        .collect()
}

/// The backup check for a new mnemonic.
#[derive(Debug)]
pub struct BackupCheckScreen {
    mnemonic: Mnemonic,
    questions: Vec<Question>,
    wrong: Option<Vec<usize>>,
}

impl BackupCheckScreen {
    /// Asks about `mnemonic` at random positions, with randomness from the OS.
    #[must_use]
    pub fn new(mnemonic: Mnemonic) -> Self {
        Self::with_rng(mnemonic, &mut os_random_below)
    }

    /// As [`BackupCheckScreen::new`] with a given random source (`rng(n)` returns a number below `n`).
    pub fn with_rng(mnemonic: Mnemonic, rng: &mut impl FnMut(u32) -> u32) -> Self {
        let language: Language = mnemonic.language();
        let list = language.word_list();
        let phrase = mnemonic.phrase();
        let words: Vec<&str> = phrase.expose().split(' ').collect();
        let questions = pick_positions(words.len(), QUESTIONS, rng)
            .into_iter()
            .map(|position| {
                // The static list entry equal to the word: no copy of the secret word is made.
                let correct = list.iter().copied().find(|w| *w == words[position]).unwrap_or(list[0]);
                Question { position, candidates: make_candidates(correct, list, CANDIDATES, rng), chosen: None }
            })
            .collect();
        drop(words);
        drop(phrase);
        Self { mnemonic, questions, wrong: None }
    }

    /// The positions asked (0-based).
    #[must_use]
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    /// Gives the mnemonic back.
    #[must_use]
    pub fn into_mnemonic(self) -> Mnemonic {
        self.mnemonic
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<BackupCheckIntent> {
        let mut intent = None;
        ui.heading("Check your backup");
        ui.label("Using your written copy, choose the right word at each position.");
        ui.add_space(12.0);
        for q in &mut self.questions {
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("Word {}:", q.position + 1)).strong());
                for (i, word) in q.candidates.iter().enumerate() {
                    let r = ui.radio_value(&mut q.chosen, Some(i), *word);
                    // Unique names for assistive technology (the same word can be offered at two positions).
                    let r = r.accessible_name(format!("Word {}: {word}", q.position + 1));
                    if r.changed() {
                        self.wrong = None;
                    }
                }
            });
            ui.add_space(6.0);
        }
        ui.add_space(8.0);
        match &self.wrong {
            Some(w) if w.is_empty() => {}
            Some(w) => {
                let list: Vec<String> = w.iter().map(ToString::to_string).collect();
                ui.label(
                    RichText::new(format!(
                        "Not quite: word {} does not match. Check your written copy, or show the words again.",
                        list.join(" and ")
                    ))
                    .color(super::error_color(ui)),
                );
            }
            None => {}
        }
        let answered = self.questions.iter().all(|q| q.chosen.is_some());
        ui.horizontal(|ui| {
            if crate::theme::primary_enabled(ui, answered, "Check my words").clicked() {
                let phrase = self.mnemonic.phrase();
                let words: Vec<&str> = phrase.expose().split(' ').collect();
                let wrong = wrong_positions(&self.questions, &words);
                if wrong.is_empty() {
                    intent = Some(BackupCheckIntent::Passed);
                }
                self.wrong = Some(wrong);
            }
            if crate::theme::secondary(ui, "Show the words again").clicked() {
                intent = Some(BackupCheckIntent::ShowWordsAgain);
            }
            if crate::theme::secondary(ui, "Cancel and discard this seed").clicked() {
                intent = Some(BackupCheckIntent::Cancel);
            }
        });
        intent
    }
}

impl BackupCheckScreen {
    /// Applies the user's intent: all leave this screen (a passed check saves the seed).
    #[must_use]
    pub fn update(&mut self, intent: BackupCheckIntent) -> Option<Effect> {
        Some(match intent {
            BackupCheckIntent::Passed => Effect::SaveCheckedSeed,
            BackupCheckIntent::ShowWordsAgain => Effect::Go(Go::ShowWordsAgain),
            BackupCheckIntent::Cancel => Effect::Go(Go::BackToSeeds),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::{Harness, kittest::Queryable};

    const ABOUT: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    /// A deterministic generator for tests.
    fn lcg(seed: u64) -> impl FnMut(u32) -> u32 {
        let mut s = seed;
        move |n| {
            s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            u32::try_from((s >> 33) % u64::from(n)).unwrap()
        }
    }

    #[test]
    fn positions_are_distinct_sorted_and_in_range() {
        for seed in 0..200 {
            let p = pick_positions(24, QUESTIONS, &mut lcg(seed));
            assert_eq!(p.len(), QUESTIONS);
            assert!(p.windows(2).all(|w| w[0] < w[1]), "{p:?}");
            assert!(p.iter().all(|&x| x < 24));
        }
        assert_eq!(pick_positions(2, 5, &mut lcg(1)), vec![0, 1]);
        // Every position comes up.
        let mut seen = [false; 12];
        for seed in 0..300 {
            for p in pick_positions(12, QUESTIONS, &mut lcg(seed)) {
                seen[p] = true;
            }
        }
        assert!(seen.iter().all(|s| *s));
    }

    #[test]
    fn candidates_hold_the_right_word_once() {
        let list = Language::English.word_list();
        for seed in 0..100 {
            let c = make_candidates("zoo", list, CANDIDATES, &mut lcg(seed));
            assert_eq!(c.len(), CANDIDATES);
            assert_eq!(c.iter().filter(|w| **w == "zoo").count(), 1);
            let mut d = c.clone();
            d.sort_unstable();
            d.dedup();
            assert_eq!(d.len(), CANDIDATES);
        }
    }

    #[test]
    fn os_random_is_in_range() {
        for n in [1, 2, 3, 24, 2048] {
            for _ in 0..50 {
                assert!(os_random_below(n) < n.max(1));
            }
        }
    }

    #[test]
    fn wrong_positions_are_reported() {
        let words: Vec<&str> = ABOUT.split(' ').collect();
        let q = |position, candidates: Vec<&'static str>, chosen| Question { position, candidates, chosen };
        let qs =
            vec![q(0, vec!["zoo", "abandon"], Some(1)), q(11, vec!["about", "zoo"], Some(1)), q(5, vec!["a"], None)];
        assert_eq!(wrong_positions(&qs, &words), vec![12, 6]);
    }

    fn answer(h: &mut Harness<'_, Option<BackupCheckIntent>>, questions: &[Question], words: &[&str], right: bool) {
        for q in questions {
            let word = q.candidates.iter().find(|w| (**w == words[q.position]) == right).unwrap();
            h.get_by_label(&format!("Word {}: {word}", q.position + 1)).click();
            h.run();
        }
    }

    #[test]
    fn right_answers_pass_wrong_ones_are_named() {
        let screen = BackupCheckScreen::with_rng(Mnemonic::parse(ABOUT).unwrap(), &mut lcg(7));
        let questions = screen.questions().to_vec();
        let words: Vec<&str> = ABOUT.split(' ').collect();
        let mut screen = screen;
        let mut h = Harness::new_ui_state(
            move |ui, out: &mut Option<BackupCheckIntent>| {
                if let Some(i) = screen.ui(ui) {
                    *out = Some(i);
                }
            },
            None,
        );
        h.run();
        answer(&mut h, &questions, &words, false);
        h.get_by_label("Check my words").click();
        h.run();
        assert_eq!(*h.state(), None);
        h.get_by_label_contains("does not match");
        answer(&mut h, &questions, &words, true);
        h.get_by_label("Check my words").click();
        h.run();
        assert_eq!(*h.state(), Some(BackupCheckIntent::Passed));
    }
}
