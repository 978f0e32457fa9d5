//! Copying an address, and clearing the clipboard again after [`CLEAR_AFTER`] if it still holds that address.
//!
//! Only addresses ever go to the clipboard: the app drops every other clipboard command egui emits (see
//! [`allow_output`]), so seed words typed into or shown by Coffer cannot be copied, cut or put into the X11 PRIMARY
//! selection, not even by selecting them.
//!
//! Before clearing, Coffer reads the clipboard back (through `arboard`, X11 and macOS/Windows) and clears it only if
//! it still holds the copied address. Where reading back is impossible (e.g. Wayland without the data-control
//! protocol) it clears anyway: copying again through Coffer restarts the timer, and Coffer puts nothing else on the
//! clipboard, so in that case "still holds that address" can only be wrong if another program copied something in
//! the meantime; then that is cleared too.

use std::time::{Duration, Instant};

use egui::OutputCommand;

/// How long a copied address stays on the clipboard.
pub const CLEAR_AFTER: Duration = Duration::from_secs(30);

/// The address Coffer last put on the clipboard, and when.
#[derive(Debug, Default)]
pub struct ClipboardGuard {
    copied: Option<(String, Instant)>,
}

/// What to do when the timer runs out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClearDecision {
    /// Overwrite the clipboard with nothing.
    Clear,
    /// Leave it: something else was copied since.
    Leave,
}

impl ClipboardGuard {
    /// Records that `address` was just put on the clipboard; restarts the countdown.
    pub fn copied(&mut self, address: String, now: Instant) {
        self.copied = Some((address, now));
    }

    /// The address being guarded, if any.
    #[must_use]
    pub fn address(&self) -> Option<&str> {
        self.copied.as_ref().map(|(a, _)| a.as_str())
    }

    /// Whole seconds left before clearing (rounded up), or `None` when nothing is guarded.
    #[must_use]
    pub fn seconds_left(&self, now: Instant) -> Option<u64> {
        let left = self.time_left(now)?;
        Some(left.as_millis().div_ceil(1000).try_into().unwrap_or(u64::MAX))
    }

    /// Time left before clearing, or `None` when nothing is guarded.
    #[must_use]
    pub fn time_left(&self, now: Instant) -> Option<Duration> {
        let (_, at) = self.copied.as_ref()?;
        Some(CLEAR_AFTER.saturating_sub(now.saturating_duration_since(*at)))
    }

    /// How long until the countdown text changes (the next whole second), for `request_repaint_after`.
    #[must_use]
    pub fn next_tick(&self, now: Instant) -> Option<Duration> {
        let left = self.time_left(now)?;
        let sub = left.subsec_nanos();
        Some(if sub == 0 { Duration::from_secs(1).min(left) } else { Duration::from_nanos(u64::from(sub)) })
    }

    /// If the countdown is over, stops guarding and returns the address to clear.
    pub fn take_due(&mut self, now: Instant) -> Option<String> {
        if self.time_left(now)? == Duration::ZERO { self.take() } else { None }
    }

    /// Stops guarding now (for "clear now" and for locking) and returns the address.
    pub fn take(&mut self) -> Option<String> {
        self.copied.take().map(|(a, _)| a)
    }
}

/// Whether to clear, given the address Coffer copied and what reading the clipboard back gave (`Err` when it cannot
/// be read).
#[must_use]
pub fn decide(ours: &str, read_back: Result<Option<String>, ()>) -> ClearDecision {
    match read_back {
        Ok(Some(now)) if now == ours => ClearDecision::Clear,
        Ok(_) => ClearDecision::Leave,
        Err(()) => ClearDecision::Clear,
    }
}

/// Reads the system clipboard's text (`Ok(None)` when it holds no text).
///
/// # Errors
/// `Err(())` when the clipboard cannot be read here (no display, Wayland without data-control, other platforms).
#[allow(clippy::result_unit_err)]
pub fn read_system_clipboard() -> Result<Option<String>, ()> {
    #[cfg(any(target_os = "linux", target_os = "windows", target_os = "macos"))]
    {
        let mut cb = arboard::Clipboard::new().map_err(|_| ())?;
        match cb.get_text() {
            Ok(t) => Ok(Some(t)),
            Err(arboard::Error::ContentNotAvailable) => Ok(None),
            Err(_) => Err(()),
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "windows", target_os = "macos")))]
    {
        Err(())
    }
}

/// Whether a clipboard command egui is about to execute may go through: only a copy of `allowed` (the address the
/// user asked to copy this frame, or `""` to clear). Copy and cut from text fields, the X11 PRIMARY selection and
/// images are all dropped.
#[must_use]
pub fn allow_output(command: &OutputCommand, allowed: Option<&str>) -> bool {
    match command {
        OutputCommand::CopyText(t) => allowed == Some(t.as_str()),
        // Coffer opens no links either: nothing may reach the network through it.
        OutputCommand::TextSelectionSettled(_) | OutputCommand::CopyImage(_) | OutputCommand::OpenUrl(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdown() {
        let t0 = Instant::now();
        let mut g = ClipboardGuard::default();
        assert_eq!(g.seconds_left(t0), None);
        assert_eq!(g.next_tick(t0), None);
        g.copied("addr".into(), t0);
        assert_eq!(g.seconds_left(t0), Some(30));
        assert_eq!(g.seconds_left(t0 + Duration::from_millis(100)), Some(30));
        assert_eq!(g.seconds_left(t0 + Duration::from_millis(1000)), Some(29));
        assert_eq!(g.next_tick(t0 + Duration::from_millis(1200)), Some(Duration::from_millis(800)));
        assert_eq!(g.take_due(t0 + Duration::from_secs(29)), None);
        assert_eq!(g.seconds_left(t0 + Duration::from_secs(31)), Some(0));
        assert_eq!(g.take_due(t0 + Duration::from_secs(30)).as_deref(), Some("addr"));
        assert_eq!(g.address(), None);
    }

    #[test]
    fn copying_again_restarts() {
        let t0 = Instant::now();
        let mut g = ClipboardGuard::default();
        g.copied("a".into(), t0);
        g.copied("b".into(), t0 + Duration::from_secs(20));
        assert_eq!(g.take_due(t0 + Duration::from_secs(30)), None);
        assert_eq!(g.address(), Some("b"));
        assert_eq!(g.seconds_left(t0 + Duration::from_secs(30)), Some(20));
    }

    #[test]
    fn clears_only_our_address() {
        assert_eq!(decide("a", Ok(Some("a".into()))), ClearDecision::Clear);
        assert_eq!(decide("a", Ok(Some("something else".into()))), ClearDecision::Leave);
        assert_eq!(decide("a", Ok(None)), ClearDecision::Leave);
        assert_eq!(decide("a", Err(())), ClearDecision::Clear);
    }

    #[test]
    fn only_the_requested_copy_passes() {
        let copy = |s: &str| OutputCommand::CopyText(s.to_owned());
        assert!(allow_output(&copy("addr"), Some("addr")));
        assert!(allow_output(&copy(""), Some("")));
        assert!(!allow_output(&copy("abandon abandon"), Some("addr")));
        assert!(!allow_output(&copy("addr"), None));
        assert!(!allow_output(&OutputCommand::TextSelectionSettled("addr".into()), Some("addr")));
    }
}
