// SPDX-License-Identifier: GPL-2.0-only

//! One ordered log of what changes a guest's access to AP queues: the APCBs KVM is
//! given and the queue-changing instructions (resets, AQIC) of host and guests, each
//! with a sequence number, so that a test can assert orders such as "the APCB was
//! pushed before the ZAPQ of 05.0047".
//!
//! Host TAPQ, NQAP, DQAP and QCI are not logged: the AP bus polls with them all the
//! time and would push everything else out of the ring. Every instruction a guest
//! issues is logged.

use super::apqn::Apqn;
use super::insn::Insn;

/// Entries kept; older ones are dropped (and counted).
pub const EVENT_CAPACITY: usize = 256;

/// Who issued an instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Issuer {
    /// The host (a driver or the AP bus).
    Host,
    /// The guest of the VM created by this process id.
    Guest(u32),
}

/// The three masks of an APCB, 256 bits each, bit 0 the most significant bit of
/// word 0 (the layout KVM's format-2 CRYCB and `ap_config` use).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ApcbMasks {
    /// Adapters.
    pub apm: [u64; 4],
    /// Usage domains.
    pub aqm: [u64; 4],
    /// Control domains.
    pub adm: [u64; 4],
}

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// KVM was given a new APCB for the VM created by process `vm`.
    Apcb {
        /// The VM's creator's process id.
        vm: u32,
        /// The masks as KVM holds them after the change.
        masks: ApcbMasks,
    },
    /// An instruction on one queue and the response code it got.
    Insn {
        /// Host or guest.
        by: Issuer,
        /// The instruction.
        insn: Insn,
        /// The queue.
        apqn: Apqn,
        /// The response code of the status word.
        rc: u8,
    },
}

/// One logged event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    /// Position in the log, from 1, never reused.
    pub seq: u64,
    /// What happened.
    pub kind: EventKind,
}

const EMPTY: Event = Event {
    seq: 0,
    kind: EventKind::Apcb {
        vm: 0,
        masks: ApcbMasks {
            apm: [0; 4],
            aqm: [0; 4],
            adm: [0; 4],
        },
    },
};

/// The ring of the last [`EVENT_CAPACITY`] events.
///
/// About 30 KiB: not `Default`, so that it is never built on a kernel stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventLog {
    ring: [Event; EVENT_CAPACITY],
    /// Sequence number of the last event (0: none yet).
    last: u64,
}

impl EventLog {
    /// An empty log.
    #[allow(clippy::new_without_default)] // a `Default` would build it on the stack
    pub const fn new() -> Self {
        Self {
            ring: [EMPTY; EVENT_CAPACITY],
            last: 0,
        }
    }

    /// Appends `kind` and returns its sequence number.
    pub fn push(&mut self, kind: EventKind) -> u64 {
        self.last += 1;
        let slot = (self.last % EVENT_CAPACITY as u64) as usize;
        if let Some(e) = self.ring.get_mut(slot) {
            *e = Event {
                seq: self.last,
                kind,
            };
        }
        self.last
    }

    /// Sequence number of the last event (0 if none).
    pub const fn last(&self) -> u64 {
        self.last
    }

    /// Events dropped because the ring was full.
    pub const fn dropped(&self) -> u64 {
        self.last.saturating_sub(EVENT_CAPACITY as u64)
    }

    /// The events kept, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &Event> {
        let first = self.dropped() + 1;
        (first..=self.last).filter_map(move |seq| {
            self.ring
                .get((seq % EVENT_CAPACITY as u64) as usize)
                .filter(|e| e.seq == seq)
        })
    }
}

/// Whether a host instruction goes into the log (it changes a queue's state).
pub const fn logged_for_host(insn: Insn) -> bool {
    matches!(insn, Insn::Rapq | Insn::Zapq | Insn::Aqic)
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::boxed::Box;
    use std::vec::Vec;

    fn zapq(n: u8) -> EventKind {
        EventKind::Insn {
            by: Issuer::Host,
            insn: Insn::Zapq,
            apqn: Apqn::new(n, 1),
            rc: 0,
        }
    }

    #[test]
    fn keeps_order_and_sequence() {
        let mut log = Box::new(EventLog::new());
        assert_eq!(log.iter().count(), 0);
        assert_eq!(log.push(zapq(1)), 1);
        assert_eq!(log.push(zapq(2)), 2);
        let seqs: Vec<u64> = log.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [1, 2]);
        assert_eq!(log.dropped(), 0);
    }

    #[test]
    fn drops_oldest_when_full() {
        let mut log = Box::new(EventLog::new());
        for i in 0..(EVENT_CAPACITY as u64 + 10) {
            log.push(zapq(i as u8));
        }
        assert_eq!(log.dropped(), 10);
        let seqs: Vec<u64> = log.iter().map(|e| e.seq).collect();
        assert_eq!(seqs.len(), EVENT_CAPACITY);
        assert_eq!(seqs.first(), Some(&11));
        assert_eq!(seqs.last(), Some(&(EVENT_CAPACITY as u64 + 10)));
        assert!(seqs.windows(2).all(|w| w[0] + 1 == w[1]));
    }

    #[test]
    fn only_state_changing_host_instructions_are_logged() {
        let logged: Vec<Insn> = Insn::ALL
            .into_iter()
            .filter(|i| logged_for_host(*i))
            .collect();
        assert_eq!(logged, [Insn::Rapq, Insn::Zapq, Insn::Aqic]);
    }
}
