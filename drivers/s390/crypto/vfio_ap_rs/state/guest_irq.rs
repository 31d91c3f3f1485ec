// SPDX-License-Identifier: GPL-2.0-only

//! Guest AP interrupts. A guest enables a queue's interrupts with PQAP(AQIC),
//! giving a notification indicator byte (NIB) in its memory; KVM intercepts the
//! instruction and calls the PQAP hook the driver registered at attach. Enabling
//! pins the NIB's page, registers the guest's interruption subclass in the VM's
//! GISA and issues the host AQIC with both; disabling (by the guest, or when the
//! NIB's memory is unmapped) issues AQIC off and releases them, as does every
//! reset of the queue. The decisions come from `ap_matrix::aqic`.

use core::sync::atomic::{AtomicBool, Ordering};
use kernel::c_str;
use kernel::prelude::*;

use super::{to_error, DriverState, MdevEntry, MdevsLocked};
use crate::ap_matrix::aqic::{
    self, AqicRequest, DisableIo, DisableWarning, EnableOutcome, QirqCtrl,
    AP_RESPONSE_INVALID_ADDRESS,
};
use crate::ap_matrix::errno::Errno;
use crate::ap_matrix::id::Apqn;
use crate::ap_matrix::status_word::{QueueStatus, AP_RESPONSE_NORMAL, AP_RESPONSE_Q_NOT_AVAIL};
use crate::kernel_ext::device_ext::{Device, DeviceExt};
use crate::kernel_ext::kvec_ext::KVecExt;
use crate::kernel_ext::kvm::{GuestIsc, Kvm, Vcpu};
use crate::kernel_ext::s390_dbf::DebugArea;
use crate::kernel_ext::vfio::{OpenDevice, PinnedPage};
use crate::kernel_ext::{ap, delay};

/// The interrupt resources of a queue whose interrupts a guest enabled: the guest's
/// subclass registered in the VM's GISA and the NIB's page, pinned. Released (the
/// subclass first, as upstream does) once the queue's interrupts are off, by a
/// disable or a reset; the page is unpinned after the mdevs lock is dropped.
pub(crate) struct GuestIrq {
    apqn: Apqn,
    isc: GuestIsc,
    nib: PinnedPage,
}

/// Whether a disable warned already (upstream warns once per boot).
static DISABLE_WARNED: AtomicBool = AtomicBool::new(false);

/// The real AQIC, TAPQ and sleeps of a disable.
struct KernelIo;

impl DisableIo for KernelIo {
    fn aqic_off(&mut self, apqn: Apqn) -> QueueStatus {
        ap::aqic_disable(apqn)
    }

    fn tapq(&mut self, apqn: Apqn) -> QueueStatus {
        ap::tapq(apqn)
    }

    fn sleep_ms(&mut self, ms: u32) {
        delay::msleep(ms);
    }
}

impl DriverState {
    /// KVM's PQAP(AQIC) intercept for `vcpu`: the answer goes to the guest's GR1
    /// (its condition code KVM derives from it). `EOPNOTSUPP` without AIV, which
    /// makes KVM hand the instruction to userspace.
    pub(crate) fn pqap(&self, dbf: &DebugArea, vcpu: &Vcpu) -> Result {
        let request = AqicRequest::from_regs(vcpu.gpr(0), vcpu.gpr(1), vcpu.gpr(2));
        if !vcpu.has_aiv() {
            dbf.warn(
                c_str!("handle_pqap: AIV facility not installed: apqn=0x%04x, eca=0x%04x\n"),
                &[u64::from(request.apqn.qid()), u64::from(vcpu.eca())],
            );
            return Err(to_error(Errno::EOPNOTSUPP));
        }
        let status = if request.enable {
            self.irq_enable(dbf, vcpu, &request)
        } else {
            let mut st = self.lock_mdevs();
            match st.aqic_target(dbf, vcpu.kvm(), request.apqn) {
                Ok(_) => st.irq_disable(request.apqn),
                Err(status) => status,
            }
        };
        vcpu.set_gpr(1, aqic::gr1_of(status));
        Ok(())
    }

