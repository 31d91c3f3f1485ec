// SPDX-License-Identifier: GPL-2.0-only

//! The default pool: the APQNs the bus's `apmask` × `aqmask` reserve for the default
//! (zcrypt) drivers.

use super::id::Apqn;
use super::mask::Mask;

/// The AP bus's `apmask` and `aqmask` (`ap_perms.apm`/`ap_perms.aqm`).
///
/// An APQN belongs to the pool when its adapter is in `apm` **and** its domain is in
/// `aqm`. The boot default is [`DefaultPool::ALL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct DefaultPool {
    /// The bus `apmask`.
    pub apm: Mask,
    /// The bus `aqmask`.
    pub aqm: Mask,
}

impl DefaultPool {
    /// Every APQN is reserved for the default drivers (boot default).
    pub const ALL: DefaultPool = DefaultPool {
        apm: Mask::FULL,
        aqm: Mask::FULL,
    };

    /// No APQN is reserved for the default drivers.
    pub const NONE: DefaultPool = DefaultPool {
        apm: Mask::EMPTY,
        aqm: Mask::EMPTY,
    };

    /// Whether `apqn` is reserved for the default drivers (`ap_owned_by_def_drv`).
    pub fn owns(&self, apqn: Apqn) -> bool {
        self.apm.test(apqn.apid.0) && self.aqm.test(apqn.apqi.0)
    }

    /// Whether **at least one** APQN of `apm` × `aqm` is in the pool
    /// (`ap_apqn_in_matrix_owned_by_def_drv`, whose kernel-doc wrongly says "every").
    ///
    /// An empty product never intersects the pool (MSK-35, ATR-08).
    pub fn owns_any(&self, apm: &Mask, aqm: &Mask) -> bool {
        self.apm.intersects(apm) && self.aqm.intersects(aqm)
    }

    /// Calls `visit` for every APQN of `apm` × `aqm` that is in the pool, adapter-major.
    pub fn for_each_owned(&self, apm: &Mask, aqm: &Mask, mut visit: impl FnMut(Apqn)) {
        let aqm = self.aqm.intersection(aqm);
        for apid in self.apm.intersection(apm).iter() {
            for apqi in aqm.iter() {
                visit(Apqn::new(apid, apqi));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    #[test]
    fn msk_35_one_pool_apqn_is_enough() {
        // apmask holds only adapter 5, aqmask only domain 0x54: exactly one pool APQN.
        let pool = DefaultPool {
            apm: Mask::single(5),
            aqm: Mask::single(0x54),
        };
        let apm = Mask::range(0, 10);
        let aqm = Mask::range(0x50, 0x60);
        assert!(pool.owns_any(&apm, &aqm));
        assert!(pool.owns(Apqn::new(5, 0x54)));
        assert!(!pool.owns(Apqn::new(5, 0x55)));
        let mut seen = Vec::new();
        pool.for_each_owned(&apm, &aqm, |q| seen.push(q));
        assert_eq!(seen, [Apqn::new(5, 0x54)]);
        // Remove the single shared domain: no longer owned.
        let mut aqm2 = aqm;
        aqm2.clear(0x54);
        assert!(!pool.owns_any(&apm, &aqm2));
    }

    #[test]
    fn msk_35_empty_product_is_never_owned() {
        assert!(!DefaultPool::ALL.owns_any(&Mask::FULL, &Mask::EMPTY));
        assert!(!DefaultPool::ALL.owns_any(&Mask::EMPTY, &Mask::FULL));
        assert!(DefaultPool::ALL.owns_any(&Mask::single(0), &Mask::single(0)));
        assert!(!DefaultPool::NONE.owns_any(&Mask::FULL, &Mask::FULL));
    }
}
