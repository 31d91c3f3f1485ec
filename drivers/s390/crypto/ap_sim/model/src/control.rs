// SPDX-License-Identifier: GPL-2.0-only

//! The runtime control language: one command per write to the control file.
//!
//! ```text
//! add card ID TYPE MODE [qd=N]      remove card ID
//! add domain ID                     remove domain ID
//! add cdom ID                       remove cdom ID
//! configure card ID | APQN          deconfigure card ID | APQN
//! checkstop card ID | APQN          uncheckstop card ID | APQN
//! fault APQN INSN rc=RC [count=N]   fault APQN reset never|normal
//! clear faults [APQN]               reset counters [APQN]
//! set reset_polls N
//! ```
//!
//! `ID` is decimal 0..=255, `APQN` is `XX.YYYY` (hex), `TYPE` `cex4`..`cex8`, `MODE`
//! `accel|cca|ep11`, `INSN` one of `tapq rapq zapq aqic qact bapq aapq nqap dqap`,
//! `RC` `0xNN` or decimal 0..=255, `count` 1..=4294967295 (default 1). Tokens are
//! separated by blanks; a trailing newline is ignored.
//!
//! Every command is parsed and checked completely before anything changes: a
//! rejected command leaves the simulator exactly as it was. Errors map to errnos:
//! syntax and out-of-range values `EINVAL`; unknown adapter or queue `ENODEV`;
//! removing or clearing something absent `ENOENT`; adding something present
//! `EEXIST`; a full table `ENOSPC`.
//!
//! Adding or removing adapters, usage domains or control domains changes the QCI
//! block ([`Applied::qci_changed`]): the shell then triggers an AP bus rescan, as a
//! real configuration change does. Deconfiguring and checkstopping do not change QCI
//! (a deconfigured adapter stays in the configuration; TAPQ reports 0x03/0x04),
//! which is also how real machines behave. Deconfiguring or checkstopping drops the
//! affected queues' pending requests and interrupt registration (the bus flushes its
//! side when it sees the state); reconfiguring gives fresh queues.

use super::apqn::Apqn;
use super::cmdline::num;
use super::config::{Adapter, CardMode, CardType, MAX_RESET_POLLS};
use super::errno::Errno;
use super::insn::Insn;
use super::queues::QueueState;
use super::sim::ApSim;

/// A parsed control command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// `add card ID TYPE MODE [qd=N]`.
    AddCard(u8, Adapter),
    /// `remove card ID`.
    RemoveCard(u8),
    /// `add domain ID`.
    AddDomain(u8),
    /// `remove domain ID`.
    RemoveDomain(u8),
    /// `add cdom ID`.
    AddCdom(u8),
    /// `remove cdom ID`.
    RemoveCdom(u8),
    /// `configure ...` (true) or `deconfigure ...` (false).
    Configure(Target, bool),
    /// `checkstop ...` (true) or `uncheckstop ...` (false).
    Checkstop(Target, bool),
    /// `fault APQN INSN rc=RC [count=N]`.
    Fault(Apqn, Insn, u8, u32),
    /// `fault APQN reset never` (true) or `fault APQN reset normal` (false).
    ResetNever(Apqn, bool),
    /// `clear faults [APQN]`.
    ClearFaults(Option<Apqn>),
    /// `reset counters [APQN]`.
    ResetCounters(Option<Apqn>),
    /// `set reset_polls N`.
    SetResetPolls(u32),
}

/// What a configure/checkstop command addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A whole adapter.
    Card(u8),
    /// One queue.
    Queue(Apqn),
}

/// Why a command was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ControlError {
    /// Not a valid command (`EINVAL`).
    Syntax,
    /// A value outside the machine's limits, e.g. an id above `na` (`EINVAL`).
    OutOfRange,
    /// No such adapter (`ENODEV`).
    NoSuchCard(u8),
    /// No such queue (`ENODEV`).
    NoSuchQueue(Apqn),
    /// Already present (`EEXIST`).
    Exists,
    /// Not present (`ENOENT`).
    NotFound,
    /// A fixed-capacity table is full (`ENOSPC`).
    NoSpace,
}

impl ControlError {
    /// The errno the shell returns (negated) from the write.
    pub const fn errno(self) -> Errno {
        match self {
            Self::Syntax | Self::OutOfRange => Errno::Inval,
            Self::NoSuchCard(_) | Self::NoSuchQueue(_) => Errno::Nodev,
            Self::Exists => Errno::Exist,
            Self::NotFound => Errno::Noent,
            Self::NoSpace => Errno::Nospc,
        }
    }
}

/// The effect of an accepted command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The QCI block changed: the shell should trigger an AP bus rescan.
    pub qci_changed: bool,
}

const MAX_TOKENS: usize = 8;

fn card_id(s: &str) -> Result<u8, ControlError> {
    num(s, 0, 255)
        .map(|v| v as u8)
        .map_err(|_| ControlError::Syntax)
}

fn apqn(s: &str) -> Result<Apqn, ControlError> {
    Apqn::parse(s).ok_or(ControlError::Syntax)
}

