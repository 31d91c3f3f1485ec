// SPDX-License-Identifier: GPL-2.0-only

//! What the VFIO device's callbacks do to the driver's state: attach an mdev to
//! the VM userspace opened it for, detach it at close, reset its queues, and keep
//! and fire the request eventfd.

use kernel::prelude::*;

use super::{DriverState, MdevsLocked};
use crate::guest::GuestLink;
use crate::kernel_ext::dev_print::{dev_notice, Ratelimit};
use crate::kernel_ext::device_ext::{Device, DeviceExt};
use crate::kernel_ext::kvm::Kvm;
use crate::kernel_ext::vfio::{EventFd, VfioDeviceRef};
use crate::vfio_device::DeviceIrq;

/// The rate limit of the "Relaying device request" notices.
static RELAYING: Ratelimit = Ratelimit::new();

impl DriverState {
    /// `open_device`: attaches the mdev to `kvm` and gives the guest the current
    /// shadow as it is (no refilter, no reset). `EINVAL` without a VM; `EPERM` if
    /// the VM has a pass-through device already.
    pub(crate) fn attach(&self, vdev: &VfioDeviceRef) -> Result {
        let dev = vdev.parent();
        let kvm = vdev.kvm().ok_or(EINVAL)?;
        // Every s390 VM has a crypto control block; one without gets nothing.
        if !kvm.has_crycb() {
            return Ok(());
        }
        let _guests = self.guests.lock();
        let vm = kvm.lock();
        let link = GuestLink::claim(kvm, &vm, vdev.handle())?;
        let mut st = self.lock_mdevs();
        let Some(entry) = st.entry_mut(dev.key()) else {
            drop(st);
            link.release(&vm);
            return Err(ENODEV);
        };
        link.set_masks(Some(&vm), &entry.shadow.apcb);
        entry.guest = Some(link);
        Ok(())
    }

    /// `close_device`: the guest loses every AP resource, then every queue of the
    /// mdev is reset. The shadow stays (`guest_matrix` still shows it). The IRQs'
    /// eventfds are released too (upstream keeps them until the next `SET_IRQS`).
    pub(crate) fn detach(&self, dev: &Device) {
        let guests = self.guests.lock();
        let kvm = self.lock_mdevs().entry(dev.key()).and_then(|m| m.kvm());
        let request_irq = {
            let vm = kvm.as_deref().map(Kvm::lock);
            if let Some(vm) = &vm {
                GuestLink::unhook(vm);
            }
            let mut st = self.lock_mdevs();
            let Some(entry) = st.entry_mut(dev.key()) else {
                return;
            };
            let request_irq = (entry.request_irq.take(), entry.cfg_chg_irq.take());
            let Some(link) = entry.guest.as_ref() else {
                return;
            };
            if let Some(vm) = &vm {
                link.take_everything(vm);
            }
            let all = entry.all_queues();
            // Upstream ignores the batch's result here too: a queue that fails to
            // reset is kept from the next guest by its recorded state.
            let _ = st.reset_queues(&all);
            let MdevsLocked {
                mdevs, unpin_later, ..
            } = &mut *st;
            if let Some(entry) = mdevs.iter_mut().find(|m| m.key() == dev.key()) {
                // A reset that did not settle leaves resources; upstream leaks them
                // with the VM. Interrupts stay on only for a queue gone from the
                // host, which no longer writes to the page.
                entry.release_irqs(unpin_later, |_| true);
                entry.guest = None;
            }
            request_irq
        };
        drop(guests);
        // Outside the locks: the last reference to a VM may destroy it.
        drop(kvm);
        drop(request_irq);
    }

    /// `VFIO_DEVICE_RESET`: resets every queue of the mdev (its assigned queues
    /// bound to the driver), attached or not. `EIO` if a queue's reset failed.
    pub(crate) fn reset_device(&self, dev: &Device) -> Result {
        let mut st = self.lock_mdevs();
        let entry = st.entry(dev.key()).ok_or(ENODEV)?;
        let all = entry.all_queues();
        st.reset_queues(&all)
    }

    /// `SET_IRQS`: `Some` arms IRQ `irq` (replacing any armed eventfd), `None`
    /// disarms it.
    pub(crate) fn set_irq(&self, dev: &Device, irq: DeviceIrq, eventfd: Option<EventFd>) -> Result {
        let old = {
            let mut st = self.lock_mdevs();
            let entry = st.entry_mut(dev.key()).ok_or(ENODEV)?;
            let slot = match irq {
                DeviceIrq::Request => &mut entry.request_irq,
                DeviceIrq::ConfigChange => &mut entry.cfg_chg_irq,
            };
            core::mem::replace(slot, eventfd)
        };
        drop(old);
        Ok(())
    }

    /// The VFIO core asks, every 10 s while removing the mdev, that userspace
    /// release the device: signal the request eventfd, or say that nobody listens.
    pub(crate) fn request(&self, dev: &Device, count: u32) {
        let st = self.lock_mdevs();
        match st.entry(dev.key()).and_then(|m| m.request_irq.as_ref()) {
            Some(eventfd) => {
                if count % 10 == 0 {
                    RELAYING.notice_dev(
                        dev,
                        format_args!("Relaying device request to user (#{count})\n"),
                    );
                }
                eventfd.signal();
            }
            None if count == 0 => dev_notice!(
                dev,
                "No device request registered, blocked until released by user\n"
            ),
            None => {}
        }
    }
}
