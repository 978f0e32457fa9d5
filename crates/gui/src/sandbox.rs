//! The GUI's Landlock sandbox, applied first thing in `main`, while the process has one thread and before eframe
//! connects to the display: writing is allowed only in the vault's directory, the settings directory, Coffer's own
//! shader cache (plus `/dev`, which core adds for the GPU); TCP connect/bind is denied, and so is connecting to
//! abstract Unix sockets made outside the sandbox, unless the X11 display or the session bus needs them. Reading is not restricted: the
//! "Open file" field of the sign screen reads anywhere, and Mesa loads its drivers lazily.
//!
//! Landlock binds only the calling thread and the threads it starts later. Restricting in eframe's creation
//! callback (as Coffer once did) left the threads the windowing and GL libraries had already started unrestricted,
//! and a compromised restricted thread shares their address space. [`restrict_gui`] therefore runs before any of
//! them exists, and the report records the thread count at that moment (one).
//!
//! What the window needs after that, found by running the app under Xvfb (see docs/desktop-app.md): the X11 socket
//! (abstract sockets stay reachable on X11, see [`display_needs_abstract`]; path sockets are not covered by
//! Landlock's file-system rules at ABI 8), the Wayland socket (a path), the DRI device under `/dev`, and Mesa's
//! shader cache, which is pointed at a directory of Coffer's own (see [`shader_cache_dir`]).

use std::path::{Path, PathBuf};

use coffer_core::sandbox::{self, SandboxReport};

use crate::AppOptions;

/// The directories the app must be able to write: the vault's and the settings file's (both created first if
/// missing, private to the user, so a first run can create the vault and its exports folder), and `extra` (the
/// shader cache). A symbolic link at the vault path adds its target's directory: the vault is saved beside its
/// target.
#[must_use]
pub fn writable_dirs(options: &AppOptions, extra: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    let target = options
        .vault_path
        .as_deref()
        .filter(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()))
        .and_then(|p| std::fs::canonicalize(p).ok());
    let files = [options.vault_path.as_deref(), target.as_deref(), options.settings_path.as_deref()];
    let parents = files.into_iter().flatten().filter_map(Path::parent).filter(|d| !d.as_os_str().is_empty());
    for dir in parents.chain(extra) {
        // Best effort: a directory that cannot be made is reported by the first save.
        let _ = create_private_dir(dir);
        if !dirs.iter().any(|d| d == dir) {
            dirs.push(dir.to_path_buf());
        }
    }
    dirs
}

/// Creates `dir` (and missing parents) readable and writable by the user only (0700 on Unix; an existing
/// directory keeps its mode).
///
/// # Errors
/// Any I/O error creating it.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
}

/// Where Mesa keeps Coffer's compiled shaders: `$MESA_SHADER_CACHE_DIR` (or the older `$MESA_GLSL_CACHE_DIR`) if
/// the user set it, else `$XDG_CACHE_HOME/coffer/mesa` or `~/.cache/coffer/mesa`; `None` when the user disabled
/// the cache (`MESA_SHADER_CACHE_DISABLE`) or there is no home. Not Mesa's shared `~/.cache/mesa_shader_cache`:
/// every OpenGL program of the user loads compiled code from there (native code, with the llvmpipe software
/// renderer), so a sandboxed Coffer allowed to write it could plant code in programs outside the sandbox.
#[must_use]
pub fn shader_cache_dir() -> Option<ShaderCache> {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    if var("MESA_SHADER_CACHE_DISABLE").is_some_and(|v| v != "false" && v != "0") {
        return None;
    }
    if let Some(dir) = var("MESA_SHADER_CACHE_DIR").or_else(|| var("MESA_GLSL_CACHE_DIR")) {
        return Some(ShaderCache { dir: PathBuf::from(dir), set_env: false });
    }
    let base =
        var("XDG_CACHE_HOME").map(PathBuf::from).or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(ShaderCache { dir: base.join("coffer").join("mesa"), set_env: true })
}

/// Mesa's shader cache directory for this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShaderCache {
    /// The directory (Mesa makes its own sub-directory in it).
    pub dir: PathBuf,
    /// Whether Coffer picks it (and must point `MESA_SHADER_CACHE_DIR` at it) rather than the user.
    pub set_env: bool,
}

