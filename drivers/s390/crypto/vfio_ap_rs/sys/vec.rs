// SPDX-License-Identifier: GPL-2.0-only

//! What 6.12's `KVec` lacks: removing an element.

use kernel::prelude::*;

/// Removes the element at `index` by moving the last element into its place, and
/// returns it; `None` if `index` is out of bounds.
pub(crate) fn swap_remove<T>(vec: &mut KVec<T>, index: usize) -> Option<T> {
    let last = vec.len().checked_sub(1)?;
    if index > last {
        return None;
    }
    vec.as_mut_slice().swap(index, last);
    let tail: *const T = vec.as_slice().get(last)?;
    // SAFETY: `tail` points to the initialised element at `last`; shrinking the length
    // right after hands its ownership to us (it is read exactly once).
    let removed = unsafe { core::ptr::read(tail) };
    // SAFETY: `last < len`: the elements below stay initialised; the one at `last`
    // was moved out above.
    unsafe { vec.set_len(last) };
    Some(removed)
}
