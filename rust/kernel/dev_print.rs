// SPDX-License-Identifier: GPL-2.0-only

//! Device-prefixed kernel messages (`dev_warn` and friends) from Rust format
//! arguments: the line reads `<driver> <device>: <text>`, as the C macros print it.
//!
//! C header: include/linux/dev_printk.h, include/linux/ratelimit.h

use core::ffi::c_void;
use core::fmt;
use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use kernel::bindings;
use kernel::c_str;

use super::device_ext::{Device, DeviceExt};

/// One of the C `_dev_<level>` printers.
type DevPrinter = unsafe extern "C" fn(*const bindings::device, *const core::ffi::c_char, ...);

fn dev_args(printer: DevPrinter, dev: &Device, args: fmt::Arguments<'_>) {
    // SAFETY: the device is live; `%pA` formats the `fmt::Arguments` passed by
    // pointer, which outlives the call.
    unsafe {
        printer(
            dev.raw(),
            c_str!("%pA").as_char_ptr(),
            (&raw const args).cast::<c_void>(),
        )
    };
}

/// Logs `args` at warning level with `dev`'s prefix.
pub(crate) fn warn_args(dev: &Device, args: fmt::Arguments<'_>) {
    dev_args(bindings::_dev_warn, dev, args)
}

/// Logs `args` at notice level with `dev`'s prefix.
pub(crate) fn notice_args(dev: &Device, args: fmt::Arguments<'_>) {
    dev_args(bindings::_dev_notice, dev, args)
}

/// `dev_warn` with Rust format syntax.
macro_rules! dev_warn {
    ($dev:expr, $($arg:tt)+) => {
        $crate::kernel_ext::dev_print::warn_args($dev, format_args!($($arg)+))
    };
}
pub(crate) use dev_warn;

/// `dev_notice` with Rust format syntax.
macro_rules! dev_notice {
    ($dev:expr, $($arg:tt)+) => {
        $crate::kernel_ext::dev_print::notice_args($dev, format_args!($($arg)+))
    };
}
pub(crate) use dev_notice;

/// At most [`Ratelimit::BURST`] messages per [`Ratelimit::INTERVAL_NS`], the kernel's
/// default rate limit.
pub(crate) struct Ratelimit {
    window_start_ns: AtomicU64,
    printed: AtomicU32,
}

impl Ratelimit {
    const INTERVAL_NS: u64 = 5_000_000_000;
    const BURST: u32 = 10;

    /// A fresh limit.
    pub(crate) const fn new() -> Self {
        Self {
            window_start_ns: AtomicU64::new(0),
            printed: AtomicU32::new(0),
        }
    }

    /// Whether one more message may go out now.
    fn allow(&self) -> bool {
        // SAFETY: reading the monotonic clock has no preconditions.
        let now = unsafe { bindings::ktime_get_mono_fast_ns() };
        let start = self.window_start_ns.load(Ordering::Relaxed);
        if start == 0 || now.saturating_sub(start) >= Self::INTERVAL_NS {
            self.window_start_ns.store(now.max(1), Ordering::Relaxed);
            self.printed.store(0, Ordering::Relaxed);
        }
        self.printed.fetch_add(1, Ordering::Relaxed) < Self::BURST
    }
}

impl Ratelimit {
    /// `dev_notice_ratelimited`: logs `args` at notice level with `dev`'s prefix,
    /// unless too many went out lately.
    pub(crate) fn notice_dev(&self, dev: &Device, args: fmt::Arguments<'_>) {
        if self.allow() {
            notice_args(dev, args);
        }
    }
}

/// Logs `args` at notice level without the module prefix (as the C driver's
/// `pr_notice_ratelimited` prints it), unless `limit` says too many went out lately.
pub(crate) fn notice_ratelimited(limit: &Ratelimit, args: fmt::Arguments<'_>) {
    if !limit.allow() {
        return;
    }
    // SAFETY: the format is a NUL-terminated KERN_NOTICE `%pA` with the pointer to
    // the `fmt::Arguments` that `%pA` expects, live for the call.
    unsafe {
        bindings::_printk(
            c_str!("\u{1}5%pA").as_char_ptr(),
            (&raw const args).cast::<c_void>(),
        )
    };
}
