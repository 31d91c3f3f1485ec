// SPDX-License-Identifier: GPL-2.0-only

//! The queue reset state machine (§5): ZAPQ, then TAPQ verification every 20 ms,
//! re-issuing ZAPQ where upstream does, freeing interrupt resources, and a bounded
//! total wait.
//!
//! The machine is pure. The kernel drives it: it performs each [`ResetAction`] with
//! the real instruction, a sleep or the interrupt-resource release, and feeds the
//! resulting status word back:
//!
//! ```text
//! start()            -> IssueZapq
//! zapq_done(status)  -> PollTapqAfter { ms } | FreeIrqResources { .. } | Done(..)
//! tapq_done(status)  -> PollTapqAfter { ms } | IssueZapq | FreeIrqResources { .. } | Done(..)
//! irq_freed()        -> Done(..)
//! ```
//!
//! # The bound (a deliberate difference, RST-12, R10)
//!
//! Upstream polls without limit, and its callers wait while holding the guests lock,
//! the KVM lock and the mdevs lock: one queue stuck in BUSY or RESET IN PROGRESS
//! freezes the whole driver. Here the total sleep time of one reset is bounded by
//! [`ResetMachine::bound_ms`], [`DEFAULT_RESET_BOUND_MS`] (5 s) unless the caller
//! chooses another. The AP bus itself declares a reset timed out after 0.7 s, and a
//! healthy queue settles within a few polls, so 5 s (250 polls) only cuts off queues
//! that are genuinely stuck. When the bound would be exceeded the machine stops with
//! `ETIMEDOUT`, distinct from the `EIO` of a reset that completed with a non-zero
//! response code, so `VFIO_DEVICE_RESET` and the logs tell the two apart. A timed-out
//! queue keeps its interrupt resources (its state is unknown, so the notification
//! byte stays pinned rather than be freed under a queue that may still post to it)
//! and is not passable ([`ResetOutcome::passable`]), so filtering keeps its adapter
//! away from the guest.

use crate::errno::Errno;
use crate::id::Apqn;
use crate::shadow::reset_rc_passable;
use crate::status::*;

/// The TAPQ poll interval (`AP_RESET_INTERVAL`).
pub const AP_RESET_INTERVAL_MS: u32 = 20;

/// The default bound on the total wait of one queue reset.
pub const DEFAULT_RESET_BOUND_MS: u32 = 5_000;

/// What the kernel must do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResetAction {
    /// Issue ZAPQ (F=0) and report its status with [`ResetMachine::zapq_done`].
    IssueZapq,
    /// Sleep `ms`, then issue TAPQ (no T bit) and report it with
    /// [`ResetMachine::tapq_done`]. `notice` is set when the previous TAPQ found the
    /// queue busy: log `Waited %dms for reset of queue %02x.%04x (%u, %u, %u)`
    /// (rate-limited, RST-07).
    PollTapqAfter {
        /// Milliseconds to sleep first.
        ms: u32,
        /// The busy notice to log, if any.
        notice: Option<BusyNotice>,
    },
    /// Release the queue's interrupt resources (GISC registration, pinned NIB) and
    /// call [`ResetMachine::irq_freed`]. With `only_if_isc_valid` upstream releases
    /// them only when an ISC is registered.
    FreeIrqResources {
        /// Release only if an interrupt subclass is registered.
        only_if_isc_valid: bool,
    },
    /// The reset is over.
    Done(ResetOutcome),
}

/// The data of the rate-limited "Waited ... for reset" notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BusyNotice {
    /// Milliseconds waited so far.
    pub elapsed_ms: u32,
    /// The queue.
    pub apqn: Apqn,
    /// TAPQ response code.
    pub response_code: u8,
    /// TAPQ queue-empty bit.
    pub queue_empty: bool,
    /// TAPQ IR bit.
    pub irq_enabled: bool,
}

/// A `WARN` the kernel must emit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResetWarning {
    /// `PQAP/ZAPQ for %02x.%04x failed with invalid rc=%u` (RST-10).
    InvalidZapqRc(u8),
    /// `failed to verify reset of queue %02x.%04x: TAPQ rc=%u` (RST-11).
    VerifyFailed(u8),
}

