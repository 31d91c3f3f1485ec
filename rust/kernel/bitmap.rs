// SPDX-License-Identifier: GPL-2.0-only

//! C bitmaps (`unsigned long *`) in the AP `_inv` bit order, as the bus and zcrypt
//! keep their masks: ID 0 is the most significant bit of the first long.
//!
//! C header: include/linux/bitmap.h, arch/s390/include/asm/bitops.h (`*_bit_inv`).

use kernel::ffi::c_ulong;

use crate::ap_matrix::mask::{Mask, MASK_WORDS};

/// The IDs of a 256-bit kernel bitmap held by value.
pub(crate) fn mask_from_longs(longs: &[c_ulong; MASK_WORDS]) -> Mask {
    // `unsigned long` is 64 bits wide on s390.
    Mask::from_words(longs.map(|word| word as u64))
}

/// `mask` as a 256-bit kernel bitmap held by value.
pub(crate) fn longs_from_mask(mask: &Mask) -> [c_ulong; MASK_WORDS] {
    mask.words().map(|word| word as c_ulong)
}

/// A caller's bitmap of `bits` bits (`bits` ≤ 256): only its first
/// `ceil(bits / 64)` longs are ever read or written.
///
/// # Invariants
///
/// `ptr` is valid for reading and writing `longs` `unsigned long`s, `longs` ≤ 4, for
/// the lifetime of the value.
pub(crate) struct CBitmap {
    ptr: *mut c_ulong,
    longs: usize,
}

impl CBitmap {
    /// Wraps the bitmap of `bits` bits at `ptr`.
    ///
    /// # Safety
    ///
    /// `bits` ≤ 256, and `ptr` is valid for reading and writing `ceil(bits / 64)`
    /// `unsigned long`s while the value lives.
    pub(crate) unsafe fn new(ptr: *mut c_ulong, bits: usize) -> Self {
        // INVARIANT: valid for `ceil(bits / 64)` longs, capped at 4 (caller's guarantee).
        Self {
            ptr,
            longs: bits.div_ceil(64).min(MASK_WORDS),
        }
    }

    /// The bitmap's IDs.
    pub(crate) fn read(&self) -> Mask {
        let mut words = [0u64; MASK_WORDS];
        for (i, word) in words.iter_mut().take(self.longs).enumerate() {
            // SAFETY: `i < longs`, readable by the type invariant. `unsigned long` is
            // 64 bits wide on s390.
            *word = unsafe { self.ptr.add(i).read() } as u64;
        }
        Mask::from_words(words)
    }

    /// Makes the bitmap hold exactly the IDs of `mask` that fit in it.
    pub(crate) fn write(&mut self, mask: &Mask) {
        for (i, word) in mask.words().into_iter().take(self.longs).enumerate() {
            // SAFETY: `i < longs`, writable by the type invariant.
            unsafe { self.ptr.add(i).write(word as c_ulong) };
        }
    }
}
