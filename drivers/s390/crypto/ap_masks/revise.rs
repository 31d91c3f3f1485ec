// SPDX-License-Identifier: GPL-2.0-only

//! Rebinding the queues after a committed mask change.

use crate::ap_matrix::pool::DefaultPool;
use crate::ap_matrix::rebind::{rebind, Rebind};
use crate::kernel_ext::{ap_bus, ap_perms};

/// Visits every queue device and reprobes the ones whose driver is of the wrong kind
/// for the pool, and the unbound ones the change from `old` to `new` moved
/// (`ap_matrix::rebind`). The pool is read afresh for each queue, as upstream does,
/// so a later write's pool wins; a failed reprobe is only noted in the bus's debug
/// area, as upstream does.
pub(crate) fn revise_bindings(old: &DefaultPool, new: &DefaultPool) {
    ap_bus::for_each_queue(|queue| {
        let apqn = queue.apqn();
        let in_pool = ap_perms::lock().pool().owns(apqn);
        let moved = old.owns(apqn) != new.owns(apqn);
        if rebind(in_pool, queue.bound_driver(), moved) == Rebind::Reprobe {
            kernel::pr_debug!("reprobing queue={}\n", apqn);
            if queue.reprobe().is_err() {
                ap_bus::log_reprobe_failed(apqn);
            }
        }
    });
}
