// SPDX-License-Identifier: GPL-2.0-only

//! Adapter, domain and queue identifiers.

use core::fmt;

/// Number of adapter IDs, usage domains and control domains the architecture allows.
pub const AP_IDS: usize = 256;

/// Highest adapter ID the bus assumes without QCI or extended addressing (APXA).
pub const DEFAULT_MAX_APID: u8 = 63;

/// Highest domain ID the bus assumes without QCI or extended addressing (APXA).
pub const DEFAULT_MAX_APQI: u8 = 15;

/// An adapter (card) number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Apid(pub u8);

/// A usage-domain (queue index) number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Apqi(pub u8);

/// An AP queue number: the pair (adapter, domain).
///
/// Ordered adapter-major, as upstream lists queues.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Apqn {
    /// The adapter.
    pub apid: Apid,
    /// The usage domain.
    pub apqi: Apqi,
}

impl Apqn {
    /// The queue of `apid` in domain `apqi`.
    pub const fn new(apid: u8, apqi: u8) -> Self {
        Self {
            apid: Apid(apid),
            apqi: Apqi(apqi),
        }
    }

    /// The architecture's 16-bit encoding, `apid << 8 | apqi` (`AP_MKQID`).
    pub const fn qid(self) -> u16 {
        ((self.apid.0 as u16) << 8) | self.apqi.0 as u16
    }

    /// Decodes the architecture's 16-bit queue id.
    pub const fn from_qid(qid: u16) -> Self {
        Self::new((qid >> 8) as u8, qid as u8)
    }
}

/// Printed as sysfs and the kernel log print it: `%02x.%04x`, e.g. `05.0047`.
impl fmt::Display for Apqn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02x}.{:04x}", self.apid.0, self.apqi.0)
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::string::ToString;

    #[test]
    fn apqn_prints_like_sysfs() {
        assert_eq!(Apqn::new(5, 0x47).to_string(), "05.0047");
        assert_eq!(Apqn::new(0xff, 0xff).to_string(), "ff.00ff");
    }

    #[test]
    fn qid_round_trips() {
        for qid in [0u16, 0x0547, 0xffff, 0x0100] {
            assert_eq!(Apqn::from_qid(qid).qid(), qid);
        }
        assert_eq!(Apqn::new(5, 0x47).qid(), 0x0547);
    }
}
