// SPDX-License-Identifier: GPL-2.0-only

//! Register images of the AP instructions, bit for bit as `asm/ap.h` lays them out.
//!
//! Bit numbers below count from the least significant bit of the register value
//! (bit 31 of a `u32` is the first, most significant bit of the big-endian bitfield).

/// Response code: normal completion.
pub const RC_NORMAL: u8 = 0x00;
/// Response code: the APQN is not available (not in the configuration).
pub const RC_Q_NOT_AVAIL: u8 = 0x01;
/// Response code: a reset of the queue is in progress.
pub const RC_RESET_IN_PROGRESS: u8 = 0x02;
/// Response code: the adapter (or queue) is deconfigured.
pub const RC_DECONFIGURED: u8 = 0x03;
/// Response code: the adapter (or queue) is checkstopped.
pub const RC_CHECKSTOPPED: u8 = 0x04;
/// Response code: busy, try again.
pub const RC_BUSY: u8 = 0x05;
/// Response code: invalid address (e.g. notification indicator byte).
pub const RC_INVALID_ADDRESS: u8 = 0x06;
/// Response code: the interruption state was otherwise changed.
pub const RC_OTHERWISE_CHANGED: u8 = 0x07;
/// Response code: invalid GISA.
pub const RC_INVALID_GISA: u8 = 0x08;
/// Response code: the queue is bound to another configuration.
pub const RC_Q_BOUND_TO_ANOTHER: u8 = 0x09;
/// Response code: a state change is in progress.
pub const RC_STATE_CHANGE_IN_PROGRESS: u8 = 0x0A;
/// Response code: the queue is not bound.
pub const RC_Q_NOT_BOUND: u8 = 0x0B;
/// Response code of NQAP: the queue is full.
pub const RC_Q_FULL: u8 = 0x10;
/// Response code of DQAP: no reply pending (same value as [`RC_Q_FULL`]).
pub const RC_NO_PENDING_REPLY: u8 = 0x10;
/// Response code: index too big.
pub const RC_INDEX_TOO_BIG: u8 = 0x11;
/// Response code: no first part.
pub const RC_NO_FIRST_PART: u8 = 0x13;
/// Response code: the message is too big for the adapter.
pub const RC_MESSAGE_TOO_BIG: u8 = 0x15;
/// Response code: a required facility is not installed.
pub const RC_REQ_FAC_NOT_INST: u8 = 0x16;
/// Response code: bind error (e.g. the queue is already bound).
pub const RC_Q_BIND_ERROR: u8 = 0x30;
/// Response code: invalid domain.
pub const RC_INVALID_DOMAIN: u8 = 0x42;

/// `struct ap_queue_status`: the 32-bit status word returned in GR1.
///
/// Layout (bit 31 = most significant): `queue_empty` 31, `replies_waiting` 30,
/// `queue_full` 29, `async` 25, `irq_enabled` 24, `response_code` 23..16.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueStatus {
    /// No request and no reply is in the queue.
    pub queue_empty: bool,
    /// At least one reply can be dequeued.
    pub replies_waiting: bool,
    /// The queue cannot take another request.
    pub queue_full: bool,
    /// An asynchronous error is reported.
    pub async_error: bool,
    /// Interrupts are enabled for the queue.
    pub irq_enabled: bool,
    /// The response code.
    pub response_code: u8,
}

impl QueueStatus {
    /// A status with only a response code.
    pub const fn rc(response_code: u8) -> Self {
        Self {
            queue_empty: false,
            replies_waiting: false,
            queue_full: false,
            async_error: false,
            irq_enabled: false,
            response_code,
        }
    }

    /// The raw 32-bit word.
    pub const fn raw(self) -> u32 {
        ((self.queue_empty as u32) << 31)
            | ((self.replies_waiting as u32) << 30)
            | ((self.queue_full as u32) << 29)
            | ((self.async_error as u32) << 25)
            | ((self.irq_enabled as u32) << 24)
            | ((self.response_code as u32) << 16)
    }

    /// Decodes a raw word (bits outside the defined fields are ignored).
    pub const fn from_raw(raw: u32) -> Self {
        Self {
            queue_empty: raw & (1 << 31) != 0,
            replies_waiting: raw & (1 << 30) != 0,
            queue_full: raw & (1 << 29) != 0,
            async_error: raw & (1 << 25) != 0,
            irq_enabled: raw & (1 << 24) != 0,
            response_code: (raw >> 16) as u8,
        }
    }
}

