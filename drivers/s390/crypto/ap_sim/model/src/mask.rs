// SPDX-License-Identifier: GPL-2.0-only

//! 256-bit masks of adapter or domain ids, MSB-first as in the QCI block.

/// A set of ids 0..=255; id 0 is the most significant bit of the first byte.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mask256 {
    bytes: [u8; 32],
}

impl Mask256 {
    /// The empty set.
    pub const EMPTY: Self = Self { bytes: [0; 32] };

    /// A mask from its 32 QCI bytes.
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self { bytes }
    }

    /// The set plus `id` (usable in `const` context).
    pub const fn with(mut self, id: u8) -> Self {
        self.bytes[(id / 8) as usize] |= 0x80 >> (id % 8);
        self
    }

    /// Whether `id` is in the set.
    pub const fn test(&self, id: u8) -> bool {
        self.bytes[(id / 8) as usize] & (0x80 >> (id % 8)) != 0
    }

    /// Adds `id`.
    pub fn set(&mut self, id: u8) {
        if let Some(b) = self.bytes.get_mut(usize::from(id / 8)) {
            *b |= 0x80 >> (id % 8);
        }
    }

    /// Removes `id`.
    pub fn clear(&mut self, id: u8) {
        if let Some(b) = self.bytes.get_mut(usize::from(id / 8)) {
            *b &= !(0x80 >> (id % 8));
        }
    }

    /// Number of ids in the set.
    pub fn count(&self) -> usize {
        self.bytes.iter().map(|b| b.count_ones() as usize).sum()
    }

    /// The ids in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = u8> + '_ {
        (0..=255u8).filter(move |&i| self.test(i))
    }

    /// The 32 bytes as they appear in the QCI block.
    pub const fn bytes(&self) -> &[u8; 32] {
        &self.bytes
    }

    /// The highest id in the set.
    pub fn max(&self) -> Option<u8> {
        (0..=255u8).rev().find(|&i| self.test(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msb_first() {
        let mut m = Mask256::EMPTY;
        m.set(0);
        m.set(9);
        m.set(255);
        assert_eq!(m.bytes()[0], 0x80);
        assert_eq!(m.bytes()[1], 0x40);
        assert_eq!(m.bytes()[31], 0x01);
        assert_eq!(m.count(), 3);
        assert_eq!(m.max(), Some(255));
        m.clear(255);
        assert!(!m.test(255) && m.test(9));
        let ids: [u8; 2] = [0, 9];
        assert!(m.iter().eq(ids.iter().copied()));
    }
}
