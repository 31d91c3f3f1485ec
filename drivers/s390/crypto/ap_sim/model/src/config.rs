// SPDX-License-Identifier: GPL-2.0-only

//! The simulated machine: QCI flags, adapters, usage and control domains.

use super::mask::Mask256;
use super::regs::TapqHwinfo;

/// Number of adapter ids (0..=255).
pub const MAX_ADAPTERS: usize = 256;
/// Capacity of the queue table: at most this many APQNs (adapters x usage domains).
pub const QUEUE_CAPACITY: usize = 1024;
/// Largest accepted number of TAPQ polls a reset stays in progress.
pub const MAX_RESET_POLLS: u32 = 1_000_000;
/// Length of the QCI block.
pub const QCI_LEN: usize = 128;
/// Maximum message size when `ml` is 0 (the bus's default, 12 KiB).
pub const DEFAULT_MAX_MSG_SIZE: usize = 12 * 1024;

/// Adapter generation; the value is the AP type (`at`) TAPQ reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardType {
    /// CEX4 (type 10).
    Cex4 = 10,
    /// CEX5 (type 11).
    Cex5 = 11,
    /// CEX6 (type 12).
    Cex6 = 12,
    /// CEX7 (type 13).
    Cex7 = 13,
    /// CEX8 (type 14).
    Cex8 = 14,
}

impl CardType {
    /// All types.
    pub const ALL: [CardType; 5] = [Self::Cex4, Self::Cex5, Self::Cex6, Self::Cex7, Self::Cex8];

    /// The AP type number.
    pub const fn at(self) -> u8 {
        self as u8
    }

    /// Lower-case name, `cex4`..`cex8`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Cex4 => "cex4",
            Self::Cex5 => "cex5",
            Self::Cex6 => "cex6",
            Self::Cex7 => "cex7",
            Self::Cex8 => "cex8",
        }
    }

    /// Parses a name as [`CardType::name`] prints it.
    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == s)
    }
}

/// Adapter mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardMode {
    /// Accelerator.
    Accel,
    /// CCA coprocessor.
    Cca,
    /// EP11 coprocessor.
    Ep11,
}

impl CardMode {
    /// All modes.
    pub const ALL: [CardMode; 3] = [Self::Accel, Self::Cca, Self::Ep11];

    /// Lower-case name as in the `MODE=` uevent: `accel`, `cca`, `ep11`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Accel => "accel",
            Self::Cca => "cca",
            Self::Ep11 => "ep11",
        }
    }

    /// Parses a name as [`CardMode::name`] prints it.
    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == s)
    }

    /// The 3 mode bits as QACT carries them (4 = CCA, 2 = accel, 1 = EP11).
    pub const fn qact_bits(self) -> u8 {
        match self {
            Self::Cca => 4,
            Self::Accel => 2,
            Self::Ep11 => 1,
        }
    }
}

/// Default queue depth field (`qd`): 8 requests per queue.
pub const DEFAULT_QUEUE_DEPTH: u8 = 7;

/// One adapter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Adapter {
    /// Generation.
    pub card_type: CardType,
    /// Mode.
    pub mode: CardMode,
    /// Queue depth field `qd` (0..=15): each queue holds `qd + 1` requests.
    pub queue_depth: u8,
    /// Configured (false: TAPQ and friends answer 0x03 on all its queues).
    pub configured: bool,
    /// Checkstopped (true: its queues answer 0x04).
    pub checkstopped: bool,
}

impl Adapter {
    /// A configured, running adapter with the default queue depth.
    pub const fn new(card_type: CardType, mode: CardMode) -> Self {
        Self {
            card_type,
            mode,
            queue_depth: DEFAULT_QUEUE_DEPTH,
            configured: true,
            checkstopped: false,
        }
    }

    /// Number of requests a queue of this adapter holds.
    pub const fn slots(&self) -> usize {
        (self.queue_depth & 0xf) as usize + 1
    }

    /// The TAPQ hardware information of this adapter's queues (SE bind state 0).
    ///
    /// Function bits by mode: accelerator = `accel mex4k crt4k`; CCA = `apsc cca`;
    /// EP11 = `apsc ep11`; plus `apxa` when the machine has it.
    pub const fn hwinfo(&self, apxa: bool, nd: u8) -> TapqHwinfo {
        let accel = matches!(self.mode, CardMode::Accel);
        TapqHwinfo {
            apsc: !accel,
            mex4k: accel,
            crt4k: accel,
            cca: matches!(self.mode, CardMode::Cca),
            accel,
            ep11: matches!(self.mode, CardMode::Ep11),
            apxa,
            slcf: false,
            class: 0,
            bs: 0,
            at: self.card_type.at(),
            nd,
            ml: 0,
            qd: self.queue_depth & 0xf,
        }
    }
}

/// The QCI flags word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QciFlags {
    /// S: AP special command facility.
    pub apsc: bool,
    /// N: AP extended addressing (`na`/`nd` up to 255).
    pub apxa: bool,
    /// C: QACT available.
    pub qact: bool,
    /// R: response code 8A.
    pub rc8a: bool,
    /// B: AP secure bind (BAPQ/AAPQ).
    pub apsb: bool,
}

