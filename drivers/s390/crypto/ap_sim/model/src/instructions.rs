// SPDX-License-Identifier: GPL-2.0-only

//! Semantics of the AP instructions. Each returns the raw register values the
//! `asm/ap.h` wrapper would have read back, so the C glue only copies them.

use super::apqn::Apqn;
use super::config::{Adapter, DEFAULT_MAX_MSG_SIZE, QCI_LEN};
use super::events::{logged_for_host, EventKind, Issuer};
use super::insn::Insn;
use super::queues::{BindState, IrqState, QueueState, ResetState};
use super::regs::{
    QactApInfo, QirqCtrl, QueueStatus, RC_BUSY, RC_CHECKSTOPPED, RC_DECONFIGURED, RC_INDEX_TOO_BIG,
    RC_INVALID_ADDRESS, RC_MESSAGE_TOO_BIG, RC_NORMAL, RC_NO_PENDING_REPLY, RC_OTHERWISE_CHANGED,
    RC_Q_BIND_ERROR, RC_Q_FULL, RC_Q_NOT_AVAIL, RC_Q_NOT_BOUND, RC_REQ_FAC_NOT_INST,
    RC_RESET_IN_PROGRESS,
};
use super::sim::ApSim;

/// Message type of the error reply (`TYPE82_RSP_CODE`).
pub const REPLY_TYPE: u8 = 0x82;
/// Reply code of the error reply (`REP82_ERROR_FILTERED_BY_HYPERVISOR`).
pub const REPLY_CODE: u8 = 0x8B;
/// The reply every request gets: an 8-byte `struct error_hdr` of type 0x82 with reply
/// code 0x8B ("filtered by hypervisor").
///
/// Why this one: every zcrypt reply converter (msgtype50 for accelerators, msgtype6 for
/// CCA including the hwrng, and EP11) accepts type 0x82, and `convert_error` maps
/// reply code 0x8B to `-EINVAL`: the request fails cleanly, zcrypt does not retry it,
/// does not rescan the bus and does not set the queue offline (unknown reply types
/// and the `-EAGAIN` codes 0x10/0x20/0x90 would retry, rescan or take it offline).
/// "Filtered by hypervisor" is also what a real adapter behind a filtering
/// hypervisor answers, which is what a simulator that does no cryptography is.
pub const ERROR_REPLY: [u8; 8] = [0x00, REPLY_TYPE, 0x00, 0x00, REPLY_CODE, 0x00, 0x00, 0x00];

/// Register values of TAPQ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TapqResult {
    /// GR1 status word (`struct ap_queue_status`).
    pub status: u32,
    /// GR2 (`struct ap_tapq_hwinfo`); 0 for an APQN that does not exist.
    pub hwinfo: u64,
}

/// Register values of QACT.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QactResult {
    /// GR1 status word.
    pub status: u32,
    /// GR2 (`union ap_qact_ap_info`).
    pub apinfo: u64,
}

/// Result of DQAP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DqapResult {
    /// GR1 status word.
    pub status: u32,
    /// The request's psmid (valid when `remaining` is 0 and the response code is 0).
    pub psmid: u64,
    /// Bytes stored into the output buffer by this call.
    pub length: usize,
    /// Bytes of the reply not yet stored: non-zero means the buffer was too small
    /// (partial completion; the glue reports response code 0xFF and a non-zero
    /// `resgr0`, and the next DQAP continues where this one stopped).
    pub remaining: usize,
}

impl DqapResult {
    const fn status_only(status: QueueStatus) -> Self {
        Self {
            status: status.raw(),
            psmid: 0,
            length: 0,
            remaining: 0,
        }
    }

    /// Whether the reply was only partially stored.
    pub const fn partial(&self) -> bool {
        self.remaining != 0
    }
}

/// Status bits of a reachable queue (reset not in progress).
fn queue_status(q: &QueueState, slots: usize, rc: u8) -> QueueStatus {
    QueueStatus {
        queue_empty: q.pending_len() == 0,
        replies_waiting: q.pending_len() > 0,
        queue_full: q.pending_len() >= slots,
        async_error: false,
        irq_enabled: q.irq.bit(),
        response_code: rc,
    }
}

