// SPDX-License-Identifier: GPL-2.0-only

//! Device-prefixed kernel messages (`dev_warn` and friends) from Rust format
//! arguments: the line reads `<driver> <device>: <text>`, as the C macros print it.

use core::ffi::c_void;
use core::fmt;
use kernel::bindings;
use kernel::c_str;

use super::device::Dev;

/// Logs `args` at warning level with `dev`'s prefix.
pub(crate) fn warn_args(dev: &Dev, args: fmt::Arguments<'_>) {
    // SAFETY: the device is live; `%pA` formats the `fmt::Arguments` passed by
    // pointer, which outlives the call.
    unsafe {
        bindings::_dev_warn(
            dev.as_raw(),
            c_str!("%pA").as_char_ptr(),
            (&raw const args).cast::<c_void>(),
        )
    };
}

/// `dev_warn` with Rust format syntax.
macro_rules! dev_warn {
    ($dev:expr, $($arg:tt)+) => {
        $crate::sys::log::warn_args($dev, format_args!($($arg)+))
    };
}
pub(crate) use dev_warn;