/// `struct ap_tapq_hwinfo`: the 64-bit GR2 returned by TAPQ.
///
/// Layout (bit 63 = most significant): `apsc` 63, `mex4k` 62, `crt4k` 61, `cca` 60,
/// `accel` 59, `ep11` 58, `apxa` 57, `slcf` 56, `class` 55..48, `bs` 47..46,
/// `at` 31..24, `nd` 23..16, `ml` 11..8, `qd` 3..0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TapqHwinfo {
    /// AP special command facility.
    pub apsc: bool,
    /// Modular exponentiation with 4k keys.
    pub mex4k: bool,
    /// CRT with 4k keys.
    pub crt4k: bool,
    /// CCA coprocessor mode.
    pub cca: bool,
    /// Accelerator mode.
    pub accel: bool,
    /// EP11 coprocessor mode.
    pub ep11: bool,
    /// AP extended addressing.
    pub apxa: bool,
    /// Command filtering available.
    pub slcf: bool,
    /// Adapter class.
    pub class: u8,
    /// SE bind state (2 bits).
    pub bs: u8,
    /// AP type (10 = CEX4 .. 14 = CEX8).
    pub at: u8,
    /// Number of domains (highest domain number).
    pub nd: u8,
    /// Maximum message length in 4 KiB chunks (4 bits; 0 = default 12 KiB).
    pub ml: u8,
    /// Queue depth (4 bits): the queue holds `qd + 1` requests.
    pub qd: u8,
}

impl TapqHwinfo {
    /// The raw 64-bit register value.
    pub const fn raw(self) -> u64 {
        ((self.apsc as u64) << 63)
            | ((self.mex4k as u64) << 62)
            | ((self.crt4k as u64) << 61)
            | ((self.cca as u64) << 60)
            | ((self.accel as u64) << 59)
            | ((self.ep11 as u64) << 58)
            | ((self.apxa as u64) << 57)
            | ((self.slcf as u64) << 56)
            | ((self.class as u64) << 48)
            | (((self.bs & 3) as u64) << 46)
            | ((self.at as u64) << 24)
            | ((self.nd as u64) << 16)
            | (((self.ml & 0xf) as u64) << 8)
            | ((self.qd & 0xf) as u64)
    }

    /// Decodes a raw register value.
    pub const fn from_raw(raw: u64) -> Self {
        Self {
            apsc: raw & (1 << 63) != 0,
            mex4k: raw & (1 << 62) != 0,
            crt4k: raw & (1 << 61) != 0,
            cca: raw & (1 << 60) != 0,
            accel: raw & (1 << 59) != 0,
            ep11: raw & (1 << 58) != 0,
            apxa: raw & (1 << 57) != 0,
            slcf: raw & (1 << 56) != 0,
            class: (raw >> 48) as u8,
            bs: ((raw >> 46) & 3) as u8,
            at: (raw >> 24) as u8,
            nd: (raw >> 16) as u8,
            ml: ((raw >> 8) & 0xf) as u8,
            qd: (raw & 0xf) as u8,
        }
    }

    /// The upper 32 bits (`fac`), as the bus compares and sysfs shows them.
    pub const fn fac(self) -> u32 {
        (self.raw() >> 32) as u32
    }
}

/// `union ap_qirq_ctrl`: GR1 input of AQIC.
///
/// Layout: `zone` 55..48, `ir` 47, `gisc` 42..40, `gf` 33..32, `gisa` 30..4, `isc` 2..0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QirqCtrl {
    /// Zone.
    pub zone: u8,
    /// Enable (true) or disable (false) interrupts.
    pub ir: bool,
    /// Guest interruption subclass (3 bits).
    pub gisc: u8,
    /// GISA format (2 bits).
    pub gf: u8,
    /// GISA origin >> 4 (27 bits).
    pub gisa: u32,
    /// Interruption subclass (3 bits).
    pub isc: u8,
}

impl QirqCtrl {
    /// Decodes the raw register.
    pub const fn from_raw(raw: u64) -> Self {
        Self {
            zone: (raw >> 48) as u8,
            ir: raw & (1 << 47) != 0,
            gisc: ((raw >> 40) & 7) as u8,
            gf: ((raw >> 32) & 3) as u8,
            gisa: ((raw >> 4) & 0x07ff_ffff) as u32,
            isc: (raw & 7) as u8,
        }
    }

    /// The raw register value.
    pub const fn raw(self) -> u64 {
        ((self.zone as u64) << 48)
            | ((self.ir as u64) << 47)
            | (((self.gisc & 7) as u64) << 40)
            | (((self.gf & 3) as u64) << 32)
            | (((self.gisa & 0x07ff_ffff) as u64) << 4)
            | ((self.isc & 7) as u64)
    }
}

