// SPDX-License-Identifier: GPL-2.0-only

//! The AP bus as its mask code sees it: the walks over its drivers and queue devices,
//! a queue's reprobe, the mask uevent and the bus's debug area.
//!
//! C header: drivers/s390/crypto/ap_masks.h (the bus's static objects, reached
//! through the functions `ap_bus.c` offers the Rust mask code).

use core::ops::ControlFlow;

use kernel::bindings;
use kernel::ffi::{c_char, c_int, c_void};
use kernel::str::CStr;

use super::bitmap::longs_from_mask;
use crate::ap_matrix::format::Sink;
use crate::ap_matrix::id::Apqn;
use crate::ap_matrix::mask::Mask;
use crate::ap_matrix::pool::{BusMask, DefaultPool};
use crate::ap_matrix::rebind::BoundDriver;

// ---- drivers ----

/// An AP driver, during a walk over the bus's drivers.
///
/// # Invariants
///
/// `drv` is a registered AP driver (a `struct ap_driver`), live for `'a`.
pub(crate) struct ApDriverRef<'a> {
    drv: &'a bindings::ap_driver,
}

/// A reference on a driver's module, dropped with the value.
///
/// # Invariants
///
/// `owner` (null for built-in drivers) was pinned with `try_module_get`.
pub(crate) struct ModulePin {
    owner: *mut bindings::module,
}

impl Drop for ModulePin {
    fn drop(&mut self) {
        // SAFETY: pinned in `pin_module` (type invariant); `module_put` accepts null.
        unsafe { bindings::module_put(self.owner) };
    }
}

/// Why the holder callback's context is a `&mut dyn FnMut`: C gets one thin pointer.
type HolderVisit<'b> = &'b mut dyn FnMut(&[u8], Apqn);

/// The `holder` callback given to a driver's `in_use_holders`.
///
/// # Safety
///
/// `ctx` is the `HolderVisit` pointer `ApDriverRef::in_use` passed, still live; `name`
/// is null or a NUL-terminated string valid for the call.
unsafe extern "C" fn report_holder(
    ctx: *mut c_void,
    name: *const c_char,
    card: c_int,
    queue: c_int,
) {
    // SAFETY: `ctx` points to the live `HolderVisit` of the call (caller's guarantee).
    let sink = unsafe { &mut *ctx.cast::<HolderVisit<'_>>() };
    let name = if name.is_null() {
        &[][..]
    } else {
        // SAFETY: NUL-terminated and valid for the call (caller's guarantee).
        unsafe { CStr::from_char_ptr(name) }.as_bytes()
    };
    if let (Ok(apid), Ok(apqi)) = (u8::try_from(card), u8::try_from(queue)) {
        sink(name, Apqn::new(apid, apqi));
    }
}

impl ApDriverRef<'_> {
    /// The driver's name (`/sys/bus/ap/drivers/<name>`).
    pub(crate) fn name(&self) -> &[u8] {
        let name = self.drv.driver.name;
        if name.is_null() {
            return b"";
        }
        // SAFETY: a registered driver's name is a NUL-terminated string that lives as
        // long as the driver (type invariant).
        unsafe { CStr::from_char_ptr(name) }.as_bytes()
    }

    /// Pins the driver's module, or `None` if it is going away.
    pub(crate) fn pin_module(&self) -> Option<ModulePin> {
        let owner = self.drv.driver.owner;
        // SAFETY: `owner` is the registered driver's module or null (built in); both
        // are valid arguments.
        if unsafe { bindings::try_module_get(owner) } {
            // INVARIANT: the module is pinned. (Built only now: a pin
            // made and dropped on failure would put a reference never taken.)
            Some(ModulePin { owner })
        } else {
            None
        }
    }

    /// The driver's answer to "may `query` (apm × aqm) go to the default drivers?":
    /// `None` without an `in_use` callback, else its return value. `holder` hears of
    /// every (holder, APQN) a driver with `in_use_holders` names. Called under
    /// `ap_perms_mutex`, with the module pinned.
    pub(crate) fn in_use(
        &self,
        _pin: &ModulePin,
        query: &DefaultPool,
        mut holder: HolderVisit<'_>,
    ) -> Option<c_int> {
        // The driver gets copies: it may not change the bus's masks.
        let mut apm = longs_from_mask(&query.apm);
        let mut aqm = longs_from_mask(&query.aqm);
        if let Some(in_use_holders) = self.drv.in_use_holders {
            let ctx = (&raw mut holder).cast::<c_void>();
            // SAFETY: the module is pinned, so the callback's code stays; both bitmaps
            // are 256-bit and live for the call; `report_holder` gets `ctx`, which
            // points to `holder`, live for the call.
            Some(unsafe {
                in_use_holders(apm.as_mut_ptr(), aqm.as_mut_ptr(), Some(report_holder), ctx)
            })
        } else {
            let in_use = self.drv.in_use?;
            // SAFETY: as above, without the holder callback.
            Some(unsafe { in_use(apm.as_mut_ptr(), aqm.as_mut_ptr()) })
        }
    }
}