/// How one queue reset ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ResetOutcome {
    /// The status of the last ZAPQ: the queue's `reset_status`, which decides
    /// passability and the batch result.
    pub last_zapq: QueueStatus,
    /// A warning to emit, if any.
    pub warning: Option<ResetWarning>,
    /// The bound was reached before the queue settled.
    pub timed_out: bool,
    /// Total milliseconds slept.
    pub elapsed_ms: u32,
}

impl ResetOutcome {
    /// This queue's contribution to a batch result: `ETIMEDOUT` if it timed out,
    /// else `EIO` unless the last ZAPQ ended with 0x00 (RST-01, RST-02: also for
    /// DECONFIGURED and CHECKSTOPPED).
    pub fn result(&self) -> Result<(), Errno> {
        if self.timed_out {
            Err(Errno::ETIMEDOUT)
        } else if self.last_zapq.response_code != AP_RESPONSE_NORMAL {
            Err(Errno::EIO)
        } else {
            Ok(())
        }
    }

    /// Whether the queue may be passed to a guest afterwards (FLT-09); a timed-out
    /// queue never is.
    pub fn passable(&self) -> bool {
        !self.timed_out && reset_rc_passable(self.last_zapq.response_code)
    }
}

/// The result of a batch of resets (`reset_queues`, `reset_qlist`): `ETIMEDOUT` if
/// any queue timed out, else `EIO` if any ended with a non-zero ZAPQ code, else Ok.
pub fn batch_result(outcomes: impl IntoIterator<Item = ResetOutcome>) -> Result<(), Errno> {
    let mut result = Ok(());
    for o in outcomes {
        match o.result() {
            Err(Errno::ETIMEDOUT) => return Err(Errno::ETIMEDOUT),
            Err(e) => result = Err(e),
            Ok(()) => {}
        }
    }
    result
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Phase {
    Idle,
    InitialZapq,
    WorkerZapq,
    Polling,
    FreeingIrq,
    Done,
}

/// The reset of one queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ResetMachine {
    apqn: Apqn,
    bound_ms: u32,
    phase: Phase,
    pending: ResetAction,
    outcome: ResetOutcome,
}

impl ResetMachine {
    /// A reset of `apqn` with the default bound.
    pub fn new(apqn: Apqn) -> Self {
        Self::with_bound(apqn, DEFAULT_RESET_BOUND_MS)
    }

    /// A reset of `apqn` whose sleeps add up to at most `bound_ms`.
    pub fn with_bound(apqn: Apqn, bound_ms: u32) -> Self {
        Self {
            apqn,
            bound_ms,
            phase: Phase::Idle,
            pending: ResetAction::IssueZapq,
            outcome: ResetOutcome {
                last_zapq: QueueStatus::with_rc(AP_RESPONSE_NORMAL),
                warning: None,
                timed_out: false,
                elapsed_ms: 0,
            },
        }
    }

    /// The queue.
    pub fn apqn(&self) -> Apqn {
        self.apqn
    }

    /// The bound on the total wait.
    pub fn bound_ms(&self) -> u32 {
        self.bound_ms
    }

    /// The outcome so far (final once [`ResetAction::Done`] was returned).
    pub fn outcome(&self) -> ResetOutcome {
        self.outcome
    }

