// SPDX-License-Identifier: GPL-2.0-only

//! The locked entry point (upstream `ap_parse_mask_str`, MSK-17, MSK-33) and the boot
//! parameter semantics (`ap_perms_init`, MSK-29..MSK-31).

use core::fmt;
use core::ops::DerefMut;

use super::super::errno::Errno;
use super::super::mask::Mask;
use super::{check_width, parse_mask_relative_to, MaskParseError};

/// An interruptible wait for a lock was interrupted by a signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Interrupted;

impl Interrupted {
    /// The error number the kernel returns: `ERESTARTSYS`.
    pub const fn errno(&self) -> Errno {
        Errno::ERESTARTSYS
    }
}

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("interrupted while waiting for the mask lock")
    }
}

/// A lock protecting a committed [`Mask`] (in the kernel: `ap_perms_mutex` over one of
/// the `ap_perms` masks).
pub trait MaskLock {
    /// Proof that the lock is held; gives access to the protected mask and releases
    /// the lock when dropped.
    type Guard<'a>: DerefMut<Target = Mask>
    where
        Self: 'a;

    /// Takes the lock, sleeping interruptibly (`mutex_lock_interruptible`).
    fn lock_interruptible(&self) -> Result<Self::Guard<'_>, Interrupted>;
}

/// Why a locked mask update failed. Nothing was committed in either case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MaskUpdateError {
    /// The input (or the width) is invalid: `EINVAL`.
    Parse(MaskParseError),
    /// The wait for the lock was interrupted: `ERESTARTSYS`.
    Interrupted,
}

impl MaskUpdateError {
    /// The error number the kernel returns.
    pub const fn errno(&self) -> Errno {
        match self {
            MaskUpdateError::Parse(e) => e.errno(),
            MaskUpdateError::Interrupted => Errno::ERESTARTSYS,
        }
    }
}

impl From<MaskParseError> for MaskUpdateError {
    fn from(e: MaskParseError) -> Self {
        MaskUpdateError::Parse(e)
    }
}

impl From<Interrupted> for MaskUpdateError {
    fn from(_: Interrupted) -> Self {
        MaskUpdateError::Interrupted
    }
}

impl fmt::Display for MaskUpdateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MaskUpdateError::Parse(e) => e.fmt(f),
            MaskUpdateError::Interrupted => Interrupted.fmt(f),
        }
    }
}

/// Parses `input` relative to the mask behind `lock` and commits the result atomically
/// (upstream's exported `ap_parse_mask_str`).
///
/// In order:
/// 1. a bad width → `EINVAL`, without taking the lock;
/// 2. take the lock interruptibly → [`MaskUpdateError::Interrupted`] (`ERESTARTSYS`);
/// 3. parse relative to the locked value ([`parse_mask_relative_to`]);
/// 4. on success replace the locked value with the result, which is returned; on error
///    leave it untouched.
///
/// The lock is released before returning. Unlike upstream there is no temporary
/// allocation, so `ENOMEM` cannot happen.
pub fn parse_mask_locked<L: MaskLock + ?Sized>(
    input: &[u8],
    bits: usize,
    lock: &L,
) -> Result<Mask, MaskUpdateError> {
    check_width(bits)?;
    let mut guard = lock.lock_interruptible()?;
    let candidate = parse_mask_relative_to(input, bits, &guard)?;
    *guard = candidate;
    Ok(candidate)
}

/// The initial value of `ap_perms.apm` or `ap_perms.aqm` for the boot parameter
/// `ap.apmask=`/`ap.aqmask=` (upstream `ap_perms_init`).
///
/// * No parameter: every ID below `bits` (all 256 for the bus masks): everything
///   belongs to the default drivers.
/// * A parameter: it is parsed relative to an **empty** mask, so the absolute form is
///   taken as is and the relative form only adds to nothing (`+0-3` is IDs 0..=3, `-5`
///   is empty, MSK-29, MSK-30).
/// * A parse error is ignored silently and the mask stays **empty**, so nothing in that
///   dimension is default-owned (MSK-31). Callers that want to log the problem can
///   call [`parse_mask_relative_to`] themselves.
pub fn boot_param_mask(param: Option<&[u8]>, bits: usize) -> Mask {
    match param {
        None => super::truncate(&Mask::FULL, bits),
        Some(s) => parse_mask_relative_to(s, bits, &Mask::EMPTY).unwrap_or(Mask::EMPTY),
    }
}
