// SPDX-License-Identifier: GPL-2.0-only

//! The uevent that announces a new mask (`ap_masks_send_uevent` of `ap_masks.h`).

use core::fmt::{self, Write};

use kernel::bindings;
use kernel::ffi::c_char;

use crate::ap_matrix::mask::Mask;
use crate::ap_matrix::pool::BusMask;

/// A small NUL-terminated text built on the stack.
struct StackText<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> Write for StackText<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        // Keep one byte for the NUL.
        let end = self.len + s.len();
        let dst = self
            .buf
            .get_mut(self.len..end)
            .filter(|_| end < N)
            .ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Announces the new value of mask `which` with a KOBJ_CHANGE uevent on the AP root
/// device: the one variable `APMASK=0x<64 hex>` or `AQMASK=...`, ending in a newline
/// as upstream's does (MSK-20).
pub(crate) fn send_mask_uevent(which: BusMask, mask: &Mask) {
    let mut text = StackText::<100> {
        buf: [0; 100],
        len: 0,
    };
    if writeln!(text, "{}={}", which.uevent_name(), mask).is_err() {
        return;
    }
    // SAFETY: `text.buf` is NUL-terminated (it was zeroed and `write_str` keeps the
    // last byte) and lives for the call, which only reads it.
    unsafe { bindings::ap_masks_send_uevent(text.buf.as_mut_ptr().cast::<c_char>()) };
}
