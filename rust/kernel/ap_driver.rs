// SPDX-License-Identifier: GPL-2.0-only

//! An AP bus queue driver (`struct ap_driver`) whose callbacks are a Rust trait, in
//! the shape of upstream's `kernel::driver` registrations: a `#[vtable]` trait whose
//! optional callbacks stay unset in the C table when the driver does not implement
//! them, and a [`Registration`] that unregisters on drop.
//!
//! C header: drivers/s390/crypto/ap_bus.h

use core::marker::PhantomData;
use core::mem::MaybeUninit;
use kernel::bindings;
use kernel::error::{from_result, to_result, VTABLE_DEFAULT_ERROR};
use kernel::ffi::{c_char, c_int, c_ulong, c_void};
use kernel::prelude::*;
use kernel::str::CStr;
use kernel::types::Opaque;

use super::ap::{host_config, ApQueue};
use super::bitmap::mask_from_longs;
use crate::ap_matrix::host::HostConfig;
use crate::ap_matrix::id::Apqn;
use crate::ap_matrix::mask::MASK_WORDS;
use crate::ap_matrix::pool::DefaultPool;

/// Where a driver names the holders of queues in use: (holder's name, queue).
pub(crate) type HolderReport<'a> = &'a mut dyn FnMut(&CStr, Apqn);

/// The callbacks of a non-default AP queue driver.
#[vtable]
pub(crate) trait Driver {
    /// A queue of a matching type was handed to the driver.
    fn probe(queue: &ApQueue) -> Result;
    /// A queue leaves the driver (unbind, apmask/aqmask change, device removal).
    fn remove(queue: &ApQueue);
    /// May the APQNs of `query` (apm × aqm) go to the default drivers? The bus holds
    /// `ap_perms_mutex` and turns any error into `EBUSY`. A bus that reports refusals
    /// passes `holders`, to hear the name of every holder of a queue in use, with
    /// the queue.
    fn in_use(_query: &DefaultPool, _holders: Option<HolderReport<'_>>) -> Result {
        kernel::build_error(VTABLE_DEFAULT_ERROR)
    }
    /// The host configuration changed from `old` to `new`; the bus is about to scan.
    fn on_config_changed(_new: &HostConfig, _old: &HostConfig) {
        kernel::build_error(VTABLE_DEFAULT_ERROR)
    }
    /// The scan after a configuration change is complete.
    fn on_scan_complete(_new: &HostConfig, _old: &HostConfig) {
        kernel::build_error(VTABLE_DEFAULT_ERROR)
    }
}

/// Queue device types the driver takes: CEX4 and later (`AP_DEVICE_TYPE_CEX4..8`).
#[repr(transparent)]
struct QueueIds(Opaque<[bindings::ap_device_id; 6]>);

// SAFETY: the table is only read, by the AP bus.
unsafe impl Sync for QueueIds {}

const fn queue_id(dev_type: u32) -> bindings::ap_device_id {
    // SAFETY: an all-zero id is valid (and is the table terminator).
    let mut id: bindings::ap_device_id = unsafe { MaybeUninit::zeroed().assume_init() };
    id.match_flags = bindings::AP_DEVICE_ID_MATCH_QUEUE_TYPE as u16;
    id.dev_type = dev_type as u8;
    id
}

static CEX4_AND_LATER: QueueIds = QueueIds(Opaque::new([
    queue_id(bindings::AP_DEVICE_TYPE_CEX4),
    queue_id(bindings::AP_DEVICE_TYPE_CEX5),
    queue_id(bindings::AP_DEVICE_TYPE_CEX6),
    queue_id(bindings::AP_DEVICE_TYPE_CEX7),
    queue_id(bindings::AP_DEVICE_TYPE_CEX8),
    // SAFETY: all zero: the terminator.
    unsafe { MaybeUninit::zeroed().assume_init() },
]));

/// The bus's `probe` callback.
///
/// # Safety
///
/// Called by the AP bus only, with a live queue device of a matching type.
unsafe extern "C" fn probe<T: Driver>(apdev: *mut bindings::ap_device) -> c_int {
    // SAFETY: the driver matches queue types only, so `apdev` is a live queue.
    let queue = unsafe { ApQueue::from_ap_device(apdev) };
    from_result(|| T::probe(queue).map(|()| 0))
}

/// The bus's `remove` callback.
///
/// # Safety
///
/// Called by the AP bus only, with a live queue device bound to this driver.
unsafe extern "C" fn remove<T: Driver>(apdev: *mut bindings::ap_device) {
    // SAFETY: as in `probe`; the queue is live during its remove callback.
    T::remove(unsafe { ApQueue::from_ap_device(apdev) });
}

/// The query of an `in_use` call.
///
/// # Safety
///
/// `apm` and `aqm` are 256-bit bitmaps, readable for the call.
unsafe fn in_use_query(apm: *mut c_ulong, aqm: *mut c_ulong) -> DefaultPool {
    // SAFETY: two 256-bit bitmaps, readable for the call (caller's guarantee).
    let (apm, aqm) = unsafe {
        (
            &*apm.cast::<[c_ulong; MASK_WORDS]>(),
            &*aqm.cast::<[c_ulong; MASK_WORDS]>(),
        )
    };
    DefaultPool {
        apm: mask_from_longs(apm),
        aqm: mask_from_longs(aqm),
    }
}