impl QciFlags {
    /// The raw flags word: apsc 31, apxa 30, qact 29, rc8a 28, apsb 23.
    pub const fn raw(self) -> u32 {
        ((self.apsc as u32) << 31)
            | ((self.apxa as u32) << 30)
            | ((self.qact as u32) << 29)
            | ((self.rc8a as u32) << 28)
            | ((self.apsb as u32) << 23)
    }
}

/// Why a configuration is not acceptable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// An adapter id is above `na` (or above 63 without APXA).
    AdapterOutOfRange(u8),
    /// A usage or control domain id is above `nd` (or above 15 without APXA).
    DomainOutOfRange(u8),
    /// Adapters x usage domains exceeds [`QUEUE_CAPACITY`].
    TooManyQueues(usize),
    /// `reset_polls` above [`MAX_RESET_POLLS`].
    ResetPollsTooLarge(u32),
    /// A queue depth above 15.
    QueueDepthTooLarge(u8),
}

/// The simulated machine's static configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// QCI flags.
    pub flags: QciFlags,
    /// Highest adapter id (QCI `na`).
    pub na: u8,
    /// Highest domain id (QCI `nd`, also TAPQ `nd`).
    pub nd: u8,
    adapters: [Option<Adapter>; MAX_ADAPTERS],
    /// Usage domains (QCI `aqm`).
    pub usage: Mask256,
    /// Control domains (QCI `adm`).
    pub control: Mask256,
    /// TAPQ polls a reset (RAPQ/ZAPQ) stays in progress.
    pub reset_polls: u32,
    /// Facility 65 (AP adapter interrupts).
    pub irq_facility: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self::default_machine()
    }
}

impl Config {
    /// A machine with APXA, `na = nd = 255`, no adapters and no domains.
    pub const fn empty() -> Self {
        Self {
            flags: QciFlags {
                apsc: false,
                apxa: true,
                qact: false,
                rc8a: false,
                apsb: false,
            },
            na: 255,
            nd: 255,
            adapters: [None; MAX_ADAPTERS],
            usage: Mask256::EMPTY,
            control: Mask256::EMPTY,
            reset_polls: 2,
            irq_facility: false,
        }
    }

    /// The default machine (cmdline `ap_sim` with no value): APXA, `na = nd = 255`,
    /// adapters 0-1 CEX7 CCA, 2 CEX8 accelerator, 3 CEX8 EP11, usage and control
    /// domains 0-15, resets in progress for 2 TAPQ polls, no adapter interrupts.
    pub const fn default_machine() -> Self {
        let mut c = Self::empty();
        c.adapters[0] = Some(Adapter::new(CardType::Cex7, CardMode::Cca));
        c.adapters[1] = Some(Adapter::new(CardType::Cex7, CardMode::Cca));
        c.adapters[2] = Some(Adapter::new(CardType::Cex8, CardMode::Accel));
        c.adapters[3] = Some(Adapter::new(CardType::Cex8, CardMode::Ep11));
        let mut b = [0u8; 32];
        b[0] = 0xff;
        b[1] = 0xff;
        c.usage = Mask256::from_bytes(b);
        c.control = Mask256::from_bytes(b);
        c
    }

    /// The adapter with `id`, if defined (in QCI `apm`).
    pub fn adapter(&self, id: u8) -> Option<&Adapter> {
        self.adapters.get(usize::from(id)).and_then(Option::as_ref)
    }

    /// Mutable access to the adapter with `id`.
    pub fn adapter_mut(&mut self, id: u8) -> Option<&mut Adapter> {
        self.adapters
            .get_mut(usize::from(id))
            .and_then(Option::as_mut)
    }

    /// Defines (Some) or removes (None) adapter `id`. Not validated: see [`Config::validate`].
    pub fn set_adapter(&mut self, id: u8, adapter: Option<Adapter>) {
        if let Some(slot) = self.adapters.get_mut(usize::from(id)) {
            *slot = adapter;
        }
    }

