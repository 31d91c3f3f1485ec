// SPDX-License-Identifier: GPL-2.0-only

//! The AP instructions the driver issues (TAPQ, ZAPQ, QCI) and the AP queue device.
//!
//! On real machines they are the CPU's instructions; in test kernels the simulated
//! AP facility answers them. This module does not know which.
//!
//! C header: arch/s390/include/asm/ap.h, drivers/s390/crypto/ap_bus.h

use core::mem::MaybeUninit;
use kernel::bindings;
use kernel::error::to_result;
use kernel::prelude::*;

use super::device_attr::AttrDevice;
use super::device_ext::Device;
use super::vfio::PinnedPage;
use crate::ap_matrix::aqic::QirqCtrl;
use crate::ap_matrix::host::HostConfig;
use crate::ap_matrix::id::Apqn;
use crate::ap_matrix::mask::{Mask, MASK_WORDS};
use crate::ap_matrix::status_word::QueueStatus;

/// The facility bit of the Query Configuration Information function.
const FACILITY_QCI: kernel::ffi::c_ulong = 12;

/// Whether the machine (or the simulator) implements the AP instructions at all.
pub(crate) fn instructions_available() -> bool {
    // SAFETY: TAPQ of queue 00.0000 without side effects; safe on any machine.
    unsafe { bindings::ap_instructions_available() }
}

fn qid(apqn: Apqn) -> bindings::ap_qid_t {
    bindings::ap_qid_t::from(apqn.qid())
}

fn status(raw: bindings::ap_queue_status) -> QueueStatus {
    QueueStatus {
        queue_empty: raw.queue_empty() != 0,
        replies_waiting: raw.replies_waiting() != 0,
        queue_full: raw.queue_full() != 0,
        asynchronous: raw.async_() != 0,
        irq_enabled: raw.irq_enabled() != 0,
        // The field is 8 bits wide.
        response_code: raw.response_code() as u8,
    }
}

/// ZAPQ (F=0): resets the queue, discarding its requests and replies.
pub(crate) fn zapq(apqn: Apqn) -> QueueStatus {
    // SAFETY: ZAPQ takes only the queue number; an unavailable queue answers with a
    // response code.
    status(unsafe { bindings::ap_zapq(qid(apqn), 0) })
}

/// AQIC enabling the queue's interrupts for a guest, with the controls `ctrl` and
/// the guest's notification byte `nib`, which the machine sets when an interrupt is
/// due: the caller keeps the page pinned until the queue's interrupts are off
/// again (disabled or reset).
pub(crate) fn aqic_enable(apqn: Apqn, ctrl: &QirqCtrl, nib: &PinnedPage) -> QueueStatus {
    // SAFETY: AQIC takes the queue number, the controls and the physical address of
    // a pinned page (see above).
    status(unsafe { bindings::ap_aqic(qid(apqn), ctrl.to_raw(), nib.phys()) })
}

/// AQIC disabling the queue's interrupts.
pub(crate) fn aqic_disable(apqn: Apqn) -> QueueStatus {
    // SAFETY: with interrupts off, AQIC takes no address.
    status(unsafe { bindings::ap_aqic(qid(apqn), 0, 0) })
}

/// TAPQ for the queue status only (as C's `ap_tapq(qid, NULL)`): no T bit, so the
/// machine stores no hardware information.
pub(crate) fn tapq(apqn: Apqn) -> QueueStatus {
    // SAFETY: TAPQ only tests the queue; a null information pointer is allowed.
    status(unsafe { bindings::ap_tapq(qid(apqn), core::ptr::null_mut()) })
}

/// TAPQ with the T bit: the queue status and the adapter type from the hardware
/// information, which the machine stores only when the T bit asks for it.
pub(crate) fn tapq_adapter_type(apqn: Apqn) -> (QueueStatus, u8) {
    let mut info = MaybeUninit::<bindings::ap_tapq_hwinfo>::zeroed();
    // SAFETY: `info` is a writable `ap_tapq_hwinfo` for the call.
    let raw = unsafe { bindings::ap_test_queue(qid(apqn), 1, info.as_mut_ptr()) };
    // SAFETY: zero-initialised above and possibly filled in by TAPQ: plain integers.
    let info = unsafe { info.assume_init() };
    // SAFETY: `value` is the 64-bit view of the union of integers.
    let value = unsafe { info.__bindgen_anon_1.value };
    // The adapter type is bits 32..39 (MSB first) of the hardware information.
    let adapter_type = ((value >> 24) & 0xff) as u8;
    (status(raw), adapter_type)
}