/// The walk's callback for `ap_masks_for_each_driver`.
///
/// # Safety
///
/// `data` is the `&mut dyn FnMut` of `for_each_driver`, live; `drv` a registered AP
/// driver, live for the call.
unsafe extern "C" fn visit_driver(drv: *mut bindings::device_driver, data: *mut c_void) -> c_int {
    // SAFETY: the closure of `for_each_driver`, live for the walk (caller's guarantee).
    let visit = unsafe { &mut *data.cast::<&mut dyn FnMut(&ApDriverRef<'_>) -> ControlFlow<()>>() };
    // SAFETY: every driver of the AP bus is the `driver` member of a `struct
    // ap_driver` (`ap_driver_register`), live for the call (caller's guarantee).
    let drv = unsafe {
        &*drv
            .cast::<u8>()
            .sub(core::mem::offset_of!(bindings::ap_driver, driver))
            .cast::<bindings::ap_driver>()
    };
    // INVARIANT: `drv` is a registered AP driver, live for the call.
    match visit(&ApDriverRef { drv }) {
        ControlFlow::Continue(()) => 0,
        ControlFlow::Break(()) => 1,
    }
}

/// Calls `visit` for every AP driver, in the bus's order, until it breaks.
pub(crate) fn for_each_driver(mut visit: impl FnMut(&ApDriverRef<'_>) -> ControlFlow<()>) {
    let mut visit: &mut dyn FnMut(&ApDriverRef<'_>) -> ControlFlow<()> = &mut visit;
    // SAFETY: `visit_driver` gets `data` = `&mut visit`, live for the walk.
    unsafe {
        bindings::ap_masks_for_each_driver((&raw mut visit).cast::<c_void>(), Some(visit_driver))
    };
}

// ---- queue devices ----

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

    /// The kind of driver the queue is bound to, if any, read under the device lock:
    /// a driver stays registered while it is bound to a device whose lock is held
    /// (unbinding takes that lock), so its flags cannot be freed under us. (Upstream
    /// reads both without the lock, which races with the driver's module unload.) A
    /// binding that changes right after is revised by its own path. Takes the device
    /// lock: the caller holds no lock a probe or remove takes (`ap_perms_mutex`).
    pub(crate) fn bound_driver(&self) -> Option<BoundDriver> {
        // SAFETY: `dev` is live (type invariant); its `mutex` is the device lock,
        // initialised when the device was.
        unsafe { bindings::mutex_lock(&raw mut (*self.dev).mutex) };
        // SAFETY: `dev` is live and its lock is held, so `driver` is stable.
        let drv = unsafe { (*self.dev).driver };
        let kind = (!drv.is_null()).then(|| {
            // SAFETY: a bound AP queue's driver is the `driver` member of a `struct
            // ap_driver`, which stays registered while the device lock is held.
            let flags = unsafe {
                (*drv
                    .cast::<u8>()
                    .sub(core::mem::offset_of!(bindings::ap_driver, driver))
                    .cast::<bindings::ap_driver>())
                .flags
            };
            if flags & bindings::AP_DRIVER_FLAG_DEFAULT != 0 {
                BoundDriver::Default
            } else {
                BoundDriver::NonDefault
            }
        });
        // SAFETY: taken above, by this thread.
        unsafe { bindings::mutex_unlock(&raw mut (*self.dev).mutex) };
        kind
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
        // INVARIANT: `dev` is a live queue device with this qid, referenced by the
        // walk for the call.
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

// ---- the mask uevent ----

/// Announces the new value of mask `which` with a KOBJ_CHANGE uevent on the AP root
/// device: the one variable `APMASK=0x<64 hex>` or `AQMASK=...`, ending in a newline
/// as upstream's does (MSK-20).
pub(crate) fn send_mask_uevent(which: BusMask, mask: &Mask) {
    let mut text = [0u8; 100];
    // The last byte stays zero: the NUL.
    let mut sink = Sink::new(text.get_mut(..99).unwrap_or(&mut []));
    if !sink.line(format_args!("{}={}\n", which.uevent_name(), mask)) {
        return;
    }
    // SAFETY: `text` is NUL-terminated (zeroed, and the sink never writes its last
    // byte) and lives for the call, which only reads it.
    unsafe { bindings::ap_masks_send_uevent(text.as_mut_ptr().cast::<c_char>()) };
}
