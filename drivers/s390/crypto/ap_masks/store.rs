// SPDX-License-Identifier: GPL-2.0-only

//! The stores of `/sys/bus/ap/apmask` and `aqmask`, and the refusal report.

use crate::ap_matrix::errno::Errno;
use crate::ap_matrix::mask_parse::{parse_mask_relative_to, MAX_MASK_BITS};
use crate::ap_matrix::pool::BusMask;
use crate::in_use_check::{check_reservations, REFUSALS};
use crate::kernel_ext::{ap_bus, ap_perms};
use crate::revise::revise_bindings;

/// One write of `input` to mask `which`, in upstream's order: take `ap_perms_mutex`
/// (interruptibly), parse relative to the current mask, and if that changes the mask,
/// have every driver approve what it adds to the pool and commit. Outside the mutex,
/// rebind the queues and announce the new value. A write that changes nothing
/// succeeds without either (MSK-19); a refused one changes nothing (MSK-22).
pub(crate) fn store(which: BusMask, input: &[u8]) -> Result<(), Errno> {
    let mut guard = ap_perms::lock_interruptible()?;
    let old = guard.pool();
    let requested =
        parse_mask_relative_to(input, MAX_MASK_BITS, &old.mask(which)).map_err(|e| e.errno())?;
    if requested == old.mask(which) {
        return Ok(());
    }
    check_reservations(&mut guard, which, &old, requested)?;
    guard.set(which, &requested);
    drop(guard);

    let new = old.with(which, requested);
    revise_bindings(&old, &new);
    ap_bus::send_mask_uevent(which, &requested);
    Ok(())
}

/// `/sys/bus/ap/last_mask_refusal` into `page`: its length (0: nothing refused yet).
pub(crate) fn last_refusal(page: &mut [u8]) -> Result<usize, Errno> {
    let mut guard = ap_perms::lock_interruptible()?;
    Ok(REFUSALS
        .get(&mut guard)
        .last()
        .map_or(0, |refusal| refusal.render(page)))
}
