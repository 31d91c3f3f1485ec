// SPDX-License-Identifier: GPL-2.0-only

//! The VFIO device of an mdev, on the emulated IOMMU (`/dev/vfio/<group>`, the
//! mdev's `vfio-dev/` and `iommu_group`).
//!
//! Opening it is refused with `EOPNOTSUPP` until attaching guests is implemented.
//!
//! C header: include/linux/vfio.h

use core::mem::MaybeUninit;
use kernel::bindings;
use kernel::error::{from_err_ptr, to_result};
use kernel::prelude::*;
use kernel::types::Opaque;

use super::device_ext::{Device, DeviceExt};

/// # Safety
///
/// Called by the VFIO core only, with a registered device.
unsafe extern "C" fn open_device(_vdev: *mut bindings::vfio_device) -> kernel::ffi::c_int {
    -(bindings::EOPNOTSUPP as kernel::ffi::c_int)
}

#[repr(transparent)]
struct Ops(Opaque<bindings::vfio_device_ops>);

// SAFETY: the table is only read, by the VFIO core.
unsafe impl Sync for Ops {}

static OPS: Ops = {
    // SAFETY: an all-zero ops table is valid: every callback is optional.
    let mut ops: bindings::vfio_device_ops = unsafe { MaybeUninit::zeroed().assume_init() };
    ops.open_device = Some(open_device);
    Ops(Opaque::new(ops))
};

/// A registered VFIO device; unregistered and released on drop.
///
/// # Invariants
///
/// `vdev` was allocated by `_vfio_alloc_device` and is registered.
pub(crate) struct VfioDevice {
    vdev: *mut bindings::vfio_device,
}

// SAFETY: the device is only used through thread-safe VFIO core calls.
unsafe impl Send for VfioDevice {}

impl VfioDevice {
    /// Allocates a VFIO device for `parent` and registers it on the emulated IOMMU.
    pub(crate) fn register(parent: &Device) -> Result<Self> {
        // SAFETY: `parent` is a live device; the ops table is static.
        let vdev = from_err_ptr(unsafe {
            bindings::_vfio_alloc_device(
                core::mem::size_of::<bindings::vfio_device>(),
                parent.raw(),
                OPS.0.get().cast_const(),
            )
        })?;
        // SAFETY: `vdev` is an initialised, unregistered VFIO device.
        if let Err(e) = to_result(unsafe { bindings::vfio_register_emulated_iommu_dev(vdev) }) {
            // SAFETY: drops the allocation's reference; the core frees the device.
            unsafe { bindings::put_device(&raw mut (*vdev).device) };
            return Err(e);
        }
        // INVARIANT: allocated by `_vfio_alloc_device` and registered above.
        Ok(Self { vdev })
    }
}

impl Drop for VfioDevice {
    fn drop(&mut self) {
        // SAFETY: registered in `register`; unregistering waits for users to close
        // it, then our reference is dropped and the core frees it.
        unsafe {
            bindings::vfio_unregister_group_dev(self.vdev);
            bindings::put_device(&raw mut (*self.vdev).device);
        }
    }
}
