// SPDX-License-Identifier: GPL-2.0-only

//! The simulator: configuration, queue states, faults and counters in one value.

use super::apqn::Apqn;
use super::config::{Config, ConfigError};
use super::counters::Counters;
use super::events::EventLog;
use super::faults::FaultTable;
use super::queues::QueueTable;

/// The whole simulated AP facility.
///
/// Every instruction (see `instructions`) and every control command (see `control`)
/// is a method taking `&mut self`; the caller serializes them (the kernel shell holds
/// one lock around each call).
///
/// About 315 KiB: not `Default`, so that it is never built on a kernel stack (the
/// kernel's static uses the `const fn`, host code boxes it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApSim {
    pub(super) config: Config,
    pub(super) queues: QueueTable,
    pub(super) faults: FaultTable,
    pub(super) counters: Counters,
    pub(super) events: EventLog,
}

impl ApSim {
    /// A simulator with no adapters and no domains (see [`Config::empty`]); usable in a
    /// `static`. Call [`ApSim::apply_config`] to load a machine.
    #[allow(clippy::new_without_default)] // a `Default` would build it on the stack
    pub const fn new() -> Self {
        Self {
            config: Config::empty(),
            queues: QueueTable::new(),
            faults: FaultTable::new(),
            counters: Counters::new(),
            events: EventLog::new(),
        }
    }

    /// Replaces the machine: validates `config`, then recreates every queue in its
    /// initial state (idle, empty, interrupts off) and drops all faults. Counters are
    /// kept. On error nothing changes.
    pub fn apply_config(&mut self, config: &Config) -> Result<(), ConfigError> {
        config.validate()?;
        self.config = *config;
        self.faults.clear_all();
        self.rebuild_queues();
        Ok(())
    }

    /// Recreates the queue table from the configuration. The configuration must be
    /// valid (so every queue fits).
    pub(super) fn rebuild_queues(&mut self) {
        self.queues.clear();
        self.sync_queues();
    }

    /// Removes queues no longer in the configuration and adds missing ones in their
    /// initial state. Queues that stay keep their state.
    pub(super) fn sync_queues(&mut self) {
        let cfg = &self.config;
        self.queues
            .retain(|q| cfg.adapter(q.apqn.card()).is_some() && cfg.usage.test(q.apqn.domain()));
        for (card, _) in cfg.adapters() {
            for dom in cfg.usage.iter() {
                // Cannot fail for a valid configuration (checked by the callers).
                let _ = self.queues.insert(Apqn::new(card, dom));
            }
        }
    }

    /// The configuration.
    pub const fn config(&self) -> &Config {
        &self.config
    }

    /// The queue states.
    pub const fn queues(&self) -> &QueueTable {
        &self.queues
    }

    /// The faults.
    pub const fn faults(&self) -> &FaultTable {
        &self.faults
    }

    /// The counters.
    pub const fn counters(&self) -> &Counters {
        &self.counters
    }

    /// The ordered log of APCB changes and queue-changing instructions.
    pub const fn events(&self) -> &EventLog {
        &self.events
    }

    /// Whether facility `nr` is installed (12 QCI, 15 APFT always; 65 AP interrupts
    /// if configured).
    pub const fn facility(&self, nr: u32) -> bool {
        self.config.facility(nr)
    }

    /// The 128-byte QCI block of the current configuration (not counted; see
    /// [`ApSim::qci`] for the instruction).
    pub fn qci_block(&self) -> [u8; 128] {
        self.config.qci_block()
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::boxed::Box;

    #[test]
    fn apply_config_validates_first() {
        let mut s = Box::new(ApSim::new());
        s.apply_config(&Config::default_machine()).unwrap();
        assert_eq!(s.queues().len(), 64);
        let before = s.clone();
        let mut bad = Config::default_machine();
        bad.nd = 3;
        assert_eq!(s.apply_config(&bad), Err(ConfigError::DomainOutOfRange(15)));
        assert!(*s == *before);
    }

    #[test]
    fn size_stays_bounded() {
        // Documented in the crate docs; a static in the kernel.
        let size = core::mem::size_of::<ApSim>();
        assert!(size < 352 * 1024, "{size}");
    }
}
