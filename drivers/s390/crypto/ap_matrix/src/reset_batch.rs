// SPDX-License-Identifier: GPL-2.0-only

//! Resetting several queues at once, in upstream's order (RST-14): every queue's ZAPQ
//! is issued before any reset is verified, then the verifications run side by side.
//!
//! Upstream issues the ZAPQs one after another and queues one work item per queue
//! that polls it; the caller then waits for each. Here one task does the same in
//! rounds: one 20 ms sleep, then one TAPQ (and, where the machine says so, another
//! ZAPQ) per queue still resetting, in the batch's order. So a guest sees the same
//! sequence of instructions, and a batch waits at most one bound
//! ([`super::reset::DEFAULT_RESET_BOUND_MS`]) in all instead of one per queue: an
//! adapter with many stuck queues holds the driver's locks for 5 s, not minutes.

use super::id::Apqn;
use super::reset::{BusyNotice, ResetAction, ResetMachine};
use super::status_word::QueueStatus;

/// What a batch needs from the machine it runs on.
pub trait ResetIo {
    /// Issues ZAPQ (F=0) on `apqn`.
    fn zapq(&mut self, apqn: Apqn) -> QueueStatus;
    /// Issues TAPQ on `apqn`.
    fn tapq(&mut self, apqn: Apqn) -> QueueStatus;
    /// Sleeps `ms` milliseconds.
    fn sleep_ms(&mut self, ms: u32);
    /// Logs the rate-limited "Waited ... for reset" notice.
    fn busy_notice(&mut self, notice: &BusyNotice);
    /// Releases `apqn`'s interrupt resources (only if an ISC is registered when
    /// `only_if_isc_valid`).
    fn free_irq_resources(&mut self, apqn: Apqn, only_if_isc_valid: bool);
}

/// Runs every machine of `batch` (fresh from [`ResetMachine::new`]) to its end; each
/// machine's [`ResetMachine::outcome`] then holds its result.
pub fn run(batch: &mut [ResetMachine], io: &mut impl ResetIo) {
    for m in batch.iter_mut() {
        let first = m.start();
        advance(m, first, io);
    }
    while let Some(ms) = longest_wait(batch) {
        for m in batch.iter() {
            if let ResetAction::PollTapqAfter {
                notice: Some(n), ..
            } = m.pending()
            {
                io.busy_notice(&n);
            }
        }
        io.sleep_ms(ms);
        for m in batch.iter_mut() {
            if let ResetAction::PollTapqAfter { .. } = m.pending() {
                let next = m.tapq_done(io.tapq(m.apqn()));
                advance(m, next, io);
            }
        }
    }
}

/// The longest wait any machine asks for before its next TAPQ, if any still polls.
fn longest_wait(batch: &[ResetMachine]) -> Option<u32> {
    batch
        .iter()
        .filter_map(|m| match m.pending() {
            ResetAction::PollTapqAfter { ms, .. } => Some(ms),
            _ => None,
        })
        .max()
}