    /// The defined adapters in ascending id order.
    pub fn adapters(&self) -> impl Iterator<Item = (u8, &Adapter)> + '_ {
        (0..=255u8).filter_map(move |i| self.adapter(i).map(|a| (i, a)))
    }

    /// The adapter mask (QCI `apm`): every defined adapter, configured or not.
    pub fn apm(&self) -> Mask256 {
        let mut m = Mask256::EMPTY;
        for (i, _) in self.adapters() {
            m.set(i);
        }
        m
    }

    /// Number of queues (defined adapters x usage domains).
    pub fn queue_count(&self) -> usize {
        self.adapters().count() * self.usage.count()
    }

    /// Highest adapter id accepted.
    pub const fn max_adapter(&self) -> u8 {
        if self.flags.apxa || self.na < 63 {
            self.na
        } else {
            63
        }
    }

    /// Highest domain id accepted.
    pub const fn max_domain(&self) -> u8 {
        if self.flags.apxa || self.nd < 15 {
            self.nd
        } else {
            15
        }
    }

    /// Checks every invariant.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.reset_polls > MAX_RESET_POLLS {
            return Err(ConfigError::ResetPollsTooLarge(self.reset_polls));
        }
        for (i, a) in self.adapters() {
            if i > self.max_adapter() {
                return Err(ConfigError::AdapterOutOfRange(i));
            }
            if a.queue_depth > 15 {
                return Err(ConfigError::QueueDepthTooLarge(a.queue_depth));
            }
        }
        if let Some(d) = self.usage.max().into_iter().chain(self.control.max()).max() {
            if d > self.max_domain() {
                return Err(ConfigError::DomainOutOfRange(d));
            }
        }
        let n = self.queue_count();
        if n > QUEUE_CAPACITY {
            return Err(ConfigError::TooManyQueues(n));
        }
        Ok(())
    }

    /// The 128-byte QCI block (`struct ap_config_info`).
    pub fn qci_block(&self) -> [u8; QCI_LEN] {
        let mut b = [0u8; QCI_LEN];
        let flags = self.flags.raw().to_be_bytes();
        let apm = self.apm();
        let parts: [(usize, &[u8]); 5] = [
            (0, &flags),
            (16, apm.bytes()),
            (48, self.usage.bytes()),
            (80, self.control.bytes()),
            (4, &[self.na, self.nd]),
        ];
        for (off, src) in parts {
            if let Some(dst) = b.get_mut(off..off + src.len()) {
                dst.copy_from_slice(src);
            }
        }
        b
    }

    /// Whether the facility `nr` is installed: 12 (QCI) and 15 (APFT) always,
    /// 65 (AP interrupts) if configured, nothing else.
    pub const fn facility(&self, nr: u32) -> bool {
        match nr {
            12 | 15 => true,
            65 => self.irq_facility,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_qci_block_layout() {
        let c = Config::default_machine();
        c.validate().unwrap();
        let b = c.qci_block();
        assert_eq!(&b[0..4], &[0x40, 0, 0, 0]); // apxa only
        assert_eq!((b[4], b[5]), (255, 255));
        assert!(b[6..16].iter().all(|&x| x == 0));
        assert_eq!(b[16], 0xf0); // adapters 0-3
        assert!(b[17..48].iter().all(|&x| x == 0));
        assert_eq!(&b[48..50], &[0xff, 0xff]);
        assert_eq!(&b[80..82], &[0xff, 0xff]);
        assert!(b[112..128].iter().all(|&x| x == 0));
        assert_eq!(c.queue_count(), 64);
    }

    #[test]
    fn flags_bits() {
        let z = QciFlags::default();
        assert_eq!(QciFlags { apsc: true, ..z }.raw(), 1 << 31);
        assert_eq!(QciFlags { apxa: true, ..z }.raw(), 1 << 30);
        assert_eq!(QciFlags { qact: true, ..z }.raw(), 1 << 29);
        assert_eq!(QciFlags { rc8a: true, ..z }.raw(), 1 << 28);
        assert_eq!(QciFlags { apsb: true, ..z }.raw(), 1 << 23);
    }

    #[test]
    fn validation() {
        let mut c = Config::empty();
        c.flags.apxa = false;
        c.set_adapter(64, Some(Adapter::new(CardType::Cex4, CardMode::Accel)));
        assert_eq!(c.validate(), Err(ConfigError::AdapterOutOfRange(64)));
        c.set_adapter(64, None);
        c.usage.set(16);
        assert_eq!(c.validate(), Err(ConfigError::DomainOutOfRange(16)));
        let mut c = Config::empty();
        for i in 0..=32 {
            c.set_adapter(i, Some(Adapter::new(CardType::Cex8, CardMode::Cca)));
        }
        for d in 0..32 {
            c.usage.set(d);
        }
        assert_eq!(c.validate(), Err(ConfigError::TooManyQueues(33 * 32)));
        c.set_adapter(32, None);
        assert_eq!(c.validate(), Ok(()));
        c.reset_polls = MAX_RESET_POLLS + 1;
        assert!(c.validate().is_err());
    }

    #[test]
    fn hwinfo_by_mode() {
        let a = Adapter::new(CardType::Cex7, CardMode::Cca).hwinfo(true, 255);
        assert_eq!(
            a.raw(),
            (1 << 63) | (1 << 60) | (1 << 57) | (13 << 24) | (255 << 16) | 7
        );
        let a = Adapter::new(CardType::Cex8, CardMode::Accel).hwinfo(false, 15);
        assert_eq!(a.fac(), 0x4000_0000 | 0x2000_0000 | 0x0800_0000);
        let a = Adapter::new(CardType::Cex6, CardMode::Ep11).hwinfo(false, 15);
        assert_eq!(a.fac(), 0x8000_0000 | 0x0400_0000);
        assert_eq!(a.at, 12);
    }
}
