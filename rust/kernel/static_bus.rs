// SPDX-License-Identifier: GPL-2.0-only

//! Driver-core registrations for a device of a driver's own: a root device, a bus
//! without `match`, one driver and one device on it (vfio_ap's matrix device).
//!
//! C header: include/linux/device.h, include/linux/device/bus.h

use core::mem::MaybeUninit;
use kernel::bindings;
use kernel::c_str;
use kernel::error::{from_err_ptr, to_result};
use kernel::init::Zeroable;
use kernel::prelude::*;
use kernel::str::CStr;
use kernel::types::Opaque;

use super::device_attr::GroupList;
use super::device_ext::Device;

/// A bus type without `match`, so its one driver binds every device on it.
///
/// # Invariants
///
/// Registered from [`StaticBus::register`] until the returned guard is dropped.
#[repr(transparent)]
pub(crate) struct StaticBus(Opaque<bindings::bus_type>);

// SAFETY: the bus type is only handed to the driver core, which serialises access.
unsafe impl Sync for StaticBus {}

impl StaticBus {
    /// A bus named `name`.
    pub(crate) const fn new(name: &'static CStr) -> Self {
        // SAFETY: an all-zero `bus_type` is a valid, empty one.
        let mut bus: bindings::bus_type = unsafe { MaybeUninit::zeroed().assume_init() };
        bus.name = name.as_char_ptr();
        Self(Opaque::new(bus))
    }

    const fn as_raw(&self) -> *mut bindings::bus_type {
        self.0.get()
    }
}

/// A root device (`/sys/devices/<name>`), unregistered on drop.
pub(crate) struct RootDevice(*mut bindings::device);

// SAFETY: the device is owned by this handle and only passed to thread-safe driver-core
// calls.
unsafe impl Send for RootDevice {}
// SAFETY: see `Send`.
unsafe impl Sync for RootDevice {}

impl RootDevice {
    /// `root_device_register(name)`; `EEXIST` if a device of that name exists.
    pub(crate) fn register(name: &'static CStr, module: &'static ThisModule) -> Result<Self> {
        // SAFETY: `name` is NUL-terminated and static; `module` is this module.
        let dev = from_err_ptr(unsafe {
            bindings::__root_device_register(name.as_char_ptr(), module.as_ptr())
        })?;
        Ok(Self(dev))
    }
}

impl Drop for RootDevice {
    fn drop(&mut self) {
        // SAFETY: registered in `register` and not yet unregistered.
        unsafe { bindings::root_device_unregister(self.0) };
    }
}

