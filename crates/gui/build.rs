//! Embeds the short git commit hash as `COFFER_BUILD_HASH`: from the environment variable of that name when set (a
//! build from a copy without `.git`), else from git, else "unknown".

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok().filter(|o| o.status.success())?;
    let s = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (!s.is_empty()).then_some(s)
}

fn main() {
    // A build from a copy without .git (scripts/package, scripts/repro-build) passes the commit in the environment.
    let hash = std::env::var("COFFER_BUILD_HASH")
        .ok()
        .filter(|s| !s.is_empty())
        .or_else(|| git(&["rev-parse", "--short", "HEAD"]))
        .filter(|s| s.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=COFFER_BUILD_HASH={hash}");
    // Rebuild when HEAD or the branch it points to moves.
    for path in [
        git(&["rev-parse", "--git-path", "HEAD"]),
        git(&["symbolic-ref", "-q", "HEAD"]).and_then(|r| git(&["rev-parse", "--git-path", &r])),
    ]
    .into_iter()
    .flatten()
    {
        println!("cargo:rerun-if-changed={path}");
    }
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=COFFER_BUILD_HASH");
    if packed_relocations_supported() {
        // Packed relative relocations (DT_RELR): the app's ~90 000 relative relocations take a few kilobytes instead
        // of 2 MiB that the loader reads at every start (see docs/performance.md). Still a position-independent
        // executable: ASLR is unchanged.
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// DT_RELR needs glibc 2.36 or newer at run time (and binutils 2.38 or lld 15 to link); only a native Linux/glibc
/// build whose own glibc is new enough uses it, so the binary runs where it was built.
fn packed_relocations_supported() -> bool {
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") != "linux" || var("CARGO_CFG_TARGET_ENV") != "gnu" || var("HOST") != var("TARGET") {
        return false;
    }
    // "glibc 2.36"
    let Some(version) =
        Command::new("getconf").arg("GNU_LIBC_VERSION").output().ok().and_then(|o| String::from_utf8(o.stdout).ok())
    else {
        return false;
    };
    let mut parts = version.trim().trim_start_matches("glibc ").split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) >= (2, 36)
}
