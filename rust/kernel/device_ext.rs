// SPDX-License-Identifier: GPL-2.0-only

//! What 6.12's [`Device`] lacks for a driver outside the kernel crate: its raw
//! pointer (`as_raw` is crate-private there), its name, and a comparable identity.
//!
//! C header: include/linux/device.h

use kernel::bindings;
use kernel::str::CStr;

pub(crate) use kernel::device::Device;

/// The address of a device, as a plain value that can be stored and compared (never
/// dereferenced).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct DevKey(usize);

/// Accessors [`Device`] gains here.
pub(crate) trait DeviceExt {
    /// The `struct device` pointer, for the abstractions.
    fn raw(&self) -> *mut bindings::device;

    /// The device name (`dev_name()`): for an mdev, its UUID.
    fn name(&self) -> &CStr {
        // SAFETY: the device is live for the borrow of `self`; `dev_name` returns its
        // NUL-terminated name, which lives as long as the device.
        unsafe { CStr::from_char_ptr(bindings::dev_name(self.raw())) }
    }

    /// The device's identity, usable as a key while the device is registered.
    fn key(&self) -> DevKey {
        DevKey(self.raw() as usize)
    }
}

impl DeviceExt for Device {
    fn raw(&self) -> *mut bindings::device {
        // `Device` is a transparent wrapper of `Opaque<struct device>`, itself
        // transparent over the C structure.
        (self as *const Device)
            .cast_mut()
            .cast::<bindings::device>()
    }
}
