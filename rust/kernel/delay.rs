// SPDX-License-Identifier: GPL-2.0-only

//! Sleeping.
//!
//! C header: include/linux/delay.h

use kernel::bindings;

/// Sleeps for at least `ms` milliseconds (`msleep`); may only be called where
/// sleeping is allowed.
pub(crate) fn msleep(ms: u32) {
    // SAFETY: `msleep` has no preconditions beyond a sleepable context, which every
    // caller here (sysfs stores, probe/remove, bus callbacks) is.
    unsafe { bindings::msleep(ms) };
}
