// SPDX-License-Identifier: GPL-2.0-only

//! An s390 debug feature area (`/sys/kernel/debug/s390dbf/<name>/`).
//!
//! C header: arch/s390/include/asm/debug.h

use kernel::bindings;
use kernel::prelude::*;
use kernel::str::CStr;

/// The `DBF_WARN` level: warnings are kept, informational records dropped.
pub(crate) const LEVEL_WARN: i32 = 4;

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

impl Drop for DebugArea {
    fn drop(&mut self) {
        // SAFETY: registered in `register`.
        unsafe { bindings::debug_unregister(self.info) };
    }
}