/// Performs `action` and what follows at once, until the machine waits or is done.
fn advance(m: &mut ResetMachine, mut action: ResetAction, io: &mut impl ResetIo) {
    loop {
        action = match action {
            ResetAction::IssueZapq => m.zapq_done(io.zapq(m.apqn())),
            ResetAction::FreeIrqResources { only_if_isc_valid } => {
                io.free_irq_resources(m.apqn(), only_if_isc_valid);
                m.irq_freed()
            }
            ResetAction::PollTapqAfter { .. } | ResetAction::Done(_) => return,
        };
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::errno::Errno;
    use crate::status_word::{AP_RESPONSE_NORMAL, AP_RESPONSE_RESET_IN_PROGRESS};
    use std::collections::BTreeMap;
    use std::string::String;
    use std::vec::Vec;
    use std::{format, vec};

    /// A machine where each queue answers from a script and every call is logged.
    #[derive(Default)]
    struct Fake {
        zapq: BTreeMap<Apqn, Vec<u8>>,
        tapq: BTreeMap<Apqn, Vec<u8>>,
        log: Vec<String>,
        slept: u32,
    }

    fn next(script: &mut BTreeMap<Apqn, Vec<u8>>, apqn: Apqn, last: u8) -> QueueStatus {
        let rc = script
            .get_mut(&apqn)
            .and_then(|s| {
                if s.is_empty() {
                    None
                } else {
                    Some(s.remove(0))
                }
            })
            .unwrap_or(last);
        let mut st = QueueStatus::with_rc(rc);
        st.queue_empty = true;
        st
    }

    impl ResetIo for Fake {
        fn zapq(&mut self, apqn: Apqn) -> QueueStatus {
            self.log.push(format!("zapq {}", apqn.apqi.0));
            next(&mut self.zapq, apqn, AP_RESPONSE_NORMAL)
        }
        fn tapq(&mut self, apqn: Apqn) -> QueueStatus {
            self.log.push(format!("tapq {}", apqn.apqi.0));
            next(&mut self.tapq, apqn, AP_RESPONSE_NORMAL)
        }
        fn sleep_ms(&mut self, ms: u32) {
            self.slept += ms;
            self.log.push(format!("sleep {ms}"));
        }
        fn busy_notice(&mut self, n: &BusyNotice) {
            self.log.push(format!("notice {}", n.apqn.apqi.0));
        }
        fn free_irq_resources(&mut self, apqn: Apqn, _: bool) {
            self.log.push(format!("free {}", apqn.apqi.0));
        }
    }

    fn q(d: u8) -> Apqn {
        Apqn::new(0, d)
    }

    #[test]
    fn rst_14_every_zapq_before_any_verification() {
        let mut io = Fake::default();
        // Queue 4 was still resetting: its ZAPQ answers 0x02 and is issued again once
        // the TAPQ shows the old reset over, as upstream's worker does.
        io.zapq.insert(q(4), vec![AP_RESPONSE_RESET_IN_PROGRESS]);
        io.zapq.insert(q(5), vec![AP_RESPONSE_RESET_IN_PROGRESS]);
        let mut batch = [ResetMachine::new(q(4)), ResetMachine::new(q(5))];
        run(&mut batch, &mut io);
        assert_eq!(
            io.log,
            [
                "zapq 4", "zapq 5", "sleep 20", "tapq 4", "zapq 4", "tapq 5", "zapq 5", "sleep 20",
                "tapq 4", "free 4", "tapq 5", "free 5",
            ]
        );
        assert!(batch
            .iter()
            .all(|m| m.is_done() && m.outcome().result() == Ok(())));
    }

    #[test]
    fn a_stuck_batch_waits_one_bound_not_one_per_queue() {
        let mut io = Fake::default();
        let mut batch: Vec<ResetMachine> = (0..16u8)
            .map(|d| {
                io.tapq
                    .insert(q(d), vec![AP_RESPONSE_RESET_IN_PROGRESS; 1000]);
                ResetMachine::new(q(d))
            })
            .collect();
        run(&mut batch, &mut io);
        assert_eq!(io.slept, crate::reset::DEFAULT_RESET_BOUND_MS);
        for m in &batch {
            assert_eq!(m.outcome().result(), Err(Errno::ETIMEDOUT));
            assert!(!m.outcome().passable());
        }
        assert!(io.log.iter().any(|l| l == "notice 15"));
    }

    #[test]
    fn a_failing_queue_does_not_hold_up_the_others() {
        let mut io = Fake::default();
        io.zapq.insert(q(1), vec![0x03]); // deconfigured: no verification
        let mut batch = [ResetMachine::new(q(1)), ResetMachine::new(q(2))];
        run(&mut batch, &mut io);
        assert_eq!(
            io.log,
            ["zapq 1", "free 1", "zapq 2", "sleep 20", "tapq 2", "free 2"]
        );
        assert_eq!(batch[0].outcome().result(), Err(Errno::EIO));
        assert_eq!(batch[1].outcome().result(), Ok(()));
    }

    #[test]
    fn an_empty_batch_does_nothing() {
        let mut io = Fake::default();
        run(&mut [], &mut io);
        assert!(io.log.is_empty());
    }
}
