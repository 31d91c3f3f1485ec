// SPDX-License-Identifier: GPL-2.0-only

//! Guest AP interrupts: a guest's PQAP(AQIC), intercepted by KVM and handed to the
//! driver, asks that a queue's interrupts be enabled (with a notification
//! indicator byte, NIB, in guest memory) or disabled. This module decodes the
//! request, encodes the host AQIC's controls, and holds upstream's decisions on
//! what each AQIC and TAPQ answer means; the driver pins pages and registers ISCs.

use super::id::Apqn;
use super::status_word::{
    QueueStatus, AP_RESPONSE_BUSY, AP_RESPONSE_NORMAL, AP_RESPONSE_RESET_IN_PROGRESS,
};

/// Response code 0x06: invalid address (the guest's answer when its NIB cannot be
/// used).
pub const AP_RESPONSE_INVALID_ADDRESS: u8 = 0x06;
/// Response code 0x07: the interrupt state is already what was asked.
pub const AP_RESPONSE_OTHERWISE_CHANGED: u8 = 0x07;

/// Milliseconds between the tries of a disable and of the wait for its effect.
pub const RETRY_MS: u32 = 20;
/// How often a disable issues AQIC at most (upstream's `retries = 5`, tried once
/// more than that).
pub const DISABLE_TRIES: u32 = 6;
/// How often the wait for the interrupt bit to clear issues TAPQ at most.
pub const IRQ_CLEAR_TRIES: u32 = 5;

/// A guest's PQAP(AQIC), from the registers it executed PQAP with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AqicRequest {
    /// GR0 bits 48-63.
    pub apqn: Apqn,
    /// GR1 bit 16 (IR): enable, else disable.
    pub enable: bool,
    /// GR1 bits 61-63: the guest's interruption subclass.
    pub isc: u8,
    /// GR2: the NIB's guest address (an IOVA of the VFIO container: guest memory is
    /// mapped 1:1).
    pub nib: u64,
}

impl AqicRequest {
    /// Decodes general registers 0, 1 and 2.
    pub const fn from_regs(gr0: u64, gr1: u64, gr2: u64) -> Self {
        Self {
            apqn: Apqn::from_qid(gr0 as u16),
            enable: (gr1 >> (63 - 16)) & 1 != 0,
            isc: (gr1 & 7) as u8,
            nib: gr2,
        }
    }
}

/// The guest's GR1 after the instruction: its status word, zero-extended.
pub const fn gr1_of(status: QueueStatus) -> u64 {
    status.to_raw() as u64
}

/// The interrupt controls of the host AQIC (`union ap_qirq_ctrl`).
///
/// Layout, bit 0 the least significant: `zone` 55-48, `ir` 47, `gisc` 42-40, `gf`
/// 33-32, `gisa` 30-4, `isc` 2-0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QirqCtrl {
    /// Zone (always 0 here).
    pub zone: u8,
    /// Enable interrupts.
    pub ir: bool,
    /// The guest's interruption subclass.
    pub gisc: u8,
    /// GISA format.
    pub gf: u8,
    /// The GISA's physical address shifted right by 4.
    pub gisa: u32,
    /// The host's interruption subclass (KVM's GIB alert subclass).
    pub isc: u8,
}

impl QirqCtrl {
    /// Enabling for a guest: `gisc` is the guest's subclass, `nisc` the host's,
    /// `gisa` the guest interruption state area's physical address.
    pub const fn enable(gisc: u8, nisc: u8, gisa: u64) -> Self {
        Self {
            zone: 0,
            ir: true,
            gisc: gisc & 7,
            gf: 0,
            gisa: ((gisa >> 4) & 0x07ff_ffff) as u32,
            isc: nisc & 7,
        }
    }

    /// The 64-bit word AQIC takes in GR1.
    pub const fn to_raw(self) -> u64 {
        ((self.zone as u64) << 48)
            | ((self.ir as u64) << 47)
            | (((self.gisc & 7) as u64) << 40)
            | (((self.gf & 3) as u64) << 32)
            | (((self.gisa & 0x07ff_ffff) as u64) << 4)
            | ((self.isc & 7) as u64)
    }
}

