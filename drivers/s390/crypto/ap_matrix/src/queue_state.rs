// SPDX-License-Identifier: GPL-2.0-only

//! The `status` attribute of a queue bound to vfio_ap (§2.10, FMT-05).

use super::id::Apqn;
use super::matrix::Matrix;
use super::shadow::Shadow;

/// What a vfio_ap queue's `status` attribute reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QueueState {
    /// No mdev's matrix holds the queue (or the queue is still being probed).
    Unassigned,
    /// An mdev's matrix holds it, but no guest uses it.
    Assigned,
    /// The holding mdev is attached to a guest and the queue is in its shadow.
    InUse,
}

impl QueueState {
    /// The attribute text: `unassigned\n`, `assigned\n` or `in use\n`.
    pub fn text(self) -> &'static str {
        match self {
            QueueState::Unassigned => "unassigned\n",
            QueueState::Assigned => "assigned\n",
            QueueState::InUse => "in use\n",
        }
    }
}

/// The state of `apqn`. `probed` is false in the window before the queue's driver
/// data is set. `holder` is the mdev whose **matrix** holds the queue, if any: its
/// matrix, shadow and whether it is attached to a guest.
pub fn queue_state(
    apqn: Apqn,
    probed: bool,
    holder: Option<(&Matrix, &Shadow, bool)>,
) -> QueueState {
    if !probed {
        return QueueState::Unassigned;
    }
    match holder {
        Some((matrix, shadow, attached)) if matrix.contains(apqn) => {
            if attached && shadow.apcb.contains(apqn) {
                QueueState::InUse
            } else {
                QueueState::Assigned
            }
        }
        _ => QueueState::Unassigned,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apcb::Apcb;
    use crate::host::Limits;
    use crate::mask::Mask;

    #[test]
    fn fmt_05_status_assigned_unassigned_in_use() {
        let q = Apqn::new(5, 4);
        let masks = Apcb {
            apm: Mask::single(5),
            aqm: Mask::single(4),
            adm: Mask::EMPTY,
        };
        let m = Matrix::from_masks(Limits::FULL, masks).unwrap();
        let plugged = Shadow {
            apcb: masks,
            limits: Limits::FULL,
        };
        let filtered = Shadow::new(Limits::FULL);
        assert_eq!(queue_state(q, true, None), QueueState::Unassigned);
        assert_eq!(
            queue_state(q, false, Some((&m, &plugged, true))),
            QueueState::Unassigned
        );
        assert_eq!(
            queue_state(q, true, Some((&m, &plugged, false))),
            QueueState::Assigned
        );
        assert_eq!(
            queue_state(q, true, Some((&m, &filtered, true))),
            QueueState::Assigned
        );
        assert_eq!(
            queue_state(q, true, Some((&m, &plugged, true))),
            QueueState::InUse
        );
        assert_eq!(
            queue_state(Apqn::new(5, 5), true, Some((&m, &plugged, true))),
            QueueState::Unassigned
        );
        assert_eq!(QueueState::InUse.text(), "in use\n");
        assert_eq!(QueueState::Assigned.text(), "assigned\n");
        assert_eq!(QueueState::Unassigned.text(), "unassigned\n");
    }
}