    /// Enables `request.apqn`'s interrupts for the guest of `vcpu`. Every failure to
    /// set up the NIB or the subclass is response code 0x06.
    ///
    /// The NIB's page is pinned without the mdevs lock held: VFIO's type1 IOMMU calls
    /// `dma_unmap`, which takes the mdevs lock, with its `device_list_lock` held,
    /// which it takes after the `iommu->lock` that pinning takes. (Upstream pins
    /// under the mdevs lock, and lockdep reports the cycle.)
    fn irq_enable(&self, dbf: &DebugArea, vcpu: &Vcpu, request: &AqicRequest) -> QueueStatus {
        let invalid = QueueStatus::with_rc(AP_RESPONSE_INVALID_ADDRESS);
        let (apqn, qid) = (request.apqn, u64::from(request.apqn.qid()));
        let device = {
            let st = self.lock_mdevs();
            match st.aqic_target(dbf, vcpu.kvm(), apqn) {
                Ok(index) => st.device_of(index),
                Err(status) => return status,
            }
        };
        let Some(device) = device else {
            return invalid;
        };
        if request.nib == 0 || !vcpu.guest_page_mapped(request.nib) {
            dbf.warn(
                c_str!("vfio_ap_irq_enable: invalid NIB address: nib=%#lx, apqn=%#04x\n"),
                &[request.nib, qid],
            );
            return invalid;
        }
        let nib = match device.pin(request.nib) {
            Ok(nib) => nib,
            Err(rc) => {
                dbf.warn(
                    c_str!(
                        "vfio_ap_irq_enable: vfio_pin_pages failed: rc=%d,nib=%#lx, apqn=%#04x\n"
                    ),
                    &[rc as u64, request.nib, qid],
                );
                return invalid;
            }
        };
        let kvm = vcpu.kvm();
        let page = nib.phys() & !(kernel::page::PAGE_SIZE as u64 - 1);
        // A protected guest's NIB must be in memory it shares with the host.
        if vcpu.is_protected() && !kvm.ensure_shared(page) {
            return invalid;
        }
        let isc = match kvm.register_gisc(request.isc) {
            Ok(isc) => isc,
            Err(rc) => {
                dbf.warn(
                    c_str!("vfio_ap_irq_enable: gisc registration failed: nisc=%d, isc=%d, apqn=%#04x\n"),
                    &[rc as u64, u64::from(request.isc), qid],
                );
                return invalid;
            }
        };
        let mut st = self.lock_mdevs();
        // While unlocked the queue may have left the mdev, or the mdev its VM.
        let index = match st.aqic_target(dbf, kvm, apqn) {
            Ok(index) if st.device_of(index).is_some_and(|d| d.same(&device)) => index,
            Ok(_) => {
                st.retire_pin(nib);
                return QueueStatus::with_rc(AP_RESPONSE_Q_NOT_AVAIL);
            }
            Err(status) => {
                st.retire_pin(nib);
                return status;
            }
        };
        // Room first: once the queue takes the NIB, its resources must be kept, and
        // released without allocating.
        if !st.reserve_irq(index) {
            st.retire_pin(nib);
            return invalid;
        }
        let ctrl = QirqCtrl::enable(request.isc, isc.nisc(), kvm.gisa_phys());
        let status = ap::aqic_enable(apqn, &ctrl, &nib);
        match EnableOutcome::of(status.response_code) {
            EnableOutcome::Keep => {
                // The queue's earlier NIB and subclass, if any, are replaced.
                st.release_irq(apqn);
                st.keep_irq(index, GuestIrq { apqn, isc, nib });
            }
            EnableOutcome::Undo => {
                if let Err(rc) = isc.unregister() {
                    dbf.warn(
                        c_str!("vfio_ap_irq_enable: kvm_s390_gisc_unregister: rc=%d isc=%d, apqn=%#04x\n"),
                        &[rc as u64, u64::from(request.isc), qid],
                    );
                }
                st.retire_pin(nib);
            }
            EnableOutcome::Disable => {
                pr_warn!(
                    "vfio_ap_irq_enable: apqn {:04x}: response: {:02x}\n",
                    qid,
                    status.response_code
                );
                // The queue did not take the new NIB: release it (upstream keeps it
                // pinned until the VM goes), then disable as upstream does.
                drop(isc);
                st.retire_pin(nib);
                st.irq_disable(apqn);
            }
        }
        if status.response_code != AP_RESPONSE_NORMAL {
            dbf.warn(
                c_str!("vfio_ap_irq_enable: PQAP(AQIC) failed with status=%#02x: zone=%#x, ir=%#x, gisc=%#x, f=%#x,gisa=%#x, isc=%#x, apqn=%#04x\n"),
                &[
                    u64::from(status.response_code),
                    u64::from(ctrl.zone),
                    u64::from(ctrl.ir),
                    u64::from(ctrl.gisc),
                    u64::from(ctrl.gf),
                    u64::from(ctrl.gisa),
                    u64::from(ctrl.isc),
                    qid,
                ],
            );
        }
        status
    }

    /// Userspace unmapped `[iova, iova + length)` from the mdev's IOMMU: every queue
    /// of the mdev whose NIB lies there has its interrupts disabled (and the pages
    /// are unpinned once the lock is dropped, before VFIO goes on).
    pub(crate) fn dma_unmap(&self, dev: &Device, iova: u64, length: u64) {
        let mut st = self.lock_mdevs();
        while let Some(apqn) = st.entry(dev.key()).and_then(|m| {
            m.irqs
                .iter()
                .find(|irq| irq.nib.iova() >= iova && irq.nib.iova() - iova < length)
                .map(|irq| irq.apqn)
        }) {
            st.irq_disable(apqn);
        }
    }
}

