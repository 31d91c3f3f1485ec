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

use super::errno::Errno;
use super::id::Apqn;
use super::shadow::reset_rc_passable;
use super::status_word::*;

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
/// Every outcome is taken, so an iterator that performs the resets as it goes runs
/// all of them whatever the earlier ones did.
pub fn batch_result(outcomes: impl IntoIterator<Item = ResetOutcome>) -> Result<(), Errno> {
    let mut result = Ok(());
    for o in outcomes {
        result = merge_results(result, o.result());
    }
    result
}

/// Two partial results of a batch as one: `ETIMEDOUT` wins over `EIO`, which wins
/// over success (the rule of [`batch_result`]).
pub fn merge_results(a: Result<(), Errno>, b: Result<(), Errno>) -> Result<(), Errno> {
    match (a, b) {
        (Err(Errno::ETIMEDOUT), _) | (_, Err(Errno::ETIMEDOUT)) => Err(Errno::ETIMEDOUT),
        (Err(e), _) | (_, Err(e)) => Err(e),
        (Ok(()), Ok(())) => Ok(()),
    }
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

    /// The action the machine waits to have performed (after [`ResetMachine::start`]).
    pub fn pending(&self) -> ResetAction {
        self.pending
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

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    const Q: Apqn = Apqn::new(5, 0x47);

    fn st(rc: u8) -> QueueStatus {
        QueueStatus::with_rc(rc)
    }

    fn poll() -> ResetAction {
        ResetAction::PollTapqAfter {
            ms: 20,
            notice: None,
        }
    }

    /// Runs a machine against scripted ZAPQ and TAPQ answers; returns the actions.
    fn run(m: &mut ResetMachine, zapqs: &[u8], tapqs: &[u8]) -> Vec<ResetAction> {
        let mut zi = zapqs.iter();
        let mut ti = tapqs.iter();
        let mut out = Vec::new();
        let mut a = m.start();
        loop {
            out.push(a);
            a = match a {
                ResetAction::IssueZapq => m.zapq_done(st(*zi.next().expect("zapq script"))),
                ResetAction::PollTapqAfter { .. } => {
                    m.tapq_done(st(*ti.next().expect("tapq script")))
                }
                ResetAction::FreeIrqResources { .. } => m.irq_freed(),
                ResetAction::Done(_) => return out,
            };
        }
    }

    fn outcome(actions: &[ResetAction]) -> ResetOutcome {
        match actions.last() {
            Some(ResetAction::Done(o)) => *o,
            other => panic!("not done: {other:?}"),
        }
    }

    #[test]
    fn rst_01_rst_04_normal_reset_is_verified_then_ok() {
        let mut m = ResetMachine::new(Q);
        let a = run(&mut m, &[0], &[0]);
        assert_eq!(a[0], ResetAction::IssueZapq);
        assert_eq!(a[1], poll(), "even NORMAL is verified after 20 ms");
        assert_eq!(
            a[2],
            ResetAction::FreeIrqResources {
                only_if_isc_valid: true
            }
        );
        let o = outcome(&a);
        assert_eq!(o.result(), Ok(()));
        assert_eq!(o.elapsed_ms, 20);
        assert!(o.passable() && m.is_done());
    }

    #[test]
    fn rst_02_nonzero_final_zapq_is_eio() {
        for rc in [0x01u8, 0x03, 0x04] {
            let mut m = ResetMachine::new(Q);
            let o = outcome(&run(&mut m, &[rc], &[]));
            assert_eq!(o.result(), Err(Errno::EIO), "rc {rc}");
            assert_eq!(o.passable(), rc != 0x01);
        }
        let ok = outcome(&run(&mut ResetMachine::new(Q), &[0], &[0]));
        let deconf = outcome(&run(&mut ResetMachine::new(Q), &[3], &[]));
        assert_eq!(batch_result([ok, ok]), Ok(()));
        assert_eq!(batch_result([ok, deconf]), Err(Errno::EIO));
    }

    #[test]
    fn rst_05_in_flight_zapq_codes_are_followed_by_another_zapq() {
        for rc in [0x02u8, 0x05, 0x0a] {
            let mut m = ResetMachine::new(Q);
            let a = run(&mut m, &[rc, 0], &[0x02, 0, 0]);
            assert_eq!(
                a,
                [
                    ResetAction::IssueZapq,
                    poll(),
                    ResetAction::PollTapqAfter {
                        ms: 20,
                        notice: Some(BusyNotice {
                            elapsed_ms: 20,
                            apqn: Q,
                            response_code: 0x02,
                            queue_empty: false,
                            irq_enabled: false
                        })
                    },
                    ResetAction::IssueZapq,
                    poll(),
                    ResetAction::FreeIrqResources {
                        only_if_isc_valid: true
                    },
                    a[6],
                ]
            );
            assert_eq!(outcome(&a).result(), Ok(()));
            assert_eq!(outcome(&a).elapsed_ms, 60);
        }
    }

    #[test]
    fn rst_06_association_failures_trigger_another_zapq() {
        for rc in [0x35u8, 0x36] {
            let mut m = ResetMachine::new(Q);
            let a = run(&mut m, &[0, 0], &[rc, 0]);
            assert_eq!(a[2], ResetAction::IssueZapq);
            assert_eq!(outcome(&a).result(), Ok(()));
        }
    }

    #[test]
    fn rst_07_busy_notice_carries_status_bits() {
        let mut m = ResetMachine::new(Q);
        m.start();
        m.zapq_done(st(0));
        let busy = QueueStatus {
            queue_empty: true,
            irq_enabled: true,
            ..st(0x05)
        };
        match m.tapq_done(busy) {
            ResetAction::PollTapqAfter {
                ms: 20,
                notice: Some(n),
            } => {
                assert_eq!(
                    (n.elapsed_ms, n.response_code, n.queue_empty, n.irq_enabled),
                    (20, 5, true, true)
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rst_08_rst_09_interrupt_resources_are_freed() {
        let a = run(&mut ResetMachine::new(Q), &[0], &[0]);
        assert!(a.contains(&ResetAction::FreeIrqResources {
            only_if_isc_valid: true
        }));
        for rc in [0x01u8, 0x03, 0x04] {
            let a = run(&mut ResetMachine::new(Q), &[rc], &[]);
            assert_eq!(
                a[1],
                ResetAction::FreeIrqResources {
                    only_if_isc_valid: false
                },
                "no polling for {rc}"
            );
            assert_eq!(a.len(), 3);
        }
    }

    #[test]
    fn rst_10_invalid_zapq_code_warns_and_stops() {
        let a = run(&mut ResetMachine::new(Q), &[0x06], &[]);
        assert_eq!(a.len(), 2);
        let o = outcome(&a);
        assert_eq!(o.warning, Some(ResetWarning::InvalidZapqRc(0x06)));
        assert_eq!(o.result(), Err(Errno::EIO));
        assert!(!o.passable());
    }

    #[test]
    fn rst_11_tapq_not_available_frees_other_codes_warn() {
        let a = run(&mut ResetMachine::new(Q), &[0], &[0x01]);
        assert_eq!(
            a[2],
            ResetAction::FreeIrqResources {
                only_if_isc_valid: false
            }
        );
        assert_eq!(outcome(&a).warning, None);
        let a = run(&mut ResetMachine::new(Q), &[0], &[0x42]);
        assert_eq!(a.len(), 3, "no freeing after an unexpected TAPQ code");
        assert_eq!(outcome(&a).warning, Some(ResetWarning::VerifyFailed(0x42)));
        // As upstream, the batch result only looks at the last ZAPQ status.
        assert_eq!(outcome(&a).result(), Ok(()));
    }

    #[test]
    fn rst_12_busy_forever_times_out_at_the_bound() {
        let mut m = ResetMachine::with_bound(Q, 100);
        let a = run(&mut m, &[0], &[5; 10]);
        let o = outcome(&a);
        assert!(o.timed_out);
        assert_eq!(o.elapsed_ms, 100);
        assert_eq!(o.result(), Err(Errno::ETIMEDOUT));
        assert!(!o.passable());
        assert!(!a
            .iter()
            .any(|x| matches!(x, ResetAction::FreeIrqResources { .. })));
        let ok = outcome(&run(&mut ResetMachine::new(Q), &[0], &[0]));
        let deconf = outcome(&run(&mut ResetMachine::new(Q), &[3], &[]));
        assert_eq!(batch_result([deconf, o, ok]), Err(Errno::ETIMEDOUT));
        assert_eq!(batch_result([o, deconf]), Err(Errno::ETIMEDOUT));
        // A lazy batch runs every reset even after one timed out.
        let mut ran = 0;
        let lazy = [o, ok, deconf].into_iter().inspect(|_| ran += 1);
        assert_eq!(batch_result(lazy), Err(Errno::ETIMEDOUT));
        assert_eq!(ran, 3);
        assert_eq!(DEFAULT_RESET_BOUND_MS, ResetMachine::new(Q).bound_ms());
        // A re-zap loop (ZAPQ keeps answering 0x02) is bounded too.
        let o = outcome(&run(&mut ResetMachine::with_bound(Q, 60), &[2; 8], &[0; 8]));
        assert!(o.timed_out && o.elapsed_ms == 60);
    }

    #[test]
    fn out_of_order_calls_repeat_the_pending_action() {
        let mut m = ResetMachine::new(Q);
        assert_eq!(m.tapq_done(st(0)), ResetAction::IssueZapq);
        assert_eq!(m.start(), ResetAction::IssueZapq);
        assert_eq!(m.irq_freed(), ResetAction::IssueZapq);
        assert_eq!(m.zapq_done(st(0)), poll());
        assert_eq!(m.zapq_done(st(0)), poll());
        assert_eq!(m.start(), poll());
    }
}
