//! The app's saved settings. Never secrets: only preferences and the state last seen of each vault opened (to notice
//! a vault rolled back to an older copy), stored as `key = value` lines in `$XDG_CONFIG_HOME/coffer/gui.conf` (or
//! `~/.config/coffer/gui.conf`).

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use coffer_core::vault::{Regression, SeenState};

/// Shortest auto-lock delay offered, in minutes.
pub const MIN_AUTO_LOCK_MINUTES: u32 = 1;
/// Longest auto-lock delay offered, in minutes.
pub const MAX_AUTO_LOCK_MINUTES: u32 = 120;
/// At most this many vaults' seen states are kept (the oldest entries by key are dropped beyond it).
pub const MAX_SEEN_VAULTS: usize = 64;

/// Preferences kept between runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Lock (wipe every decrypted secret) after this many minutes without input.
    pub auto_lock_minutes: u32,
    /// Publish the window's contents to screen readers (AT-SPI on Linux). Off by default: whatever the window
    /// shows, seed words included, is then readable by any program of the user on the accessibility bus.
    pub screen_reader: bool,
    /// Light, dark, or following the system (line `theme = system|light|dark`; default: the system's).
    pub theme: crate::theme::ThemeChoice,
    /// The state last seen of each vault opened, by [`SeenState::key_for`] of its canonical path (lines
    /// `seen.<key> = <generation> <log entries> <log head>`).
    pub seen: BTreeMap<String, SeenState>,
    /// Whether the user has answered the first-start question about the network (lines `network_asked = yes`).
    pub network_asked: bool,
    /// Per chain the network process serves: on or off, which network, which endpoint (lines
    /// `network.<chain> = on|off`, `network.<chain>.network = mainnet`, `network.<chain>.endpoint = URL`).
    pub network: BTreeMap<NetChain, ChainNet>,
    /// Addresses watched besides the open seed's own (lines `watch.<chain> = ADDRESS ADDRESS …`), at most
    /// [`MAX_WATCHED`] per chain.
    pub watched: BTreeMap<NetChain, Vec<String>>,
    /// Foreign transactions the user has seen in the alert banner ("I have seen this"; lines
    /// `acknowledged.<chain> = TXID TXID …`, at most [`MAX_ACKNOWLEDGED`] per chain, the oldest dropped first): a
    /// watch round does not raise them again after a restart. New ones still do.
    pub acknowledged: BTreeMap<NetChain, Vec<String>>,
    /// The vault file chosen in the app ("Open another vault…", "Move vault…"; line `vault = PATH`, an absolute
    /// path). `$COFFER_VAULT` still wins over it; without either, the default place.
    pub vault: Option<PathBuf>,
    /// A move of the vault into this directory, asked for while the sandbox did not allow writing there: done at the
    /// next start, before the sandbox (line `move_vault_to = PATH`, absolute).
    pub move_vault_to: Option<PathBuf>,
}

/// At most this many extra addresses are watched per chain.
pub const MAX_WATCHED: usize = 64;

/// At most this many acknowledged foreign transactions are kept per chain.
pub const MAX_ACKNOWLEDGED: usize = 256;

/// Whether `id` looks like a transaction id of some chain (base58, hex or base64 digest; bounded): anything else in
/// an `acknowledged.` line is dropped.
fn is_tx_id(id: &str) -> bool {
    (1..=128).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=_-".contains(&b))
}

/// A chain the network process serves, as the app names it in settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NetChain {
    /// IOTA (JSON-RPC).
    Iota,
    /// Solana (JSON-RPC).
    Solana,
    /// Stellar (Horizon).
    Stellar,
    /// Sui (GraphQL).
    Sui,
}

impl NetChain {
    /// Every chain the app can ask about, in display order.
    pub const ALL: [Self; 4] = [Self::Iota, Self::Solana, Self::Stellar, Self::Sui];

