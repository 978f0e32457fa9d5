//! `coffer init`: create a vault with a first seed.

use coffer_core::vault::{SeedInfo, Vault};
use coffer_core::{Mnemonic, WordCount};

use super::vault::{check_kdf_args, kdf_params, one_stdin, path};
use crate::cli::{Global, InitArgs, NewSeedArgs};
use crate::error::{CliError, code};
use crate::input::{read_mnemonic_file, read_new_password};
use crate::output::{print_json_secret, print_line};

/// Runs before the sandbox (see `main`): everything is read and checked first, so bad input leaves nothing behind
/// (not even the vault's directory); then the directory is made, the sandbox applied, and the vault created.
pub fn run(g: &Global, args: &InitArgs) -> Result<(), CliError> {
    let path = path(g)?;
    one_stdin(&[g.password_file.as_deref(), args.seed.import_mnemonic_file.as_deref()])?;
    if path.exists() {
        return Err(coffer_core::vault::VaultError::AlreadyExists { path }.into());
    }
    coffer_core::vault::validate_label(&args.label)?;
    // Read and check everything before the slow part, so a typo costs nothing.
    let source = SeedSource::read(&args.seed)?;
    let password = read_new_password(g.password_file.as_deref())?;
    check_kdf_args(&args.kdf)?;
    // Only now: the vault's directory, then the sandbox (before calibration starts Argon2's threads).
    crate::sandbox_for_init(&path);
    let params = kdf_params(&args.kdf)?;
    let mut vault = Vault::create(&path, &password, params)?;
    let info = source.store(&mut vault, &args.label)?;
    report(g, &path.display().to_string(), &info, source.fresh())
}

/// A new seed: fresh words, or an imported mnemonic with its passphrase.
pub enum SeedSource {
    Fresh(Mnemonic),
    Imported(Mnemonic, coffer_core::secret::SecretString),
}

impl SeedSource {
    pub fn read(args: &NewSeedArgs) -> Result<Self, CliError> {
        match &args.import_mnemonic_file {
            Some(file) => {
                let f = read_mnemonic_file(file)?;
                Ok(Self::Imported(f.mnemonic(args.passphrase_is_words)?, f.passphrase))
            }
            None => Ok(Self::Fresh(Mnemonic::generate(WordCount::try_from(args.words)?)?)),
        }
    }

    pub fn store(&self, vault: &mut Vault, label: &str) -> Result<SeedInfo, CliError> {
        Ok(match self {
            Self::Fresh(m) => vault.add_seed(label, m, "")?,
            Self::Imported(m, pass) => vault.add_seed(label, m, pass.expose())?,
        })
    }

    pub fn fresh(&self) -> Option<&Mnemonic> {
        match self {
            Self::Fresh(m) => Some(m),
            Self::Imported(..) => None,
        }
    }
}

/// Prints what was stored; a fresh mnemonic is shown this once.
pub fn report(g: &Global, vault: &str, info: &SeedInfo, fresh: Option<&Mnemonic>) -> Result<(), CliError> {
    if g.json {
        let phrase = fresh.map(Mnemonic::phrase);
        return print_json_secret(&StoredJson {
            created: info.created,
            id: info.id.to_string(),
            label: &info.label,
            language: info.language.name(),
            mnemonic: phrase.as_ref().map(|p| p.expose()),
            vault,
            words: info.word_count,
        });
    }
    match fresh {
        Some(m) => {
            print_line(&format!(
                "Seed \"{}\" stored in {vault}. Its {} words, shown only this once:",
                info.label, info.word_count
            ))?;
            print_words(m)?;
            eprintln!(
                "coffer: write the words on paper, in order, and keep them offline; never photograph or type them \
                 anywhere else. Then prove the copy with: coffer seed verify {:?} --mnemonic-file -",
                info.label
            );
        }
        None => print_line(&format!("Seed \"{}\" imported into {vault}.", info.label))?,
    }
    Ok(())
}

/// The JSON result of `init` and `seed add`. The fresh mnemonic is borrowed from its zeroizing phrase and written
/// straight into a zeroizing buffer ([`print_json_secret`]); keys in alphabetical order, as `print_json` writes them.
#[derive(serde::Serialize)]
struct StoredJson<'a> {
    created: u64,
    id: String,
    label: &'a str,
    language: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    mnemonic: Option<&'a str>,
    vault: &'a str,
    words: usize,
}

/// Prints a mnemonic's words once, numbered, four to a line, between blank lines.
pub fn print_words(m: &Mnemonic) -> Result<(), CliError> {
    print_line("")?;
    let words: Vec<&str> = m.words().collect();
    for (row, chunk) in words.chunks(4).enumerate() {
        let line: Vec<String> =
            chunk.iter().enumerate().map(|(i, w)| format!("{:>2}. {w:<12}", row * 4 + i + 1)).collect();
        print_line(line.join("  ").trim_end())?;
    }
    print_line("")
}

