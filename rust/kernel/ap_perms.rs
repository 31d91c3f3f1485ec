// SPDX-License-Identifier: GPL-2.0-only

//! The bus's default pool (`ap_perms`), `ap_perms_mutex`, state kept under that
//! mutex, and masks behind a caller's mutex (`ap_parse_mask_str`).
//!
//! C header: drivers/s390/crypto/ap_bus.h (`ap_perms`, `ap_perms_mutex`).

use core::cell::UnsafeCell;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};

use kernel::bindings;

use super::bitmap::{longs_from_mask, mask_from_longs, CBitmap};
use crate::ap_matrix::errno::Errno;
use crate::ap_matrix::mask::Mask;
use crate::ap_matrix::mask_parse::{Interrupted, MaskLock};
use crate::ap_matrix::pool::{BusMask, DefaultPool};

/// `ap_perms_mutex`, held; released on drop. Not `Send`: a mutex is released by the
/// task that took it.
///
/// # Invariants
///
/// The current thread holds `ap_perms_mutex` while the value lives.
pub(crate) struct PermsGuard {
    _not_send: PhantomData<*mut ()>,
}

impl PermsGuard {
    /// The guard of a mutex just taken by this thread.
    fn held() -> Self {
        Self {
            _not_send: PhantomData,
        }
    }
}

/// Takes `ap_perms_mutex` not interruptibly, as the bus's rebinding and vfio_ap's
/// attribute stores do.
pub(crate) fn lock() -> PermsGuard {
    // SAFETY: `ap_perms_mutex` is a static, initialised mutex exported by the bus.
    unsafe { bindings::mutex_lock(&raw mut bindings::ap_perms_mutex) };
    // INVARIANT: the mutex was just taken by this thread.
    PermsGuard::held()
}

/// Takes `ap_perms_mutex` interruptibly, as the mask attributes do: `ERESTARTSYS` if
/// a signal came first.
pub(crate) fn lock_interruptible() -> Result<PermsGuard, Errno> {
    // SAFETY: as in `lock`.
    match unsafe { bindings::mutex_lock_interruptible(&raw mut bindings::ap_perms_mutex) } {
        // INVARIANT: the mutex was just taken by this thread.
        0 => Ok(PermsGuard::held()),
        _ => Err(Errno::ERESTARTSYS),
    }
}

impl PermsGuard {
    /// The default pool.
    pub(crate) fn pool(&self) -> DefaultPool {
        // SAFETY: `ap_perms` is only written under `ap_perms_mutex`, which we hold (type
        // invariant).
        let (apm, aqm) = unsafe {
            let perms = &raw const bindings::ap_perms;
            ((*perms).apm, (*perms).aqm)
        };
        DefaultPool {
            apm: mask_from_longs(&apm),
            aqm: mask_from_longs(&aqm),
        }
    }

    /// Commits `mask` as the pool's mask `which`.
    pub(crate) fn set(&mut self, which: BusMask, mask: &Mask) {
        let longs = longs_from_mask(mask);
        // SAFETY: we hold `ap_perms_mutex` (type invariant), under which alone
        // `ap_perms` is read and written.
        unsafe {
            let perms = &raw mut bindings::ap_perms;
            match which {
                BusMask::Apmask => (*perms).apm = longs,
                BusMask::Aqmask => (*perms).aqm = longs,
            }
        }
    }
}

impl Drop for PermsGuard {
    fn drop(&mut self) {
        // SAFETY: held by this thread (type invariant).
        unsafe { bindings::mutex_unlock(&raw mut bindings::ap_perms_mutex) };
    }
}

/// A value that lives under `ap_perms_mutex`: reachable only through a held
/// [`PermsGuard`].
pub(crate) struct PermsLocked<T>(UnsafeCell<T>);

// SAFETY: every access goes through `get`, which requires `ap_perms_mutex` to be held
// (a `PermsGuard`), so accesses from different threads never overlap; `T: Send` lets
// the value be used from whichever thread holds the mutex.
unsafe impl<T: Send> Sync for PermsLocked<T> {}

impl<T> PermsLocked<T> {
    /// Wraps `value`; usable in a `static`.
    pub(crate) const fn new(value: T) -> Self {
        Self(UnsafeCell::new(value))
    }

    /// The value, for as long as the guard is borrowed.
    pub(crate) fn get<'a>(&'a self, _guard: &'a mut PermsGuard) -> &'a mut T {
        // SAFETY: the mutex is held (a guard exists) and the guard is borrowed mutably
        // for as long as the reference lives, so this is the only reference.
        unsafe { &mut *self.0.get() }
    }
}

/// A C bitmap and the C mutex that protects it, as `ap_parse_mask_str` gets them.
///
/// # Invariants
///
/// `lock` is an initialised mutex that protects `bitmap`, both valid while the value
/// lives.
pub(crate) struct CMutexMask {
    lock: *mut bindings::mutex,
    bitmap: UnsafeCell<CBitmap>,
}

impl CMutexMask {
    /// Pairs `bitmap` with its mutex.
    ///
    /// # Safety
    ///
    /// `lock` is an initialised mutex that protects `bitmap`, valid while the value
    /// lives.
    pub(crate) unsafe fn new(lock: *mut bindings::mutex, bitmap: CBitmap) -> Self {
        // INVARIANT: `lock` protects `bitmap`, both valid while the value lives (our
        // caller's guarantee).
        Self {
            lock,
            bitmap: UnsafeCell::new(bitmap),
        }
    }
}

/// The held mutex of a [`CMutexMask`] and a copy of its mask; a changed copy is
/// written back before the mutex is released.
pub(crate) struct CMutexMaskGuard<'a> {
    owner: &'a CMutexMask,
    mask: Mask,
    changed: bool,
}

impl MaskLock for CMutexMask {
    type Guard<'a> = CMutexMaskGuard<'a>;

    fn lock_interruptible(&self) -> Result<CMutexMaskGuard<'_>, Interrupted> {
        // SAFETY: `lock` is an initialised mutex (type invariant).
        if unsafe { bindings::mutex_lock_interruptible(self.lock) } != 0 {
            return Err(Interrupted);
        }
        // SAFETY: the mutex protecting the bitmap is held, and `CMutexMask` is not
        // `Sync`, so no other reference to the bitmap exists.
        let mask = unsafe { &*self.bitmap.get() }.read();
        Ok(CMutexMaskGuard {
            owner: self,
            mask,
            changed: false,
        })
    }
}

impl Deref for CMutexMaskGuard<'_> {
    type Target = Mask;

    fn deref(&self) -> &Mask {
        &self.mask
    }
}

impl DerefMut for CMutexMaskGuard<'_> {
    fn deref_mut(&mut self) -> &mut Mask {
        self.changed = true;
        &mut self.mask
    }
}

impl Drop for CMutexMaskGuard<'_> {
    fn drop(&mut self) {
        if self.changed {
            // SAFETY: the mutex is still held and no other reference to the bitmap
            // exists (as in `lock_interruptible`).
            unsafe { &mut *self.owner.bitmap.get() }.write(&self.mask);
        }
        // SAFETY: taken in `lock_interruptible`, by this thread.
        unsafe { bindings::mutex_unlock(self.owner.lock) };
    }
}
