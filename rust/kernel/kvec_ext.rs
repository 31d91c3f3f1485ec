// SPDX-License-Identifier: GPL-2.0-only

//! What 6.12's `KVec` lacks: removing an element, with the signature later kernels
//! give `Vec::remove`, so that moving to them drops this file and nothing else.
//!
//! C header: none (Rust-only: rust/kernel/alloc/kvec.rs)

use kernel::prelude::*;

/// The index given to [`KVecExt::remove`] was out of bounds.
#[derive(Debug)]
pub(crate) struct RemoveError;

/// Methods later kernels have on `KVec`.
pub(crate) trait KVecExt<T> {
    /// Removes and returns the element at `i`, shifting the later ones down.
    fn remove(&mut self, i: usize) -> Result<T, RemoveError>;
}

impl<T> KVecExt<T> for KVec<T> {
    fn remove(&mut self, i: usize) -> Result<T, RemoveError> {
        let last = self.len().checked_sub(1).ok_or(RemoveError)?;
        if i > last {
            return Err(RemoveError);
        }
        self.as_mut_slice()
            .get_mut(i..)
            .ok_or(RemoveError)?
            .rotate_left(1);
        let tail: *const T = self.as_slice().get(last).ok_or(RemoveError)?;
        // SAFETY: `tail` points to the initialised element at `last` (the one removed,
        // rotated there); shrinking the length right after hands its ownership to us,
        // so it is read exactly once.
        let removed = unsafe { core::ptr::read(tail) };
        // SAFETY: `last < len`: the elements below stay initialised; the one at `last`
        // was moved out above.
        unsafe { self.set_len(last) };
        Ok(removed)
    }
}
