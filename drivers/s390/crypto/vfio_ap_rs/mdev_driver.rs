// SPDX-License-Identifier: GPL-2.0-only

//! The mdev driver `vfio_ap_mdev` and its single type `vfio_ap-passthrough`.

use kernel::c_str;
use kernel::prelude::*;

use crate::kernel_ext::device_attr::AttrDevice;
use crate::kernel_ext::mdev::{self, Mdev, MdevTypeInfo};
use crate::kernel_ext::vfio::VfioDevice;
use crate::mdev_attrs::MDEV_GROUPS;
use crate::vfio_device::PassthroughVfio;

/// Every possible APQN could have its own mdev: 256 × 256 instances.
const MAX_INSTANCES: u32 = 256 * 256;

/// The type as upstream names it (`<parent driver>-passthrough` on the matrix device).
pub(crate) static PASSTHROUGH: MdevTypeInfo = MdevTypeInfo {
    driver_name: c_str!("vfio_ap_mdev"),
    device_api: c_str!("vfio-ap"),
    sysfs_name: c_str!("passthrough"),
    pretty_name: c_str!("VFIO AP Passthrough Device"),
    max_instances: MAX_INSTANCES,
    groups: &MDEV_GROUPS,
};

/// The mdev driver's callbacks.
pub(crate) struct PassthroughMdev;

impl mdev::Driver for PassthroughMdev {
    fn probe(mdev: &Mdev) -> Result {
        let driver = crate::driver()?;
        let vfio = VfioDevice::register::<PassthroughVfio>(mdev.device())?;
        driver.add_mdev(mdev.get_device(), vfio)
    }

    fn remove(mdev: &Mdev) {
        if let Ok(driver) = crate::driver() {
            driver.remove_mdev(mdev.device());
        }
    }
}
