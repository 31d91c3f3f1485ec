// SPDX-License-Identifier: GPL-2.0-only

//! Byte views of the strings and pages C hands over.
//!
//! C header: include/linux/sysfs.h (a show's page, a store's buffer)

use kernel::ffi::c_char;
use kernel::page::PAGE_SIZE;
use kernel::str::CStr;

/// The bytes of the NUL-terminated string at `ptr`, without the NUL.
///
/// # Safety
///
/// `ptr` is a NUL-terminated string, valid and unchanged for `'a`.
pub(crate) unsafe fn bytes<'a>(ptr: *const c_char) -> &'a [u8] {
    // SAFETY: NUL-terminated, valid and unchanged for `'a` (caller's guarantee).
    unsafe { CStr::from_char_ptr(ptr) }.as_bytes()
}

/// The `len` bytes at `ptr`.
///
/// # Safety
///
/// `ptr` is valid for reading `len` bytes, unchanged for `'a`.
pub(crate) unsafe fn bytes_n<'a>(ptr: *const c_char, len: usize) -> &'a [u8] {
    // SAFETY: valid for `len` bytes for `'a` (caller's guarantee).
    unsafe { core::slice::from_raw_parts(ptr.cast::<u8>(), len) }
}

/// The page at `ptr`, as sysfs hands it to a show.
///
/// # Safety
///
/// `ptr` is a page, writable by us alone for `'a`.
pub(crate) unsafe fn page_mut<'a>(ptr: *mut c_char) -> &'a mut [u8] {
    // SAFETY: a page, exclusively ours for `'a` (caller's guarantee).
    unsafe { core::slice::from_raw_parts_mut(ptr.cast::<u8>(), PAGE_SIZE) }
}