fn target(t: &[&str]) -> Result<Target, ControlError> {
    match t {
        ["card", id] => Ok(Target::Card(card_id(id)?)),
        [q] => Ok(Target::Queue(apqn(q)?)),
        _ => Err(ControlError::Syntax),
    }
}

fn rc_value(s: &str) -> Result<u8, ControlError> {
    let v = match s.strip_prefix("0x") {
        Some(h) if !h.is_empty() && h.len() <= 2 && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
            u8::from_str_radix(h, 16).map_err(|_| ControlError::Syntax)?
        }
        Some(_) => return Err(ControlError::Syntax),
        None => num(s, 0, 255).map_err(|_| ControlError::Syntax)? as u8,
    };
    Ok(v)
}

/// Parses one command (bytes as written; a trailing newline is allowed).
pub fn parse(input: &[u8]) -> Result<Command, ControlError> {
    let s = core::str::from_utf8(input).map_err(|_| ControlError::Syntax)?;
    let mut tok = [""; MAX_TOKENS];
    let mut n = 0;
    for t in s.split_ascii_whitespace() {
        *tok.get_mut(n).ok_or(ControlError::Syntax)? = t;
        n += 1;
    }
    let t = tok.get(..n).ok_or(ControlError::Syntax)?;
    use Command as C;
    Ok(match t {
        ["add", "card", id, ty, mode, rest @ ..] => {
            let ct = CardType::from_name(ty).ok_or(ControlError::Syntax)?;
            let cm = CardMode::from_name(mode).ok_or(ControlError::Syntax)?;
            let mut a = Adapter::new(ct, cm);
            match rest {
                [] => {}
                [qd] => {
                    let v = qd.strip_prefix("qd=").ok_or(ControlError::Syntax)?;
                    a.queue_depth = num(v, 0, 15).map_err(|_| ControlError::Syntax)? as u8;
                }
                _ => return Err(ControlError::Syntax),
            }
            C::AddCard(card_id(id)?, a)
        }
        ["remove", "card", id] => C::RemoveCard(card_id(id)?),
        ["add", "domain", id] => C::AddDomain(card_id(id)?),
        ["remove", "domain", id] => C::RemoveDomain(card_id(id)?),
        ["add", "cdom", id] => C::AddCdom(card_id(id)?),
        ["remove", "cdom", id] => C::RemoveCdom(card_id(id)?),
        ["configure", rest @ ..] => C::Configure(target(rest)?, true),
        ["deconfigure", rest @ ..] => C::Configure(target(rest)?, false),
        ["checkstop", rest @ ..] => C::Checkstop(target(rest)?, true),
        ["uncheckstop", rest @ ..] => C::Checkstop(target(rest)?, false),
        ["fault", q, "reset", "never"] => C::ResetNever(apqn(q)?, true),
        ["fault", q, "reset", "normal"] => C::ResetNever(apqn(q)?, false),
        ["fault", q, insn, rc, rest @ ..] => {
            let insn = Insn::from_name(insn)
                .filter(|i| i.per_queue())
                .ok_or(ControlError::Syntax)?;
            let rc = rc_value(rc.strip_prefix("rc=").ok_or(ControlError::Syntax)?)?;
            let count = match rest {
                [] => 1,
                [c] => {
                    let v = c.strip_prefix("count=").ok_or(ControlError::Syntax)?;
                    let n = num(v, 0, u32::MAX).map_err(|_| ControlError::Syntax)?;
                    if n == 0 {
                        return Err(ControlError::Syntax);
                    }
                    n
                }
                _ => return Err(ControlError::Syntax),
            };
            C::Fault(apqn(q)?, insn, rc, count)
        }
        ["clear", "faults"] => C::ClearFaults(None),
        ["clear", "faults", q] => C::ClearFaults(Some(apqn(q)?)),
        ["reset", "counters"] => C::ResetCounters(None),
        ["reset", "counters", q] => C::ResetCounters(Some(apqn(q)?)),
        ["set", "reset_polls", v] => {
            C::SetResetPolls(num(v, 0, MAX_RESET_POLLS).map_err(|_| ControlError::Syntax)?)
        }
        _ => return Err(ControlError::Syntax),
    })
}

/// A queue put back to its initial state, keeping its own config/checkstop flags.
fn fresh(q: &mut QueueState) {
    let (d, c) = (q.deconfigured, q.checkstopped);
    *q = QueueState::new(q.apqn);
    q.deconfigured = d;
    q.checkstopped = c;
}

impl ApSim {
    /// Parses and executes one control command. On error nothing changes.
    pub fn control(&mut self, input: &[u8]) -> Result<Applied, ControlError> {
        let cmd = parse(input)?;
        self.execute(cmd)
    }

