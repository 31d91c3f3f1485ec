// SPDX-License-Identifier: GPL-2.0-only

//! A module-global pointer to a driver's shared state.
//!
//! The AP bus's `in_use` and configuration callbacks carry no device, so they can only
//! find the driver's state through a global. The module owns the state; the pointer
//! is published after it is built and before any registration that can call back,
//! and withdrawn after every such registration is gone.

use core::ptr;
use core::sync::atomic::{AtomicPtr, Ordering};
use kernel::prelude::*;

/// A published `Pin<KBox<T>>`.
///
/// # Invariants
///
/// The pointer is null or comes from `KBox::into_raw` of a pinned box owned by this
/// object; it is freed only when the [`Published`] that [`Global::publish`] returned is
/// dropped, which the module does after
/// every registration whose callbacks use [`Global::get`] has been undone.
pub(crate) struct Global<T> {
    ptr: AtomicPtr<T>,
}

impl<T: Send + Sync> Global<T> {
    /// An empty global.
    pub(crate) const fn new() -> Self {
        Self {
            ptr: AtomicPtr::new(ptr::null_mut()),
        }
    }

    /// Publishes `value` until the returned [`Published`] is dropped. A value
    /// published earlier is kept and `EBUSY` returned.
    pub(crate) fn publish(&'static self, value: Pin<KBox<T>>) -> Result<Published<T>> {
        // SAFETY: the box is turned back into a pinned box in `withdraw` and never
        // moved out of meanwhile.
        let raw = KBox::into_raw(unsafe { Pin::into_inner_unchecked(value) });
        if self
            .ptr
            .compare_exchange(ptr::null_mut(), raw, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            // SAFETY: `raw` came from `KBox::into_raw` just above and was not published.
            drop(unsafe { KBox::from_raw(raw) });
            return Err(EBUSY);
        }
        // INVARIANT: the pointer is the pinned box just published; only this
        // `Published`'s drop frees it.
        Ok(Published { global: self })
    }

    /// The published value, if any.
    pub(crate) fn get(&self) -> Option<&T> {
        let raw = self.ptr.load(Ordering::Acquire);
        // SAFETY: per the type invariants a non-null pointer is a live box that stays
        // alive while any callback that can reach this call is registered.
        unsafe { raw.as_ref() }
    }

    /// Withdraws and frees the published value (through [`Published`]'s drop only).
    fn withdraw(&self) {
        let raw = self.ptr.swap(ptr::null_mut(), Ordering::AcqRel);
        if !raw.is_null() {
            // SAFETY: `raw` came from `KBox::into_raw` in `publish`; nobody can reach
            // it any more (see above).
            drop(unsafe { KBox::from_raw(raw) });
        }
    }
}

/// The publication of a [`Global`]'s value: dropping it withdraws and frees the value.
/// A module keeps it as its last field, so that it goes after every registration
/// whose callbacks use [`Global::get`].
pub(crate) struct Published<T: Send + Sync + 'static> {
    global: &'static Global<T>,
}

impl<T: Send + Sync + 'static> Drop for Published<T> {
    fn drop(&mut self) {
        self.global.withdraw();
    }
}