/// Status while a reset is in progress: empty, interrupts off.
const fn resetting_status() -> QueueStatus {
    QueueStatus {
        queue_empty: true,
        replies_waiting: false,
        queue_full: false,
        async_error: false,
        irq_enabled: false,
        response_code: RC_RESET_IN_PROGRESS,
    }
}

/// Completes a pending AQIC change.
fn settle_irq(q: &mut QueueState) {
    q.irq = match q.irq {
        IrqState::Enabling | IrqState::On => IrqState::On,
        IrqState::Disabling | IrqState::Off => IrqState::Off,
    };
}

impl ApSim {
    /// The adapter of `apqn` if the APQN is in the configuration.
    fn reachable(&self, apqn: Apqn) -> Option<Adapter> {
        let cfg = &self.config;
        if apqn.card() > cfg.max_adapter()
            || apqn.domain() > cfg.max_domain()
            || !cfg.usage.test(apqn.domain())
            || self.queues.get(apqn).is_none()
        {
            return None;
        }
        cfg.adapter(apqn.card()).copied()
    }

    /// Checks faults, availability, deconfiguration and checkstop, in that order.
    /// `Err` carries the status to return; `Ok` the queue's adapter.
    fn gate(&mut self, apqn: Apqn, insn: Insn) -> Result<Adapter, QueueStatus> {
        if let Some(rc) = self.faults.take(apqn, insn) {
            let mut s = QueueStatus::rc(rc);
            if let (Some(a), Some(q)) = (self.reachable(apqn), self.queues.get(apqn)) {
                s = queue_status(q, a.slots(), rc);
            }
            return Err(s);
        }
        let a = self
            .reachable(apqn)
            .ok_or(QueueStatus::rc(RC_Q_NOT_AVAIL))?;
        let q = self
            .queues
            .get(apqn)
            .ok_or(QueueStatus::rc(RC_Q_NOT_AVAIL))?;
        if !a.configured || q.deconfigured {
            return Err(QueueStatus::rc(RC_DECONFIGURED));
        }
        if a.checkstopped || q.checkstopped {
            return Err(QueueStatus::rc(RC_CHECKSTOPPED));
        }
        Ok(a)
    }

    /// The adapter and the state of `apqn` when `insn` may act on it now (the gate
    /// passed and no reset is in progress), or the status `insn` answers with.
    fn ready_queue(
        &mut self,
        apqn: Apqn,
        insn: Insn,
    ) -> Result<(Adapter, &mut QueueState), QueueStatus> {
        let a = self.gate(apqn, insn)?;
        let q = self
            .queues
            .get_mut(apqn)
            .ok_or(QueueStatus::rc(RC_Q_NOT_AVAIL))?;
        if matches!(q.reset, ResetState::InProgress { .. }) {
            return Err(resetting_status());
        }
        Ok((a, q))
    }

    fn hwinfo(&self, apqn: Apqn, tbit: bool) -> u64 {
        let (Some(a), Some(q)) = (self.reachable(apqn), self.queues.get(apqn)) else {
            return 0;
        };
        let mut h = a.hwinfo(self.config.flags.apxa, self.config.nd);
        if self.config.flags.apsb {
            h.bs = match q.bind {
                BindState::Unbound => 2,
                BindState::Bound => 1,
                BindState::Associated(_) => 0,
            };
        }
        // The information is stored only when the T bit asks for it; without it GR2
        // keeps the 0 the caller loaded, so a driver that reads the adapter type
        // from a TAPQ without T (upstream never does) sees type 0.
        if tbit {
            h.raw()
        } else {
            0
        }
    }

    fn record(&mut self, apqn: Apqn, insn: Insn, status: u32) -> u32 {
        self.counters.record(Some(apqn), insn, status);
        if logged_for_host(insn) {
            self.events.push(EventKind::Insn {
                by: Issuer::Host,
                insn,
                apqn,
                rc: (status >> 16) as u8,
            });
        }
        status
    }

