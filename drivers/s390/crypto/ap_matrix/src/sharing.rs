// SPDX-License-Identifier: GPL-2.0-only

//! The "no APQN in two mdevs" check shared by assignment and by the bus's `in_use`
//! callback.

use crate::id::Apqn;
use crate::mask::Mask;
use crate::matrix::Matrix;

/// Calls `visit(id, apqn)` for every APQN of `apm` × `aqm` that is also in the matrix
/// of one of `others`, mdev by mdev in iteration order and adapter-major within an
/// mdev. Returns whether there was at least one.
///
/// `others` must not contain the mdev being validated itself. `Id` is whatever the
/// caller uses to name an mdev (e.g. its UUID bytes), so log lines can name it.
///
/// Upstream stops at the first conflicting mdev; this walks all of them, so a caller
/// can report every conflict (a deliberate difference, R27). Callers wanting
/// upstream's log output stop logging after the first id.
pub fn for_each_shared<'a, Id: Copy + 'a>(
    apm: &Mask,
    aqm: &Mask,
    others: impl IntoIterator<Item = (Id, &'a Matrix)>,
    mut visit: impl FnMut(Id, Apqn),
) -> bool {
    let mut found = false;
    for (id, other) in others {
        let shared_apm = apm.intersection(other.apm());
        let shared_aqm = aqm.intersection(other.aqm());
        if shared_apm.is_empty() || shared_aqm.is_empty() {
            continue;
        }
        found = true;
        for apid in shared_apm.iter() {
            for apqi in shared_aqm.iter() {
                visit(id, Apqn::new(apid, apqi));
            }
        }
    }
    found
}

/// Whether any APQN of `apm` × `aqm` is in the matrix of one of `others`.
pub fn is_shared<'a, Id: Copy + 'a>(
    apm: &Mask,
    aqm: &Mask,
    others: impl IntoIterator<Item = (Id, &'a Matrix)>,
) -> bool {
    others
        .into_iter()
        .any(|(_, other)| apm.intersects(other.apm()) && aqm.intersects(other.aqm()))
}
