// SPDX-License-Identifier: GPL-2.0-only

//! Running one queue reset: the `ap_matrix` state machine decides, this issues the
//! instructions and sleeps. The machine bounds the total wait (5 s per queue), so no
//! caller waits without limit while holding the driver's locks.

use kernel::prelude::*;

use crate::ap_matrix::id::Apqn;
use crate::ap_matrix::reset::{ResetAction, ResetMachine, ResetOutcome, ResetWarning};
use crate::kernel_ext::{ap, delay, dev_print};

/// The rate limit of the "Waited ... for reset" notices.
static WAITED: dev_print::Ratelimit = dev_print::Ratelimit::new();

/// Resets `apqn` and waits until the reset is verified, fails, or the bound runs
/// out.
pub(crate) fn reset_queue(apqn: Apqn) -> ResetOutcome {
    let mut machine = ResetMachine::new(apqn);
    let mut action = machine.start();
    loop {
        action = match action {
            ResetAction::IssueZapq => machine.zapq_done(ap::zapq(apqn)),
            ResetAction::PollTapqAfter { ms, notice } => {
                if let Some(n) = notice {
                    dev_print::notice_ratelimited(
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
                delay::msleep(ms);
                machine.tapq_done(ap::tapq(apqn).0)
            }
            // No guest can have enabled interrupts yet (no PQAP/AQIC support), so
            // there are no interrupt resources to release.
            ResetAction::FreeIrqResources { .. } => machine.irq_freed(),
            ResetAction::Done(outcome) => {
                log_outcome(apqn, &outcome);
                return outcome;
            }
        };
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