/// The registration of a [`StaticBus`].
pub(crate) struct BusRegistration(&'static StaticBus);

impl BusRegistration {
    /// `bus_register()`.
    pub(crate) fn register(bus: &'static StaticBus) -> Result<Self> {
        // SAFETY: `bus` is a static, initialised bus type.
        to_result(unsafe { bindings::bus_register(bus.as_raw()) })?;
        Ok(Self(bus))
    }
}

impl Drop for BusRegistration {
    fn drop(&mut self) {
        // SAFETY: registered in `register`.
        unsafe { bindings::bus_unregister(self.0.as_raw()) };
    }
}

/// A driver on a [`StaticBus`] with attribute groups for its devices.
#[repr(transparent)]
pub(crate) struct StaticDriver(Opaque<bindings::device_driver>);

// SAFETY: only handed to the driver core, which serialises access.
unsafe impl Sync for StaticDriver {}

impl StaticDriver {
    /// A driver named `name` on `bus` whose bound devices get `groups`; no manual
    /// bind/unbind attributes.
    pub(crate) const fn new(
        name: &'static CStr,
        bus: &'static StaticBus,
        groups: &'static GroupList<Device>,
    ) -> Self {
        // SAFETY: an all-zero `device_driver` is a valid, empty one.
        let mut drv: bindings::device_driver = unsafe { MaybeUninit::zeroed().assume_init() };
        drv.name = name.as_char_ptr();
        drv.bus = bus.as_raw().cast_const();
        drv.suppress_bind_attrs = true;
        drv.dev_groups = groups.as_raw();
        Self(Opaque::new(drv))
    }
}

/// The registration of a [`StaticDriver`].
pub(crate) struct DriverRegistration(&'static StaticDriver);

impl DriverRegistration {
    /// `driver_register()`.
    pub(crate) fn register(drv: &'static StaticDriver) -> Result<Self> {
        // SAFETY: `drv` is a static, initialised driver whose bus is registered.
        to_result(unsafe { bindings::driver_register(drv.0.get()) })?;
        Ok(Self(drv))
    }
}

impl Drop for DriverRegistration {
    fn drop(&mut self) {
        // SAFETY: registered in `register`.
        unsafe { bindings::driver_unregister(self.0 .0.get()) };
    }
}

/// A device on a [`StaticBus`], child of a [`RootDevice`], allocated together with
/// `extra`: C objects that other subsystems may still use after we unregister them
/// (the mdev core's parent and types), so they must live as long as the device's
/// last reference. Both are freed by the release callback.
///
/// # Invariants
///
/// `alloc` is a registered device allocated by [`BusDevice::register`].
pub(crate) struct BusDevice<T> {
    alloc: *mut DeviceWith<T>,
}

/// The allocation of a [`BusDevice`]: the device first, so a `struct device`
/// pointer is a pointer to the whole.
#[repr(C)]
pub(crate) struct DeviceWith<T> {
    device: bindings::device,
    extra: T,
}

// SAFETY: the device is only used through thread-safe driver-core calls, and `extra`
// only by the C subsystems that serialise their own access.
unsafe impl<T> Send for BusDevice<T> {}
// SAFETY: see `Send`.
unsafe impl<T> Sync for BusDevice<T> {}

/// The release callback of a [`BusDevice`].
///
/// # Safety
///
/// Called by the driver core only, when the last reference to a device allocated
/// by [`BusDevice::register`] with this `T` is dropped.
unsafe extern "C" fn bus_device_release<T>(dev: *mut bindings::device) {
    // SAFETY: every device with this release callback is the first member of a
    // `KBox<DeviceWith<T>>` allocated in `BusDevice::register`; this is its last
    // reference, and nothing uses `extra` any more either.
    drop(unsafe { KBox::from_raw(dev.cast::<DeviceWith<T>>()) });
}

impl<T: Zeroable> BusDevice<T> {
    /// Allocates and registers the device `name` on `bus` under `parent`, with a
    /// zeroed `extra`.
    pub(crate) fn register(
        name: &'static CStr,
        parent: &RootDevice,
        bus: &'static StaticBus,
    ) -> Result<Self> {
        let boxed = KBox::<DeviceWith<T>>::new_uninit(GFP_KERNEL | __GFP_ZERO)?;
        // SAFETY: the allocation is zeroed; an all-zero `struct device` is the state
        // `device_initialize` expects, and an all-zero `T` is valid (`Zeroable`).
        let alloc = KBox::into_raw(unsafe { boxed.assume_init() });
        // SAFETY: `alloc` is valid; its first member is the device.
        let dev = unsafe { &raw mut (*alloc).device };
        // SAFETY: `dev` is a valid, zeroed device; from `device_initialize` on the
        // allocation is owned by its reference count, freed in `bus_device_release`.
        unsafe {
            bindings::device_initialize(dev);
            (*dev).parent = parent.0;
            (*dev).bus = bus.as_raw().cast_const();
            (*dev).release = Some(bus_device_release::<T>);
        }
        // SAFETY: `dev` is initialised; the format takes one string argument.
        let ret =
            unsafe { bindings::dev_set_name(dev, c_str!("%s").as_char_ptr(), name.as_char_ptr()) };
        // SAFETY: as above; `device_add` registers it.
        let ret = to_result(ret).and_then(|()| to_result(unsafe { bindings::device_add(dev) }));
        if let Err(e) = ret {
            // SAFETY: drops the initial reference; the release callback frees it.
            unsafe { bindings::put_device(dev) };
            return Err(e);
        }
        // INVARIANT: allocated and registered above.
        Ok(Self { alloc })
    }

    /// The device.
    pub(crate) fn dev(&self) -> &Device {
        // SAFETY: registered and referenced until `drop`.
        unsafe { Device::as_ref(&raw mut (*self.alloc).device) }
    }

    /// The objects allocated with the device: valid as long as a reference to the
    /// device is held (see [`BusDevice::dev`] and `get_device`).
    pub(crate) fn extra(&self) -> *mut T {
        // SAFETY: the allocation is live while we hold our reference.
        unsafe { &raw mut (*self.alloc).extra }
    }
}

impl<T> Drop for BusDevice<T> {
    fn drop(&mut self) {
        // SAFETY: registered in `register`; this drops our reference too.
        unsafe { bindings::device_unregister(&raw mut (*self.alloc).device) };
    }
}
