// SPDX-License-Identifier: GPL-2.0-only

//! The error numbers this crate's decisions map to.
//!
//! The kernel shells return `-(errno as i32)`; host tools print the name. Values are
//! the Linux generic ones, which s390 uses.

use core::fmt;

/// A Linux error number that a decision of this crate can produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(clippy::upper_case_acronyms)]
pub enum Errno {
    /// Operation not permitted.
    EPERM,
    /// Interrupted system call.
    EINTR,
    /// I/O error (a queue reset that did not end with response code 0).
    EIO,
    /// Try again.
    EAGAIN,
    /// Out of memory.
    ENOMEM,
    /// Bad address.
    EFAULT,
    /// Device or resource busy (a reservation refused by a driver's `in_use`).
    EBUSY,
    /// File exists.
    EEXIST,
    /// No such device (an ID above the maximum).
    ENODEV,
    /// Invalid argument (malformed input).
    EINVAL,
    /// Result out of range (a number that does not fit).
    ERANGE,
    /// Too many users (no mdev instances left).
    EUSERS,
    /// Operation not supported.
    EOPNOTSUPP,
    /// Address already in use (an APQN held by another mdev).
    EADDRINUSE,
    /// Cannot assign requested address (an APQN in the default pool).
    EADDRNOTAVAIL,
    /// Connection timed out (a bounded wait that ran out).
    ETIMEDOUT,
    /// Restart the system call (an interruptible lock wait was interrupted).
    ERESTARTSYS,
}

impl Errno {
    /// Every error number of this enum.
    pub const ALL: [Errno; 17] = [
        Errno::EPERM,
        Errno::EINTR,
        Errno::EIO,
        Errno::EAGAIN,
        Errno::ENOMEM,
        Errno::EFAULT,
        Errno::EBUSY,
        Errno::EEXIST,
        Errno::ENODEV,
        Errno::EINVAL,
        Errno::ERANGE,
        Errno::EUSERS,
        Errno::EOPNOTSUPP,
        Errno::EADDRINUSE,
        Errno::EADDRNOTAVAIL,
        Errno::ETIMEDOUT,
        Errno::ERESTARTSYS,
    ];

    /// The error of positive number `raw`, if it is one of this enum.
    pub fn from_raw(raw: i32) -> Option<Errno> {
        Self::ALL.into_iter().find(|e| e.to_raw() == raw)
    }

    /// The positive error number.
    pub const fn to_raw(self) -> i32 {
        match self {
            Errno::EPERM => 1,
            Errno::EINTR => 4,
            Errno::EIO => 5,
            Errno::EAGAIN => 11,
            Errno::ENOMEM => 12,
            Errno::EFAULT => 14,
            Errno::EBUSY => 16,
            Errno::EEXIST => 17,
            Errno::ENODEV => 19,
            Errno::EINVAL => 22,
            Errno::ERANGE => 34,
            Errno::EUSERS => 87,
            Errno::EOPNOTSUPP => 95,
            Errno::EADDRINUSE => 98,
            Errno::EADDRNOTAVAIL => 99,
            Errno::ETIMEDOUT => 110,
            Errno::ERESTARTSYS => 512,
        }
    }

    /// The symbolic name, e.g. `"EINVAL"`.
    pub const fn name(self) -> &'static str {
        match self {
            Errno::EPERM => "EPERM",
            Errno::EINTR => "EINTR",
            Errno::EIO => "EIO",
            Errno::EAGAIN => "EAGAIN",
            Errno::ENOMEM => "ENOMEM",
            Errno::EFAULT => "EFAULT",
            Errno::EBUSY => "EBUSY",
            Errno::EEXIST => "EEXIST",
            Errno::ENODEV => "ENODEV",
            Errno::EINVAL => "EINVAL",
            Errno::ERANGE => "ERANGE",
            Errno::EUSERS => "EUSERS",
            Errno::EOPNOTSUPP => "EOPNOTSUPP",
            Errno::EADDRINUSE => "EADDRINUSE",
            Errno::EADDRNOTAVAIL => "EADDRNOTAVAIL",
            Errno::ETIMEDOUT => "ETIMEDOUT",
            Errno::ERESTARTSYS => "ERESTARTSYS",
        }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_numbers_round_trip() {
        for e in Errno::ALL {
            assert_eq!(Errno::from_raw(e.to_raw()), Some(e));
        }
        assert_eq!(Errno::from_raw(0), None);
        assert_eq!(
            Errno::from_raw(Errno::EADDRNOTAVAIL.to_raw()).map(Errno::name),
            Some("EADDRNOTAVAIL")
        );
    }
}
