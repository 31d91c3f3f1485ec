// SPDX-License-Identifier: GPL-2.0-only

//! The AP bus's reservation check: may new `apmask`/`aqmask` bits be committed while
//! mdevs hold APQNs (the vfio_ap `in_use` callback, §1.5)?

use crate::errno::Errno;
use crate::id::Apqn;
use crate::matrix::Matrix;
use crate::pool::DefaultPool;

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
    if crate::sharing::for_each_shared(&query.apm, &query.aqm, mdevs, visit) {
        Err(Errno::EADDRINUSE)
    } else {
        Ok(())
    }
}
