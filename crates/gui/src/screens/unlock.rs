//! Unlock: the vault password. A wrong one says so; repeated failures add a growing delay. A vault whose header
//! asks for far more key derivation than Coffer ever sets (a swapped or hostile file could stall the app for
//! minutes) is not unlocked until the person has seen the estimate and agreed.
//!
//! The password field is an egui `TextEdit` over a [`TypedSecret`], wiped after each attempt and on drop
//! (limitations as on the create-vault screen).

use std::time::{Duration, Instant};

use coffer_core::secret::SecretString;
use coffer_core::vault::KdfCost;
use egui::RichText;

use crate::effect::Effect;
use crate::typed::TypedSecret;

/// Longest wait between attempts.
pub const MAX_DELAY: Duration = Duration::from_secs(60);

/// What the user chose.
#[derive(Debug)]
pub enum UnlockIntent {
    /// Try this password.
    Unlock(SecretString),
    /// Try this password although the vault's key derivation is expensive: the person saw the estimate and agreed.
    UnlockAnyway(SecretString),
    /// Try quick unlock (the key in the OS keyring) again.
    QuickUnlock,
}

/// The wait imposed after `failures` wrong passwords in a row: none after the first, then 1, 2, 4 … s, at most
/// [`MAX_DELAY`]. (Argon2 already costs about a second a guess; this slows down someone at the keyboard.)
#[must_use]
pub fn delay_after(failures: u32) -> Duration {
    if failures < 2 {
        return Duration::ZERO;
    }
    let secs = 1u64.checked_shl(failures - 2).unwrap_or(u64::MAX);
    Duration::from_secs(secs).min(MAX_DELAY)
}

/// The unlock screen.
#[derive(Debug)]
pub struct UnlockScreen {
    location: String,
    password: TypedSecret,
    failures: u32,
    retry_at: Option<Instant>,
    /// An error from the last attempt (no secret).
    pub error: Option<String>,
    /// Why quick unlock (which is on for this vault) did not open it, if it did not.
    pub quick_failed: Option<String>,
    /// Put the keyboard focus in the password field on the next frame (when shown, and after a wrong password).
    focus: bool,
    /// The vault's key derivation is expensive: its estimate, and the password typed, kept (zeroizing) until the
    /// person agrees or cancels.
    expensive: Option<(KdfCost, SecretString)>,
}

impl UnlockScreen {
    /// The screen for the vault at `location` (shown to the user).
    #[must_use]
    pub fn new(location: String) -> Self {
        Self {
            location,
            password: TypedSecret::new(),
            failures: 0,
            retry_at: None,
            error: None,
            quick_failed: None,
            focus: true,
            expensive: None,
        }
    }

    /// The vault refused to run its key derivation without consent: show `cost` and ask, keeping `password` for
    /// the answer.
    pub fn expensive(&mut self, cost: KdfCost, password: SecretString) {
        self.error = None;
        self.expensive = Some((cost, password));
    }

    /// Whether a typed password is kept while the screen asks about an expensive key derivation.
    #[must_use]
    pub fn holds_secret(&self) -> bool {
        self.expensive.is_some()
    }

    /// Records a wrong password at `now`.
    pub fn wrong_password(&mut self, now: Instant) {
        self.failures = self.failures.saturating_add(1);
        let d = delay_after(self.failures);
        self.retry_at = (d > Duration::ZERO).then(|| now + d);
        self.error = Some("Wrong password.".into());
        self.focus = true;
    }

    /// Wrong passwords in a row so far.
    #[must_use]
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Time left before the next attempt is allowed.
    #[must_use]
    pub fn wait_left(&self, now: Instant) -> Duration {
        self.retry_at.map_or(Duration::ZERO, |t| t.saturating_duration_since(now))
    }