impl MdevsLocked {
    /// The mdev a guest's AQIC on `apqn` is for: the one attached to `kvm`, if the
    /// queue is assigned to it and bound to the driver (the shadow is not checked,
    /// as upstream does not); else the guest's answer, response code 0x01.
    fn aqic_target(&self, dbf: &DebugArea, kvm: &Kvm, apqn: Apqn) -> Result<usize, QueueStatus> {
        let not_available = QueueStatus::with_rc(AP_RESPONSE_Q_NOT_AVAIL);
        let Some(index) = self.mdevs.iter().position(|m| m.is_attached_to(kvm)) else {
            dbf.warn(
                c_str!("handle_pqap: PQAP(AQIC) hook not registered with the vfio_ap driver: apqn=0x%04x\n"),
                &[u64::from(apqn.qid())],
            );
            return Err(not_available);
        };
        let assigned = self.mdevs.get(index).is_some_and(|m| m.holds(apqn));
        if !assigned || !self.queues.is_bound(apqn) {
            dbf.warn(
                c_str!("handle_pqap: Queue %02x.%04x not bound to the vfio_ap driver\n"),
                &[u64::from(apqn.apid.0), u64::from(apqn.apqi.0)],
            );
            return Err(not_available);
        }
        Ok(index)
    }

    /// The VFIO device mdev `index`'s guest opened.
    fn device_of(&self, index: usize) -> Option<OpenDevice> {
        self.mdevs
            .get(index)
            .and_then(|m| m.guest.as_ref())
            .map(|g| g.device().clone())
    }

    /// Makes room for one more record in mdev `index` and for unpinning every page
    /// pinned then without allocating; false if memory is short.
    fn reserve_irq(&mut self, index: usize) -> bool {
        let pinned = self.mdevs.iter().map(|m| m.irqs.len()).sum::<usize>() + 1;
        let room = self.unpin_later.reserve(pinned, GFP_KERNEL).is_ok();
        room && self
            .mdevs
            .get_mut(index)
            .is_some_and(|m| m.irqs.reserve(1, GFP_KERNEL).is_ok())
    }

    /// Keeps the resources of interrupts the queue took (room reserved first).
    fn keep_irq(&mut self, index: usize, irq: GuestIrq) {
        if let Some(entry) = self.mdevs.get_mut(index) {
            if let Err(e) = entry.irqs.push(irq, GFP_KERNEL) {
                // Cannot happen after `reserve_irq`; documented rather than hidden.
                pr_err!("guest interrupt resources not kept: {:?}\n", e);
            }
        }
    }

    /// Disables `apqn`'s interrupts and releases their resources, whatever the
    /// machine answers; the last AQIC status.
    pub(crate) fn irq_disable(&mut self, apqn: Apqn) -> QueueStatus {
        let disabled = aqic::disable(&mut KernelIo, apqn);
        if let Some(warning) = disabled.warning {
            warn_disable(apqn, warning);
        }
        self.release_irq(apqn);
        disabled.status
    }

    /// Releases the interrupt resources of `apqn`, whichever mdev holds them.
    pub(crate) fn release_irq(&mut self, apqn: Apqn) {
        release_irq(&mut self.mdevs, &mut self.unpin_later, apqn);
    }

    /// Unpins `nib` once the mdevs lock is dropped.
    fn retire_pin(&mut self, nib: PinnedPage) {
        // With no room left (memory short) the page is unpinned at once, under
        // the lock.
        let _ = self.unpin_later.push(nib, GFP_KERNEL);
    }
}

/// Upstream `WARN_ONCE`s here; one warning line a boot, without a backtrace.
fn warn_disable(apqn: Apqn, warning: DisableWarning) {
    if DISABLE_WARNED.swap(true, Ordering::Relaxed) {
        return;
    }
    let qid = apqn.qid();
    match warning {
        DisableWarning::Aqic(rc) => pr_warn!("vfio_ap_irq_disable: ap_aqic status {}\n", rc),
        DisableWarning::Tapq(rc) => {
            pr_warn!(
                "vfio_ap_wait_for_irqclear: tapq rc {:02x}: {:04x}\n",
                rc,
                qid
            )
        }
        DisableWarning::IrqNotCleared(rc) => pr_warn!(
            "vfio_ap_wait_for_irqclear: tapq rc {:02x}: {:04x} could not clear IR bit\n",
            rc,
            qid
        ),
    }
}

/// Releases the interrupt resources of `apqn`, whichever mdev holds them: the
/// subclass at once, the NIB's page into `unpin_later`.
pub(crate) fn release_irq(mdevs: &mut [MdevEntry], unpin_later: &mut KVec<PinnedPage>, apqn: Apqn) {
    for entry in mdevs.iter_mut() {
        entry.release_irqs(unpin_later, |irq| irq.apqn == apqn);
    }
}

impl MdevEntry {
    /// Releases the interrupt resources `which` selects: the subclass at once, the
    /// NIB's page into `unpin_later`.
    pub(crate) fn release_irqs(
        &mut self,
        unpin_later: &mut KVec<PinnedPage>,
        which: impl Fn(&GuestIrq) -> bool,
    ) {
        while let Some(i) = self.irqs.iter().position(&which) {
            if let Ok(GuestIrq { isc, nib, .. }) = self.irqs.remove(i) {
                drop(isc);
                // Room was reserved when the page was pinned (`reserve_irq`).
                let _ = unpin_later.push(nib, GFP_KERNEL);
            }
        }
    }
}
