// SPDX-License-Identifier: GPL-2.0-only

//! The mdev core: a parent device with one type, and the driver of its mdevs.
//!
//! C header: include/linux/mdev.h

use core::marker::PhantomData;
use kernel::bindings;
use kernel::error::{from_result, to_result};
use kernel::ffi::c_int;
use kernel::prelude::*;
use kernel::str::CStr;
use kernel::types::{ARef, Opaque};

use super::device_attr::{AttrDevice, GroupList};
use super::device_ext::{Device, DeviceExt};
use super::static_bus::BusDevice;

/// A mediated device (`struct mdev_device`).
#[repr(transparent)]
pub(crate) struct Mdev(Opaque<bindings::mdev_device>);

impl Mdev {
    /// Borrows the mdev at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` points to a live `struct mdev_device` that outlives `'a`.
    unsafe fn from_raw<'a>(ptr: *mut bindings::mdev_device) -> &'a Mdev {
        // SAFETY: transparent wrapper; validity is the caller's promise.
        unsafe { &*ptr.cast::<Mdev>() }
    }

    /// A counted reference to the mdev's device, for a driver's list of mdevs.
    pub(crate) fn get_device(&self) -> ARef<Device> {
        self.device().into()
    }
}

impl AttrDevice for Mdev {
    unsafe fn from_device<'a>(dev: *mut bindings::device) -> &'a Self {
        // SAFETY: `dev` is the `dev` member of a live mdev that outlives `'a`
        // (caller's guarantee); the mdev starts `offset_of!(dev)` bytes before it.
        unsafe {
            &*dev
                .cast::<u8>()
                .sub(core::mem::offset_of!(bindings::mdev_device, dev))
                .cast::<Mdev>()
        }
    }

    /// The mdev's device (named by its UUID).
    fn device(&self) -> &Device {
        // SAFETY: the device is embedded in the live mdev.
        unsafe { Device::as_ref(&raw mut (*self.0.get()).dev) }
    }
}

/// The callbacks of an mdev driver.
pub(crate) trait Driver {
    /// An mdev was created (`create` written): set up its state.
    fn probe(mdev: &Mdev) -> Result;
    /// The mdev goes away (`remove` written, or the parent unregisters).
    fn remove(mdev: &Mdev);
}

/// What an mdev driver and its parent's single type are called.
pub(crate) struct MdevTypeInfo {
    /// The driver's name on the mdev bus.
    pub(crate) driver_name: &'static CStr,
    /// `device_api` of the type.
    pub(crate) device_api: &'static CStr,
    /// The type's directory suffix: `<parent driver>-<sysfs_name>`.
    pub(crate) sysfs_name: &'static CStr,
    /// The type's `name` attribute.
    pub(crate) pretty_name: &'static CStr,
    /// `available_instances` before any mdev exists.
    pub(crate) max_instances: u32,
    /// The attribute groups every mdev gets while bound to the driver.
    pub(crate) groups: &'static GroupList<Mdev>,
}

/// The mdev driver's `probe` callback.
///
/// # Safety
///
/// Called by the mdev core only, with a live mdev.
unsafe extern "C" fn probe<T: Driver>(mdev: *mut bindings::mdev_device) -> c_int {
    // SAFETY: the mdev core probes a live mdev.
    let mdev = unsafe { Mdev::from_raw(mdev) };
    from_result(|| T::probe(mdev).map(|()| 0))
}

/// The mdev driver's `remove` callback.
///
/// # Safety
///
/// Called by the mdev core only, with a live mdev bound to the driver.
unsafe extern "C" fn remove<T: Driver>(mdev: *mut bindings::mdev_device) {
    // SAFETY: the mdev is live during its remove callback.
    T::remove(unsafe { Mdev::from_raw(mdev) });
}

/// The C objects of a registration. The mdev core keeps using them until the last
/// mdev device is released, which can be after unregistration, so they live in the
/// parent device's allocation (see [`BusDevice`]), whose reference
/// count the core's types hold.
#[derive(Zeroable)]
pub(crate) struct MdevObjects {
    driver: Opaque<bindings::mdev_driver>,
    parent: Opaque<bindings::mdev_parent>,
    mdev_type: Opaque<bindings::mdev_type>,
    types: Opaque<[*mut bindings::mdev_type; 1]>,
}

