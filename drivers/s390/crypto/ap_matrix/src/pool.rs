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

/// The bus masks a write can target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BusMask {
    /// `/sys/bus/ap/apmask` (adapters).
    Apmask,
    /// `/sys/bus/ap/aqmask` (domains).
    Aqmask,
}

impl BusMask {
    /// The attribute's name.
    pub const fn name(self) -> &'static str {
        match self {
            BusMask::Apmask => "apmask",
            BusMask::Aqmask => "aqmask",
        }
    }

    /// The uevent variable announcing a new value (`APMASK`, `AQMASK`).
    pub const fn uevent_name(self) -> &'static str {
        match self {
            BusMask::Apmask => "APMASK",
            BusMask::Aqmask => "AQMASK",
        }
    }
}

impl DefaultPool {
    /// The mask `which` of the pool.
    pub fn mask(&self, which: BusMask) -> Mask {
        match which {
            BusMask::Apmask => self.apm,
            BusMask::Aqmask => self.aqm,
        }
    }

    /// The pool with mask `which` replaced by `mask`.
    pub fn with(&self, which: BusMask, mask: Mask) -> DefaultPool {
        match which {
            BusMask::Apmask => DefaultPool { apm: mask, ..*self },
            BusMask::Aqmask => DefaultPool { aqm: mask, ..*self },
        }
    }

    /// What a write to `which` asking for `requested` must have approved: the APQNs it
    /// adds to the pool, as the `in_use` query upstream sends (added adapters × current
    /// `aqmask`, or current `apmask` × added domains; MSK-22, MSK-24). `None` when the
    /// write adds nothing (MSK-21).
    pub fn reservation_query(&self, which: BusMask, requested: Mask) -> Option<DefaultPool> {
        let added = requested.difference(&self.mask(which));
        (!added.is_empty()).then(|| self.with(which, added))
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    #[test]
    fn the_reservation_query_is_the_added_ids_times_the_other_mask() {
        let pool = DefaultPool {
            apm: Mask::range(0, 3),
            aqm: Mask::range(0, 15),
        };
        let q = pool
            .reservation_query(BusMask::Apmask, Mask::range(2, 5))
            .unwrap();
        assert_eq!((q.apm, q.aqm), (Mask::range(4, 5), Mask::range(0, 15)));
        let q = pool
            .reservation_query(BusMask::Aqmask, Mask::range(15, 16))
            .unwrap();
        assert_eq!((q.apm, q.aqm), (Mask::range(0, 3), Mask::single(16)));
        assert_eq!(
            pool.reservation_query(BusMask::Apmask, Mask::range(1, 2)),
            None
        );
        assert_eq!(
            pool.with(BusMask::Aqmask, Mask::EMPTY)
                .mask(BusMask::Aqmask),
            Mask::EMPTY
        );
    }

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