    /// The settings and wire name.
    #[must_use]
    pub fn name(self) -> &'static str {
        self.proto().name()
    }

    /// The protocol's chain.
    #[must_use]
    pub fn proto(self) -> coffer_net_proto::Chain {
        match self {
            Self::Iota => coffer_net_proto::Chain::Iota,
            Self::Solana => coffer_net_proto::Chain::Solana,
            Self::Stellar => coffer_net_proto::Chain::Stellar,
            Self::Sui => coffer_net_proto::Chain::Sui,
        }
    }

    /// The core's chain.
    #[must_use]
    pub fn core(self) -> coffer_core::Chain {
        match self {
            Self::Iota => coffer_core::Chain::Iota,
            Self::Solana => coffer_core::Chain::Solana,
            Self::Stellar => coffer_core::Chain::Stellar,
            Self::Sui => coffer_core::Chain::Sui,
        }
    }

    /// The served chain for a core chain (IOTA Stardust and raw keys are not served).
    #[must_use]
    pub fn of(chain: coffer_core::Chain) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.core() == chain)
    }

    /// Whether the app shows this chain's activity and watches its addresses: the network process serves its
    /// history and its transactions, and `coffer_core::watch` checks them. Every chain with a network side does.
    #[must_use]
    pub fn has_activity(self) -> bool {
        matches!(self, Self::Iota | Self::Solana | Self::Stellar | Self::Sui)
    }

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The networks offered for this chain (Stellar has no devnet).
    #[must_use]
    pub fn networks(self) -> &'static [coffer_net_proto::Network] {
        use coffer_net_proto::Network::{Devnet, Localnet, Mainnet, Testnet};
        match self {
            Self::Solana | Self::Sui => &[Mainnet, Devnet, Testnet, Localnet],
            Self::Iota | Self::Stellar => &[Mainnet, Testnet, Localnet],
        }
    }

    /// The built-in endpoint of `network` (coffer-net's defaults, as the CLI's), if it has one.
    #[must_use]
    pub fn default_endpoint(self, network: coffer_net_proto::Network) -> Option<&'static str> {
        use coffer_net_proto::Network::{Devnet, Mainnet, Testnet};
        match (self, network) {
            (Self::Solana, Mainnet) => Some("https://api.mainnet-beta.solana.com"),
            (Self::Solana, Devnet) => Some("https://api.devnet.solana.com"),
            (Self::Solana, Testnet) => Some("https://api.testnet.solana.com"),
            (Self::Stellar, Mainnet) => Some("https://horizon.stellar.org"),
            (Self::Stellar, Testnet) => Some("https://horizon-testnet.stellar.org"),
            (Self::Iota, Mainnet) => Some("https://api.mainnet.iota.cafe"),
            (Self::Iota, Testnet) => Some("https://api.testnet.iota.cafe"),
            (Self::Sui, Mainnet) => Some("https://graphql.mainnet.sui.io/graphql"),
            (Self::Sui, Testnet) => Some("https://graphql.testnet.sui.io/graphql"),
            (Self::Sui, Devnet) => Some("https://graphql.devnet.sui.io/graphql"),
            _ => None,
        }
    }
}

/// The network settings of one chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainNet {
    /// The user turned the network on for this chain.
    pub on: bool,
    /// Which network.
    pub network: coffer_net_proto::Network,
    /// The endpoint URL; empty: the built-in one.
    pub endpoint: String,
}

impl Default for ChainNet {
    fn default() -> Self {
        Self { on: false, network: coffer_net_proto::Network::Mainnet, endpoint: String::new() }
    }
}

