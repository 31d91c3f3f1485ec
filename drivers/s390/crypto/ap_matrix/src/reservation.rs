// SPDX-License-Identifier: GPL-2.0-only

//! The AP bus's reservation check: may new `apmask`/`aqmask` bits be committed while
//! mdevs hold APQNs (the vfio_ap `in_use` callback, §1.5)?

use super::errno::Errno;
use super::id::Apqn;
use super::matrix::Matrix;
use super::pool::DefaultPool;

/// Calls `visit(mdev, apqn)` for every APQN that `new` adds to the default pool
/// (relative to `old`) and that is assigned to one of `mdevs`; returns whether there
/// was any. mdevs are visited in iteration order, APQNs adapter-major within one.
///
/// Only bits **newly added** to the pool are checked; removing pool bits never
/// conflicts (MSK-21). For a single-mask write (the only kind the bus has) the checked
/// APQNs are exactly upstream's: added adapters × current `aqmask`, or current
/// `apmask` × added domains (MSK-22, MSK-24). If both masks change at once, the set is
/// `new pool \ old pool`, which contains both products.
pub fn for_each_conflict<'a, Id: Copy + 'a>(
    old: &DefaultPool,
    new: &DefaultPool,
    mdevs: impl IntoIterator<Item = (Id, &'a Matrix)>,
    mut visit: impl FnMut(Id, Apqn),
) -> bool {
    let added_apm = new.apm.difference(&old.apm);
    let added_aqm = new.aqm.difference(&old.aqm);
    if added_apm.is_empty() && added_aqm.is_empty() {
        return false;
    }
    // new pool \ old pool = (added_apm × new.aqm) ∪ ((new.apm \ added_apm) × added_aqm),
    // two disjoint products.
    let kept_apm = new.apm.difference(&added_apm);
    let mut found = false;
    for (id, m) in mdevs {
        let a1 = added_apm.intersection(m.apm());
        let q1 = new.aqm.intersection(m.aqm());
        let a2 = kept_apm.intersection(m.apm());
        let q2 = added_aqm.intersection(m.aqm());
        for (apm, aqm) in [(a1, q1), (a2, q2)] {
            if apm.is_empty() || aqm.is_empty() {
                continue;
            }
            found = true;
            for apid in apm.iter() {
                for apqi in aqm.iter() {
                    visit(id, Apqn::new(apid, apqi));
                }
            }
        }
    }
    found
}

/// The commit decision for an `apmask`/`aqmask` write: `EBUSY` if any newly pooled
/// APQN is assigned to an mdev (MSK-22, MSK-28: the bus maps any `in_use` result to
/// `EBUSY`), calling `visit` for each conflicting (mdev, APQN) so the shell can log
/// `Can not reserve queue %02x.%04x for host driver: in use by mdev` (MSK-23).
pub fn check_commit<'a, Id: Copy + 'a>(
    old: &DefaultPool,
    new: &DefaultPool,
    mdevs: impl IntoIterator<Item = (Id, &'a Matrix)>,
    visit: impl FnMut(Id, Apqn),
) -> Result<(), Errno> {
    if for_each_conflict(old, new, mdevs, visit) {
        Err(Errno::EBUSY)
    } else {
        Ok(())
    }
}

/// The vfio_ap `in_use(apm, aqm)` callback as the bus calls it: whether any APQN of
/// `apm` × `aqm` is assigned to an mdev. vfio_ap answers `EADDRINUSE`, which the bus
/// turns into `EBUSY`.
pub fn in_use<'a, Id: Copy + 'a>(
    query: &DefaultPool,
    mdevs: impl IntoIterator<Item = (Id, &'a Matrix)>,
    visit: impl FnMut(Id, Apqn),
) -> Result<(), Errno> {
    if super::sharing::for_each_shared(&query.apm, &query.aqm, mdevs, visit) {
        Err(Errno::EADDRINUSE)
    } else {
        Ok(())
    }
}

/// What one AP driver contributed to a reservation check (`__verify_*_reservations`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DriverAnswer {
    /// The driver's module could not be pinned (it is going away): skipped, counts as
    /// "not in use" (MSK-27).
    NotPinned,
    /// The driver has no `in_use` callback.
    NoCallback,
    /// The driver's `in_use` returned this value (0 = not in use).
    InUse(i32),
}

/// The bus's verdict over the drivers' answers, in driver order: the walk stops at
/// the first driver reporting a non-zero `in_use`, and any non-zero value becomes
/// `EBUSY` (MSK-28). Returns the verdict and how many answers were consumed, so a
/// caller can stop asking drivers early.
pub fn bus_verdict(answers: impl IntoIterator<Item = DriverAnswer>) -> (Result<(), Errno>, usize) {
    let mut asked = 0;
    for answer in answers {
        asked += 1;
        if let DriverAnswer::InUse(rc) = answer {
            if rc != 0 {
                return (Err(Errno::EBUSY), asked);
            }
        }
    }
    (Ok(()), asked)
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::apcb::Apcb;
    use crate::host::Limits;
    use crate::mask::Mask;
    use std::vec::Vec;

    fn mask(ids: &[u8]) -> Mask {
        ids.iter().copied().collect()
    }

    fn matrix(apm: &[u8], aqm: &[u8]) -> Matrix {
        Matrix::from_masks(
            Limits::FULL,
            Apcb {
                apm: mask(apm),
                aqm: mask(aqm),
                adm: Mask::EMPTY,
            },
        )
        .unwrap()
    }

    fn pool(apm: Mask, aqm: Mask) -> DefaultPool {
        DefaultPool { apm, aqm }
    }

    #[test]
    fn msk_21_removing_pool_bits_always_succeeds() {
        let old = DefaultPool::ALL;
        let mut new = old;
        new.apm.clear(5);
        new.aqm.clear(0x54);
        let m = matrix(&[0, 5, 6], &[0x54, 1]);
        let r = check_commit(&old, &new, [(1u8, &m)], |_, _| {
            panic!("no conflict expected")
        });
        assert_eq!(r, Ok(()));
    }

    #[test]
    fn msk_22_msk_23_adding_pool_bits_over_an_assigned_apqn_is_ebusy() {
        // apmask = everything but adapter 5; aqmask full; mdev holds 05.0054.
        let mut old = DefaultPool::ALL;
        old.apm.clear(5);
        let new = DefaultPool::ALL;
        let m = matrix(&[5], &[0x54]);
        let idle = matrix(&[7], &[0x54]);
        let mut log = Vec::new();
        let r = check_commit(&old, &new, [(1u8, &idle), (2u8, &m)], |id, q| {
            log.push((id, q))
        });
        assert_eq!(r, Err(Errno::EBUSY));
        assert_eq!(log, [(2, Apqn::new(5, 0x54))]);
    }

    #[test]
    fn msk_24_added_adapters_checked_against_current_aqmask_only() {
        // aqmask lacks domain 0x54, so +5 on apmask does not pool 05.0054.
        let old = pool(Mask::EMPTY, mask(&[1, 2]));
        let new = pool(mask(&[5]), mask(&[1, 2]));
        let m = matrix(&[5], &[0x54]);
        assert_eq!(check_commit(&old, &new, [(1u8, &m)], |_, _| ()), Ok(()));
        // Domain delta × current apmask, likewise.
        let old = pool(mask(&[1]), Mask::EMPTY);
        let new = pool(mask(&[1]), mask(&[0x54]));
        assert_eq!(check_commit(&old, &new, [(1u8, &m)], |_, _| ()), Ok(()));
        let new = pool(mask(&[1, 5]), mask(&[0x54]));
        assert_eq!(
            check_commit(&old, &new, [(1u8, &m)], |_, _| ()),
            Err(Errno::EBUSY)
        );
    }

    #[test]
    fn msk_28_in_use_answer_and_bus_mapping() {
        let m = matrix(&[5], &[0x54]);
        let q = pool(mask(&[5]), Mask::FULL);
        let mut n = 0;
        assert_eq!(
            in_use(&q, [(1u8, &m)], |_, _| n += 1),
            Err(Errno::EADDRINUSE)
        );
        assert_eq!(n, 1);
        assert_eq!(
            in_use(&pool(mask(&[6]), Mask::FULL), [(1u8, &m)], |_, _| ()),
            Ok(())
        );
        // The bus's commit reports EBUSY for the same situation.
        let old = pool(Mask::EMPTY, Mask::FULL);
        assert_eq!(
            check_commit(&old, &q, [(1u8, &m)], |_, _| ()),
            Err(Errno::EBUSY)
        );
    }

    #[test]
    fn every_conflicting_mdev_and_apqn_is_visited_once() {
        let old = DefaultPool::NONE;
        let new = pool(mask(&[1, 2]), mask(&[3, 4]));
        let a = matrix(&[1, 2], &[3]);
        let b = matrix(&[2], &[4, 9]);
        let mut log = Vec::new();
        assert!(for_each_conflict(
            &old,
            &new,
            [(1u8, &a), (2, &b)],
            |id, q| log.push((id, q))
        ));
        assert_eq!(
            log,
            [
                (1, Apqn::new(1, 3)),
                (1, Apqn::new(2, 3)),
                (2, Apqn::new(2, 4))
            ]
        );
        // Both masks growing at once: the pooled set is new pool \ old pool.
        let old = pool(mask(&[1]), mask(&[3]));
        let new = pool(mask(&[1, 2]), mask(&[3, 4]));
        let c = matrix(&[1, 2], &[3, 4]);
        let mut log = Vec::new();
        for_each_conflict(&old, &new, [(1u8, &c)], |_, q| log.push(q));
        log.sort();
        assert_eq!(log, [Apqn::new(1, 4), Apqn::new(2, 3), Apqn::new(2, 4)]);
    }

    #[test]
    fn msk_27_unpinnable_driver_is_skipped() {
        use DriverAnswer::*;
        assert_eq!(bus_verdict([NotPinned, NoCallback, InUse(0)]), (Ok(()), 3));
        // A driver that would have refused but cannot be pinned is not asked.
        assert_eq!(bus_verdict([NotPinned, InUse(0)]), (Ok(()), 2));
    }

    #[test]
    fn msk_28_any_nonzero_in_use_is_ebusy_and_stops_the_walk() {
        use DriverAnswer::*;
        let rc = -Errno::EADDRINUSE.to_raw();
        assert_eq!(
            bus_verdict([InUse(0), InUse(rc), InUse(1)]),
            (Err(Errno::EBUSY), 2)
        );
        assert_eq!(bus_verdict([InUse(1)]), (Err(Errno::EBUSY), 1));
        assert_eq!(bus_verdict([]), (Ok(()), 0));
    }
}
