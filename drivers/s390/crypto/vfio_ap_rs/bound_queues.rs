// SPDX-License-Identifier: GPL-2.0-only

//! Which queues are bound to the driver, and which of them may be passed through.

use crate::ap_matrix::id::{Apqn, AP_IDS};
use crate::ap_matrix::mask::Mask;
use kernel::prelude::*;

/// One empty row per adapter.
fn empty_rows() -> Result<KVec<Mask>> {
    let mut rows = KVec::with_capacity(AP_IDS, GFP_KERNEL)?;
    for _ in 0..AP_IDS {
        rows.push(Mask::EMPTY, GFP_KERNEL)?;
    }
    Ok(rows)
}

/// The queues bound to the driver, and those whose last reset left them unusable
/// for a guest (response code not passable, or timed out).
///
/// One row of domains per adapter, so filtering a full 256 × 256 matrix costs one
/// bit test per APQN. The rows (16 KiB in all) live on the heap: built as a value,
/// the table would pass through a kernel stack.
pub(crate) struct BoundQueues {
    bound: KVec<Mask>,
    blocked: KVec<Mask>,
}

impl BoundQueues {
    /// No queue bound.
    pub(crate) fn new() -> Result<Self> {
        Ok(BoundQueues {
            bound: empty_rows()?,
            blocked: empty_rows()?,
        })
    }

    fn row(rows: &[Mask], apqn: Apqn) -> Option<&Mask> {
        rows.get(usize::from(apqn.apid.0))
    }

    fn row_mut(rows: &mut [Mask], apqn: Apqn) -> Option<&mut Mask> {
        rows.get_mut(usize::from(apqn.apid.0))
    }

    /// A queue was probed: bound, and passable until a reset says otherwise.
    pub(crate) fn bind(&mut self, apqn: Apqn) {
        if let Some(row) = Self::row_mut(&mut self.bound, apqn) {
            row.set(apqn.apqi.0);
        }
        if let Some(row) = Self::row_mut(&mut self.blocked, apqn) {
            row.clear(apqn.apqi.0);
        }
    }

    /// A queue left the driver.
    pub(crate) fn unbind(&mut self, apqn: Apqn) {
        if let Some(row) = Self::row_mut(&mut self.bound, apqn) {
            row.clear(apqn.apqi.0);
        }
    }

    /// Whether the queue is bound to the driver.
    pub(crate) fn is_bound(&self, apqn: Apqn) -> bool {
        Self::row(&self.bound, apqn).is_some_and(|row| row.test(apqn.apqi.0))
    }

    /// Records whether the queue's last reset left it passable.
    pub(crate) fn set_passable(&mut self, apqn: Apqn, passable: bool) {
        if let Some(row) = Self::row_mut(&mut self.blocked, apqn) {
            row.assign(apqn.apqi.0, !passable);
        }
    }

    /// Whether the queue may be given to a guest: bound, and not blocked by its last
    /// reset.
    pub(crate) fn is_passable(&self, apqn: Apqn) -> bool {
        self.is_bound(apqn)
            && !Self::row(&self.blocked, apqn).is_some_and(|row| row.test(apqn.apqi.0))
    }
}
