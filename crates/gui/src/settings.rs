//! The app's saved settings. Never secrets: only preferences, stored as `key = value` lines in
//! `$XDG_CONFIG_HOME/coffer/gui.conf` (or `~/.config/coffer/gui.conf`).

use std::io;
use std::path::{Path, PathBuf};

/// Shortest auto-lock delay offered, in minutes.
pub const MIN_AUTO_LOCK_MINUTES: u32 = 1;
/// Longest auto-lock delay offered, in minutes.
pub const MAX_AUTO_LOCK_MINUTES: u32 = 120;

/// Preferences kept between runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Lock (wipe every decrypted secret) after this many minutes without input.
    pub auto_lock_minutes: u32,
    /// Publish the window's contents to screen readers (AT-SPI on Linux). Off by default: whatever the window
    /// shows, seed words included, is then readable by any program of the user on the accessibility bus.
    pub screen_reader: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self { auto_lock_minutes: 5, screen_reader: false }
    }
}

impl Settings {
    /// Parses the settings text; unknown keys and bad values are ignored (defaults stay).
    #[must_use]
    pub fn from_text(text: &str) -> Self {
        let mut s = Self::default();
        for line in text.lines() {
            let Some((key, value)) = line.split_once('=') else { continue };
            match (key.trim(), value.trim()) {
                ("auto_lock_minutes", v) => {
                    if let Ok(m) = v.parse::<u32>() {
                        s.auto_lock_minutes = m.clamp(MIN_AUTO_LOCK_MINUTES, MAX_AUTO_LOCK_MINUTES);
                    }
                }
                ("screen_reader", "on") => s.screen_reader = true,
                ("screen_reader", "off") => s.screen_reader = false,
                _ => {}
            }
        }
        s
    }

    /// The settings as text, as [`Settings::from_text`] reads it.
    #[must_use]
    pub fn to_text(&self) -> String {
        format!(
            "# Coffer desktop app settings (no secrets here)\nauto_lock_minutes = {}\nscreen_reader = {}\n",
            self.auto_lock_minutes,
            if self.screen_reader { "on" } else { "off" }
        )
    }

    /// Reads the settings at `path`; a missing or unreadable file gives the defaults.
    #[must_use]
    pub fn load(path: &Path) -> Self {
        std::fs::read_to_string(path).map(|t| Self::from_text(&t)).unwrap_or_default()
    }

    /// Writes the settings to `path` (through a temporary file and a rename, so a crash leaves the old file).
    ///
    /// # Errors
    /// Any I/O error creating the directory or writing the file.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::sandbox::create_private_dir(dir)?;
        }
        let tmp = path.with_extension("conf.tmp");
        std::fs::write(&tmp, self.to_text())?;
        std::fs::rename(&tmp, path)
    }

    /// Where the settings live by default: `$XDG_CONFIG_HOME/coffer/gui.conf`, else `~/.config/coffer/gui.conf`.
    #[must_use]
    pub fn default_path() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").filter(|v| !v.is_empty()).map(|h| PathBuf::from(h).join(".config")))?;
        Some(base.join("coffer").join("gui.conf"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_and_clamps() {
        let s = Settings { auto_lock_minutes: 17, screen_reader: false };
        assert_eq!(Settings::from_text(&s.to_text()), s);
        let s = Settings { auto_lock_minutes: 3, screen_reader: true };
        assert_eq!(Settings::from_text(&s.to_text()), s);
        assert!(Settings::from_text("screen_reader = on").screen_reader);
        assert!(!Settings::from_text("screen_reader = yes please").screen_reader, "only `on` turns it on");
        assert!(!Settings::default().screen_reader, "off unless the user turns it on");
        assert_eq!(Settings::from_text("auto_lock_minutes = 0").auto_lock_minutes, 1);
        assert_eq!(Settings::from_text("auto_lock_minutes=9999").auto_lock_minutes, 120);
        assert_eq!(Settings::from_text("garbage\nauto_lock_minutes = x"), Settings::default());
        assert_eq!(Settings::default().auto_lock_minutes, 5);
    }

    #[test]
    fn save_and_load() {
        let dir = std::env::temp_dir().join(format!("coffer-gui-settings-{}", std::process::id()));
        let path = dir.join("gui.conf");
        let s = Settings { auto_lock_minutes: 9, screen_reader: true };
        s.save(&path).unwrap();
        assert_eq!(Settings::load(&path), s);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(Settings::load(&path), Settings::default());
    }
}
