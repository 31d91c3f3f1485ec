// SPDX-License-Identifier: GPL-2.0-only

//! Per-queue state in a fixed-capacity table sorted by APQN.

use super::apqn::Apqn;
use super::config::QUEUE_CAPACITY;

/// Most requests a queue can hold (`qd` is 4 bits, so `qd + 1` is at most 16).
pub const MAX_SLOTS: usize = 16;

/// Progress of a reset (RAPQ/ZAPQ).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResetState {
    /// No reset running.
    Idle,
    /// A reset runs; TAPQ reports 0x02 for `polls_left` more polls.
    InProgress {
        /// TAPQ polls still answered with RESET_IN_PROGRESS.
        polls_left: u32,
    },
}

/// Interruption state of a queue, as AQIC changes it.
///
/// AQIC takes effect asynchronously: its own status shows the old `irq_enabled`
/// bit; the next TAPQ, NQAP or DQAP on the queue completes the change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IrqState {
    /// Disabled.
    Off,
    /// Enable requested, completes at the next status.
    Enabling,
    /// Enabled.
    On,
    /// Disable requested, completes at the next status.
    Disabling,
}

impl IrqState {
    /// The `irq_enabled` bit in a status reporting this state.
    pub const fn bit(self) -> bool {
        matches!(self, Self::On | Self::Disabling)
    }

    /// Lower-case name for reports.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Enabling => "enabling",
            Self::On => "on",
            Self::Disabling => "disabling",
        }
    }
}

/// Secure-execution bind state (only meaningful when the QCI `apsb` flag is set).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BindState {
    /// Not bound: TAPQ `bs` = 2 (available for binding).
    Unbound,
    /// Bound by BAPQ: `bs` = 1 (usable, no secure key).
    Bound,
    /// Associated by AAPQ with a secret index: `bs` = 0 (usable).
    Associated(u32),
}

/// State of one queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueState {
    /// The queue.
    pub apqn: Apqn,
    /// Deconfigured on its own (the adapter may still be configured).
    pub deconfigured: bool,
    /// Checkstopped on its own.
    pub checkstopped: bool,
    /// Reset progress.
    pub reset: ResetState,
    /// Interruption state.
    pub irq: IrqState,
    /// Notification indicator byte address given with the last enabling AQIC.
    pub nib: u64,
    /// Interruption subclass given with the last enabling AQIC.
    pub isc: u8,
    /// SE bind state.
    pub bind: BindState,
    pending: [u64; MAX_SLOTS],
    head: u8,
    len: u8,
    /// Bytes of the head reply already delivered by a partial DQAP.
    delivered: u16,
    /// Requests accepted by NQAP since the queue was created.
    pub accepted: u64,
    /// Replies completed by DQAP since the queue was created.
    pub answered: u64,
    /// Requests discarded by a reset since the queue was created.
    pub discarded: u64,
}

impl QueueState {
    /// A fresh queue: idle, interrupts off, empty.
    pub const fn new(apqn: Apqn) -> Self {
        Self {
            apqn,
            deconfigured: false,
            checkstopped: false,
            reset: ResetState::Idle,
            irq: IrqState::Off,
            nib: 0,
            isc: 0,
            bind: BindState::Unbound,
            pending: [0; MAX_SLOTS],
            head: 0,
            len: 0,
            delivered: 0,
            accepted: 0,
            answered: 0,
            discarded: 0,
        }
    }

    /// Requests waiting for DQAP.
    pub const fn pending_len(&self) -> usize {
        self.len as usize
    }

    /// The psmid of the oldest pending request.
    pub fn head_psmid(&self) -> Option<u64> {
        if self.len == 0 {
            None
        } else {
            self.pending
                .get(usize::from(self.head) % MAX_SLOTS)
                .copied()
        }
    }

    /// Bytes of the head reply already stored by partial DQAPs.
    pub const fn delivered(&self) -> usize {
        self.delivered as usize
    }

    /// Sets the delivered count of the head reply.
    pub fn set_delivered(&mut self, n: usize) {
        self.delivered = u16::try_from(n).unwrap_or(u16::MAX);
    }

    /// Appends a request; false if `slots` (at most [`MAX_SLOTS`]) are in use.
    pub fn push(&mut self, psmid: u64, slots: usize) -> bool {
        let slots = slots.min(MAX_SLOTS);
        if self.pending_len() >= slots {
            return false;
        }
        let idx = (usize::from(self.head) + self.pending_len()) % MAX_SLOTS;
        if let Some(p) = self.pending.get_mut(idx) {
            *p = psmid;
            self.len += 1;
            self.accepted += 1;
            true
        } else {
            false
        }
    }

