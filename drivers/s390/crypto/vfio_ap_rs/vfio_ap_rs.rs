// SPDX-License-Identifier: GPL-2.0-only

//! `vfio_ap_rs`: s390 AP queue pass-through to KVM guests through VFIO mediated
//! devices, with the sysfs ABI of the upstream `vfio_ap` driver.
//!
//! The decisions (masks, matrices, shadow APCB, reservations, queue reset) live in
//! the host-tested `ap_matrix` core, compiled into this module unchanged; `state`
//! strings them together under the driver's locks; the kernel interfaces come from
//! the abstraction layer in `rust/kernel/` (`kernel_ext`), the only place with
//! `unsafe` code. Documentation/vfio_ap_rs.rst describes the design and the locking.

use kernel::c_str;
use kernel::prelude::*;

#[allow(dead_code, unused_attributes, unreachable_pub)]
#[path = "../ap_matrix/src/lib.rs"]
mod ap_matrix;

/// The kernel abstractions 6.12's `kernel` crate lacks, from the repository's
/// `rust/kernel/` (one file per C interface, shared with `ap_masks`). Each crate lists
/// the files it uses; moving to a kernel crate that has them is an import change.
#[path = "../../../../rust/kernel"]
#[allow(dead_code)] // Each crate uses a part of each file.
mod kernel_ext {
    pub(crate) mod ap;
    pub(crate) mod ap_driver;
    pub(crate) mod ap_perms;
    pub(crate) mod bitmap;
    pub(crate) mod delay;
    pub(crate) mod dev_print;
    pub(crate) mod device_attr;
    pub(crate) mod device_ext;
    pub(crate) mod global;
    pub(crate) mod kvec_ext;
    pub(crate) mod kvm;
    pub(crate) mod mdev;
    pub(crate) mod s390_dbf;
    pub(crate) mod static_bus;
    pub(crate) mod vfio;
}

mod bound_queues;
mod guest;
mod matrix_dev;
mod mdev_attrs;
mod mdev_driver;
mod queue_driver;
mod reset;
mod state;
mod vfio_device;

use kernel_ext::global::{Global, Published};
use kernel_ext::s390_dbf::DebugArea;
use kernel_ext::{ap_driver, mdev};
use state::DriverState;

module! {
    type: VfioApRs,
    name: "vfio_ap_rs",
    author: "vfio-ap-rs developers",
    description: "VFIO AP pass-through (Rust)",
    license: "GPL",
}

/// The driver state every callback reaches.
static DRIVER: Global<DriverState> = Global::new();

/// The driver state, while the module is loaded.
fn driver() -> Result<&'static DriverState> {
    DRIVER.get().ok_or(ENODEV)
}

/// Upstream's s390 debug area, where the guest interrupt paths log.
static DEBUG_AREA: Global<DebugArea> = Global::new();

/// The debug area, while the module is loaded.
fn debug_area() -> Result<&'static DebugArea> {
    DEBUG_AREA.get().ok_or(ENODEV)
}

struct VfioApRs {
    _mdevs: mdev::Registration<mdev_driver::PassthroughMdev>,
    _matrix: matrix_dev::MatrixDevice,
    _queues: ap_driver::Registration<queue_driver::QueueDriver>,
    _dbf: Published<DebugArea>,
    /// Last: the state goes after every registration that can call back.
    _driver: Published<DriverState>,
}

impl kernel::Module for VfioApRs {
    fn init(module: &'static ThisModule) -> Result<Self> {
        // Nothing to pass through without AP instructions.
        if !kernel_ext::ap::instructions_available() {
            return Err(ENODEV);
        }
        let host = kernel_ext::ap::query_config()?;
        let published = DRIVER.publish(KBox::pin_init(DriverState::new(host)?, GFP_KERNEL)?)?;
        // The queue driver goes first: its name clashes with the C vfio_ap's, and the
        // AP bus refuses a second `vfio_ap` cleanly, before anything else is created.
        let queues =
            ap_driver::Registration::register(queue_driver::NAME, module).inspect_err(|e| {
                if *e == EBUSY {
                    pr_err!(
                        "an AP driver named vfio_ap is registered already: unload vfio_ap first\n"
                    );
                }
            })?;
        // Upstream's debug area, with its record size and level (no record is written
        // before guests can be attached).
        let dbf = DebugArea::register(c_str!("vfio_ap"), 10, kernel_ext::s390_dbf::LEVEL_WARN)?;
        let dbf = DEBUG_AREA.publish(KBox::pin(dbf, GFP_KERNEL)?)?;
        let matrix = matrix_dev::MatrixDevice::create(module)?;
        let mdevs = mdev::Registration::register(
            matrix.parent(),
            &mdev_driver::PASSTHROUGH,
            module,
            c_str!("vfio_ap_rs"),
        )?;
        Ok(VfioApRs {
            _mdevs: mdevs,
            _matrix: matrix,
            _queues: queues,
            _dbf: dbf,
            _driver: published,
        })
    }
}
