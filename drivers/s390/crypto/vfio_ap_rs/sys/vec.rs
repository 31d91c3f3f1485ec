// SPDX-License-Identifier: GPL-2.0-only

//! What 6.12's `KVec` lacks: removing an element.

use kernel::prelude::*;

/// Removes and returns the element at `index`, keeping the order of the others;
/// `None` if `index` is out of bounds.
pub(crate) fn remove<T>(vec: &mut KVec<T>, index: usize) -> Option<T> {
    let last = vec.len().checked_sub(1)?;
    vec.as_mut_slice().get_mut(index..)?.rotate_left(1);
    let tail: *const T = vec.as_slice().get(last)?;
    // SAFETY: `tail` points to the initialised element at `last` (the one removed,
    // rotated there); shrinking the length right after hands its ownership to us,
    // so it is read exactly once.
    let removed = unsafe { core::ptr::read(tail) };
    // SAFETY: `last < len`: the elements below stay initialised; the one at `last`
    // was moved out above.
    unsafe { vec.set_len(last) };
    Some(removed)
}