/// What an enabling AQIC's answer means for the resources set up for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnableOutcome {
    /// Interrupts are on: release the queue's previous NIB page and ISC, keep the
    /// new ones.
    Keep,
    /// The queue's state was already changed otherwise: release the new ones.
    Undo,
    /// Anything else: warn, release the new ones and disable the queue's interrupts.
    Disable,
}

impl EnableOutcome {
    /// The outcome of an enabling AQIC that answered `rc`.
    pub const fn of(rc: u8) -> Self {
        match rc {
            AP_RESPONSE_NORMAL => Self::Keep,
            AP_RESPONSE_OTHERWISE_CHANGED => Self::Undo,
            _ => Self::Disable,
        }
    }
}

/// What a disable needs from the machine it runs on.
pub trait DisableIo {
    /// Issues AQIC with interrupts off and no NIB.
    fn aqic_off(&mut self, apqn: Apqn) -> QueueStatus;
    /// Issues TAPQ.
    fn tapq(&mut self, apqn: Apqn) -> QueueStatus;
    /// Sleeps `ms` milliseconds.
    fn sleep_ms(&mut self, ms: u32);
}

/// Why a disable warns (upstream `WARN_ONCE`s).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DisableWarning {
    /// AQIC answered a response code that means the queue is not operational, or
    /// stayed busy for every try.
    Aqic(u8),
    /// TAPQ, waiting for the interrupt bit to clear, answered this response code.
    Tapq(u8),
    /// The interrupt bit was still set after every TAPQ (the last response code).
    IrqNotCleared(u8),
}

/// The end of a disable: the last AQIC status, and a warning if something went
/// wrong. Either way the queue's interrupt resources are to be released.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Disabled {
    /// The last AQIC's status: the guest's answer.
    pub status: QueueStatus,
    /// What to warn about, if anything.
    pub warning: Option<DisableWarning>,
}

/// Disables `apqn`'s interrupts as upstream does: AQIC until it is accepted (busy
/// or resetting: sleep and retry, at most [`DISABLE_TRIES`] times), then TAPQ until
/// the interrupt bit is clear (at most [`IRQ_CLEAR_TRIES`] times).
pub fn disable(io: &mut impl DisableIo, apqn: Apqn) -> Disabled {
    let mut status = QueueStatus::with_rc(AP_RESPONSE_NORMAL);
    for _ in 0..DISABLE_TRIES {
        status = io.aqic_off(apqn);
        match status.response_code {
            AP_RESPONSE_NORMAL | AP_RESPONSE_OTHERWISE_CHANGED => {
                return Disabled {
                    status,
                    warning: wait_for_irq_clear(io, apqn),
                };
            }
            AP_RESPONSE_RESET_IN_PROGRESS | AP_RESPONSE_BUSY => io.sleep_ms(RETRY_MS),
            rc => {
                return Disabled {
                    status,
                    warning: Some(DisableWarning::Aqic(rc)),
                }
            }
        }
    }
    Disabled {
        status,
        warning: Some(DisableWarning::Aqic(status.response_code)),
    }
}

