// SPDX-License-Identifier: GPL-2.0-only

//! The uevent that announces a new mask (`ap_masks_send_uevent` of `ap_masks.h`).

use kernel::bindings;
use kernel::ffi::c_char;

use crate::ap_matrix::format::Sink;
use crate::ap_matrix::mask::Mask;
use crate::ap_matrix::pool::BusMask;

/// Announces the new value of mask `which` with a KOBJ_CHANGE uevent on the AP root
/// device: the one variable `APMASK=0x<64 hex>` or `AQMASK=...`, ending in a newline
/// as upstream's does (MSK-20).
pub(crate) fn send_mask_uevent(which: BusMask, mask: &Mask) {
    let mut text = [0u8; 100];
    // The last byte stays zero: the NUL.
    let mut sink = Sink::new(text.get_mut(..99).unwrap_or(&mut []));
    if !sink.line(format_args!("{}={}\n", which.uevent_name(), mask)) {
        return;
    }
    // SAFETY: `text` is NUL-terminated (zeroed, and the sink never writes its last
    // byte) and lives for the call, which only reads it.
    unsafe { bindings::ap_masks_send_uevent(text.as_mut_ptr().cast::<c_char>()) };
}
