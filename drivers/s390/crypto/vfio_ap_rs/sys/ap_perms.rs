// SPDX-License-Identifier: GPL-2.0-only

//! The AP bus's default pool (`ap_perms`: `apmask`, `aqmask`) and its mutex.

use kernel::bindings;

use crate::ap_matrix::mask::{Mask, MASK_WORDS};
use crate::ap_matrix::pool::DefaultPool;

/// `ap_perms_mutex`, held; released on drop.
pub(crate) struct PermsGuard(());

/// Takes `ap_perms_mutex` (not interruptibly, as upstream's attribute stores do).
pub(crate) fn lock() -> PermsGuard {
    // SAFETY: `ap_perms_mutex` is a static, initialised mutex exported by the bus.
    unsafe { bindings::mutex_lock(&raw mut bindings::ap_perms_mutex) };
    PermsGuard(())
}

impl PermsGuard {
    /// The default pool, stable while the guard is held.
    pub(crate) fn pool(&self) -> DefaultPool {
        // SAFETY: `ap_perms` is only written under `ap_perms_mutex`, which we hold.
        let (apm, aqm) = unsafe {
            let perms = &raw const bindings::ap_perms;
            ((*perms).apm, (*perms).aqm)
        };
        DefaultPool {
            apm: mask_of_longs(&apm),
            aqm: mask_of_longs(&aqm),
        }
    }
}

impl Drop for PermsGuard {
    fn drop(&mut self) {
        // SAFETY: taken in `lock`, by this thread.
        unsafe { bindings::mutex_unlock(&raw mut bindings::ap_perms_mutex) };
    }
}

/// A 256-bit kernel bitmap in the AP `_inv` bit order (ID 0 = MSB of long 0), as the
/// bus keeps its masks.
pub(crate) fn mask_of_longs(longs: &[kernel::ffi::c_ulong; MASK_WORDS]) -> Mask {
    // `unsigned long` is 64 bits wide on s390.
    Mask::from_words(longs.map(|word| word as u64))
}