/// Polls TAPQ until the queue's interrupt bit is clear.
fn wait_for_irq_clear(io: &mut impl DisableIo, apqn: Apqn) -> Option<DisableWarning> {
    let mut rc = AP_RESPONSE_NORMAL;
    for _ in 0..IRQ_CLEAR_TRIES {
        let status = io.tapq(apqn);
        rc = status.response_code;
        match rc {
            AP_RESPONSE_NORMAL | AP_RESPONSE_RESET_IN_PROGRESS if !status.irq_enabled => {
                return None
            }
            AP_RESPONSE_NORMAL | AP_RESPONSE_RESET_IN_PROGRESS | AP_RESPONSE_BUSY => {
                io.sleep_ms(RETRY_MS)
            }
            _ => return Some(DisableWarning::Tapq(rc)),
        }
    }
    Some(DisableWarning::IrqNotCleared(rc))
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    /// Answers from scripts, records every step.
    struct Script {
        aqic: Vec<QueueStatus>,
        tapq: Vec<QueueStatus>,
        log: Vec<&'static str>,
    }

    impl DisableIo for Script {
        fn aqic_off(&mut self, _apqn: Apqn) -> QueueStatus {
            self.log.push("aqic");
            self.aqic.remove(0)
        }
        fn tapq(&mut self, _apqn: Apqn) -> QueueStatus {
            self.log.push("tapq");
            self.tapq.remove(0)
        }
        fn sleep_ms(&mut self, ms: u32) {
            assert_eq!(ms, RETRY_MS);
            self.log.push("sleep");
        }
    }

    fn rc(rc: u8) -> QueueStatus {
        QueueStatus::with_rc(rc)
    }

    fn irq_on(rc: u8) -> QueueStatus {
        QueueStatus {
            irq_enabled: true,
            ..QueueStatus::with_rc(rc)
        }
    }

    const Q: Apqn = Apqn::new(5, 0x47);

    #[test]
    fn request_decodes_the_guests_registers() {
        let r = AqicRequest::from_regs(0x0300_0547, (1 << 47) | 3, 0x1234);
        assert_eq!(r.apqn, Q);
        assert!(r.enable);
        assert_eq!((r.isc, r.nib), (3, 0x1234));
        let off = AqicRequest::from_regs(0x0300_0547, 7, 0);
        assert!(!off.enable);
        assert_eq!(off.isc, 7);
    }

    #[test]
    fn gr1_is_the_status_word_zero_extended() {
        assert_eq!(gr1_of(irq_on(AP_RESPONSE_INVALID_ADDRESS)), 0x0106_0000);
    }

    #[test]
    fn controls_encode_as_the_union() {
        let c = QirqCtrl::enable(3, 5, 0x1234_5670);
        assert_eq!(c.to_raw(), (1 << 47) | (3 << 40) | 0x1234_5670 | 5);
        assert_eq!(QirqCtrl::default().to_raw(), 0);
    }

    #[test]
    fn enable_outcomes_follow_the_response_code() {
        assert_eq!(EnableOutcome::of(0), EnableOutcome::Keep);
        assert_eq!(EnableOutcome::of(7), EnableOutcome::Undo);
        for rc in [1, 2, 3, 4, 5, 6, 8] {
            assert_eq!(EnableOutcome::of(rc), EnableOutcome::Disable);
        }
    }

    #[test]
    fn disable_waits_for_the_interrupt_bit() {
        let mut io = Script {
            aqic: std::vec![irq_on(0)],
            tapq: std::vec![irq_on(0), rc(0)],
            log: Vec::new(),
        };
        let d = disable(&mut io, Q);
        assert_eq!(d.status, irq_on(0));
        assert_eq!(d.warning, None);
        assert_eq!(io.log, ["aqic", "tapq", "sleep", "tapq"]);
    }

    #[test]
    fn disable_retries_while_busy_then_gives_up() {
        let mut io = Script {
            aqic: std::vec![rc(5); 6],
            tapq: Vec::new(),
            log: Vec::new(),
        };
        let d = disable(&mut io, Q);
        assert_eq!(d.warning, Some(DisableWarning::Aqic(5)));
        assert_eq!(io.log.iter().filter(|s| **s == "aqic").count(), 6);
    }

    #[test]
    fn disable_of_a_gone_queue_warns_at_once() {
        let mut io = Script {
            aqic: std::vec![rc(1)],
            tapq: Vec::new(),
            log: Vec::new(),
        };
        assert_eq!(disable(&mut io, Q).warning, Some(DisableWarning::Aqic(1)));
        assert_eq!(io.log, ["aqic"]);
    }

    #[test]
    fn irq_bit_that_never_clears_is_reported() {
        let mut io = Script {
            aqic: std::vec![rc(7)],
            tapq: std::vec![irq_on(0); 5],
            log: Vec::new(),
        };
        let d = disable(&mut io, Q);
        assert_eq!(d.warning, Some(DisableWarning::IrqNotCleared(0)));
        let mut io = Script {
            aqic: std::vec![rc(0)],
            tapq: std::vec![rc(3)],
            log: Vec::new(),
        };
        assert_eq!(disable(&mut io, Q).warning, Some(DisableWarning::Tapq(3)));
    }
}