    /// TAPQ: test the queue `qid`; `tbit` asks for the full hardware information
    /// (APFT). Each TAPQ during a reset counts one poll of its progress.
    pub fn tapq(&mut self, qid: u32, tbit: bool) -> TapqResult {
        let apqn = Apqn::from_qid(qid);
        let status = self.tapq_status(apqn);
        let hwinfo = self.hwinfo(apqn, tbit);
        let status = self.record(apqn, Insn::Tapq, status.raw());
        TapqResult { status, hwinfo }
    }

    fn tapq_status(&mut self, apqn: Apqn) -> QueueStatus {
        let a = match self.gate(apqn, Insn::Tapq) {
            Ok(a) => a,
            Err(s) => return s,
        };
        let never = self.faults.reset_never(apqn);
        let Some(q) = self.queues.get_mut(apqn) else {
            return QueueStatus::rc(RC_Q_NOT_AVAIL);
        };
        if let ResetState::InProgress { polls_left } = q.reset {
            if never {
                return resetting_status();
            }
            if polls_left > 0 {
                let left = polls_left - 1;
                q.reset = if left == 0 {
                    ResetState::Idle
                } else {
                    ResetState::InProgress { polls_left: left }
                };
                return resetting_status();
            }
            q.reset = ResetState::Idle;
        }
        settle_irq(q);
        queue_status(q, a.slots(), RC_NORMAL)
    }

    /// RAPQ: reset the queue `qid` (`fbit`: full reset, also drops an SE binding).
    pub fn rapq(&mut self, qid: u32, fbit: bool) -> u32 {
        let apqn = Apqn::from_qid(qid);
        let s = self.reset(apqn, fbit, Insn::Rapq).raw();
        self.record(apqn, Insn::Rapq, s)
    }

    /// ZAPQ: reset and zeroize the queue `qid` (`fbit` as for RAPQ). The simulator
    /// holds no key material, so ZAPQ and RAPQ behave the same.
    pub fn zapq(&mut self, qid: u32, fbit: bool) -> u32 {
        let apqn = Apqn::from_qid(qid);
        let s = self.reset(apqn, fbit, Insn::Zapq).raw();
        self.record(apqn, Insn::Zapq, s)
    }

    fn reset(&mut self, apqn: Apqn, fbit: bool, insn: Insn) -> QueueStatus {
        let polls = self.config.reset_polls;
        let never = self.faults.reset_never(apqn);
        let q = match self.ready_queue(apqn, insn) {
            Ok((_, q)) => q,
            Err(s) => return s,
        };
        q.flush();
        q.irq = IrqState::Off;
        q.nib = 0;
        q.isc = 0;
        if fbit {
            q.bind = BindState::Unbound;
        }
        q.reset = if polls == 0 && !never {
            ResetState::Idle
        } else {
            ResetState::InProgress { polls_left: polls }
        };
        QueueStatus {
            queue_empty: true,
            ..QueueStatus::rc(RC_NORMAL)
        }
    }

    /// QCI: the 128-byte configuration block.
    pub fn qci(&mut self) -> [u8; QCI_LEN] {
        self.counters.record(None, Insn::Qci, 0);
        self.config.qci_block()
    }

    /// AQIC: enable (`ir` set in `qirqctrl`) or disable interrupts of `qid`, with the
    /// notification indicator byte address `nib`.
    ///
    /// Enabling needs a non-zero `nib` (else 0x06). The change is asynchronous: the
    /// returned status still shows the old `irq_enabled` bit, the next TAPQ/NQAP/DQAP
    /// the new one. Asking for the state the queue is already in (or moving to) gives
    /// 0x07; asking for the opposite while a change is pending gives 0x05 (busy), and
    /// the pending change completes then, as the machine's would meanwhile: a caller
    /// that retries AQIC alone (as upstream's disable loop does) gets through.
    pub fn aqic(&mut self, qid: u32, qirqctrl: u64, nib: u64) -> u32 {
        let apqn = Apqn::from_qid(qid);
        let s = self
            .aqic_status(apqn, QirqCtrl::from_raw(qirqctrl), nib)
            .raw();
        self.record(apqn, Insn::Aqic, s)
    }