impl ChainNet {
    /// The endpoint asked: the user's, else the built-in one.
    #[must_use]
    pub fn endpoint_for(&self, chain: NetChain) -> Option<String> {
        if self.endpoint.is_empty() {
            chain.default_endpoint(self.network).map(str::to_owned)
        } else {
            Some(self.endpoint.clone())
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            auto_lock_minutes: 5,
            screen_reader: false,
            theme: crate::theme::ThemeChoice::default(),
            seen: BTreeMap::new(),
            network_asked: false,
            network: NetChain::ALL.into_iter().map(|c| (c, ChainNet::default())).collect(),
            watched: BTreeMap::new(),
            acknowledged: BTreeMap::new(),
            vault: None,
            move_vault_to: None,
        }
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
                ("network_asked", "yes") => s.network_asked = true,
                ("vault", v) if Path::new(v).is_absolute() => s.vault = Some(PathBuf::from(v)),
                ("move_vault_to", v) if Path::new(v).is_absolute() => s.move_vault_to = Some(PathBuf::from(v)),
                ("theme", v) => s.theme = crate::theme::ThemeChoice::from_name(v).unwrap_or_default(),
                (key, v) if key.starts_with("network.") => s.read_network(&key["network.".len()..], v),
                (key, v) if key.starts_with("watch.") => {
                    if let Some(chain) = NetChain::from_name(&key["watch.".len()..]) {
                        let list: Vec<String> = v
                            .split_whitespace()
                            .filter(|a| coffer_net_proto::check_address("watch", chain.proto(), a).is_ok())
                            .take(MAX_WATCHED)
                            .map(str::to_owned)
                            .collect();
                        if !list.is_empty() {
                            s.watched.insert(chain, list);
                        }
                    }
                }
                (key, v) if key.starts_with("acknowledged.") => {
                    if let Some(chain) = NetChain::from_name(&key["acknowledged.".len()..]) {
                        let list: Vec<String> =
                            v.split_whitespace().filter(|t| is_tx_id(t)).map(str::to_owned).collect();
                        let keep = list.len().saturating_sub(MAX_ACKNOWLEDGED);
                        if list.len() > keep {
                            s.acknowledged.insert(chain, list[keep..].to_vec());
                        }
                    }
                }
                (key, v) if key.starts_with("seen.") && s.seen.len() < MAX_SEEN_VAULTS => {
                    let name = &key["seen.".len()..];
                    if let Some(state) = SeenState::from_text(v)
                        && !name.is_empty()
                        && name.bytes().all(|b| b.is_ascii_hexdigit())
                    {
                        s.seen.insert(name.to_owned(), state);
                    }
                }
                _ => {}
            }
        }
        s
    }

    /// The settings as text, as [`Settings::from_text`] reads it.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "# Coffer desktop app settings (no secrets here)\nauto_lock_minutes = {}\nscreen_reader = {}\ntheme = {}\n",
            self.auto_lock_minutes,
            if self.screen_reader { "on" } else { "off" },
            self.theme.name()
        );
        if self.network_asked {
            text.push_str("network_asked = yes\n");
        }
        // A path is one line: one with a line break (or not absolute) is not kept.
        fn line(p: &Path) -> Option<&str> {
            p.to_str().filter(|t| p.is_absolute() && !t.contains(['\n', '\r']) && t.trim() == *t)
        }
        if let Some(v) = self.vault.as_deref().and_then(line) {
            text.push_str(&format!("vault = {v}\n"));
        }
        if let Some(v) = self.move_vault_to.as_deref().and_then(line) {
            text.push_str(&format!("move_vault_to = {v}\n"));
        }
        for (chain, net) in &self.network {
            let name = chain.name();
            text.push_str(&format!("network.{name} = {}\n", if net.on { "on" } else { "off" }));
            text.push_str(&format!("network.{name}.network = {}\n", net.network.name()));
            if !net.endpoint.is_empty() {
                text.push_str(&format!("network.{name}.endpoint = {}\n", net.endpoint));
            }
        }
        for (chain, list) in &self.watched {
            if !list.is_empty() {
                text.push_str(&format!("watch.{} = {}\n", chain.name(), list.join(" ")));
            }
        }
        for (chain, list) in &self.acknowledged {
            if !list.is_empty() {
                text.push_str(&format!("acknowledged.{} = {}\n", chain.name(), list.join(" ")));
            }
        }
        for (key, state) in &self.seen {
            text.push_str(&format!("seen.{key} = {}\n", state.to_text()));
        }
        text
    }

    /// One `network.` line (without the prefix): a bad chain, network or URL is ignored.
    fn read_network(&mut self, key: &str, v: &str) {
        let (chain, field) = key.split_once('.').map_or((key, None), |(c, f)| (c, Some(f)));
        let Some(chain) = NetChain::from_name(chain) else { return };
        let net = self.network.entry(chain).or_default();
        match (field, v) {
            (None, "on") => net.on = true,
            (None, "off") => net.on = false,
            (Some("network"), v) => {
                if let Some(n) = coffer_net_proto::Network::from_name(v).filter(|n| chain.networks().contains(n)) {
                    net.network = n;
                }
            }
            (Some("endpoint"), v) if coffer_net_proto::check_endpoint(v).is_ok() => net.endpoint = v.to_owned(),
            _ => {}
        }
    }

    /// Records that the user has seen the foreign transaction `id` of `chain` (the oldest beyond
    /// [`MAX_ACKNOWLEDGED`] is forgotten). Returns whether the list changed.
    pub fn acknowledge(&mut self, chain: NetChain, id: &str) -> bool {
        if !is_tx_id(id) {
            return false;
        }
        let list = self.acknowledged.entry(chain).or_default();
        if list.iter().any(|t| t == id) {
            return false;
        }
        list.push(id.to_owned());
        if list.len() > MAX_ACKNOWLEDGED {
            list.remove(0);
        }
        true
    }

    /// Whether the user has seen the foreign transaction `id` of `chain` in an alert.
    #[must_use]
    pub fn is_acknowledged(&self, chain: NetChain, id: &str) -> bool {
        self.acknowledged.get(&chain).is_some_and(|l| l.iter().any(|t| t == id))
    }

    /// Adds `addresses` to the watched addresses of `chain` (those already there, or beyond [`MAX_WATCHED`], are
    /// left out). Returns whether the list changed.
    pub fn watch(&mut self, chain: NetChain, addresses: Vec<String>) -> bool {
        let list = self.watched.entry(chain).or_default();
        let before = list.len();
        for a in addresses {
            if list.len() < MAX_WATCHED && !list.contains(&a) {
                list.push(a);
            }
        }
        let changed = list.len() != before;
        if list.is_empty() {
            self.watched.remove(&chain);
        }
        changed
    }

    /// Whether the network is on for any chain (then the app starts coffer-net).
    #[must_use]
    pub fn network_on(&self) -> bool {
        self.network.values().any(|n| n.on)
    }

    /// The `--endpoint CHAIN:NETWORK=URL` overrides coffer-net is started with: the endpoint of every chain that is
    /// on, its own or the built-in one (so its sandbox allows that endpoint's port).
    #[must_use]
    pub fn endpoint_specs(&self) -> Vec<String> {
        self.network
            .iter()
            .filter(|(_, n)| n.on)
            .filter_map(|(c, n)| n.endpoint_for(*c).map(|url| format!("{}:{}={url}", c.name(), n.network.name())))
            .collect()
    }

    /// Compares `now`, the state of the vault at `canonical_path`, with the state last seen of it, then records
    /// `now`. Returns how the vault went back, if it did, and whether the settings changed (and should be saved).
    pub fn observe_vault(&mut self, canonical_path: &Path, now: SeenState) -> (Option<Regression>, bool) {
        let key = SeenState::key_for(canonical_path);
        let regression = self.seen.get(&key).and_then(|seen| now.compare(seen));
        let changed = self.seen.get(&key) != Some(&now);
        if changed {
            if !self.seen.contains_key(&key) && self.seen.len() >= MAX_SEEN_VAULTS {
                let first = self.seen.keys().next().cloned();
                if let Some(first) = first {
                    self.seen.remove(&first);
                }
            }
            self.seen.insert(key, now);
        }
        (regression, changed)
    }

    /// Carries the state seen of the vault at `old` (canonical) over to `new` (canonical), after a move: the rollback
    /// check goes on comparing the moved vault with what was seen of it.
    pub fn vault_moved(&mut self, old: &Path, new: &Path) {
        if let Some(state) = self.seen.remove(&SeenState::key_for(old)) {
            self.seen.insert(SeenState::key_for(new), state);
        }
    }

    /// Reads the settings at `path`; a missing or unreadable file gives the defaults.
    #[must_use]
    pub fn load(path: &Path) -> Self {
        std::fs::read_to_string(path).map(|t| Self::from_text(&t)).unwrap_or_default()
    }

    /// Writes the settings to `path` through a temporary file and a rename, so a crash leaves the old file. As for
    /// the vault's temporary file, whatever is at `<path>.tmp` (a file left by a crash, or a planted symbolic link:
    /// the link itself, never its target) is removed first, and the temporary file is then created with
    /// `O_CREAT | O_EXCL` (and `O_NOFOLLOW` on Linux with glibc), mode 0600, written, fsynced and renamed over `path`.
    /// A link at the temporary path is therefore never written through.
    ///
    /// # Errors
    /// Any I/O error creating the directory or writing the file; the file at `path` is then untouched.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::sandbox::create_private_dir(dir)?;
        }
        let tmp = path.with_extension("conf.tmp");
        match std::fs::remove_file(&tmp) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        let result = write_new_file(&tmp, self.to_text().as_bytes()).and_then(|()| std::fs::rename(&tmp, path));
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
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

