// SPDX-License-Identifier: GPL-2.0-only

//! The AP bus's queue devices as the mask code walks them (`ap_masks_for_each_device`
//! and `ap_masks_queue_id` of `ap_masks.h`): APQN, bound driver, reprobe.

use kernel::bindings;
use kernel::ffi::{c_int, c_void};

use crate::ap_matrix::id::Apqn;
use crate::ap_matrix::rebind::BoundDriver;

/// An AP queue device, during a walk over the bus's devices.
///
/// # Invariants
///
/// `dev` is a live AP queue device for the lifetime of the value (the walk holds a
/// reference), and `qid` its queue id.
pub(crate) struct QueueDevice {
    dev: *mut bindings::device,
    qid: u16,
}

impl QueueDevice {
    /// The queue's APQN.
    pub(crate) fn apqn(&self) -> Apqn {
        Apqn::from_qid(self.qid)
    }

    /// The kind of driver the queue is bound to, if any. Read without the device lock,
    /// as upstream does: a binding that changes meanwhile is revised by its own path.
    pub(crate) fn bound_driver(&self) -> Option<BoundDriver> {
        // SAFETY: `dev` is live (type invariant); the field is read once.
        let drv = unsafe { (&raw const (*self.dev).driver).read_volatile() };
        if drv.is_null() {
            return None;
        }
        // SAFETY: a bound AP queue's driver is the `driver` member of a live `struct
        // ap_driver` (it stays registered while bound).
        let flags = unsafe {
            (*drv
                .cast::<u8>()
                .sub(core::mem::offset_of!(bindings::ap_driver, driver))
                .cast::<bindings::ap_driver>())
            .flags
        };
        Some(if flags & bindings::AP_DRIVER_FLAG_DEFAULT != 0 {
            BoundDriver::Default
        } else {
            BoundDriver::NonDefault
        })
    }

    /// Detaches the queue from its driver, if any, and lets the bus probe it again.
    pub(crate) fn reprobe(&self) -> Result<(), c_int> {
        // SAFETY: `dev` is live (type invariant) and no lock of ours is held.
        match unsafe { bindings::device_reprobe(self.dev) } {
            0 => Ok(()),
            rc => Err(rc),
        }
    }
}

/// The walk's callback for `ap_masks_for_each_device`.
///
/// # Safety
///
/// `data` is the `&mut dyn FnMut` of `for_each_queue`, live; `dev` a device of the AP
/// bus, live for the call.
unsafe extern "C" fn visit_device(dev: *mut bindings::device, data: *mut c_void) -> c_int {
    // SAFETY: the closure of `for_each_queue`, live for the walk (caller's guarantee).
    let visit = unsafe { &mut *data.cast::<&mut dyn FnMut(&QueueDevice)>() };
    // SAFETY: `dev` is a live device of the AP bus (caller's guarantee).
    let qid = unsafe { bindings::ap_masks_queue_id(dev) };
    if let Ok(qid) = u16::try_from(qid) {
        // The invariant holds: `dev` is a live queue device with this qid.
        visit(&QueueDevice { dev, qid });
    }
    0
}

/// Calls `visit` for every AP queue device.
pub(crate) fn for_each_queue(mut visit: impl FnMut(&QueueDevice)) {
    let mut visit: &mut dyn FnMut(&QueueDevice) = &mut visit;
    // SAFETY: `visit_device` gets `data` = `&mut visit`, live for the walk.
    unsafe {
        bindings::ap_masks_for_each_device((&raw mut visit).cast::<c_void>(), Some(visit_device))
    };
}

/// Notes a failed reprobe of `apqn` in the bus's debug area.
pub(crate) fn log_reprobe_failed(apqn: Apqn) {
    // SAFETY: a plain call; the bus's debug area exists once the bus is up.
    unsafe { bindings::ap_masks_log_reprobe_failed(apqn.apid.0.into(), apqn.apqi.0.into()) };
}
