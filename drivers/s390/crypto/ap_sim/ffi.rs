// SPDX-License-Identifier: GPL-2.0-only

//! The only part of `ap_sim` that deals with raw pointers from C and with the
//! guarantee given by the C glue's lock.

use core::cell::UnsafeCell;

/// State that only the `ap_sim_rs_*` entry points touch.
///
/// # Invariants
///
/// `ap_sim_glue.c` calls every `ap_sim_rs_*` entry point with `ap_sim_lock` held and
/// interrupts off, and the entry points reach the value only through
/// [`CLocked::with`], so no two accesses ever overlap.
pub(crate) struct CLocked<T>(UnsafeCell<T>);

// SAFETY: by the type invariant every access is serialised by `ap_sim_lock`, so the
// value is never accessed from two CPUs at once; `T: Send` lets it move between them.
unsafe impl<T: Send> Sync for CLocked<T> {}

impl<T> CLocked<T> {
    /// Wraps `value`; usable in a `static`.
    pub(crate) const fn new(value: T) -> Self {
        Self(UnsafeCell::new(value))
    }

    /// Runs `f` on the value.
    ///
    /// # Safety
    ///
    /// The caller must hold `ap_sim_lock` (it is an `ap_sim_rs_*` entry point called by
    /// the glue) and must not call `with` again from inside `f`.
    pub(crate) unsafe fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        // SAFETY: the lock is held and `with` is not re-entered (caller's guarantee),
        // so this is the only reference to the value while `f` runs.
        f(unsafe { &mut *self.0.get() })
    }
}

/// The `len` bytes at `ptr`, or an empty slice for a null pointer.
///
/// # Safety
///
/// A non-null `ptr` must be valid for reading `len` bytes for `'a`, and nothing may
/// write them meanwhile.
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if ptr.is_null() {
        return &[];
    }
    // SAFETY: non-null and valid for `len` bytes for `'a` (caller's guarantee).
    unsafe { core::slice::from_raw_parts(ptr, len) }
}

/// The `len` writable bytes at `ptr`, or an empty slice for a null pointer.
///
/// # Safety
///
/// A non-null `ptr` must be valid for reading and writing `len` bytes for `'a`, and
/// nothing else may access them meanwhile.
pub(crate) unsafe fn bytes_mut<'a>(ptr: *mut u8, len: usize) -> &'a mut [u8] {
    if ptr.is_null() {
        return &mut [];
    }
    // SAFETY: non-null, valid and exclusive for `len` bytes for `'a` (caller's
    // guarantee).
    unsafe { core::slice::from_raw_parts_mut(ptr, len) }
}

/// Stores `value` at `ptr` unless `ptr` is null.
///
/// # Safety
///
/// A non-null `ptr` must be valid and aligned for writing a `T`.
pub(crate) unsafe fn store<T>(ptr: *mut T, value: T) {
    if !ptr.is_null() {
        // SAFETY: non-null, valid and aligned (caller's guarantee).
        unsafe { ptr.write(value) };
    }
}

/// The `T` at `ptr`, or `default` for a null pointer.
///
/// # Safety
///
/// A non-null `ptr` must be valid and aligned for reading a `T`.
pub(crate) unsafe fn load<T: Copy>(ptr: *const T, default: T) -> T {
    if ptr.is_null() {
        return default;
    }
    // SAFETY: non-null, valid and aligned (caller's guarantee).
    unsafe { ptr.read() }
}

/// The four words at `ptr`, or zeros for a null pointer.
///
/// # Safety
///
/// A non-null `ptr` must be valid and aligned for reading four `u64`.
pub(crate) unsafe fn words(ptr: *const u64) -> [u64; 4] {
    // SAFETY: non-null pointers are valid for reading four words (caller's guarantee).
    unsafe { load(ptr.cast::<[u64; 4]>(), [0; 4]) }
}
