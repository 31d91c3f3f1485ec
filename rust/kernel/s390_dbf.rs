// SPDX-License-Identifier: GPL-2.0-only

//! An s390 debug feature area (`/sys/kernel/debug/s390dbf/<name>/`).
//!
//! C header: arch/s390/include/asm/debug.h

use kernel::bindings;
use kernel::prelude::*;
use kernel::str::CStr;

/// The `DBF_WARN` level: warnings are kept, informational records dropped.
pub(crate) const LEVEL_WARN: i32 = 4;

/// The most longs a record holds: a format and 9 arguments.
const MAX_RECORD_LONGS: usize = 10;

/// A registered debug area with the sprintf view; unregistered on drop.
///
/// # Invariants
///
/// `info` is a registered, non-null area.
pub(crate) struct DebugArea {
    info: *mut bindings::debug_info_t,
}

// SAFETY: the debug feature serialises access to an area internally.
unsafe impl Send for DebugArea {}
// SAFETY: see `Send`.
unsafe impl Sync for DebugArea {}

impl DebugArea {
    /// Registers `name` with one page in one area, records of `args` longs formatted
    /// by the sprintf view, at `level`; `ENOENT` if the area cannot be registered.
    pub(crate) fn register(name: &'static CStr, args: usize, level: i32) -> Result<Self> {
        // `warn` passes the format and 9 arguments: a record holds at most that.
        if !(1..=MAX_RECORD_LONGS).contains(&args) {
            return Err(EINVAL);
        }
        let record = i32::try_from(args * core::mem::size_of::<u64>()).map_err(|_| EINVAL)?;
        // SAFETY: `name` is NUL-terminated and static, as the area keeps the pointer.
        let info = unsafe { bindings::debug_register(name.as_char_ptr(), 1, 1, record) };
        if info.is_null() {
            return Err(ENOENT);
        }
        // SAFETY: `info` was just registered; the sprintf view is a static of the
        // debug feature.
        unsafe {
            bindings::debug_register_view(info, &raw mut bindings::debug_sprintf_view);
            bindings::debug_set_level(info, level);
        }
        // INVARIANT: registered and non-null.
        Ok(Self { info })
    }
}

impl DebugArea {
    /// Records a warning for the sprintf view: `fmt`, which the area keeps (hence
    /// `'static`), formatted with `args` when the view is read. Only integer
    /// conversions may be used: the area keeps the values, not what they point to.
    pub(crate) fn warn(&self, fmt: &'static CStr, args: &[u64]) {
        let a = |i: usize| args.get(i).copied().unwrap_or(0);
        // SAFETY: the area is registered (type invariant) with records of at most
        // `MAX_RECORD_LONGS` longs: the format and at most the 9 arguments passed,
        // which it copies.
        unsafe {
            bindings::__debug_sprintf_event(
                self.info,
                LEVEL_WARN,
                fmt.as_char_ptr().cast_mut(),
                a(0),
                a(1),
                a(2),
                a(3),
                a(4),
                a(5),
                a(6),
                a(7),
                a(8),
            )
        };
    }
}

impl Drop for DebugArea {
    fn drop(&mut self) {
        // SAFETY: registered in `register`.
        unsafe { bindings::debug_unregister(self.info) };
    }
}