    fn aqic_status(&mut self, apqn: Apqn, ctrl: QirqCtrl, nib: u64) -> QueueStatus {
        let (a, q) = match self.ready_queue(apqn, Insn::Aqic) {
            Ok(ready) => ready,
            Err(s) => return s,
        };
        let before = queue_status(q, a.slots(), RC_NORMAL);
        let rc = match (ctrl.ir, q.irq) {
            (true, _) if nib == 0 => RC_INVALID_ADDRESS,
            (true, IrqState::Off) => {
                q.irq = IrqState::Enabling;
                q.nib = nib;
                q.isc = ctrl.isc;
                RC_NORMAL
            }
            (false, IrqState::On) => {
                q.irq = IrqState::Disabling;
                RC_NORMAL
            }
            (true, IrqState::Disabling) | (false, IrqState::Enabling) => {
                settle_irq(q);
                RC_BUSY
            }
            (true, IrqState::On | IrqState::Enabling)
            | (false, IrqState::Off | IrqState::Disabling) => RC_OTHERWISE_CHANGED,
        };
        QueueStatus {
            response_code: rc,
            ..before
        }
    }

    /// QACT: query the compatibility of `qid` with the type and mode in `apinfo`.
    ///
    /// Needs the QCI `qact` flag (else 0x16). With `ifbit` the adapter's own mode and
    /// type are returned. Otherwise `cat` is the requested type capped at the adapter's
    /// type when the requested mode is 0 or the adapter's mode, and 0 (incompatible)
    /// when the mode differs or the requested type is below CEX4.
    pub fn qact(&mut self, qid: u32, ifbit: bool, apinfo: u64) -> QactResult {
        let apqn = Apqn::from_qid(qid);
        let (s, out) = self.qact_inner(apqn, ifbit, QactApInfo::from_raw(apinfo));
        let status = self.record(apqn, Insn::Qact, s.raw());
        QactResult {
            status,
            apinfo: out.raw(),
        }
    }

    fn qact_inner(
        &mut self,
        apqn: Apqn,
        ifbit: bool,
        req: QactApInfo,
    ) -> (QueueStatus, QactApInfo) {
        let a = match self.gate(apqn, Insn::Qact) {
            Ok(a) => a,
            Err(s) => return (s, QactApInfo::default()),
        };
        if !self.config.flags.qact {
            return (QueueStatus::rc(RC_REQ_FAC_NOT_INST), QactApInfo::default());
        }
        let mode = a.mode.qact_bits();
        let at = a.card_type.at();
        let out = if ifbit {
            QactApInfo {
                mode,
                cat: at,
                ver: 0,
            }
        } else if (req.mode == 0 || req.mode == mode) && req.cat >= 10 {
            QactApInfo {
                mode,
                cat: req.cat.min(at),
                ver: 0,
            }
        } else {
            QactApInfo {
                mode: req.mode,
                cat: 0,
                ver: 0,
            }
        };
        let st = self
            .queues
            .get(apqn)
            .map_or(QueueStatus::rc(RC_NORMAL), |q| {
                queue_status(q, a.slots(), RC_NORMAL)
            });
        (st, out)
    }

    /// BAPQ: bind the queue (secure execution). Without the QCI `apsb` flag: 0x16.
    /// An unbound queue becomes bound (TAPQ `bs` 2 -> 1); a bound one gives 0x30.
    pub fn bapq(&mut self, qid: u32) -> u32 {
        let apqn = Apqn::from_qid(qid);
        let s = self.bind_inner(apqn, None).raw();
        self.record(apqn, Insn::Bapq, s)
    }

    /// AAPQ: associate the bound queue with secret `sec_idx` (TAPQ `bs` 1 -> 0).
    /// Without `apsb`: 0x16; not bound: 0x0B; index above 0xffff: 0x11.
    pub fn aapq(&mut self, qid: u32, sec_idx: u32) -> u32 {
        let apqn = Apqn::from_qid(qid);
        let s = self.bind_inner(apqn, Some(sec_idx)).raw();
        self.record(apqn, Insn::Aapq, s)
    }

