// SPDX-License-Identifier: GPL-2.0-only

//! The AP bus's drivers as the mask code walks them (`ap_masks_for_each_driver` of
//! `ap_masks.h`): name, module pin, `in_use`.

use core::ops::ControlFlow;

use kernel::bindings;
use kernel::ffi::{c_char, c_int, c_ulong, c_void};
use kernel::str::CStr;

use crate::ap_matrix::id::Apqn;
use crate::ap_matrix::pool::DefaultPool;

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
type HolderSink<'b> = &'b mut dyn FnMut(&[u8], Apqn);

/// The `holder` callback given to a driver's `in_use_holders`.
///
/// # Safety
///
/// `ctx` is the `HolderSink` pointer `ApDriverRef::in_use` passed, still live; `name`
/// is null or a NUL-terminated string valid for the call.
unsafe extern "C" fn report_holder(
    ctx: *mut c_void,
    name: *const c_char,
    card: c_int,
    queue: c_int,
) {
    // SAFETY: `ctx` points to the live `HolderSink` of the call (caller's guarantee).
    let sink = unsafe { &mut *ctx.cast::<HolderSink<'_>>() };
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
            // The invariant holds: the module is pinned. (Built only now: a pin
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
        mut holder: HolderSink<'_>,
    ) -> Option<c_int> {
        // The driver gets copies: it may not change the bus's masks.
        let mut apm = query.apm.words().map(|w| w as c_ulong);
        let mut aqm = query.aqm.words().map(|w| w as c_ulong);
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
