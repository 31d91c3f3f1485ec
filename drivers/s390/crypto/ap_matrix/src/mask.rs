// SPDX-License-Identifier: GPL-2.0-only

//! 256-bit AP masks with MSB-first IDs.
//!
//! ID `n` is the bit of value `0x80 >> (n % 8)` in byte `n / 8`. Stored as four
//! big-endian-ordered `u64` words, word 0 holding IDs 0..=63 with ID 0 in bit 63, which
//! is the same memory image s390 uses for `unsigned long[4]` kernel bitmaps and for the
//! `u32[8]` QCI/APCB layout.

use core::fmt;

/// Number of 64-bit words in a mask.
pub const MASK_WORDS: usize = 4;

/// Number of bytes in a mask (`APMASKSIZE`).
pub const MASK_BYTES: usize = 32;

/// A set of up to 256 adapter, domain or control-domain IDs.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Mask {
    words: [u64; MASK_WORDS],
}

impl Mask {
    /// No ID set.
    pub const EMPTY: Mask = Mask {
        words: [0; MASK_WORDS],
    };

    /// Every ID 0..=255 set (the bus's boot default for `apmask`/`aqmask`).
    pub const FULL: Mask = Mask {
        words: [u64::MAX; MASK_WORDS],
    };

    /// Builds a mask from its word image (word 0 = IDs 0..=63, ID 0 in the MSB).
    pub const fn from_words(words: [u64; MASK_WORDS]) -> Self {
        Self { words }
    }

    /// The word image (word 0 = IDs 0..=63, ID 0 in the MSB).
    pub const fn words(&self) -> [u64; MASK_WORDS] {
        self.words
    }

    /// Builds a mask from its architected byte image (byte 0 = IDs 0..=7, ID 0 = 0x80).
    pub fn from_bytes(bytes: &[u8; MASK_BYTES]) -> Self {
        let mut words = [0u64; MASK_WORDS];
        for (word, chunk) in words.iter_mut().zip(bytes.chunks_exact(8)) {
            let mut be = [0u8; 8];
            be.copy_from_slice(chunk);
            *word = u64::from_be_bytes(be);
        }
        Self { words }
    }

    /// The architected byte image (byte 0 = IDs 0..=7, ID 0 = 0x80).
    pub fn to_bytes(self) -> [u8; MASK_BYTES] {
        let mut bytes = [0u8; MASK_BYTES];
        for (chunk, word) in bytes.chunks_exact_mut(8).zip(self.words.iter()) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        bytes
    }

    /// The mask holding exactly the IDs `first..=last`; empty if `first > last`.
    pub fn range(first: u8, last: u8) -> Self {
        let mut mask = Self::EMPTY;
        mask.set_range(first, last);
        mask
    }

    /// The mask holding exactly the IDs `0..bits` (all of them for `bits >= 256`).
    pub fn first_n(bits: usize) -> Self {
        match bits {
            0 => Self::EMPTY,
            n if n >= 256 => Self::FULL,
            n => Self::range(0, (n - 1) as u8),
        }
    }

    /// The mask holding just `id`.
    pub fn single(id: u8) -> Self {
        let mut mask = Self::EMPTY;
        mask.set(id);
        mask
    }

    const fn locate(id: u8) -> (usize, u64) {
        ((id as usize) / 64, 1u64 << (63 - (id as u32 % 64)))
    }

    /// Whether `id` is set.
    pub fn test(&self, id: u8) -> bool {
        let (word, bit) = Self::locate(id);
        self.words[word % MASK_WORDS] & bit != 0
    }

    /// Sets `id`.
    pub fn set(&mut self, id: u8) {
        let (word, bit) = Self::locate(id);
        self.words[word % MASK_WORDS] |= bit;
    }

    /// Clears `id`.
    pub fn clear(&mut self, id: u8) {
        let (word, bit) = Self::locate(id);
        self.words[word % MASK_WORDS] &= !bit;
    }

    /// Sets or clears `id`.
    pub fn assign(&mut self, id: u8, value: bool) {
        if value {
            self.set(id)
        } else {
            self.clear(id)
        }
    }

    /// Sets every ID in `first..=last`; does nothing if `first > last`.
    pub fn set_range(&mut self, first: u8, last: u8) {
        if first <= last {
            for id in first..=last {
                self.set(id);
            }
        }
    }

    /// Clears every ID in `first..=last`; does nothing if `first > last`.
    pub fn clear_range(&mut self, first: u8, last: u8) {
        if first <= last {
            for id in first..=last {
                self.clear(id);
            }
        }
    }

    fn zip_with(&self, other: &Self, op: impl Fn(u64, u64) -> u64) -> Self {
        let mut words = [0u64; MASK_WORDS];
        for (i, word) in words.iter_mut().enumerate() {
            *word = op(self.words[i], other.words[i]);
        }
        Self { words }
    }

    /// IDs in either mask.
    pub fn union(&self, other: &Self) -> Self {
        self.zip_with(other, |a, b| a | b)
    }

