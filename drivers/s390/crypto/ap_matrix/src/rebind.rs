// SPDX-License-Identifier: GPL-2.0-only

//! After a committed `apmask`/`aqmask` change, which queue devices the bus reprobes so
//! that pool queues end up with default (zcrypt) drivers and the others with
//! non-default ones (MSK-25, MSK-26, MSK-34).

/// The kind of AP driver a queue is bound to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BoundDriver {
    /// A driver with `AP_DRIVER_FLAG_DEFAULT` (zcrypt's `cex4queue`).
    Default,
    /// Any other driver (`vfio_ap`).
    NonDefault,
}

/// What to do with one queue device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rebind {
    /// Leave it as it is.
    Keep,
    /// Detach it from its driver, if any, and let the bus find it the right one.
    Reprobe,
}

/// The decision for one queue: `in_pool` is whether the pool holds it now, `bound` its
/// driver, `moved` whether the committed change moved it into or out of the pool.
///
/// A bound queue is reprobed when its driver's kind disagrees with the pool, as
/// upstream does. Upstream decides an unbound queue by the flags of a driver it does
/// not have (R1), so such queues stay unbound in practice; here an unbound queue that
/// the change moved is reprobed, which attaches it to a driver of the right kind if one
/// is loaded. An unbound queue the change did not move (say, one an admin unbound by
/// hand) is left alone.
pub fn rebind(in_pool: bool, bound: Option<BoundDriver>, moved: bool) -> Rebind {
    match bound {
        Some(kind) if (kind == BoundDriver::Default) != in_pool => Rebind::Reprobe,
        Some(_) => Rebind::Keep,
        None if moved => Rebind::Reprobe,
        None => Rebind::Keep,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bound_queues_follow_upstream() {
        use BoundDriver::*;
        assert_eq!(rebind(true, Some(Default), true), Rebind::Keep);
        assert_eq!(rebind(true, Some(NonDefault), true), Rebind::Reprobe);
        assert_eq!(rebind(false, Some(Default), false), Rebind::Reprobe);
        assert_eq!(rebind(false, Some(NonDefault), true), Rebind::Keep);
    }

    #[test]
    fn unbound_queues_are_reprobed_only_when_the_change_moved_them() {
        assert_eq!(rebind(true, None, true), Rebind::Reprobe);
        assert_eq!(rebind(false, None, true), Rebind::Reprobe);
        assert_eq!(rebind(true, None, false), Rebind::Keep);
        assert_eq!(rebind(false, None, false), Rebind::Keep);
    }
}