/// The refusal used when a confirmation is needed but there is no terminal to ask on.
pub fn needs_yes(what: &str) -> CliError {
    CliError::new(code::REFUSED, "confirmation_required", format!("{what}: confirm on a terminal or pass --yes"))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    //! `init --json` prints a fresh mnemonic: afterwards no copy of its words may be left in the process's memory.
    //! A child (this test binary, re-run with an environment variable) creates a vault, prints the JSON report and
    //! drops everything; the parent then reads the child's memory through `/proc/PID/mem` (it is the child's
    //! parent, or root) and searches it for the words. The child also holds a live canary, which the scan must
    //! find, so a scan that sees nothing cannot pass.
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use std::io::{BufRead, BufReader, Read, Write};
    use std::os::unix::fs::FileExt;
    use std::process::{Command, Stdio};

    use coffer_core::secret::SecretString;
    use coffer_core::vault::{KdfParams, Vault};
    use coffer_core::{Mnemonic, WordCount};

    use crate::cli::Global;

    const CHILD_ENV: &str = "COFFER_CLI_JSON_MEMORY_CHILD";

    #[test]
    fn json_report_child() {
        let Some(dir) = std::env::var_os(CHILD_ENV) else { return };
        let path = std::path::PathBuf::from(dir).join("vault.coffer");
        let canary: Vec<u8> = std::hint::black_box(b"canary-still-held-by-the-child-0123456789".to_vec());
        {
            let password = SecretString::from("json memory test password".to_owned());
            let mut vault = Vault::create(&path, &password, KdfParams::policy_minimum()).unwrap();
            let m = Mnemonic::generate(WordCount::Words24).unwrap();
            let info = vault.add_seed("main", &m, "").unwrap();
            drop(vault);
            let g = Global { json: true, vault: Some(path.clone()), password_file: None };
            super::report(&g, "vault.coffer", &info, Some(&m)).unwrap();
        }
        let mut out = std::io::stdout().lock();
        out.write_all(b"\nREPORTED\n").unwrap();
        out.flush().unwrap();
        drop(out);
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
        std::hint::black_box(&canary);
    }

    fn find(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    /// Searches every readable mapping of `pid` that is not a read-only file for each needle.
    fn scan(pid: u32, needles: &[(&str, &[u8])]) -> (Vec<String>, usize) {
        let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).unwrap();
        let mem = std::fs::File::open(format!("/proc/{pid}/mem")).expect("read the child's memory");
        let (mut found, mut scanned) = (Vec::new(), 0);
        for line in maps.lines() {
            let mut parts = line.split_whitespace();
            let (Some(range), Some(perms)) = (parts.next(), parts.next()) else { continue };
            let name = parts.nth(3).unwrap_or("[anon]");
            if !perms.starts_with('r') || name == "[vvar]" || name == "[vsyscall]" {
                continue;
            }
            if name.starts_with('/') && !perms.contains('w') {
                continue;
            }
            let (start, end) = range.split_once('-').unwrap();
            let (start, end) = (u64::from_str_radix(start, 16).unwrap(), u64::from_str_radix(end, 16).unwrap());
            let mut buf = vec![0u8; usize::try_from(end - start).unwrap()];
            if mem.read_exact_at(&mut buf, start).is_err() {
                continue;
            }
            scanned += buf.len();
            for (what, needle) in needles {
                if find(&buf, needle) {
                    found.push(format!("{what} in {name} ({range} {perms})"));
                }
            }
        }
        (found, scanned)
    }

    #[test]
    fn json_mnemonic_leaves_no_copy_in_memory() {
        let dir = std::env::temp_dir().join(format!("coffer-cli-json-memory-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "commands::init::tests::json_report_child", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let pid = child.id();
        let mut printed = String::new();
        for line in BufReader::new(child.stdout.take().unwrap()).lines().map_while(Result::ok) {
            if line.trim_end().ends_with("REPORTED") {
                break;
            }
            printed.push_str(&line);
            printed.push('\n');
        }
        let start = printed.find('{').expect("a JSON report");
        let report: serde_json::Value = serde_json::from_str(&printed[start..]).expect("the JSON report");
        let phrase = report["mnemonic"].as_str().expect("the fresh mnemonic").to_owned();
        assert_eq!(phrase.split(' ').count(), 24);
        // A freed block's first bytes are overwritten by the allocator: look for the words after the first three.
        let tail: String = phrase.split(' ').skip(3).collect::<Vec<_>>().join(" ");
        let (found, scanned) =
            scan(pid, &[("canary", b"canary-still-held-by-the-child-0123456789"), ("mnemonic", tail.as_bytes())]);
        let _ = child.kill();
        drop(child.stdin.take());
        let _ = child.wait();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(scanned > 1 << 20, "scanned only {scanned} bytes");
        assert!(found.iter().any(|f| f.starts_with("canary")), "the scan does not see live memory: {found:?}");
        let left: Vec<_> = found.iter().filter(|f| f.starts_with("mnemonic")).collect();
        assert!(left.is_empty(), "the mnemonic's words are left in memory after the JSON report:\n{left:?}");
    }
}
