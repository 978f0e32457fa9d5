//! Giving startup memory back once the window is up. **The GUI's only `unsafe` code.**
//!
//! The window's first frame costs memory that is never used again:
//! - the OpenGL driver's shader compiler. egui compiles its two shaders once, when the window opens; Mesa (the
//!   OpenGL implementation on nearly every Linux desktop, GPU or not) keeps its GLSL compiler's built-in function
//!   library in memory afterwards, about 6 MiB. `glReleaseShaderCompiler` is the OpenGL call meant for exactly
//!   this ("the application is done compiling shaders"); a later compile would simply rebuild it.
//! - freed heap: what the driver freed (that library, its compile-time scratch) stays in the process until the
//!   allocator hands it back. glibc's `malloc_trim(0)` returns every free page to the kernel.
//!
//! [`StartupTrim::paint_once`] does both once, from a paint callback of the second frame: the GL context is current
//! there, and the first frame (with the driver's shader variants) has been drawn. Measured with `scripts/perf`
//! (docs/performance.md): about 7 MiB less resident memory for the same screen.
//!
//! No safe crate wraps either call: `glow` has no `ReleaseShaderCompiler` in its safe API and `malloc_trim` is a
//! glibc function.
//!
//! One more knob for the GL driver lives here because it is `unsafe` too: [`set_shader_cache_dir`] points Mesa's
//! shader cache at Coffer's own directory before the sandbox is applied (`std::env::set_var`, which is `unsafe`
//! because another thread could read the environment meanwhile; it is called only while the process has a single
//! thread). The three `unsafe` blocks below are the whole of it.

#![allow(unsafe_code)]

use std::ffi::c_void;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// `glReleaseShaderCompiler`, as the driver exports it (no arguments, no result).
type ReleaseShaderCompiler = extern "system" fn();

/// The once-only memory return after startup (see the module docs).
#[derive(Debug)]
pub struct StartupTrim {
    release_compiler: Option<ReleaseShaderCompiler>,
    done: AtomicBool,
}

impl StartupTrim {
    /// Looks up `glReleaseShaderCompiler` through the window's `get_proc_address` (eframe's glow renderer gives
    /// one; tests give none) if `gl` has it: OpenGL 4.1 or OpenGL ES 2.0 and later, or `GL_ARB_ES2_compatibility`.
    #[must_use]
    pub fn new(
        gl: Option<&eframe::glow::Context>,
        get_proc_address: Option<&dyn Fn(&std::ffi::CStr) -> *const c_void>,
    ) -> Self {
        let supported = gl.is_some_and(|gl| {
            let v = eframe::glow::HasContext::version(gl);
            v.is_embedded
                || (v.major, v.minor) >= (4, 1)
                || eframe::glow::HasContext::supported_extensions(gl).contains("GL_ARB_ES2_compatibility")
        });
        let release_compiler = get_proc_address
            .filter(|_| supported)
            .map(|f| f(c"glReleaseShaderCompiler"))
            .filter(|p| !p.is_null())
            // SAFETY: a non-null address the GL loader returned for `glReleaseShaderCompiler`, whose C signature is
            // `void glReleaseShaderCompiler(void)` with the platform's GL calling convention ("system"), and which
            // the context supports (checked above). Function and data pointers have the same size on every
            // platform eframe's glow renderer runs on.
            .map(|p| unsafe { std::mem::transmute::<*const c_void, ReleaseShaderCompiler>(p) });
        Self { release_compiler, done: AtomicBool::new(false) }
    }

    /// Whether the driver's shader compiler will be released (the GL call was found).
    #[must_use]
    pub fn releases_compiler(&self) -> bool {
        self.release_compiler.is_some()
    }

    /// Releases the shader compiler (if found) and returns free heap pages to the kernel, the first time only.
    /// Must run on the thread whose GL context is current (a paint callback does).
    pub fn run(&self) {
        if self.done.swap(true, Ordering::AcqRel) {
            return;
        }
        if let Some(release) = self.release_compiler {
            release();
        }
        trim_heap();
    }

    /// Adds a 1×1 paint callback in the top-left corner that calls [`StartupTrim::run`] while this frame is
    /// painted (with the GL context current).
    pub fn paint_once(self: &Arc<Self>, ctx: &egui::Context) {
        let trim = Arc::clone(self);
        let rect = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1.0, 1.0));
        let callback = eframe::egui_glow::CallbackFn::new(move |_info, _painter| trim.run());
        ctx.layer_painter(egui::LayerId::background()).add(egui::PaintCallback { rect, callback: Arc::new(callback) });
    }
}

/// Sets `MESA_SHADER_CACHE_DIR` to `dir` for the GL driver loaded later, if the process has exactly one thread
/// (read from `/proc/self/status`); returns whether it did. Called by `sandbox::restrict_gui` first thing in `main`.
pub fn set_shader_cache_dir(dir: &std::path::Path) -> bool {
    if coffer_core::sandbox::thread_count() != Some(1) {
        return false;
    }
    // SAFETY: `set_var` is unsafe only because another thread might read or write the environment at the same
    // time. The process has a single thread (just checked; only this thread can start another), so none can.
    unsafe { std::env::set_var("MESA_SHADER_CACHE_DIR", dir) };
    true
}

/// Returns the heap's free pages to the kernel (glibc only; a no-op elsewhere).
fn trim_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: `malloc_trim` takes no pointers; it locks each malloc arena itself and is safe to call from any
        // thread at any time. Its result only says whether memory was released.
        let _released = unsafe { libc::malloc_trim(0) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_gl_context_only_the_heap_is_trimmed_once() {
        let trim = StartupTrim::new(None, None);
        assert!(!trim.releases_compiler());
        trim.run();
        assert!(trim.done.load(Ordering::Acquire));
        trim.run(); // a second call does nothing
    }
}
