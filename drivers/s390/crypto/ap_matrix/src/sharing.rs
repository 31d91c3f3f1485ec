// SPDX-License-Identifier: GPL-2.0-only

//! The "no APQN in two mdevs" check shared by assignment and by the bus's `in_use`
//! callback.

use super::id::Apqn;
use super::mask::Mask;
use super::matrix::Matrix;

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

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::apcb::Apcb;
    use crate::host::Limits;
    use std::vec::Vec;

    fn matrix(apm: &[u8], aqm: &[u8]) -> Matrix {
        Matrix::from_masks(Limits::FULL, Apcb::from_ids(apm, aqm, &[])).unwrap()
    }

    #[test]
    fn conflicts_need_a_shared_adapter_and_a_shared_domain() {
        let a = matrix(&[1, 2], &[3]);
        let b = matrix(&[2], &[4]);
        let c = matrix(&[9], &[3]);
        let others = [(1u8, &a), (2, &b), (3, &c)];
        let apm: Mask = [2u8, 9].into_iter().collect();
        let aqm: Mask = [3u8].into_iter().collect();
        let mut seen = Vec::new();
        assert!(for_each_shared(&apm, &aqm, others, |id, q| seen.push((id, q))));
        assert_eq!(seen, [(1, Apqn::new(2, 3)), (3, Apqn::new(9, 3))]);
        assert!(is_shared(&apm, &aqm, others));
        let aqm5: Mask = [5u8].into_iter().collect();
        assert!(!for_each_shared(&apm, &aqm5, others, |_, _| panic!(
            "no conflict"
        )));
        assert!(!is_shared(&apm, &aqm5, others));
        assert!(!is_shared(&Mask::EMPTY, &Mask::FULL, others));
    }
}
