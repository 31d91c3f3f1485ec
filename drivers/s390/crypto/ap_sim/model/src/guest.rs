// SPDX-License-Identifier: GPL-2.0-only

//! What KVM guests do to the simulated facility: the APCB a VM is given, and the AP
//! instructions its guest issues, answered the way firmware interpretation would.

use super::apqn::Apqn;
use super::events::{ApcbMasks, EventKind, Issuer};
use super::insn::Insn;
use super::regs::{QueueStatus, RC_Q_NOT_AVAIL};
use super::sim::ApSim;

impl ApSim {
    /// Logs that KVM now holds `masks` as the APCB of the VM created by process `vm`.
    pub fn note_apcb(&mut self, vm: u32, masks: ApcbMasks) -> u64 {
        self.events.push(EventKind::Apcb { vm, masks })
    }

    /// A TAPQ (with the T bit) issued by the guest of `vm` on `qid`. `in_apcb` tells
    /// whether the queue's adapter and usage domain are in the VM's APCB: if not,
    /// interpretation answers response code 0x01 without the queue seeing anything;
    /// otherwise the queue answers as to the host. Returns the status word and GR2.
    pub fn guest_tapq(&mut self, vm: u32, qid: u32, in_apcb: bool) -> (u32, u64) {
        let apqn = Apqn::from_qid(qid);
        let (status, hwinfo) = if in_apcb {
            let r = self.tapq(qid, true);
            (r.status, r.hwinfo)
        } else {
            (QueueStatus::rc(RC_Q_NOT_AVAIL).raw(), 0)
        };
        self.events.push(EventKind::Insn {
            by: Issuer::Guest(vm),
            insn: Insn::Tapq,
            apqn,
            rc: (status >> 16) as u8,
        });
        (status, hwinfo)
    }
}
