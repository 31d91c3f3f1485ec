// SPDX-License-Identifier: GPL-2.0-only

//! AP queue numbers (adapter id and domain id) and their text form `XX.YYYY`.

use core::fmt;

/// An AP queue number: adapter id in the high byte, domain id in the low byte.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Apqn(pub u16);

impl Apqn {
    /// The APQN of `card` and `domain`.
    pub const fn new(card: u8, domain: u8) -> Self {
        Self(((card as u16) << 8) | domain as u16)
    }

    /// The APQN in a `qid` register value (`AP_QID_CARD`/`AP_QID_QUEUE`); the
    /// function code and flag bits above bit 15 are ignored.
    pub const fn from_qid(qid: u32) -> Self {
        Self(qid as u16)
    }

    /// The adapter id.
    pub const fn card(self) -> u8 {
        (self.0 >> 8) as u8
    }

    /// The domain id.
    pub const fn domain(self) -> u8 {
        self.0 as u8
    }

    /// Parses `XX.YYYY` (1-2 hex digits, a dot, 1-4 hex digits; values up to 0xff).
    pub fn parse(s: &str) -> Option<Self> {
        let (c, d) = s.split_once('.')?;
        if c.is_empty() || c.len() > 2 || d.is_empty() || d.len() > 4 {
            return None;
        }
        if !c.bytes().all(|b| b.is_ascii_hexdigit()) || !d.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let card = u8::from_str_radix(c, 16).ok()?;
        let dom = u16::from_str_radix(d, 16).ok()?;
        let dom = u8::try_from(dom).ok()?;
        Some(Self::new(card, dom))
    }
}

impl fmt::Display for Apqn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02x}.{:04x}", self.card(), self.domain())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_fields() {
        let a = Apqn::parse("05.0047").unwrap();
        assert_eq!((a.card(), a.domain()), (5, 0x47));
        assert_eq!(Apqn::parse("ff.00ff"), Some(Apqn::new(0xff, 0xff)));
        assert_eq!(Apqn::parse("5.47"), Some(Apqn::new(5, 0x47)));
        for bad in [
            "", ".", "05.", ".0047", "005.0047", "05.00047", "05.0100", "g5.0001", "05-0047",
            "+5.1",
        ] {
            assert_eq!(Apqn::parse(bad), None, "{bad}");
        }
        assert_eq!(Apqn::from_qid(0x0280_0547 | (1 << 23)), Apqn::new(5, 0x47));
    }
}