/// `union ap_qact_ap_info`: GR1 input and GR2 output of QACT.
///
/// Layout: `mode` 60..58 (cca, accel, ep11 from high to low), `cat` 31..24,
/// `ver` 15..0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QactApInfo {
    /// Mode bits (3 bits: 4 = CCA, 2 = accelerator, 1 = EP11).
    pub mode: u8,
    /// Compatibility AP type.
    pub cat: u8,
    /// Version.
    pub ver: u16,
}

impl QactApInfo {
    /// Decodes the raw register.
    pub const fn from_raw(raw: u64) -> Self {
        Self {
            mode: ((raw >> 58) & 7) as u8,
            cat: (raw >> 24) as u8,
            ver: raw as u16,
        }
    }

    /// The raw register value.
    pub const fn raw(self) -> u64 {
        (((self.mode & 7) as u64) << 58) | ((self.cat as u64) << 24) | (self.ver as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_bits_one_by_one() {
        let base = QueueStatus::rc(0);
        assert_eq!(base.raw(), 0);
        let cases: [(QueueStatus, u32); 6] = [
            (
                QueueStatus {
                    queue_empty: true,
                    ..base
                },
                1 << 31,
            ),
            (
                QueueStatus {
                    replies_waiting: true,
                    ..base
                },
                1 << 30,
            ),
            (
                QueueStatus {
                    queue_full: true,
                    ..base
                },
                1 << 29,
            ),
            (
                QueueStatus {
                    async_error: true,
                    ..base
                },
                1 << 25,
            ),
            (
                QueueStatus {
                    irq_enabled: true,
                    ..base
                },
                1 << 24,
            ),
            (QueueStatus::rc(0xAB), 0x00AB_0000),
        ];
        for (s, raw) in cases {
            assert_eq!(s.raw(), raw, "{s:?}");
            assert_eq!(QueueStatus::from_raw(raw), s);
        }
    }

    #[test]
    fn hwinfo_bits_one_by_one() {
        let z = TapqHwinfo::default();
        let cases: [(TapqHwinfo, u64); 14] = [
            (TapqHwinfo { apsc: true, ..z }, 1 << 63),
            (TapqHwinfo { mex4k: true, ..z }, 1 << 62),
            (TapqHwinfo { crt4k: true, ..z }, 1 << 61),
            (TapqHwinfo { cca: true, ..z }, 1 << 60),
            (TapqHwinfo { accel: true, ..z }, 1 << 59),
            (TapqHwinfo { ep11: true, ..z }, 1 << 58),
            (TapqHwinfo { apxa: true, ..z }, 1 << 57),
            (TapqHwinfo { slcf: true, ..z }, 1 << 56),
            (TapqHwinfo { class: 0xff, ..z }, 0xff << 48),
            (TapqHwinfo { bs: 3, ..z }, 3 << 46),
            (TapqHwinfo { at: 0xff, ..z }, 0xff << 24),
            (TapqHwinfo { nd: 0xff, ..z }, 0xff << 16),
            (TapqHwinfo { ml: 0xf, ..z }, 0xf << 8),
            (TapqHwinfo { qd: 0xf, ..z }, 0xf),
        ];
        for (h, raw) in cases {
            assert_eq!(h.raw(), raw, "{h:?}");
            assert_eq!(TapqHwinfo::from_raw(raw), h);
        }
        assert_eq!(TapqHwinfo { cca: true, ..z }.fac(), 0x1000_0000);
    }

    #[test]
    fn qirq_and_qact_layouts() {
        let q = QirqCtrl::from_raw((1 << 47) | 3);
        assert!(q.ir);
        assert_eq!(q.isc, 3);
        assert_eq!(
            QirqCtrl {
                gisa: 0x07ff_ffff,
                ..Default::default()
            }
            .raw(),
            0x7fff_fff0
        );
        assert_eq!(
            QirqCtrl {
                zone: 0xff,
                ..Default::default()
            }
            .raw(),
            0xff << 48
        );
        assert_eq!(
            QirqCtrl {
                gisc: 7,
                ..Default::default()
            }
            .raw(),
            7 << 40
        );
        assert_eq!(
            QirqCtrl {
                gf: 3,
                ..Default::default()
            }
            .raw(),
            3 << 32
        );
        let a = QactApInfo {
            mode: 4,
            cat: 14,
            ver: 0x1234,
        };
        assert_eq!(a.raw(), (4 << 58) | (14 << 24) | 0x1234);
        assert_eq!(QactApInfo::from_raw(a.raw()), a);
    }
}