/// Creates `path` (which must not exist: `O_CREAT | O_EXCL`, never following a link; `O_NOFOLLOW` too where the
/// constant is at hand), mode 0600 on Unix, writes `bytes` and fsyncs it.
fn write_new_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write as _;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut o, libc::O_NOFOLLOW | libc::O_CLOEXEC);
    let mut f = o.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_and_clamps() {
        let s = Settings { auto_lock_minutes: 17, screen_reader: false, ..Settings::default() };
        assert_eq!(Settings::from_text(&s.to_text()), s);
        let s = Settings { auto_lock_minutes: 3, screen_reader: true, ..Settings::default() };
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
    fn the_network_is_off_until_turned_on_per_chain_and_round_trips() {
        let s = Settings::default();
        assert!(!s.network_on() && !s.network_asked && s.endpoint_specs().is_empty(), "off by default");
        let mut s = Settings { network_asked: true, ..Settings::default() };
        let sol = s.network.entry(NetChain::Solana).or_default();
        sol.on = true;
        sol.network = coffer_net_proto::Network::Localnet;
        sol.endpoint = "http://127.0.0.1:8899".into();
        s.network.entry(NetChain::Stellar).or_default().network = coffer_net_proto::Network::Testnet;
        s.watched.insert(NetChain::Solana, vec!["11111111111111111111111111111111".into()]);
        assert_eq!(Settings::from_text(&s.to_text()), s);
        assert_eq!(s.endpoint_specs(), vec!["solana:localnet=http://127.0.0.1:8899".to_owned()]);
        s.network.entry(NetChain::Iota).or_default().on = true;
        assert_eq!(s.endpoint_specs()[0], "iota:mainnet=https://api.mainnet.iota.cafe", "the built-in endpoint");
        // Bad values are ignored: a network the chain lacks, a URL with credentials, an address of another chain.
        let odd = Settings::from_text(
            "network.stellar.network = devnet\nnetwork.solana.endpoint = https://u:p@x.example\n\
             network.solana = yes\nwatch.solana = GAAZI4TCR3TY5OJHCTJC2A4QSY6CJWJH5IAJTGKIN2ER7LBNVKOCCWN7",
        );
        assert_eq!(odd, Settings::default());
        let mut s = Settings::default();
        let a = "11111111111111111111111111111111".to_owned();
        assert!(s.watch(NetChain::Solana, vec![a.clone(), a.clone()]));
        assert!(!s.watch(NetChain::Solana, vec![a.clone()]), "already watched");
        assert_eq!(s.watched[&NetChain::Solana], vec![a]);
        assert!(!s.watch(NetChain::Iota, Vec::new()) && !s.watched.contains_key(&NetChain::Iota));
    }

    #[test]
    fn seen_states_round_trip_and_report_a_rollback() {
        let mut s = Settings::default();
        let path = Path::new("/home/u/.local/share/coffer/vault.coffer");
        let first = SeenState { generation: 5, log_entries: 2, log_head: [2; 32] };
        assert_eq!(s.observe_vault(path, first), (None, true), "nothing seen before");
        assert_eq!(s.observe_vault(path, first), (None, false), "unchanged: nothing to save");
        let newer = SeenState { generation: 6, log_entries: 3, log_head: [3; 32] };
        assert_eq!(s.observe_vault(path, newer), (None, true));
        let text = s.to_text();
        assert!(text.contains("seen."), "{text}");
        let mut loaded = Settings::from_text(&text);
        assert_eq!(loaded, s);
        // The older copy restored: reported once, then recorded.
        let (regression, changed) = loaded.observe_vault(path, first);
        assert_eq!((regression, changed), (Some(Regression::Generation { seen: 6, now: 5 }), true));
        assert_eq!(loaded.observe_vault(path, first), (None, false));
        // Another vault is tracked apart.
        assert_eq!(loaded.observe_vault(Path::new("/elsewhere/v.coffer"), first), (None, true));
        // Malformed lines are ignored.
        let junk = Settings::from_text("seen.zz = 1 2 00\nseen. = 1 2 3\nseen.ab = nonsense");
        assert!(junk.seen.is_empty());
    }

    #[test]
    fn the_vault_path_and_a_pending_move_round_trip_and_the_seen_state_follows_a_move() {
        let s = Settings {
            vault: Some(PathBuf::from("/home/u/vaults/v.coffer")),
            move_vault_to: Some(PathBuf::from("/media/usb/coffer")),
            ..Settings::default()
        };
        assert_eq!(Settings::from_text(&s.to_text()), s);
        let odd = Settings::from_text("vault = relative/v.coffer\nmove_vault_to = also/relative");
        assert_eq!((odd.vault, odd.move_vault_to), (None, None));
        let broken = Settings { vault: Some(PathBuf::from("/a\nauto_lock_minutes = 99")), ..Settings::default() };
        assert_eq!(Settings::from_text(&broken.to_text()), Settings::default(), "a path with a line break is dropped");
        let mut s = Settings::default();
        let (old, new) = (Path::new("/old/v.coffer"), Path::new("/new/v.coffer"));
        let state = SeenState { generation: 5, log_entries: 2, log_head: [2; 32] };
        s.observe_vault(old, state);
        s.vault_moved(old, new);
        assert_eq!(s.seen.len(), 1);
        let older = SeenState { generation: 4, ..state };
        assert!(s.observe_vault(new, older).0.is_some(), "the rollback check goes on at the new path");
    }

    #[test]
    fn theme_is_saved_and_defaults_to_the_system() {
        use crate::theme::ThemeChoice;
        assert_eq!(Settings::default().theme, ThemeChoice::System);
        let s = Settings { theme: ThemeChoice::Dark, ..Settings::default() };
        assert!(s.to_text().contains("theme = dark\n"));
        assert_eq!(Settings::from_text(&s.to_text()).theme, ThemeChoice::Dark);
        assert_eq!(Settings::from_text("theme = light").theme, ThemeChoice::Light);
        assert_eq!(Settings::from_text("theme = neon").theme, ThemeChoice::System, "an unknown word is the default");
    }

    #[test]
    fn acknowledged_alerts_are_kept_bounded_and_checked() {
        let mut s = Settings::default();
        assert!(s.acknowledge(
            NetChain::Solana,
            "5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW"
        ));
        assert!(
            !s.acknowledge(
                NetChain::Solana,
                "5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW"
            ),
            "once"
        );
        assert!(!s.acknowledge(NetChain::Iota, "two words"), "not an id");
        assert!(!s.acknowledge(NetChain::Iota, &"a".repeat(129)), "too long");
        assert!(s.is_acknowledged(
            NetChain::Solana,
            "5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW"
        ));
        assert!(
            !s.is_acknowledged(
                NetChain::Sui,
                "5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW"
            ),
            "per chain"
        );
        for n in 0..MAX_ACKNOWLEDGED + 5 {
            s.acknowledge(NetChain::Sui, &format!("tx{n}"));
        }
        assert_eq!(s.acknowledged[&NetChain::Sui].len(), MAX_ACKNOWLEDGED);
        assert!(
            !s.is_acknowledged(NetChain::Sui, "tx0") && s.is_acknowledged(NetChain::Sui, "tx260"),
            "oldest dropped"
        );
        assert_eq!(Settings::from_text(&s.to_text()), s, "round trip");
        let read = Settings::from_text("acknowledged.stellar = abc <script> def\nacknowledged.nochain = abc\n");
        assert_eq!(read.acknowledged.len(), 1);
        assert_eq!(read.acknowledged[&NetChain::Stellar], vec!["abc".to_owned(), "def".to_owned()]);
    }

    #[test]
    fn save_and_load() {
        let dir = coffer_test_util::TempDir::new("gui-settings");
        let path = dir.join("gui.conf");
        let s = Settings { auto_lock_minutes: 9, screen_reader: true, ..Settings::default() };
        s.save(&path).unwrap();
        assert_eq!(Settings::load(&path), s);
        drop(dir);
        assert_eq!(Settings::load(&path), Settings::default());
    }

    /// A symbolic link planted at the temporary path (`gui.conf.tmp`) is removed, never written through: the file it
    /// points to (outside the settings directory) keeps its contents and mode, a dangling link's target is not
    /// created, and `gui.conf` comes out a regular 0600 file holding the settings.
    #[cfg(unix)]
    #[test]
    fn planted_tmp_link_is_not_followed() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777;
        let base = coffer_test_util::TempDir::new("gui-settings-link");
        let (dir, outside) = (base.join("config"), base.join("outside"));
        std::fs::create_dir_all(&outside).unwrap();
        let path = dir.join("gui.conf");
        let s = Settings { auto_lock_minutes: 9, screen_reader: true, ..Settings::default() };
        s.save(&path).unwrap();
        let victim = outside.join("victim");
        std::fs::write(&victim, b"victim's data").unwrap();
        std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).unwrap();
        let tmp = dir.join("gui.conf.tmp");
        std::os::unix::fs::symlink(&victim, &tmp).unwrap();
        let s = Settings { auto_lock_minutes: 11, ..s };
        s.save(&path).unwrap();
        assert_eq!((std::fs::read(&victim).unwrap(), mode(&victim)), (b"victim's data".to_vec(), 0o644));
        assert!(std::fs::symlink_metadata(&path).unwrap().is_file());
        assert_eq!((Settings::load(&path), mode(&path)), (s.clone(), 0o600));
        assert!(std::fs::symlink_metadata(&tmp).is_err(), "no temporary file or link is left");
        // A dangling link: its target is not created.
        let nowhere = outside.join("nowhere");
        std::os::unix::fs::symlink(&nowhere, &tmp).unwrap();
        let s = Settings { auto_lock_minutes: 12, ..s };
        s.save(&path).unwrap();
        assert!(std::fs::symlink_metadata(&nowhere).is_err());
        assert_eq!((Settings::load(&path), mode(&path)), (s, 0o600));
    }
}
