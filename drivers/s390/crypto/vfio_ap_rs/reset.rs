// SPDX-License-Identifier: GPL-2.0-only

//! Running queue resets: the `ap_matrix` state machines decide and
//! `ap_matrix::reset_batch` orders them as upstream does (every ZAPQ first, then the
//! verifications side by side, RST-14); this issues the instructions, sleeps and
//! logs. Each machine bounds its wait (5 s), and the queues of a batch wait together,
//! so no caller waits long while holding the driver's locks.

use kernel::prelude::*;

use crate::ap_matrix::errno::Errno;
use crate::ap_matrix::id::Apqn;
use crate::ap_matrix::reset::{
    merge_results, BusyNotice, ResetMachine, ResetOutcome, ResetWarning,
};
use crate::ap_matrix::reset_batch::{self, ResetIo};
use crate::ap_matrix::shadow::QueueSet;
use crate::ap_matrix::status_word::QueueStatus;
use crate::bound_queues::BoundQueues;
use crate::kernel_ext::{ap, delay, dev_print};

/// The rate limit of the "Waited ... for reset" notices.
static WAITED: dev_print::Ratelimit = dev_print::Ratelimit::new();

/// At most this many queues are reset side by side; the queues of a larger set are
/// reset in batches of this size, one batch after the other (11 KiB of state each).
const BATCH_MAX: usize = 256;

/// The real instructions, sleeps and log lines; `release_irq` releases a queue's
/// interrupt resources (its NIB page and guest subclass).
struct KernelIo<'a> {
    release_irq: &'a mut dyn FnMut(Apqn),
}

impl ResetIo for KernelIo<'_> {
    fn zapq(&mut self, apqn: Apqn) -> QueueStatus {
        ap::zapq(apqn)
    }

    fn tapq(&mut self, apqn: Apqn) -> QueueStatus {
        ap::tapq(apqn)
    }

    fn sleep_ms(&mut self, ms: u32) {
        delay::msleep(ms);
    }

    fn busy_notice(&mut self, n: &BusyNotice) {
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

    // A queue's NIB page and subclass are registered together, so "only if an ISC
    // is registered" is the same as "if any".
    fn free_irq_resources(&mut self, apqn: Apqn, _only_if_isc_valid: bool) {
        (self.release_irq)(apqn);
    }
}

/// Resets every queue of `set` that is bound to the driver, side by side, records
/// in `queues` whether each stays passable, and returns the result of them all
/// (`EIO` if a queue's last ZAPQ failed, `ETIMEDOUT` if one did not settle). Every
/// queue is reset whatever the others do.
pub(crate) fn reset_bound(
    set: &QueueSet,
    queues: &mut BoundQueues,
    release_irq: &mut dyn FnMut(Apqn),
) -> Result<(), Errno> {
    let mut result = Ok(());
    let mut batch = KVec::new();
    for apqn in set.iter() {
        if !queues.is_bound(apqn) {
            continue;
        }
        if batch.push(ResetMachine::new(apqn), GFP_KERNEL).is_err() {
            // Out of memory: this queue alone, its state on the stack.
            let alone = &mut [ResetMachine::new(apqn)];
            result = merge_results(result, finish(alone, queues, release_irq));
            continue;
        }
        if batch.len() == BATCH_MAX {
            result = merge_results(result, finish(&mut batch, queues, release_irq));
            batch = KVec::new();
        }
    }
    merge_results(result, finish(&mut batch, queues, release_irq))
}

/// Resets `apqn` alone and records whether it stays passable.
pub(crate) fn reset_one(
    apqn: Apqn,
    queues: &mut BoundQueues,
    release_irq: &mut dyn FnMut(Apqn),
) -> Result<(), Errno> {
    finish(&mut [ResetMachine::new(apqn)], queues, release_irq)
}

/// Runs `batch` to its end, logs and records each outcome; their combined result.
fn finish(
    batch: &mut [ResetMachine],
    queues: &mut BoundQueues,
    release_irq: &mut dyn FnMut(Apqn),
) -> Result<(), Errno> {
    reset_batch::run(batch, &mut KernelIo { release_irq });
    let mut result = Ok(());
    for m in batch.iter() {
        let outcome = m.outcome();
        log_outcome(m.apqn(), &outcome);
        queues.set_passable(m.apqn(), outcome.passable());
        result = merge_results(result, outcome.result());
    }
    result
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