    /// Executes a parsed command. On error nothing changes.
    pub fn execute(&mut self, cmd: Command) -> Result<Applied, ControlError> {
        self.check(cmd)?;
        let mut qci_changed = false;
        match cmd {
            Command::AddCard(id, a) => {
                self.config.set_adapter(id, Some(a));
                self.sync_queues();
                qci_changed = true;
            }
            Command::RemoveCard(id) => {
                self.config.set_adapter(id, None);
                self.sync_queues();
                qci_changed = true;
            }
            Command::AddDomain(d) => {
                self.config.usage.set(d);
                self.sync_queues();
                qci_changed = true;
            }
            Command::RemoveDomain(d) => {
                self.config.usage.clear(d);
                self.sync_queues();
                qci_changed = true;
            }
            Command::AddCdom(d) => {
                self.config.control.set(d);
                qci_changed = true;
            }
            Command::RemoveCdom(d) => {
                self.config.control.clear(d);
                qci_changed = true;
            }
            Command::Configure(t, on) => self.set_flag(t, on, true),
            Command::Checkstop(t, on) => self.set_flag(t, on, false),
            Command::Fault(q, insn, rc, count) => {
                self.faults
                    .force(q, insn, rc, count)
                    .map_err(|_| ControlError::NoSpace)?;
            }
            Command::ResetNever(q, on) => {
                self.faults
                    .set_reset_never(q, on)
                    .map_err(|_| ControlError::NoSpace)?;
            }
            Command::ClearFaults(Some(q)) => {
                self.faults.clear(q);
            }
            Command::ClearFaults(None) => self.faults.clear_all(),
            Command::ResetCounters(Some(q)) => {
                self.counters.reset_apqn(q);
            }
            Command::ResetCounters(None) => self.counters.reset(),
            Command::SetResetPolls(n) => self.config.reset_polls = n,
        }
        Ok(Applied { qci_changed })
    }

    /// All checks of `cmd`, without changing anything.
    fn check(&self, cmd: Command) -> Result<(), ControlError> {
        let cfg = &self.config;
        let target_exists = |t: Target| match t {
            Target::Card(id) => cfg
                .adapter(id)
                .map(|_| ())
                .ok_or(ControlError::NoSuchCard(id)),
            Target::Queue(q) => self
                .queues
                .get(q)
                .map(|_| ())
                .ok_or(ControlError::NoSuchQueue(q)),
        };
        match cmd {
            Command::AddCard(id, _) => {
                if id > cfg.max_adapter() {
                    return Err(ControlError::OutOfRange);
                }
                if cfg.adapter(id).is_some() {
                    return Err(ControlError::Exists);
                }
                if self.queues.room() < cfg.usage.count() {
                    return Err(ControlError::NoSpace);
                }
            }
            Command::RemoveCard(id) => {
                cfg.adapter(id).ok_or(ControlError::NoSuchCard(id))?;
            }
            Command::AddDomain(d) | Command::AddCdom(d) => {
                if d > cfg.max_domain() {
                    return Err(ControlError::OutOfRange);
                }
                let present = match cmd {
                    Command::AddDomain(_) => cfg.usage.test(d),
                    _ => cfg.control.test(d),
                };
                if present {
                    return Err(ControlError::Exists);
                }
                if matches!(cmd, Command::AddDomain(_))
                    && self.queues.room() < cfg.adapters().count()
                {
                    return Err(ControlError::NoSpace);
                }
            }
            Command::RemoveDomain(d) => {
                if !cfg.usage.test(d) {
                    return Err(ControlError::NotFound);
                }
            }
            Command::RemoveCdom(d) => {
                if !cfg.control.test(d) {
                    return Err(ControlError::NotFound);
                }
            }
            Command::Configure(t, _) | Command::Checkstop(t, _) => target_exists(t)?,
            Command::Fault(q, ..) => {
                if !self.faults.has_room_for(q) {
                    return Err(ControlError::NoSpace);
                }
            }
            Command::ResetNever(q, on) => {
                if on && !self.faults.has_room_for(q) {
                    return Err(ControlError::NoSpace);
                }
            }
            Command::ClearFaults(Some(q)) => {
                self.faults.get(q).ok_or(ControlError::NotFound)?;
            }
            Command::ResetCounters(Some(q)) => {
                self.counters.get(q).ok_or(ControlError::NotFound)?;
            }
            Command::ClearFaults(None)
            | Command::ResetCounters(None)
            | Command::SetResetPolls(_) => {}
        }
        Ok(())
    }

    /// Sets configured (`config` true) or checkstopped state of a card or queue. A
    /// queue that leaves or enters the usable state starts afresh.
    fn set_flag(&mut self, t: Target, on: bool, config: bool) {
        match t {
            Target::Card(id) => {
                let Some(a) = self.config.adapter_mut(id) else {
                    return;
                };
                let changed = if config {
                    let c = a.configured != on;
                    a.configured = on;
                    c
                } else {
                    let c = a.checkstopped != on;
                    a.checkstopped = on;
                    c
                };
                if changed {
                    for q in self.queues.iter_mut().filter(|q| q.apqn.card() == id) {
                        fresh(q);
                    }
                }
            }
            Target::Queue(apqn) => {
                let Some(q) = self.queues.get_mut(apqn) else {
                    return;
                };
                let changed = if config {
                    let c = q.deconfigured == on;
                    q.deconfigured = !on;
                    c
                } else {
                    let c = q.checkstopped != on;
                    q.checkstopped = on;
                    c
                };
                if changed {
                    fresh(q);
                }
            }
        }
    }
}
