// SPDX-License-Identifier: GPL-2.0-only

//! The AP queue driver `vfio_ap`: queues outside the default pool, handed to mdevs.

use kernel::c_str;
use kernel::prelude::*;

use crate::ap_matrix::host::HostConfig;
use crate::ap_matrix::pool::DefaultPool;
use crate::kernel_ext::ap::ApQueue;
use crate::kernel_ext::ap_driver::{self, HolderReport};
use crate::kernel_ext::device_attr::{attribute_group, DeviceAttribute, Show};

/// The queue driver's callbacks.
pub(crate) struct QueueDriver;

#[vtable]
impl ap_driver::Driver for QueueDriver {
    fn probe(queue: &ApQueue) -> Result {
        let driver = crate::driver()?;
        QUEUE_GROUP.add(queue)?;
        driver.probe_queue(queue.apqn());
        Ok(())
    }

    fn remove(queue: &ApQueue) {
        QUEUE_GROUP.remove(queue);
        if let Ok(driver) = crate::driver() {
            driver.remove_queue(queue.apqn());
        }
    }

    fn in_use(query: &DefaultPool, holders: Option<HolderReport<'_>>) -> Result {
        crate::driver()?.in_use(query, holders)
    }

    fn on_config_changed(new: &HostConfig, old: &HostConfig) {
        if let Ok(driver) = crate::driver() {
            driver.config_changed(new, old);
        }
    }

    fn on_scan_complete(_new: &HostConfig, _old: &HostConfig) {
        if let Ok(driver) = crate::driver() {
            driver.scan_complete();
        }
    }
}

/// The `status` attribute of a queue bound to the driver.
struct QueueStatusText;

impl Show for QueueStatusText {
    type Object = ApQueue;

    fn show(queue: &ApQueue, out: &mut [u8]) -> Result<usize> {
        let text = crate::driver()?.queue_state(queue.apqn()).text().as_bytes();
        let dest = out.get_mut(..text.len()).ok_or(EINVAL)?;
        dest.copy_from_slice(text);
        Ok(text.len())
    }
}

static STATUS: DeviceAttribute<ApQueue> =
    DeviceAttribute::read_only::<QueueStatusText>(c_str!("status"));

attribute_group!(QUEUE_GROUP: ApQueue = [STATUS]);

/// The queue driver's name on the AP bus, as upstream.
pub(crate) const NAME: &kernel::str::CStr = c_str!("vfio_ap");
