// SPDX-License-Identifier: GPL-2.0-only

//! `vfio_ap_rs`: s390 AP queue pass-through to KVM guests through VFIO mediated
//! devices, with the sysfs ABI of the upstream `vfio_ap` driver.
//!
//! The decisions (masks, matrices, shadow APCB, reservations, queue reset) live in
//! the host-tested `ap_matrix` core, compiled into this module unchanged; `state`
//! strings them together under the driver's locks; `sys` owns every kernel
//! interface. Documentation/vfio_ap_rs.rst describes the design and the locking.

use kernel::c_str;
use kernel::prelude::*;

#[allow(dead_code, unused_attributes, unreachable_pub)]
#[path = "../ap_matrix/src/lib.rs"]
mod ap_matrix;

mod guest;
mod matrix_dev;
mod mdev_attrs;
mod mdev_driver;
mod queue_driver;
mod queue_table;
mod reset;
mod state;
mod sys;

use state::Driver;
use sys::ap_driver::ApDriverRegistration;
use sys::dbf::DebugArea;
use sys::global::Global;
use sys::mdev::MdevRegistration;

module! {
    type: VfioApRs,
    name: "vfio_ap_rs",
    author: "vfio-ap-rs developers",
    description: "VFIO AP pass-through (Rust)",
    license: "GPL",
}

/// The driver state every callback reaches.
static DRIVER: Global<Driver> = Global::new();

/// The driver state, while the module is loaded.
fn driver() -> Result<&'static Driver> {
    DRIVER.get().ok_or(ENODEV)
}

/// Withdraws [`DRIVER`] when dropped: the last field of the module, so it goes after
/// every registration that can call back.
struct PublishedDriver;

impl Drop for PublishedDriver {
    fn drop(&mut self) {
        DRIVER.withdraw();
    }
}

struct VfioApRs {
    _mdevs: MdevRegistration<mdev_driver::PassthroughMdev>,
    _matrix: matrix_dev::MatrixDevice,
    _queues: ApDriverRegistration<queue_driver::QueueDriver>,
    _dbf: DebugArea,
    _driver: PublishedDriver,
}

impl kernel::Module for VfioApRs {
    fn init(module: &'static ThisModule) -> Result<Self> {
        // Nothing to pass through without AP instructions.
        if !sys::ap::instructions_available() {
            return Err(ENODEV);
        }
        let host = sys::ap::query_config()?;
        DRIVER.publish(KBox::pin_init(Driver::new(host)?, GFP_KERNEL)?)?;
        let published = PublishedDriver;
        // The queue driver goes first: its name clashes with the C vfio_ap's, and the
        // AP bus refuses a second `vfio_ap` cleanly, before anything else is created.
        let queues =
            ApDriverRegistration::register(queue_driver::NAME, module).inspect_err(|e| {
                if *e == EBUSY {
                    pr_err!(
                        "an AP driver named vfio_ap is registered already: unload vfio_ap first\n"
                    );
                }
            })?;
        // Upstream's debug area, with its record size and level (no record is written
        // before guests can be attached).
        let dbf = DebugArea::register(c_str!("vfio_ap"), 10, sys::dbf::LEVEL_WARN)?;
        let matrix = matrix_dev::MatrixDevice::create(module)?;
        let mdevs = MdevRegistration::register(
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
