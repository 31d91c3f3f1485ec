// SPDX-License-Identifier: GPL-2.0-only

//! Linux errno values the control interface reports.

/// An error number, positive (the shell returns its negation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Errno {
    /// `ENOENT` (2): the thing to remove or clear is not there.
    Noent = 2,
    /// `EEXIST` (17): the thing to add is already there.
    Exist = 17,
    /// `ENODEV` (19): no such adapter or queue.
    Nodev = 19,
    /// `EINVAL` (22): syntax error or value out of range.
    Inval = 22,
    /// `ENOSPC` (28): a fixed-capacity table is full.
    Nospc = 28,
}

impl Errno {
    /// The positive errno number.
    pub const fn to_errno(self) -> i32 {
        self as i32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(Errno::Noent.to_errno(), 2);
        assert_eq!(Errno::Exist.to_errno(), 17);
        assert_eq!(Errno::Nodev.to_errno(), 19);
        assert_eq!(Errno::Inval.to_errno(), 22);
        assert_eq!(Errno::Nospc.to_errno(), 28);
    }
}