    fn bind_inner(&mut self, apqn: Apqn, assoc: Option<u32>) -> QueueStatus {
        let insn = if assoc.is_some() {
            Insn::Aapq
        } else {
            Insn::Bapq
        };
        let a = match self.gate(apqn, insn) {
            Ok(a) => a,
            Err(s) => return s,
        };
        if !self.config.flags.apsb {
            return QueueStatus::rc(RC_REQ_FAC_NOT_INST);
        }
        let Some(q) = self.queues.get_mut(apqn) else {
            return QueueStatus::rc(RC_Q_NOT_AVAIL);
        };
        if matches!(q.reset, ResetState::InProgress { .. }) {
            return resetting_status();
        }
        let rc = match (assoc, q.bind) {
            (None, BindState::Unbound) => {
                q.bind = BindState::Bound;
                RC_NORMAL
            }
            (None, _) => RC_Q_BIND_ERROR,
            (Some(_), BindState::Unbound) => RC_Q_NOT_BOUND,
            (Some(idx), _) if idx > 0xffff => RC_INDEX_TOO_BIG,
            (Some(idx), _) => {
                q.bind = BindState::Associated(idx);
                RC_NORMAL
            }
        };
        queue_status(q, a.slots(), rc)
    }

    /// NQAP: enqueue request `psmid` with text `msg` on `qid`.
    ///
    /// Accepted requests (0x00) are answered by later DQAPs in order, each with
    /// [`ERROR_REPLY`]. Full queue (`qd + 1` requests pending): 0x10 with `queue_full`;
    /// message above 12 KiB: 0x15; reset in progress: 0x02.
    pub fn nqap(&mut self, qid: u32, psmid: u64, msg: &[u8]) -> u32 {
        let apqn = Apqn::from_qid(qid);
        let s = self.nqap_status(apqn, psmid, msg.len()).raw();
        self.record(apqn, Insn::Nqap, s)
    }

    fn nqap_status(&mut self, apqn: Apqn, psmid: u64, len: usize) -> QueueStatus {
        let (a, q) = match self.ready_queue(apqn, Insn::Nqap) {
            Ok(ready) => ready,
            Err(s) => return s,
        };
        settle_irq(q);
        if len > DEFAULT_MAX_MSG_SIZE {
            return queue_status(q, a.slots(), RC_MESSAGE_TOO_BIG);
        }
        if !q.push(psmid, a.slots()) {
            return queue_status(q, a.slots(), RC_Q_FULL);
        }
        queue_status(q, a.slots(), RC_NORMAL)
    }

    /// DQAP: dequeue the oldest reply of `qid` into `out`.
    ///
    /// No reply: 0x10 (`queue_empty` set). A buffer smaller than the remaining reply
    /// gives a partial result (see [`DqapResult::remaining`]).
    pub fn dqap(&mut self, qid: u32, out: &mut [u8]) -> DqapResult {
        let apqn = Apqn::from_qid(qid);
        let mut r = self.dqap_inner(apqn, out);
        r.status = self.record(apqn, Insn::Dqap, r.status);
        r
    }

    fn dqap_inner(&mut self, apqn: Apqn, out: &mut [u8]) -> DqapResult {
        let (a, q) = match self.ready_queue(apqn, Insn::Dqap) {
            Ok(ready) => ready,
            Err(s) => return DqapResult::status_only(s),
        };
        settle_irq(q);
        let Some(psmid) = q.head_psmid() else {
            return DqapResult::status_only(queue_status(q, a.slots(), RC_NO_PENDING_REPLY));
        };
        let rest = ERROR_REPLY.get(q.delivered()..).unwrap_or(&[]);
        let n = rest.len().min(out.len());
        if let (Some(dst), Some(src)) = (out.get_mut(..n), rest.get(..n)) {
            dst.copy_from_slice(src);
        }
        if n < rest.len() {
            let done = q.delivered() + n;
            q.set_delivered(done);
            return DqapResult {
                status: queue_status(q, a.slots(), RC_NORMAL).raw(),
                psmid,
                length: n,
                remaining: rest.len() - n,
            };
        }
        q.pop();
        DqapResult {
            status: queue_status(q, a.slots(), RC_NORMAL).raw(),
            psmid,
            length: n,
            remaining: 0,
        }
    }
}