/// A registered mdev driver and a parent device offering one type for it;
/// unregistered on drop (the core removes every mdev first).
///
/// # Invariants
///
/// `objects` lives in the allocation of `parent`, on which this object holds a
/// reference; its driver is registered with the mdev bus and its parent with
/// `parent` for the lifetime of this object.
pub(crate) struct Registration<T: Driver> {
    objects: *mut MdevObjects,
    parent: *mut bindings::device,
    _callbacks: PhantomData<T>,
}

// SAFETY: the registration is only handed to the thread-safe mdev core.
unsafe impl<T: Driver> Send for Registration<T> {}
// SAFETY: see `Send`.
unsafe impl<T: Driver> Sync for Registration<T> {}

impl<T: Driver> Registration<T> {
    /// Registers the driver, then the parent `parent` with the type `info`.
    ///
    /// `parent` must stay registered until this object is dropped.
    pub(crate) fn register(
        parent: &BusDevice<MdevObjects>,
        info: &MdevTypeInfo,
        module: &'static ThisModule,
        module_name: &'static CStr,
    ) -> Result<Self> {
        let objects = parent.extra();
        let parent_dev = parent.dev().raw();
        // SAFETY: `objects` is live while `parent` is; the reference taken here keeps
        // it alive until `drop` (or the error paths below) puts it.
        unsafe { bindings::get_device(parent_dev) };
        // SAFETY: the objects are zeroed (an all-zero value of each member is its
        // valid initial state) and not yet registered.
        let (drv, ty) = unsafe { ((*objects).driver.get(), (*objects).mdev_type.get()) };
        // SAFETY: the objects are ours, zeroed and not yet registered; the strings
        // and groups are static.
        unsafe {
            (*drv).device_api = info.device_api.as_char_ptr();
            (*drv).max_instances = info.max_instances;
            (*drv).probe = Some(probe::<T>);
            (*drv).remove = Some(remove::<T>);
            (*drv).driver.name = info.driver_name.as_char_ptr();
            (*drv).driver.owner = module.as_ptr();
            (*drv).driver.mod_name = module_name.as_char_ptr();
            (*drv).driver.dev_groups = info.groups.as_raw();
            (*ty).sysfs_name = info.sysfs_name.as_char_ptr();
            (*ty).pretty_name = info.pretty_name.as_char_ptr();
            (*(*objects).types.get())[0] = ty;
        }
        // SAFETY: the driver is initialised, at a stable address.
        if let Err(e) = to_result(unsafe { bindings::mdev_register_driver(drv) }) {
            // SAFETY: taken above.
            unsafe { bindings::put_device(parent_dev) };
            return Err(e);
        }
        // SAFETY: the parent objects are at a stable address; `parent` is a
        // registered device that outlives the registration (the caller's promise).
        let ret = to_result(unsafe {
            bindings::mdev_register_parent(
                (*objects).parent.get(),
                parent_dev,
                drv,
                (*objects).types.get().cast::<*mut bindings::mdev_type>(),
                1,
            )
        });
        if let Err(e) = ret {
            // SAFETY: registered and taken above.
            unsafe {
                bindings::mdev_unregister_driver(drv);
                bindings::put_device(parent_dev);
            }
            return Err(e);
        }
        // INVARIANT: both are registered and the parent's reference is taken.
        Ok(Self {
            objects,
            parent: parent_dev,
            _callbacks: PhantomData,
        })
    }
}

impl<T: Driver> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: both were registered in `register`; the parent goes first, which
        // removes every mdev. The objects stay allocated until the parent device's
        // last reference goes (the mdev core's types hold some).
        unsafe {
            bindings::mdev_unregister_parent((*self.objects).parent.get());
            bindings::mdev_unregister_driver((*self.objects).driver.get());
            bindings::put_device(self.parent);
        }
    }
}