    /// Whether the machine has finished.
    pub fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }

    fn emit(&mut self, phase: Phase, action: ResetAction) -> ResetAction {
        self.phase = phase;
        self.pending = action;
        action
    }

    fn finish(&mut self) -> ResetAction {
        let outcome = self.outcome;
        self.emit(Phase::Done, ResetAction::Done(outcome))
    }

    fn poll(&mut self, notice: Option<BusyNotice>) -> ResetAction {
        let next = self.outcome.elapsed_ms.saturating_add(AP_RESET_INTERVAL_MS);
        if next > self.bound_ms {
            self.outcome.timed_out = true;
            return self.finish();
        }
        self.outcome.elapsed_ms = next;
        self.emit(
            Phase::Polling,
            ResetAction::PollTapqAfter {
                ms: AP_RESET_INTERVAL_MS,
                notice,
            },
        )
    }

    fn free_irq(&mut self, only_if_isc_valid: bool) -> ResetAction {
        self.emit(
            Phase::FreeingIrq,
            ResetAction::FreeIrqResources { only_if_isc_valid },
        )
    }

    /// Starts the reset: issue ZAPQ. Calling it again later repeats the pending
    /// action.
    pub fn start(&mut self) -> ResetAction {
        if self.phase != Phase::Idle {
            return self.pending;
        }
        self.emit(Phase::InitialZapq, ResetAction::IssueZapq)
    }

    /// Reports the status of the ZAPQ just issued.
    ///
    /// First ZAPQ (§5.1): 0x00, 0x02, 0x05, 0x0A → verify by polling (RST-04);
    /// 0x01, 0x03, 0x04 → free interrupt resources at once, no polling (RST-09);
    /// anything else → `WARN` and stop (RST-10). A ZAPQ re-issued during verification
    /// is always followed by another poll.
    pub fn zapq_done(&mut self, status: QueueStatus) -> ResetAction {
        match self.phase {
            Phase::InitialZapq => {
                self.outcome.last_zapq = status;
                match status.response_code {
                    AP_RESPONSE_NORMAL
                    | AP_RESPONSE_RESET_IN_PROGRESS
                    | AP_RESPONSE_BUSY
                    | AP_RESPONSE_STATE_CHANGE_IN_PROGRESS => self.poll(None),
                    AP_RESPONSE_DECONFIGURED
                    | AP_RESPONSE_CHECKSTOPPED
                    | AP_RESPONSE_Q_NOT_AVAIL => self.free_irq(false),
                    rc => {
                        self.outcome.warning = Some(ResetWarning::InvalidZapqRc(rc));
                        self.finish()
                    }
                }
            }
            Phase::WorkerZapq => {
                self.outcome.last_zapq = status;
                self.poll(None)
            }
            _ => self.pending,
        }
    }

    /// Reports the status of the TAPQ issued after a poll sleep (§5.2).
    ///
    /// * 0x00/0x03/0x04, or 0x35/0x36: if the last ZAPQ ended 0x02/0x05/0x0A, or the
    ///   code is 0x35/0x36, issue ZAPQ again (RST-05, RST-06); otherwise free the
    ///   interrupt resources if an ISC is registered and stop (RST-08);
    /// * 0x02/0x05: log the busy notice and poll again (RST-07);
    /// * 0x01: free the interrupt resources and stop (RST-11);
    /// * anything else: `WARN` and stop without freeing (RST-11).
    pub fn tapq_done(&mut self, status: QueueStatus) -> ResetAction {
        if self.phase != Phase::Polling {
            return self.pending;
        }
        match status.response_code {
            AP_RESPONSE_NORMAL
            | AP_RESPONSE_DECONFIGURED
            | AP_RESPONSE_CHECKSTOPPED
            | AP_RESPONSE_ASSOC_SECRET_NOT_UNIQUE
            | AP_RESPONSE_ASSOC_FAILED => {
                let again = matches!(
                    status.response_code,
                    AP_RESPONSE_ASSOC_SECRET_NOT_UNIQUE | AP_RESPONSE_ASSOC_FAILED
                ) || matches!(
                    self.outcome.last_zapq.response_code,
                    AP_RESPONSE_RESET_IN_PROGRESS
                        | AP_RESPONSE_BUSY
                        | AP_RESPONSE_STATE_CHANGE_IN_PROGRESS
                );
                if again {
                    self.emit(Phase::WorkerZapq, ResetAction::IssueZapq)
                } else {
                    self.free_irq(true)
                }
            }
            AP_RESPONSE_RESET_IN_PROGRESS | AP_RESPONSE_BUSY => {
                let notice = BusyNotice {
                    elapsed_ms: self.outcome.elapsed_ms,
                    apqn: self.apqn,
                    response_code: status.response_code,
                    queue_empty: status.queue_empty,
                    irq_enabled: status.irq_enabled,
                };
                self.poll(Some(notice))
            }
            AP_RESPONSE_Q_NOT_AVAIL => self.free_irq(false),
            rc => {
                self.outcome.warning = Some(ResetWarning::VerifyFailed(rc));
                self.finish()
            }
        }
    }

    /// Reports that the interrupt resources were released.
    pub fn irq_freed(&mut self) -> ResetAction {
        if self.phase != Phase::FreeingIrq {
            return self.pending;
        }
        self.finish()
    }
}
