// SPDX-License-Identifier: GPL-2.0-only

//! The AP queue driver `vfio_ap`: queues outside the default pool, handed to mdevs.

use kernel::c_str;
use kernel::prelude::*;

use crate::ap_matrix::host::HostConfig;
use crate::ap_matrix::pool::DefaultPool;
use crate::sys::ap::ApQueue;
use crate::sys::ap_driver::{ApQueueDriver, HolderSink};
use crate::sys::device::Dev;
use crate::sys::sysfs::{self, attribute_group, DeviceAttribute, Show};

/// The queue driver's callbacks.
pub(crate) struct QueueDriver;

impl ApQueueDriver for QueueDriver {
    fn probe(queue: &ApQueue) -> Result {
        let driver = crate::driver()?;
        sysfs::add_group(queue.dev(), &QUEUE_GROUP)?;
        driver.probe_queue(queue.apqn());
        Ok(())
    }

    fn remove(queue: &ApQueue) {
        sysfs::remove_group(queue.dev(), &QUEUE_GROUP);
        if let Ok(driver) = crate::driver() {
            driver.remove_queue(queue.apqn());
        }
    }

    fn in_use(query: &DefaultPool, holders: Option<HolderSink<'_>>) -> Result {
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
    fn show(dev: &Dev, out: &mut [u8]) -> Result<usize> {
        let apqn = crate::ap_matrix::id::Apqn::from_qid(queue_qid(dev)?);
        let text = crate::driver()?.queue_state(apqn).text().as_bytes();
        let dest = out.get_mut(..text.len()).ok_or(EINVAL)?;
        dest.copy_from_slice(text);
        Ok(text.len())
    }
}

/// The queue number of a queue device, from the name the AP bus gives it
/// (`%02x.%04x`, card and domain: part of the bus's ABI).
fn queue_qid(dev: &Dev) -> Result<u16> {
    let name = dev.name().as_bytes();
    let hex = |s: &[u8]| -> Result<u16> {
        s.iter().try_fold(0u16, |acc, &c| {
            let digit = (c as char).to_digit(16).ok_or(EINVAL)?;
            Ok(acc.checked_mul(16).ok_or(EINVAL)? | digit as u16)
        })
    };
    match name {
        [a, b, b'.', rest @ ..] if rest.len() == 4 => Ok((hex(&[*a, *b])? << 8) | hex(rest)?),
        _ => Err(EINVAL),
    }
}

static STATUS: DeviceAttribute = DeviceAttribute::read_only::<QueueStatusText>(c_str!("status"));

attribute_group!(QUEUE_GROUP = [STATUS]);

/// The queue driver's name on the AP bus, as upstream.
pub(crate) const NAME: &kernel::str::CStr = c_str!("vfio_ap");
