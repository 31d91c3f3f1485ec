// SPDX-License-Identifier: GPL-2.0-only

//! Counters of issued instructions, globally and per APQN, with the last status.

use super::apqn::Apqn;
use super::insn::{Insn, INSN_COUNT};

/// Capacity of the per-APQN counter table; further APQNs are only counted globally
/// (and in [`Counters::untracked`]).
pub const COUNTER_CAPACITY: usize = 1024;

/// Counters of one APQN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApqnCounters {
    /// The queue.
    pub apqn: Apqn,
    /// Invocations per instruction (index [`Insn::index`]), wrapping.
    pub issued: [u32; INSN_COUNT],
    /// Last status word returned per instruction.
    pub last_status: [u32; INSN_COUNT],
}

impl ApqnCounters {
    const fn new(apqn: Apqn) -> Self {
        Self {
            apqn,
            issued: [0; INSN_COUNT],
            last_status: [0; INSN_COUNT],
        }
    }

    /// Invocations of `insn`.
    pub fn count(&self, insn: Insn) -> u32 {
        self.issued.get(insn.index()).copied().unwrap_or(0)
    }

    /// Last status word `insn` returned (0 if never issued).
    pub fn last(&self, insn: Insn) -> u32 {
        self.last_status.get(insn.index()).copied().unwrap_or(0)
    }
}

/// All counters.
///
/// About 84 KiB: not `Default`, so that it is never built on a kernel stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counters {
    global: [u64; INSN_COUNT],
    per: [ApqnCounters; COUNTER_CAPACITY],
    len: usize,
    /// Invocations on APQNs that did not fit in the table.
    pub untracked: u64,
}

impl Counters {
    /// All zero.
    #[allow(clippy::new_without_default)] // a `Default` would build it on the stack
    pub const fn new() -> Self {
        Self {
            global: [0; INSN_COUNT],
            per: [ApqnCounters::new(Apqn(0)); COUNTER_CAPACITY],
            len: 0,
            untracked: 0,
        }
    }

    /// Global invocations of `insn`.
    pub fn global(&self, insn: Insn) -> u64 {
        self.global.get(insn.index()).copied().unwrap_or(0)
    }

    fn used(&self) -> &[ApqnCounters] {
        self.per.get(..self.len).unwrap_or(&[])
    }

    /// The counters of `apqn`.
    pub fn get(&self, apqn: Apqn) -> Option<&ApqnCounters> {
        let i = self.used().binary_search_by(|c| c.apqn.cmp(&apqn)).ok()?;
        self.per.get(i)
    }

    /// Records one invocation of `insn` (on `apqn` unless it is QCI) returning `status`.
    pub fn record(&mut self, apqn: Option<Apqn>, insn: Insn, status: u32) {
        if let Some(g) = self.global.get_mut(insn.index()) {
            *g = g.wrapping_add(1);
        }
        let Some(apqn) = apqn else { return };
        let idx = match self.used().binary_search_by(|c| c.apqn.cmp(&apqn)) {
            Ok(i) => i,
            Err(pos) => {
                if self.len >= COUNTER_CAPACITY {
                    self.untracked = self.untracked.wrapping_add(1);
                    return;
                }
                if let Some(s) = self.per.get_mut(pos..=self.len) {
                    s.rotate_right(1);
                    if let Some(f) = s.first_mut() {
                        *f = ApqnCounters::new(apqn);
                    }
                }
                self.len += 1;
                pos
            }
        };
        if let Some(c) = self.per.get_mut(idx) {
            if let Some(n) = c.issued.get_mut(insn.index()) {
                *n = n.wrapping_add(1);
            }
            if let Some(l) = c.last_status.get_mut(insn.index()) {
                *l = status;
            }
        }
    }

    /// The per-APQN counters in APQN order.
    pub fn iter(&self) -> impl Iterator<Item = &ApqnCounters> + '_ {
        self.used().iter()
    }

    /// Zeroes everything.
    pub fn reset(&mut self) {
        self.global = [0; INSN_COUNT];
        self.len = 0;
        self.untracked = 0;
    }

    /// Forgets the counters of `apqn` (global counters stay); false if it had none.
    pub fn reset_apqn(&mut self, apqn: Apqn) -> bool {
        let Ok(i) = self.used().binary_search_by(|c| c.apqn.cmp(&apqn)) else {
            return false;
        };
        if let Some(s) = self.per.get_mut(i..self.len) {
            s.rotate_left(1);
        }
        self.len -= 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_apqn_and_global() {
        let mut c = Counters::new();
        let a = Apqn::new(5, 0x47);
        c.record(Some(a), Insn::Zapq, 0x8000_0000);
        c.record(Some(a), Insn::Zapq, 0x0002_0000);
        c.record(None, Insn::Qci, 0);
        c.record(Some(Apqn(1)), Insn::Tapq, 0);
        assert_eq!(c.get(a).unwrap().count(Insn::Zapq), 2);
        assert_eq!(c.get(a).unwrap().last(Insn::Zapq), 0x0002_0000);
        assert_eq!(c.global(Insn::Qci), 1);
        assert_eq!(c.global(Insn::Zapq), 2);
        assert!(c.iter().map(|x| x.apqn.0).eq([1, 0x0547]));
        assert!(c.reset_apqn(Apqn(1)));
        assert!(c.get(Apqn(1)).is_none() && c.get(a).is_some());
        c.reset();
        assert_eq!(c.global(Insn::Zapq), 0);
        assert!(c.get(a).is_none());
    }

    #[test]
    fn overflow_is_counted_not_fatal() {
        let mut c = Counters::new();
        for i in 0..COUNTER_CAPACITY as u16 + 3 {
            c.record(Some(Apqn(i)), Insn::Tapq, 0);
        }
        assert_eq!(c.untracked, 3);
        assert_eq!(c.global(Insn::Tapq), COUNTER_CAPACITY as u64 + 3);
    }
}
