// SPDX-License-Identifier: GPL-2.0-only

//! Running queue resets: the `ap_matrix` state machine decides, this issues the
//! instructions and sleeps.
//!
//! A batch resets its queues in parallel, as upstream's work items do: every ZAPQ
//! is issued first, then all queues are polled in lockstep, one 20 ms sleep per
//! round. Each machine bounds its own wait (5 s), so a whole batch ends within
//! about 5 s however many of its queues never finish, and no caller waits without
//! limit while holding the driver's locks.

use kernel::prelude::*;

use crate::ap_matrix::id::Apqn;
use crate::ap_matrix::reset::{ResetAction, ResetMachine, ResetOutcome, ResetWarning};
use crate::sys::{ap, delay, log};

/// The rate limit of the "Waited ... for reset" notices.
static WAITED: log::Ratelimit = log::Ratelimit::new();

/// One queue of a batch: its machine and the action it waits on.
struct Pending {
    machine: ResetMachine,
    action: ResetAction,
}

impl Pending {
    fn new(apqn: Apqn) -> Self {
        let mut machine = ResetMachine::new(apqn);
        let action = machine.start();
        Self { machine, action }
    }

    /// Performs every action that needs no sleep; stops at a poll or at the end.
    fn advance(&mut self) {
        loop {
            self.action = match self.action {
                ResetAction::IssueZapq => self.machine.zapq_done(ap::zapq(self.machine.apqn())),
                // No guest can have enabled interrupts yet (no PQAP/AQIC support), so
                // there are no interrupt resources to release.
                ResetAction::FreeIrqResources { .. } => self.machine.irq_freed(),
                ResetAction::PollTapqAfter { .. } | ResetAction::Done(_) => return,
            };
        }
    }
}

/// Resets every queue of `apqns` in parallel and waits until each reset is
/// verified, fails, or runs out of time; `done` gets each queue's outcome.
pub(crate) fn reset_queues(
    apqns: impl IntoIterator<Item = Apqn>,
    mut done: impl FnMut(Apqn, ResetOutcome),
) {
    let mut batch = KVec::new();
    for apqn in apqns {
        if batch.push(Pending::new(apqn), GFP_KERNEL).is_err() {
            // Out of memory for the batch: this queue is reset on its own.
            run(core::slice::from_mut(&mut Pending::new(apqn)), &mut done);
        }
    }
    run(&mut batch, &mut done);
}

fn run(batch: &mut [Pending], done: &mut impl FnMut(Apqn, ResetOutcome)) {
    loop {
        let mut sleep_ms = 0;
        for pending in batch.iter_mut() {
            pending.advance();
            if let ResetAction::PollTapqAfter { ms, notice } = pending.action {
                sleep_ms = sleep_ms.max(ms);
                if let Some(n) = notice {
                    log::notice_ratelimited(
                        &WAITED,
                        format_args!(
                            "Waited {}ms for reset of queue {:02x}.{:04x} ({}, {}, {})\n",
                            n.elapsed_ms,
                            n.apqn.apid.0,
                            n.apqn.apqi.0,
                            n.response_code,
                            u8::from(n.queue_empty),
                            u8::from(n.irq_enabled)
                        ),
                    );
                }
            }
        }
        if sleep_ms == 0 {
            break;
        }
        delay::msleep(sleep_ms);
        for pending in batch.iter_mut() {
            if let ResetAction::PollTapqAfter { .. } = pending.action {
                pending.action = pending
                    .machine
                    .tapq_done(ap::tapq(pending.machine.apqn()).0);
            }
        }
    }
    for pending in batch.iter() {
        if let ResetAction::Done(outcome) = pending.action {
            log_outcome(pending.machine.apqn(), &outcome);
            done(pending.machine.apqn(), outcome);
        }
    }
}

/// Upstream `WARN`s here; a warning line without a backtrace says the same without
/// looking like a kernel bug.
fn log_outcome(apqn: Apqn, outcome: &ResetOutcome) {
    match outcome.warning {
        Some(ResetWarning::InvalidZapqRc(rc)) => pr_warn!(
            "PQAP/ZAPQ for {:02x}.{:04x} failed with invalid rc={}\n",
            apqn.apid.0,
            apqn.apqi.0,
            rc
        ),
        Some(ResetWarning::VerifyFailed(rc)) => pr_warn!(
            "failed to verify reset of queue {:02x}.{:04x}: TAPQ rc={}\n",
            apqn.apid.0,
            apqn.apqi.0,
            rc
        ),
        None => {}
    }
    if outcome.timed_out {
        pr_warn!(
            "reset of queue {:02x}.{:04x} not verified within {}ms; the queue is kept from guests\n",
            apqn.apid.0,
            apqn.apqi.0,
            outcome.elapsed_ms
        );
    }
}
