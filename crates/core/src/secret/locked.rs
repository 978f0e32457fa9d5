//! Page-locked memory for fixed-size secrets. **The core's only `unsafe` code** (the GUI has one more module,
//! `crates/gui/src/memory.rs`, which holds no secret).
//!
//! A [`LockedBox`] owns whole pages of its own (page-aligned, page-rounded allocation), so locking and unlocking them
//! cannot affect any other allocation. On Linux the pages are
//! - locked in RAM (`mlock`): never written to swap;
//! - excluded from core dumps (`madvise(MADV_DONTDUMP)`);
//! - zeroized, unlocked and freed on drop.
//!
//! Locking is best effort: `mlock` fails beyond `RLIMIT_MEMLOCK` (8 MiB for a normal user; each box takes one page),
//! and the box then works unlocked. [`locked_pages`] counts what is locked, for `coffer doctor`.
//!
//! No crate offers this for `ed25519-dalek`-era Rust without pulling in a libsodium binding, so the few calls are
//! made here through `rustix` (thin, audited syscall wrappers) and `std::alloc`.

#![allow(unsafe_code)]

use core::ptr::NonNull;
use core::sync::atomic::{AtomicUsize, Ordering};
use std::alloc::{Layout, alloc_zeroed, dealloc, handle_alloc_error};

use zeroize::Zeroize;

static LOCKED_PAGES: AtomicUsize = AtomicUsize::new(0);
static UNLOCKED_BOXES: AtomicUsize = AtomicUsize::new(0);

/// Pages currently locked by live boxes, and boxes that could not be locked since start.
#[must_use]
pub fn locked_pages() -> (usize, usize) {
    (LOCKED_PAGES.load(Ordering::Relaxed), UNLOCKED_BOXES.load(Ordering::Relaxed))
}

/// Whether a new secret lands in locked memory on this system right now (allocates and frees one box).
#[must_use]
pub fn locking_works() -> bool {
    LockedBox::<32>::new().locked
}

fn page_size() -> usize {
    #[cfg(target_os = "linux")]
    {
        rustix::param::page_size()
    }
    #[cfg(not(target_os = "linux"))]
    {
        4096
    }
}

/// `N` secret bytes in pages of their own, locked where the OS allows.
pub(crate) struct LockedBox<const N: usize> {
    ptr: NonNull<[u8; N]>,
    layout: Layout,
    locked: bool,
}

// SAFETY: LockedBox owns its allocation exclusively, like Box<[u8; N]>, which is Send and Sync.
unsafe impl<const N: usize> Send for LockedBox<N> {}
// SAFETY: shared access only hands out `&[u8; N]`; mutation needs `&mut self`.
unsafe impl<const N: usize> Sync for LockedBox<N> {}

impl<const N: usize> LockedBox<N> {
    /// A zeroed box.
    pub(crate) fn new() -> Self {
        let page = page_size();
        let size = N.max(1).div_ceil(page) * page;
        // A page-sized alignment is a power of two and the size a multiple of it, so this cannot fail.
        let layout =
            Layout::from_size_align(size, page).unwrap_or_else(|_| handle_alloc_error(Layout::new::<[u8; N]>()));
        // SAFETY: the layout has a non-zero size.
        let raw = unsafe { alloc_zeroed(layout) };
        let Some(ptr) = NonNull::new(raw.cast::<[u8; N]>()) else { handle_alloc_error(layout) };
        let locked = lock(raw, size);
        if locked {
            LOCKED_PAGES.fetch_add(size / page, Ordering::Relaxed);
        } else {
            UNLOCKED_BOXES.fetch_add(1, Ordering::Relaxed);
        }
        Self { ptr, layout, locked }
    }
}

impl<const N: usize> core::ops::Deref for LockedBox<N> {
    type Target = [u8; N];

    fn deref(&self) -> &[u8; N] {
        // SAFETY: `ptr` is a live, initialised (zeroed at allocation), exclusively owned allocation of at least N bytes.
        unsafe { self.ptr.as_ref() }
    }
}

impl<const N: usize> core::ops::DerefMut for LockedBox<N> {
    fn deref_mut(&mut self) -> &mut [u8; N] {
        // SAFETY: as in `deref`, and `&mut self` guarantees exclusive access.
        unsafe { self.ptr.as_mut() }
    }
}

impl<const N: usize> Drop for LockedBox<N> {
    fn drop(&mut self) {
        let raw = self.ptr.as_ptr().cast::<u8>();
        // SAFETY: the whole allocation (layout.size() bytes) is ours and initialised.
        let all = unsafe { core::slice::from_raw_parts_mut(raw, self.layout.size()) };
        all.zeroize();
        if self.locked {
            unlock(raw, self.layout.size());
            LOCKED_PAGES.fetch_sub(self.layout.size() / page_size(), Ordering::Relaxed);
        }
        // SAFETY: allocated in `new` with exactly this layout, and not freed before.
        unsafe { dealloc(raw, self.layout) };
    }
}

#[cfg(target_os = "linux")]
fn lock(ptr: *mut u8, len: usize) -> bool {
    use rustix::mm::{Advice, madvise, mlock};
    // SAFETY: [ptr, ptr+len) is a page-aligned allocation we own; neither call reads or writes it.
    let _ = unsafe { madvise(ptr.cast(), len, Advice::LinuxDontDump) };
    // SAFETY: as above.
    unsafe { mlock(ptr.cast(), len) }.is_ok()
}

#[cfg(target_os = "linux")]
fn unlock(ptr: *mut u8, len: usize) {
    // SAFETY: [ptr, ptr+len) is a page-aligned allocation we own and locked in `lock`.
    let _ = unsafe { rustix::mm::munlock(ptr.cast(), len) };
}

#[cfg(not(target_os = "linux"))]
fn lock(_ptr: *mut u8, _len: usize) -> bool {
    false
}

#[cfg(not(target_os = "linux"))]
fn unlock(_ptr: *mut u8, _len: usize) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_are_page_aligned_zeroed_and_locked() {
        let mut b = LockedBox::<64>::new();
        assert!((b.as_ptr() as usize).is_multiple_of(page_size()));
        assert!(b.iter().all(|&x| x == 0));
        b[0] = 7;
        assert_eq!(b[0], 7);
        #[cfg(target_os = "linux")]
        {
            // The status file lists locked memory: at least our page while the box lives.
            let status = std::fs::read_to_string("/proc/self/status").unwrap();
            let locked_kib: usize = status
                .lines()
                .find_map(|l| l.strip_prefix("VmLck:"))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
                .unwrap_or(0);
            assert!(!b.locked || locked_kib >= page_size() / 1024, "VmLck {locked_kib} kB");
        }
        let many: Vec<LockedBox<32>> = (0..16).map(|_| LockedBox::new()).collect();
        assert!(many.iter().all(|m| (m.as_ptr() as usize).is_multiple_of(page_size())));
        let (pages, _) = locked_pages();
        assert!(pages >= 1 || !b.locked);
    }
}
