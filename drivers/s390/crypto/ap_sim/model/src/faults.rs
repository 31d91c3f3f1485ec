// SPDX-License-Identifier: GPL-2.0-only

//! Fault injection per APQN: forced response codes and resets that never complete.
//!
//! Checkstop and deconfiguration of a queue or an adapter are state, not faults: they
//! live in the configuration and the queue table (see `control`).

use super::apqn::Apqn;
use super::insn::{Insn, INSN_COUNT};

/// Capacity of the fault table (distinct APQNs with a fault).
pub const FAULT_CAPACITY: usize = 64;

/// A forced response code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Forced {
    /// The response code returned instead of executing the instruction.
    pub rc: u8,
    /// Invocations still affected.
    pub remaining: u32,
}

/// Faults of one APQN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FaultEntry {
    /// The queue.
    pub apqn: Apqn,
    /// Forced response code per instruction (index [`Insn::index`]).
    pub forced: [Option<Forced>; INSN_COUNT],
    /// Resets of this queue stay in progress forever.
    pub reset_never: bool,
}

impl FaultEntry {
    const fn new(apqn: Apqn) -> Self {
        Self {
            apqn,
            forced: [None; INSN_COUNT],
            reset_never: false,
        }
    }

    fn is_empty(&self) -> bool {
        !self.reset_never && self.forced.iter().all(Option::is_none)
    }
}

/// The fault table is full.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FaultTableFull;

/// All faults, at most [`FAULT_CAPACITY`] APQNs.
///
/// About 8 KiB: neither `Copy` nor `Default`, so that no copy of it is built on a
/// kernel stack by accident (the simulator's static uses the `const fn`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultTable {
    entries: [Option<FaultEntry>; FAULT_CAPACITY],
}

impl FaultTable {
    /// No faults.
    #[allow(clippy::new_without_default)] // a `Default` would build it on the stack
    pub const fn new() -> Self {
        Self {
            entries: [None; FAULT_CAPACITY],
        }
    }

    /// The faults of `apqn`.
    pub fn get(&self, apqn: Apqn) -> Option<&FaultEntry> {
        self.entries.iter().flatten().find(|e| e.apqn == apqn)
    }

    fn get_mut(&mut self, apqn: Apqn) -> Option<&mut FaultEntry> {
        self.entries.iter_mut().flatten().find(|e| e.apqn == apqn)
    }

    /// Whether a fault for `apqn` can be stored (it has an entry or one is free).
    pub fn has_room_for(&self, apqn: Apqn) -> bool {
        self.get(apqn).is_some() || self.entries.iter().any(Option::is_none)
    }

    fn entry(&mut self, apqn: Apqn) -> Result<&mut FaultEntry, FaultTableFull> {
        if self.get(apqn).is_none() {
            let free = self
                .entries
                .iter_mut()
                .find(|e| e.is_none())
                .ok_or(FaultTableFull)?;
            *free = Some(FaultEntry::new(apqn));
        }
        self.get_mut(apqn).ok_or(FaultTableFull)
    }

    /// Makes the next `count` invocations of `insn` on `apqn` return `rc`.
    /// `count` 0 removes that fault.
    pub fn force(
        &mut self,
        apqn: Apqn,
        insn: Insn,
        rc: u8,
        count: u32,
    ) -> Result<(), FaultTableFull> {
        if count == 0 {
            if let Some(e) = self.get_mut(apqn) {
                if let Some(f) = e.forced.get_mut(insn.index()) {
                    *f = None;
                }
            }
            self.compact();
            return Ok(());
        }
        let e = self.entry(apqn)?;
        if let Some(f) = e.forced.get_mut(insn.index()) {
            *f = Some(Forced {
                rc,
                remaining: count,
            });
        }
        Ok(())
    }

    /// Sets or clears "resets never complete" for `apqn`.
    pub fn set_reset_never(&mut self, apqn: Apqn, on: bool) -> Result<(), FaultTableFull> {
        if on {
            self.entry(apqn)?.reset_never = true;
        } else if let Some(e) = self.get_mut(apqn) {
            e.reset_never = false;
            self.compact();
        }
        Ok(())
    }

    /// Whether resets of `apqn` never complete.
    pub fn reset_never(&self, apqn: Apqn) -> bool {
        self.get(apqn).is_some_and(|e| e.reset_never)
    }

    /// Consumes one forced response code for `insn` on `apqn`, if any.
    pub fn take(&mut self, apqn: Apqn, insn: Insn) -> Option<u8> {
        let e = self.get_mut(apqn)?;
        let slot = e.forced.get_mut(insn.index())?;
        let f = slot.as_mut()?;
        let rc = f.rc;
        f.remaining = f.remaining.saturating_sub(1);
        if f.remaining == 0 {
            *slot = None;
            self.compact();
        }
        Some(rc)
    }

    /// Removes every fault of `apqn`; false if it had none.
    pub fn clear(&mut self, apqn: Apqn) -> bool {
        let mut found = false;
        for e in self.entries.iter_mut() {
            if e.is_some_and(|x| x.apqn == apqn) {
                *e = None;
                found = true;
            }
        }
        found
    }

    /// Removes every fault.
    pub fn clear_all(&mut self) {
        self.entries = [None; FAULT_CAPACITY];
    }

    fn compact(&mut self) {
        for e in self.entries.iter_mut() {
            if e.is_some_and(|x| x.is_empty()) {
                *e = None;
            }
        }
    }

    /// The APQNs with faults, in APQN order.
    pub fn iter(&self) -> impl Iterator<Item = &FaultEntry> + '_ {
        let mut last: Option<Apqn> = None;
        core::iter::from_fn(move || {
            let next = self
                .entries
                .iter()
                .flatten()
                .filter(|e| match last {
                    Some(l) => e.apqn > l,
                    None => true,
                })
                .min_by_key(|e| e.apqn)?;
            last = Some(next.apqn);
            Some(next)
        })
    }

    /// Number of APQNs with faults.
    pub fn len(&self) -> usize {
        self.entries.iter().flatten().count()
    }

    /// Whether there is no fault.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down_and_disappears() {
        let mut t = FaultTable::new();
        let a = Apqn::new(5, 0x47);
        t.force(a, Insn::Zapq, 0x05, 2).unwrap();
        assert_eq!(t.take(a, Insn::Tapq), None);
        assert_eq!(t.take(a, Insn::Zapq), Some(0x05));
        assert_eq!(t.take(a, Insn::Zapq), Some(0x05));
        assert_eq!(t.take(a, Insn::Zapq), None);
        assert!(t.is_empty());
    }

    #[test]
    fn capacity_and_reset_never() {
        let mut t = FaultTable::new();
        for i in 0..FAULT_CAPACITY as u16 {
            t.force(Apqn(i), Insn::Tapq, 1, 1).unwrap();
        }
        assert_eq!(t.force(Apqn(999), Insn::Tapq, 1, 1), Err(FaultTableFull));
        assert!(!t.has_room_for(Apqn(999)));
        assert!(t.has_room_for(Apqn(3)));
        t.set_reset_never(Apqn(3), true).unwrap();
        assert!(t.reset_never(Apqn(3)));
        assert_eq!(t.take(Apqn(3), Insn::Tapq), Some(1));
        assert!(t.reset_never(Apqn(3)));
        assert!(t.clear(Apqn(3)));
        assert!(!t.clear(Apqn(3)));
        assert_eq!(t.len(), FAULT_CAPACITY - 1);
    }
}
