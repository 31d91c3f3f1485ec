// SPDX-License-Identifier: GPL-2.0-only

//! The three masks of an AP control block: adapters, usage domains, control domains.

use super::id::Apqn;
use super::mask::Mask;

/// Adapter, usage-domain and control-domain masks, as an mdev matrix, a shadow APCB
/// or an `ap_config` value carries them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Apcb {
    /// Adapters (APM).
    pub apm: Mask,
    /// Usage domains (AQM).
    pub aqm: Mask,
    /// Control domains (ADM).
    pub adm: Mask,
}

impl Apcb {
    /// No adapter, domain or control domain.
    pub const EMPTY: Apcb = Apcb {
        apm: Mask::EMPTY,
        aqm: Mask::EMPTY,
        adm: Mask::EMPTY,
    };

    /// The control block holding exactly the listed adapters, domains and control
    /// domains.
    pub fn from_ids(apm: &[u8], aqm: &[u8], adm: &[u8]) -> Apcb {
        Apcb {
            apm: apm.iter().copied().collect(),
            aqm: aqm.iter().copied().collect(),
            adm: adm.iter().copied().collect(),
        }
    }

    /// Whether `apqn` is in `apm` × `aqm`.
    pub fn contains(&self, apqn: Apqn) -> bool {
        self.apm.test(apqn.apid.0) && self.aqm.test(apqn.apqi.0)
    }

    /// Number of APQNs in `apm` × `aqm`.
    pub fn apqn_count(&self) -> usize {
        self.apm.count() * self.aqm.count()
    }

    /// The APQNs of `apm` × `aqm`, adapter-major and ascending.
    pub fn apqns(&self) -> impl Iterator<Item = Apqn> + '_ {
        let aqm = self.aqm;
        self.apm
            .iter()
            .flat_map(move |apid| aqm.iter().map(move |apqi| Apqn::new(apid, apqi)))
    }

    /// Each mask intersected with the corresponding mask of `other`.
    pub fn intersection(&self, other: &Apcb) -> Apcb {
        Apcb {
            apm: self.apm.intersection(&other.apm),
            aqm: self.aqm.intersection(&other.aqm),
            adm: self.adm.intersection(&other.adm),
        }
    }

    /// Each mask minus the corresponding mask of `other`.
    pub fn difference(&self, other: &Apcb) -> Apcb {
        Apcb {
            apm: self.apm.difference(&other.apm),
            aqm: self.aqm.difference(&other.aqm),
            adm: self.adm.difference(&other.adm),
        }
    }

    /// Each mask united with the corresponding mask of `other`.
    pub fn union(&self, other: &Apcb) -> Apcb {
        Apcb {
            apm: self.apm.union(&other.apm),
            aqm: self.aqm.union(&other.aqm),
            adm: self.adm.union(&other.adm),
        }
    }

    /// Whether all three masks are empty.
    pub fn is_empty(&self) -> bool {
        self.apm.is_empty() && self.aqm.is_empty() && self.adm.is_empty()
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    #[test]
    fn apqns_are_adapter_major() {
        let a = Apcb {
            apm: [6u8, 5].into_iter().collect(),
            aqm: [0xabu8, 4].into_iter().collect(),
            adm: Mask::EMPTY,
        };
        let v: Vec<_> = a.apqns().collect();
        assert_eq!(
            v,
            [
                Apqn::new(5, 4),
                Apqn::new(5, 0xab),
                Apqn::new(6, 4),
                Apqn::new(6, 0xab)
            ]
        );
        assert_eq!(a.apqn_count(), 4);
        assert!(a.contains(Apqn::new(6, 0xab)) && !a.contains(Apqn::new(7, 4)));
    }
}