    /// IDs in both masks.
    pub fn intersection(&self, other: &Self) -> Self {
        self.zip_with(other, |a, b| a & b)
    }

    /// IDs in `self` but not in `other`.
    pub fn difference(&self, other: &Self) -> Self {
        self.zip_with(other, |a, b| a & !b)
    }

    /// Whether `self` and `other` share at least one ID.
    pub fn intersects(&self, other: &Self) -> bool {
        !self.intersection(other).is_empty()
    }

    /// Whether every ID of `self` is in `other`.
    pub fn is_subset_of(&self, other: &Self) -> bool {
        self.difference(other).is_empty()
    }

    /// Whether no ID is set.
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    /// Number of IDs set.
    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The set IDs in ascending order.
    pub fn iter(&self) -> MaskIter {
        MaskIter {
            words: self.words,
            word: 0,
        }
    }

    /// The IDs of `self` that are at most `max`.
    pub fn up_to(&self, max: u8) -> Self {
        self.intersection(&Self::range(0, max))
    }

    /// Formats as `0x` followed by `bits / 4` hex digits, as sysfs prints masks.
    ///
    /// `bits` is clamped to 256 and rounded down to a multiple of 4.
    pub fn hex(&self, bits: usize) -> MaskHex {
        MaskHex {
            mask: *self,
            digits: bits.min(256) / 4,
        }
    }
}

impl fmt::Debug for Mask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// Sysfs form: `0x` + 64 hex digits.
impl fmt::Display for Mask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.hex(256).fmt(f)
    }
}

impl FromIterator<u8> for Mask {
    fn from_iter<I: IntoIterator<Item = u8>>(iter: I) -> Self {
        let mut mask = Self::EMPTY;
        for id in iter {
            mask.set(id);
        }
        mask
    }
}

/// Ascending iterator over the IDs of a [`Mask`].
#[derive(Clone, Debug)]
pub struct MaskIter {
    words: [u64; MASK_WORDS],
    word: usize,
}

impl Iterator for MaskIter {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        while self.word < MASK_WORDS {
            let w = self.words[self.word];
            if w != 0 {
                let offset = w.leading_zeros();
                self.words[self.word] &= !(1u64 << (63 - offset));
                return Some((self.word as u32 * 64 + offset) as u8);
            }
            self.word += 1;
        }
        None
    }
}

/// A [`Mask`] formatted as `0x` + a fixed number of hex digits; see [`Mask::hex`].
#[derive(Clone, Copy, Debug)]
pub struct MaskHex {
    mask: Mask,
    digits: usize,
}

impl fmt::Display for MaskHex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("0x")?;
        for digit in 0..self.digits {
            let word = self.mask.words[digit / 16];
            let nibble = (word >> (60 - 4 * (digit % 16))) & 0xf;
            write!(f, "{:x}", nibble)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::string::ToString;
    use std::vec::Vec;

    #[test]
    fn id_zero_is_the_msb_of_byte_zero() {
        let m = Mask::single(0);
        assert_eq!(m.to_bytes()[0], 0x80);
        assert_eq!(m.words()[0], 1 << 63);
        let m = Mask::single(7);
        assert_eq!(m.to_bytes()[0], 0x01);
        let m = Mask::single(255);
        assert_eq!(m.to_bytes()[31], 0x01);
    }

    #[test]
    fn bytes_round_trip() {
        let m: Mask = [0u8, 1, 63, 64, 100, 200, 255].into_iter().collect();
        assert_eq!(Mask::from_bytes(&m.to_bytes()), m);
    }

    #[test]
    fn iterates_ascending() {
        let m: Mask = [255u8, 3, 64, 0].into_iter().collect();
        assert_eq!(m.iter().collect::<Vec<_>>(), [0, 3, 64, 255]);
        assert_eq!(m.count(), 4);
    }

    #[test]
    fn sysfs_text_form() {
        assert_eq!(Mask::FULL.to_string(), std::format!("0x{}", "f".repeat(64)));
        let s = Mask::single(0).to_string();
        assert_eq!(s.len(), 66);
        assert!(s.starts_with("0x80") && s[4..].bytes().all(|b| b == b'0'));
        assert_eq!(Mask::single(3).hex(8).to_string(), "0x10");
    }

    #[test]
    fn set_algebra() {
        let a = Mask::range(0, 15);
        let b = Mask::range(8, 31);
        assert_eq!(a.intersection(&b), Mask::range(8, 15));
        assert_eq!(a.union(&b), Mask::range(0, 31));
        assert_eq!(a.difference(&b), Mask::range(0, 7));
        assert!(Mask::range(2, 3).is_subset_of(&a));
        assert!(a.intersects(&b));
        assert_eq!(Mask::first_n(16), a);
        assert_eq!(Mask::first_n(256), Mask::FULL);
        assert_eq!(Mask::FULL.up_to(15), a);
    }
}
