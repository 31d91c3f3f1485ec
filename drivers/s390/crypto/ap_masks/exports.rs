// SPDX-License-Identifier: GPL-2.0-only

//! The C entry layer: the functions `ap_bus.c` calls (declared in `ap_bus.h` and
//! `ap_masks.h`), raw C arguments in, safe calls out. With `kernel_ext`, the only
//! place with `unsafe` code or `bindings::` in this crate.

use kernel::bindings;
use kernel::ffi::{c_char, c_int, c_ulong};

use crate::ap_matrix::errno::Errno;
use crate::ap_matrix::mask_parse::{check_width, parse_mask_absolute, parse_mask_locked};
use crate::ap_matrix::pool::BusMask;
use crate::kernel_ext::ap_perms::CMutexMask;
use crate::kernel_ext::bitmap::CBitmap;
use crate::kernel_ext::c_buf;
use crate::store;

// Our definitions must have the exact types of the C prototypes.
const _: [unsafe extern "C" fn(*const c_char, *mut c_ulong, c_int) -> c_int; 2] =
    [ap_hex2bitmap, bindings::ap_hex2bitmap];
const _: [unsafe extern "C" fn(*const c_char, *mut c_ulong, c_int, *mut bindings::mutex) -> c_int;
    2] = [ap_parse_mask_str, bindings::ap_parse_mask_str];
const _: [unsafe extern "C" fn(bindings::ap_masks_which, *const c_char, usize) -> isize; 2] =
    [ap_masks_store, bindings::ap_masks_store];
const _: [unsafe extern "C" fn(*mut c_char) -> isize; 2] = [
    ap_masks_last_refusal_show,
    bindings::ap_masks_last_refusal_show,
];

fn errno(e: Errno) -> c_int {
    -e.to_raw()
}

/// A parser's `bits` argument as a width the parsers take, or `-EINVAL`.
fn width(bits: c_int) -> Result<usize, c_int> {
    let bits = usize::try_from(bits).map_err(|_| errno(Errno::EINVAL))?;
    check_width(bits).map_err(|e| errno(e.errno()))?;
    Ok(bits)
}

/// Sets in `bitmap` the IDs of the absolute (hex) mask `str` (vfio_ap's `ap_config`
/// tokens). Returns 0, or `-EINVAL` and leaves `bitmap` unchanged (upstream may have
/// set some bits of a bad string by then; no caller uses them).
///
/// # Safety
///
/// `str` is a NUL-terminated string and `bitmap` a bitmap of `bits` bits, both valid
/// for the call.
#[no_mangle]
pub unsafe extern "C" fn ap_hex2bitmap(
    str: *const c_char,
    bitmap: *mut c_ulong,
    bits: c_int,
) -> c_int {
    let bits = match width(bits) {
        Ok(bits) => bits,
        Err(rc) => return rc,
    };
    // SAFETY: NUL-terminated and valid for the call (caller's guarantee).
    let input = unsafe { c_buf::bytes(str) };
    // SAFETY: `bits` bits at `bitmap`, valid for the call (caller's guarantee); the
    // width was checked.
    let mut bitmap = unsafe { CBitmap::new(bitmap, bits) };
    match parse_mask_absolute(input, bits) {
        Ok(mask) => {
            let merged = bitmap.read().union(&mask);
            bitmap.write(&merged);
            0
        }
        Err(e) => errno(e.errno()),
    }
}

/// Parses `str` (absolute or relative form) against `bitmap` and stores the result
/// there, all under `lock` (taken interruptibly: `-ERESTARTSYS`). Returns 0 or
/// `-EINVAL` with `bitmap` unchanged. zcrypt's device masks and the `ap.apmask=` and
/// `ap.aqmask=` boot parameters use it.
///
/// # Safety
///
/// `str` is a NUL-terminated string, `bitmap` a bitmap of `bits` bits that `lock`
/// protects, `lock` an initialised mutex; all valid for the call.
#[no_mangle]
pub unsafe extern "C" fn ap_parse_mask_str(
    str: *const c_char,
    bitmap: *mut c_ulong,
    bits: c_int,
    lock: *mut bindings::mutex,
) -> c_int {
    let bits = match width(bits) {
        Ok(bits) => bits,
        Err(rc) => return rc,
    };
    // SAFETY: NUL-terminated and valid for the call (caller's guarantee).
    let input = unsafe { c_buf::bytes(str) };
    // SAFETY: `lock` protects the `bits` bits at `bitmap` (caller's guarantee); the
    // width was checked.
    let guarded = unsafe { CMutexMask::new(lock, CBitmap::new(bitmap, bits)) };
    match parse_mask_locked(input, bits, &guarded) {
        Ok(_) => 0,
        Err(e) => errno(e.errno()),
    }
}

/// A write of `count` bytes at `buf` to `/sys/bus/ap/apmask` or `aqmask`.
///
/// # Safety
///
/// `buf` holds `count` bytes (and a NUL after them), valid for the call, as sysfs
/// passes a store.
#[no_mangle]
pub unsafe extern "C" fn ap_masks_store(
    which: bindings::ap_masks_which,
    buf: *const c_char,
    count: usize,
) -> isize {
    let which = match which {
        bindings::ap_masks_which_AP_MASKS_APMASK => BusMask::Apmask,
        bindings::ap_masks_which_AP_MASKS_AQMASK => BusMask::Aqmask,
        _ => return errno(Errno::EINVAL) as isize,
    };
    // SAFETY: `count` bytes at `buf`, valid for the call (caller's guarantee).
    let input = unsafe { c_buf::bytes_n(buf, count) };
    match store::store(which, input) {
        // sysfs never passes more than a page.
        Ok(()) => isize::try_from(count).unwrap_or(isize::MAX),
        Err(e) => errno(e) as isize,
    }
}

/// The read of `/sys/bus/ap/last_mask_refusal` into the page `buf`.
///
/// # Safety
///
/// `buf` is a writable page, valid for the call, as sysfs passes a show.
#[no_mangle]
pub unsafe extern "C" fn ap_masks_last_refusal_show(buf: *mut c_char) -> isize {
    // SAFETY: a page, writable for the call (caller's guarantee).
    let page = unsafe { c_buf::page_mut(buf) };
    match store::last_refusal(page) {
        Ok(len) => isize::try_from(len).unwrap_or(0),
        Err(e) => errno(e) as isize,
    }
}