/// The bus's `in_use` callback.
///
/// # Safety
///
/// Called by the AP bus only, with two readable 256-bit bitmaps.
unsafe extern "C" fn in_use<T: Driver>(apm: *mut c_ulong, aqm: *mut c_ulong) -> c_int {
    // SAFETY: the bus passes two 256-bit bitmaps, readable for the call.
    let query = unsafe { in_use_query(apm, aqm) };
    from_result(|| T::in_use(&query, None).map(|()| 0))
}

/// The C side of an `in_use_holders` call's holder callback.
type HolderFn = unsafe extern "C" fn(*mut c_void, *const c_char, c_int, c_int);

/// The bus's `in_use_holders` callback: `in_use`, naming each holder to `holder`.
///
/// # Safety
///
/// Called by the AP bus only, with two readable 256-bit bitmaps and a `holder`
/// callback that may be called with `ctx` and a NUL-terminated name for the call.
unsafe extern "C" fn in_use_holders<T: Driver>(
    apm: *mut c_ulong,
    aqm: *mut c_ulong,
    holder: Option<HolderFn>,
    ctx: *mut c_void,
) -> c_int {
    // SAFETY: the bus passes two 256-bit bitmaps, readable for the call.
    let query = unsafe { in_use_query(apm, aqm) };
    let mut report = |name: &CStr, apqn: Apqn| {
        if let Some(holder) = holder {
            // SAFETY: the bus's callback, called with its `ctx` during the call and a
            // NUL-terminated name that lives across it.
            unsafe {
                holder(
                    ctx,
                    name.as_char_ptr(),
                    apqn.apid.0.into(),
                    apqn.apqi.0.into(),
                )
            };
        }
    };
    from_result(|| T::in_use(&query, Some(&mut report)).map(|()| 0))
}

/// Reads the two QCI blocks of a configuration callback.
///
/// # Safety
///
/// Each pointer is null or a live QCI block for the call.
unsafe fn configs(
    new: *mut bindings::ap_config_info,
    old: *mut bindings::ap_config_info,
) -> Option<(HostConfig, HostConfig)> {
    // SAFETY: per the function's contract.
    let (new, old) = unsafe { (new.as_ref()?, old.as_ref()?) };
    Some((host_config(new), host_config(old)))
}

/// The bus's `on_config_changed` callback.
///
/// # Safety
///
/// Called by the AP bus only, with live QCI blocks or null.
unsafe extern "C" fn on_config_changed<T: Driver>(
    new: *mut bindings::ap_config_info,
    old: *mut bindings::ap_config_info,
) {
    // SAFETY: the bus passes its current and previous QCI blocks, or null.
    if let Some((new, old)) = unsafe { configs(new, old) } {
        T::on_config_changed(&new, &old);
    }
}

/// The bus's `on_scan_complete` callback.
///
/// # Safety
///
/// Called by the AP bus only, with live QCI blocks or null.
unsafe extern "C" fn on_scan_complete<T: Driver>(
    new: *mut bindings::ap_config_info,
    old: *mut bindings::ap_config_info,
) {
    // SAFETY: as in `on_config_changed`.
    if let Some((new, old)) = unsafe { configs(new, old) } {
        T::on_scan_complete(&new, &old);
    }
}

/// A registered AP queue driver; unregistered (every bound queue removed) on drop.
///
/// # Invariants
///
/// `drv` is registered with the AP bus for the lifetime of this object.
pub(crate) struct Registration<T: Driver> {
    drv: KBox<Opaque<bindings::ap_driver>>,
    _callbacks: PhantomData<T>,
}

// SAFETY: the registration is only handed to the thread-safe AP bus.
unsafe impl<T: Driver> Send for Registration<T> {}
// SAFETY: see `Send`.
unsafe impl<T: Driver> Sync for Registration<T> {}

impl<T: Driver> Registration<T> {
    /// Registers the driver `name` (no default-driver flag) for CEX4 and later queues;
    /// the bus probes the queues outside the default pool at once.
    pub(crate) fn register(name: &'static CStr, module: &'static ThisModule) -> Result<Self> {
        // SAFETY: an all-zero `ap_driver` is a valid, empty one.
        let mut raw: bindings::ap_driver = unsafe { MaybeUninit::zeroed().assume_init() };
        raw.ids = CEX4_AND_LATER.0.get().cast::<bindings::ap_device_id>();
        raw.flags = 0;
        raw.probe = Some(probe::<T>);
        raw.remove = Some(remove::<T>);
        if T::HAS_IN_USE {
            raw.in_use = Some(in_use::<T>);
            raw.in_use_holders = Some(in_use_holders::<T>);
        }
        if T::HAS_ON_CONFIG_CHANGED {
            raw.on_config_changed = Some(on_config_changed::<T>);
        }
        if T::HAS_ON_SCAN_COMPLETE {
            raw.on_scan_complete = Some(on_scan_complete::<T>);
        }
        let drv = KBox::new(Opaque::new(raw), GFP_KERNEL)?;
        // SAFETY: `drv` is boxed (a stable address) and lives until `drop`
        // unregisters it; `name` is static.
        to_result(unsafe {
            bindings::ap_driver_register(drv.get(), module.as_ptr(), name.as_char_ptr().cast_mut())
        })?;
        // INVARIANT: registered just above; `drop` unregisters it.
        Ok(Self {
            drv,
            _callbacks: PhantomData,
        })
    }
}

impl<T: Driver> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: registered in `register`.
        unsafe { bindings::ap_driver_unregister(self.drv.get()) };
    }
}