/// Restricts the process (every thread started from now on inherits it) and says what was achieved. Call it in
/// `main` before anything starts a thread: it points Mesa's shader cache at Coffer's own directory (which needs a
/// single-threaded process), then restricts.
#[must_use]
pub fn restrict_gui(options: &AppOptions) -> SandboxReport {
    let cache = shader_cache_dir().filter(|c| !c.set_env || crate::memory::set_shader_cache_dir(&c.dir));
    let dirs = writable_dirs(options, cache.as_ref().map(|c| c.dir.as_path()));
    sandbox::restrict_keeping_abstract(&dirs, display_needs_abstract(&|k| std::env::var_os(k)))
}

/// Why the display needs abstract Unix sockets, if it does: on X11 (no Wayland display named), winit opens the
/// display with Xlib/libxcb, which tries the abstract socket `@/tmp/.X11-unix/X<n>` and, denied with `EPERM` by
/// Landlock's scope, does not fall back to the path socket (seen under Xvfb: the window never opens). On Wayland
/// the display is a path socket, and the clipboard's X11 connection (x11rb, through Xwayland) falls back to the
/// path socket, so abstract sockets are scoped there.
#[must_use]
pub fn display_needs_abstract(var: &dyn Fn(&str) -> Option<std::ffi::OsString>) -> Option<String> {
    let set = |k: &str| var(k).is_some_and(|v| !v.is_empty());
    (!set("WAYLAND_DISPLAY") && !set("WAYLAND_SOCKET") && set("DISPLAY")).then(|| {
        "the X11 display (libxcb does not fall back to the path socket when the abstract one is denied)".to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vault_and_settings_directories_are_made_private_and_listed_once() {
        let root = coffer_test_util::TempDir::new("gui-sandbox");
        let mut options = AppOptions::for_tests(root.join("data/vault.coffer"));
        options.settings_path = Some(root.join("config/coffer/gui.conf"));
        let cache = root.join("cache/coffer/mesa");
        let dirs = writable_dirs(&options, Some(&cache));
        assert_eq!(dirs, vec![root.join("data"), root.join("config/coffer"), cache.clone()]);
        assert!(dirs.iter().all(|d| d.is_dir()));
        #[cfg(unix)]
        for d in &dirs {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(d).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700, "{} is {mode:o}", d.display());
        }
        options.settings_path = Some(root.join("data/gui.conf"));
        assert_eq!(writable_dirs(&options, None), vec![root.join("data")]);
    }

    #[test]
    fn abstract_sockets_are_kept_for_x11_only() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| std::ffi::OsString::from(v))
        };
        assert!(display_needs_abstract(&env(&[("DISPLAY", ":0")])).is_some_and(|w| w.contains("X11")));
        assert!(display_needs_abstract(&env(&[("DISPLAY", ":0"), ("WAYLAND_DISPLAY", "")])).is_some());
        assert_eq!(display_needs_abstract(&env(&[("DISPLAY", ":0"), ("WAYLAND_DISPLAY", "wayland-0")])), None);
        assert_eq!(display_needs_abstract(&env(&[("WAYLAND_DISPLAY", "wayland-0")])), None);
        assert_eq!(display_needs_abstract(&env(&[])), None);
    }

    /// A vault path that is a symbolic link: the vault is saved beside the link's target, so that directory is
    /// writable too.
    #[cfg(unix)]
    #[test]
    fn a_symlinked_vault_adds_its_target_directory() {
        let root = coffer_test_util::TempDir::new("gui-sandbox-link");
        std::fs::create_dir_all(root.join("real")).unwrap();
        std::fs::create_dir_all(root.join("links")).unwrap();
        std::fs::write(root.join("real/vault.coffer"), b"").unwrap();
        std::os::unix::fs::symlink(root.join("real/vault.coffer"), root.join("links/vault.coffer")).unwrap();
        let options = AppOptions::for_tests(root.join("links/vault.coffer"));
        let real = std::fs::canonicalize(root.join("real")).unwrap();
        assert_eq!(writable_dirs(&options, None), vec![root.join("links"), real]);
    }
}