/// The IDs of a QCI mask: eight 32-bit words, ID 0 the most significant bit.
fn mask_from_qci_words(words32: &[u32; 8]) -> Mask {
    let mut words = [0u64; MASK_WORDS];
    for (word, pair) in words.iter_mut().zip(words32.chunks_exact(2)) {
        if let [hi, lo] = pair {
            *word = (u64::from(*hi) << 32) | u64::from(*lo);
        }
    }
    Mask::from_words(words)
}

/// The host configuration in a QCI block.
pub(crate) fn host_config(info: &bindings::ap_config_info) -> HostConfig {
    // SAFETY: `flags` is the 32-bit view of a union of integers.
    let flags = unsafe { info.__bindgen_anon_1.flags };
    HostConfig {
        apm: mask_from_qci_words(&info.apm),
        aqm: mask_from_qci_words(&info.aqm),
        adm: mask_from_qci_words(&info.adm),
        // The N (APXA) bit is the second most significant.
        apxa: flags & (1 << 30) != 0,
        na: info.na,
        nd: info.nd,
    }
}

/// The host configuration from QCI, or the empty one when the machine lacks the QCI
/// facility.
pub(crate) fn query_config() -> Result<HostConfig> {
    // SAFETY: testing a facility bit has no side effects.
    if !unsafe { bindings::ap_test_facility(FACILITY_QCI) } {
        return Ok(HostConfig::NONE);
    }
    let mut info = MaybeUninit::<bindings::ap_config_info>::zeroed();
    // SAFETY: `info` is a writable, suitably aligned QCI block for the call.
    to_result(unsafe { bindings::ap_qci(info.as_mut_ptr()) })?;
    // SAFETY: zeroed and filled in by QCI: plain integers.
    Ok(host_config(unsafe { info.assume_init_ref() }))
}

/// A queue device on the AP bus (`struct ap_queue`).
#[repr(transparent)]
pub(crate) struct ApQueue(kernel::types::Opaque<bindings::ap_queue>);

impl ApQueue {
    /// Borrows the queue whose `struct ap_device` is at `apdev`.
    ///
    /// # Safety
    ///
    /// `apdev` is the `ap_dev` member of a live `struct ap_queue` that outlives `'a`.
    pub(crate) unsafe fn from_ap_device<'a>(apdev: *mut bindings::ap_device) -> &'a ApQueue {
        // SAFETY: `ap_dev` is the first member of `struct ap_queue` (asserted below),
        // and `ApQueue` is transparent over it.
        unsafe { &*apdev.cast::<ApQueue>() }
    }

    /// The queue's APQN.
    pub(crate) fn apqn(&self) -> Apqn {
        // SAFETY: the queue is live; `qid` is set before the device is registered and
        // never changes.
        let qid = unsafe { (*self.0.get()).qid };
        // The queue number is the low 16 bits.
        Apqn::from_qid((qid & 0xffff) as u16)
    }
}

impl AttrDevice for ApQueue {
    unsafe fn from_device<'a>(dev: *mut bindings::device) -> &'a Self {
        // SAFETY: `dev` is the `ap_dev.device` member of a live queue that outlives
        // `'a` (caller's guarantee); both members are first in their structures
        // (asserted below), so the queue starts where the device does.
        unsafe { &*dev.cast::<ApQueue>() }
    }

    fn device(&self) -> &Device {
        // SAFETY: the device is embedded in the live queue.
        unsafe { Device::as_ref(&raw mut (*self.0.get()).ap_dev.device) }
    }
}

const _: () = assert!(core::mem::offset_of!(bindings::ap_queue, ap_dev) == 0);
const _: () = assert!(core::mem::offset_of!(bindings::ap_device, device) == 0);
