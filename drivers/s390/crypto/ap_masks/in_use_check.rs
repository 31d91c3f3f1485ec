// SPDX-License-Identifier: GPL-2.0-only

//! Asking the AP drivers whether the APQNs a mask write adds to the default pool may
//! leave them (`in_use`), and recording who said no.

use core::ops::ControlFlow;

use crate::ap_matrix::errno::Errno;
use crate::ap_matrix::mask::Mask;
use crate::ap_matrix::pool::{BusMask, DefaultPool};
use crate::ap_matrix::refusal::{Entry, Name, Refusal, RefusalLog};
use crate::ap_matrix::reservation::{bus_verdict, DriverAnswer};
use crate::kernel_ext::ap_bus::{self, ApDriverRef};
use crate::kernel_ext::ap_perms::{PermsGuard, PermsLocked};

/// The last refused write and the record of the write being checked.
pub(crate) static REFUSALS: PermsLocked<RefusalLog> = PermsLocked::new(RefusalLog::new());

/// Whether a write to `which` asking for `requested` may commit, the pool being `old`:
/// every AP driver in turn gets the APQNs it adds (the walk stops at the first
/// objection, which becomes `EBUSY`; MSK-27, MSK-28). A refusal becomes the last one
/// `/sys/bus/ap/last_mask_refusal` shows. Called under `ap_perms_mutex`, as upstream
/// calls `in_use`.
pub(crate) fn check_reservations(
    guard: &mut PermsGuard,
    which: BusMask,
    old: &DefaultPool,
    requested: Mask,
) -> Result<(), Errno> {
    let Some(query) = old.reservation_query(which, requested) else {
        return Ok(());
    };
    let log = REFUSALS.get(guard);
    let record = log.begin(which, requested);
    let mut verdict = Ok(());
    ap_bus::for_each_driver(|driver| {
        let (answer, _) = bus_verdict([ask(driver, &query, record)]);
        match answer {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                verdict = Err(e);
                ControlFlow::Break(())
            }
        }
    });
    if verdict.is_err() {
        log.refused();
    }
    verdict
}

/// One driver's answer, its holders added to `record` if it objects.
fn ask(driver: &ApDriverRef<'_>, query: &DefaultPool, record: &mut Refusal) -> DriverAnswer {
    // A driver whose module is going away is not asked (MSK-27).
    let Some(pin) = driver.pin_module() else {
        return DriverAnswer::NotPinned;
    };
    let name = Name::new(driver.name());
    let mark = record.mark();
    let rc = driver.in_use(&pin, query, &mut |holder, apqn| {
        record.push(Entry::Held {
            driver: name,
            holder: Name::new(holder),
            apqn,
        })
    });
    match rc {
        None => DriverAnswer::NoCallback,
        Some(0) => {
            // Holders named without objecting are not part of a refusal.
            record.rewind(mark);
            DriverAnswer::InUse(0)
        }
        Some(rc) => {
            if !record.names_driver(&name) {
                record.push(Entry::Refused { driver: name });
            }
            DriverAnswer::InUse(rc)
        }
    }
}