    /// Removes the oldest request.
    pub fn pop(&mut self) -> Option<u64> {
        let p = self.head_psmid()?;
        self.head = ((usize::from(self.head) + 1) % MAX_SLOTS) as u8;
        self.len -= 1;
        self.delivered = 0;
        self.answered += 1;
        Some(p)
    }

    /// Drops every pending request (a reset).
    pub fn flush(&mut self) {
        self.discarded += u64::from(self.len);
        self.head = 0;
        self.len = 0;
        self.delivered = 0;
    }
}

/// Why a queue could not be added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableFull;

/// Queue states sorted by APQN, at most [`QUEUE_CAPACITY`].
///
/// About 192 KiB: not `Default`, so that it is never built on a kernel stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueTable {
    slots: [QueueState; QUEUE_CAPACITY],
    len: usize,
}

impl QueueTable {
    /// An empty table.
    #[allow(clippy::new_without_default)] // a `Default` would build it on the stack
    pub const fn new() -> Self {
        Self {
            slots: [QueueState::new(Apqn(0)); QUEUE_CAPACITY],
            len: 0,
        }
    }

    /// Number of queues.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no queues.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Free entries.
    pub const fn room(&self) -> usize {
        QUEUE_CAPACITY - self.len
    }

    fn used(&self) -> &[QueueState] {
        self.slots.get(..self.len).unwrap_or(&[])
    }

    fn find(&self, apqn: Apqn) -> Result<usize, usize> {
        self.used().binary_search_by(|q| q.apqn.cmp(&apqn))
    }

    /// The queue `apqn`.
    pub fn get(&self, apqn: Apqn) -> Option<&QueueState> {
        self.find(apqn).ok().and_then(|i| self.slots.get(i))
    }

    /// The queue `apqn`, mutable.
    pub fn get_mut(&mut self, apqn: Apqn) -> Option<&mut QueueState> {
        self.find(apqn)
            .ok()
            .and_then(move |i| self.slots.get_mut(i))
    }

    /// Adds a fresh queue (no change if it exists).
    pub fn insert(&mut self, apqn: Apqn) -> Result<(), TableFull> {
        match self.find(apqn) {
            Ok(_) => Ok(()),
            Err(pos) => {
                if self.len >= QUEUE_CAPACITY {
                    return Err(TableFull);
                }
                if let Some(s) = self.slots.get_mut(pos..=self.len) {
                    s.rotate_right(1);
                    if let Some(first) = s.first_mut() {
                        *first = QueueState::new(apqn);
                    }
                }
                self.len += 1;
                Ok(())
            }
        }
    }

    /// Removes every queue for which `keep` is false.
    pub fn retain(&mut self, mut keep: impl FnMut(&QueueState) -> bool) {
        let mut w = 0;
        for r in 0..self.len {
            let Some(q) = self.slots.get(r).copied() else {
                break;
            };
            if keep(&q) {
                if let Some(d) = self.slots.get_mut(w) {
                    *d = q;
                }
                w += 1;
            }
        }
        self.len = w;
    }

    /// Removes every queue.
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// The queues in APQN order.
    pub fn iter(&self) -> impl Iterator<Item = &QueueState> + '_ {
        self.used().iter()
    }

    /// The queues in APQN order, mutable.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut QueueState> + '_ {
        let len = self.len;
        self.slots.iter_mut().take(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_insert_remove() {
        let mut t = QueueTable::new();
        for a in [5u16, 1, 3, 1] {
            t.insert(Apqn(a)).unwrap();
        }
        assert_eq!(t.len(), 3);
        assert!(t.iter().map(|q| q.apqn.0).eq([1, 3, 5]));
        t.retain(|q| q.apqn.0 != 3);
        assert!(t.iter().map(|q| q.apqn.0).eq([1, 5]));
        assert!(t.get(Apqn(3)).is_none());
        assert!(t.get(Apqn(5)).is_some());
    }

    #[test]
    fn full_table_is_an_error() {
        let mut t = QueueTable::new();
        for a in 0..QUEUE_CAPACITY as u16 {
            t.insert(Apqn(a)).unwrap();
        }
        assert_eq!(t.insert(Apqn(0xffff)), Err(TableFull));
        assert_eq!(t.insert(Apqn(7)), Ok(()));
        assert_eq!(t.room(), 0);
    }

    #[test]
    fn ring_wraps() {
        let mut q = QueueState::new(Apqn(0));
        for round in 0..5u64 {
            for i in 0..16 {
                assert!(q.push(round * 100 + i, 16));
            }
            assert!(!q.push(0, 16));
            for i in 0..16 {
                assert_eq!(q.pop(), Some(round * 100 + i));
            }
            assert_eq!(q.pop(), None);
        }
        assert!(q.push(1, 2) && q.push(2, 2) && !q.push(3, 2));
        q.flush();
        assert_eq!((q.pending_len(), q.discarded), (0, 2));
    }
}
