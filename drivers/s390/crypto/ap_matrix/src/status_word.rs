// SPDX-License-Identifier: GPL-2.0-only

//! The AP queue status word returned by TAPQ, ZAPQ, AQIC and the other AP
//! instructions, and the response codes the reset logic distinguishes.

/// Response code 0x00: normal completion.
pub const AP_RESPONSE_NORMAL: u8 = 0x00;
/// Response code 0x01: the APQN is not available (not in the configuration).
pub const AP_RESPONSE_Q_NOT_AVAIL: u8 = 0x01;
/// Response code 0x02: a reset is in progress.
pub const AP_RESPONSE_RESET_IN_PROGRESS: u8 = 0x02;
/// Response code 0x03: the adapter is deconfigured.
pub const AP_RESPONSE_DECONFIGURED: u8 = 0x03;
/// Response code 0x04: the adapter is checkstopped.
pub const AP_RESPONSE_CHECKSTOPPED: u8 = 0x04;
/// Response code 0x05: busy.
pub const AP_RESPONSE_BUSY: u8 = 0x05;
/// Response code 0x0A: a state change is in progress.
pub const AP_RESPONSE_STATE_CHANGE_IN_PROGRESS: u8 = 0x0a;
/// Asynchronous response code 0x35: the association secret is not unique.
pub const AP_RESPONSE_ASSOC_SECRET_NOT_UNIQUE: u8 = 0x35;
/// Asynchronous response code 0x36: an association failed.
pub const AP_RESPONSE_ASSOC_FAILED: u8 = 0x36;

/// The 32-bit AP queue status word.
///
/// Bit layout, MSB first: queue empty (E), replies waiting, queue full, three
/// reserved bits, asynchronous, interrupts enabled (IR), the 8-bit response code,
/// 16 reserved bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct QueueStatus {
    /// E: the queue holds no request.
    pub queue_empty: bool,
    /// Replies are waiting to be dequeued.
    pub replies_waiting: bool,
    /// The queue is full.
    pub queue_full: bool,
    /// The response code is asynchronous (left over from an earlier operation).
    pub asynchronous: bool,
    /// IR: interrupts are enabled for the queue.
    pub irq_enabled: bool,
    /// The response code.
    pub response_code: u8,
}

impl QueueStatus {
    /// A status with response code `rc` and every flag clear.
    pub const fn with_rc(rc: u8) -> Self {
        Self {
            queue_empty: false,
            replies_waiting: false,
            queue_full: false,
            asynchronous: false,
            irq_enabled: false,
            response_code: rc,
        }
    }

    /// Decodes the architected status word.
    pub const fn from_raw(raw: u32) -> Self {
        Self {
            queue_empty: raw & (1 << 31) != 0,
            replies_waiting: raw & (1 << 30) != 0,
            queue_full: raw & (1 << 29) != 0,
            asynchronous: raw & (1 << 25) != 0,
            irq_enabled: raw & (1 << 24) != 0,
            response_code: (raw >> 16) as u8,
        }
    }

    /// Encodes the architected status word (reserved bits zero).
    pub const fn to_raw(self) -> u32 {
        ((self.queue_empty as u32) << 31)
            | ((self.replies_waiting as u32) << 30)
            | ((self.queue_full as u32) << 29)
            | ((self.asynchronous as u32) << 25)
            | ((self.irq_enabled as u32) << 24)
            | ((self.response_code as u32) << 16)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_word_layout() {
        let s = QueueStatus::from_raw(0x8103_0000);
        assert!(s.queue_empty && s.irq_enabled && !s.asynchronous);
        assert_eq!(s.response_code, AP_RESPONSE_DECONFIGURED);
        assert_eq!(s.to_raw(), 0x8103_0000);
        let a = QueueStatus::from_raw(0x0235_ffff);
        assert!(a.asynchronous);
        assert_eq!(a.response_code, AP_RESPONSE_ASSOC_SECRET_NOT_UNIQUE);
        assert_eq!(QueueStatus::with_rc(5).to_raw(), 0x0005_0000);
    }
}