    /// The question about an expensive key derivation.
    fn ask_expensive(&mut self, ui: &mut egui::Ui) -> Option<UnlockIntent> {
        let (cost, _) = self.expensive.as_ref()?;
        ui.label(RichText::new("This vault asks for an unusually expensive key derivation").strong());
        let lanes = if cost.lanes == 1 { "1 lane".to_owned() } else { format!("{} lanes", cost.lanes) };
        ui.label(format!(
            "Unlocking would take {} and {} MiB of memory ({} passes, {lanes}): {} times the work of Coffer's usual \
             setting. Coffer never sets this much by itself; a vault file replaced by someone else can stall the \
             app this way.",
            cost.estimate_words(),
            cost.memory_kib / 1024,
            cost.passes,
            cost.relative_work,
        ));
        ui.label("Unlock only if you chose this setting yourself.");
        ui.add_space(6.0);
        let mut intent = None;
        ui.horizontal(|ui| {
            if crate::theme::secondary(ui, "Unlock anyway").clicked()
                && let Some((_, password)) = self.expensive.take()
            {
                intent = Some(UnlockIntent::UnlockAnyway(password));
            }
            if crate::theme::secondary(ui, "Cancel").clicked() {
                self.expensive = None;
                self.focus = true;
            }
        });
        intent
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<UnlockIntent> {
        let now = Instant::now();
        let wait = self.wait_left(now);
        ui.heading("Unlock Coffer");
        ui.label(RichText::new(format!("Vault file: {}", self.location)).weak());
        ui.add_space(10.0);
        if self.expensive.is_some() {
            return self.ask_expensive(ui);
        }
        let mut submit = false;
        ui.horizontal(|ui| {
            submit |= super::password_field(ui, "Password:", &mut self.password, 280.0, &mut self.focus);
        });
        if let Some(e) = &self.error {
            let text = if wait > Duration::ZERO {
                format!("{e} Try again in {} s.", wait.as_millis().div_ceil(1000))
            } else {
                e.clone()
            };
            ui.label(RichText::new(text).color(super::error_color(ui)));
        }
        if wait > Duration::ZERO {
            // A countdown is on screen: repaint when its number changes.
            let tick = Duration::from_nanos(u64::from(wait.subsec_nanos()));
            ui.ctx().request_repaint_after(if tick.is_zero() { Duration::from_secs(1) } else { tick });
        }
        if let Some(why) = &self.quick_failed {
            ui.add_space(6.0);
            ui.label(RichText::new(format!("{why}. Type the password instead.")).color(super::warn_color(ui)));
            if crate::theme::secondary(ui, "Try quick unlock again").clicked() {
                return Some(UnlockIntent::QuickUnlock);
            }
        }
        ui.add_space(8.0);
        let ready = wait.is_zero() && !self.password.is_empty();
        submit |= crate::theme::primary_enabled(ui, ready, "Unlock").clicked();
        if submit && ready {
            let p = self.password.take_secret(false);
            return Some(UnlockIntent::Unlock(p));
        }
        None
    }
}

impl UnlockScreen {
    /// Applies the user's intent: unlocking is the worker's job.
    #[must_use]
    pub fn update(&mut self, intent: UnlockIntent) -> Option<Effect> {
        Some(match intent {
            UnlockIntent::Unlock(password) => Effect::Unlock { password, expensive: false },
            UnlockIntent::UnlockAnyway(password) => Effect::Unlock { password, expensive: true },
            UnlockIntent::QuickUnlock => Effect::QuickUnlock,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::{NodeT, Queryable};

    #[test]
    fn delays_grow_and_are_capped() {
        let d: Vec<u64> = (0..10).map(|f| delay_after(f).as_secs()).collect();
        assert_eq!(d, vec![0, 0, 1, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(delay_after(u32::MAX), MAX_DELAY);
    }

    #[test]
    fn wrong_passwords_make_you_wait() {
        let t = Instant::now();
        let mut s = UnlockScreen::new("v".into());
        s.wrong_password(t);
        assert_eq!(s.wait_left(t), Duration::ZERO);
        s.wrong_password(t);
        assert_eq!(s.wait_left(t), Duration::from_secs(1));
        s.wrong_password(t);
        assert_eq!(s.wait_left(t + Duration::from_millis(500)), Duration::from_millis(1500));
        assert_eq!(s.failures(), 3);
    }

    #[test]
    fn quick_unlock_failure_says_why_and_offers_a_retry() {
        let mut screen = UnlockScreen::new("v".into());
        screen.quick_failed = Some("quick unlock did not work: the keyring is locked".into());
        let mut h = Harness::new_ui_state(
            move |ui, out: &mut bool| {
                if let Some(UnlockIntent::QuickUnlock) = screen.ui(ui) {
                    *out = true;
                }
            },
            false,
        );
        h.run();
        h.get_by_label_contains("the keyring is locked. Type the password instead.");
        h.get_by_label("Password:");
        h.get_by_label("Try quick unlock again").click();
        h.run();
        assert!(*h.state());
    }

    #[test]
    fn expensive_key_derivation_is_asked_about_first() {
        let cost = coffer_core::vault::KdfParams::new(4 * 1024 * 1024, 64, 4).unwrap().cost();
        let mut screen = UnlockScreen::new("v".into());
        screen.expensive(cost, SecretString::from("hunter22".to_owned()));
        assert!(screen.holds_secret());
        let mut h = Harness::new_ui_state(
            move |ui, out: &mut (Option<String>, bool)| match screen.ui(ui) {
                Some(UnlockIntent::UnlockAnyway(p)) => out.0 = Some(p.expose().to_owned()),
                Some(_) => out.1 = true,
                None => {}
            },
            (None, false),
        );
        h.run();
        h.get_by_label("This vault asks for an unusually expensive key derivation");
        h.get_by_label_contains(
            "Unlocking would take about 5 min and 4096 MiB of memory (64 passes, 4 lanes): 512 times the work",
        );
        assert!(h.query_by_label("Password:").is_none(), "the question replaces the password field");
        h.get_by_label("Unlock anyway").click();
        h.run();
        assert_eq!(h.state().0.as_deref(), Some("hunter22"));
        assert!(!h.state().1);
        // Answered: the password field is back.
        h.get_by_label("Password:");
    }

    #[test]
    fn cancelling_the_expensive_question_drops_the_password() {
        let cost = coffer_core::vault::KdfParams::new(2 * 1024 * 1024 + 1024, 2, 4).unwrap().cost();
        let mut screen = UnlockScreen::new("v".into());
        screen.expensive(cost, SecretString::from("hunter22".to_owned()));
        let mut h = Harness::new_ui_state(
            move |ui, state: &mut (bool, bool)| {
                let intent = screen.ui(ui);
                state.0 |= intent.is_some();
                state.1 = screen.holds_secret();
            },
            (false, true),
        );
        h.run();
        h.get_by_label_contains("2049 MiB of memory");
        h.get_by_label("Cancel").click();
        h.run();
        assert_eq!(*h.state(), (false, false), "no unlock, and the kept password is gone");
        h.get_by_label("Password:");
    }

    #[test]
    fn submits_and_shows_the_wait() {
        let mut screen = UnlockScreen::new("/tmp/vault.coffer".into());
        screen.wrong_password(Instant::now());
        screen.wrong_password(Instant::now());
        let mut h = Harness::new_ui_state(
            move |ui, out: &mut Option<String>| {
                if let Some(UnlockIntent::Unlock(p)) = screen.ui(ui) {
                    *out = Some(p.expose().to_owned());
                }
            },
            None,
        );
        h.step();
        h.get_by_label_contains("Wrong password. Try again in 1 s.");
        h.step();
        assert!(h.get_by_label("Password:").is_focused(), "the password field has the keyboard focus");
        h.get_by_label("Password:").type_text("hunter22");
        h.step();
        assert!(h.get_by_label("Unlock").accesskit_node().is_disabled());
        std::thread::sleep(Duration::from_millis(1100));
        h.step();
        h.step();
        h.get_by_label("Unlock").click();
        h.step();
        assert_eq!(h.state().as_deref(), Some("hunter22"));
    }
}
