// SPDX-License-Identifier: GPL-2.0-only

//! A KVM virtual machine (`struct kvm`) as a crypto pass-through driver sees it: a
//! reference-counted VM whose crypto control block (CRYCB) holds the guest's AP
//! masks, changed only under the VM's `kvm->lock`, and whose PQAP(AQIC) intercepts
//! go to at most one registered hook.
//!
//! C header: arch/s390/include/asm/kvm_host.h (`kvm_arch_crypto_*`, `kvm_s390_crypto`)

use core::marker::PhantomData;
use core::ptr::NonNull;
use kernel::bindings;
use kernel::error::from_result;
use kernel::ffi::c_int;
use kernel::prelude::*;
use kernel::types::{ARef, AlwaysRefCounted, Opaque};

use super::bitmap::longs_from_mask;
use crate::ap_matrix::apcb::Apcb;

/// A KVM VM.
///
/// # Invariants
///
/// A `&Kvm` points to a live `struct kvm`: its holder owns a reference.
#[repr(transparent)]
pub(crate) struct Kvm(Opaque<bindings::kvm>);

// SAFETY: `kvm_get_kvm` and `kvm_put_kvm` may be called from any thread, and the
// fields this type touches are protected by the VM's own locks.
unsafe impl Send for Kvm {}
// SAFETY: as above; every shared access goes through the VM's locks.
unsafe impl Sync for Kvm {}

// SAFETY: `kvm_get_kvm`/`kvm_put_kvm` maintain the VM's `users_count`; the VM is
// destroyed only when it drops to zero.
unsafe impl AlwaysRefCounted for Kvm {
    fn inc_ref(&self) {
        // SAFETY: `self` is live (type invariant).
        unsafe { bindings::kvm_get_kvm(self.0.get()) }
    }

    unsafe fn dec_ref(obj: NonNull<Self>) {
        // SAFETY: the caller gives up a reference it owns.
        unsafe { bindings::kvm_put_kvm(obj.cast().as_ptr()) }
    }
}

/// What a driver does with a guest's intercepted PQAP(AQIC).
pub(crate) trait PqapHandler {
    /// KVM's `handle_pqap` calls this for the vCPU that executed PQAP, with the PQAP
    /// hook lock held for reading. `Ok` means the guest's registers hold the answer;
    /// an error `EOPNOTSUPP` makes KVM hand the instruction to userspace.
    fn pqap(vcpu: &Vcpu) -> Result;
}

/// A vCPU in KVM's PQAP intercept: its `vcpu->mutex` and its VM's SRCU read lock
/// are held, as KVM_RUN holds them.
///
/// # Invariants
///
/// A `&Vcpu` points to a live vCPU whose mutex and VM SRCU read lock are held for
/// the reference's lifetime.
#[repr(transparent)]
pub(crate) struct Vcpu(Opaque<bindings::kvm_vcpu>);

impl Vcpu {
    /// # Safety
    ///
    /// `ptr` is a live vCPU whose mutex and VM SRCU read lock are held for `'a`.
    unsafe fn from_raw<'a>(ptr: *mut bindings::kvm_vcpu) -> &'a Self {
        // SAFETY: guaranteed by the caller; `Self` is transparent over the C type.
        unsafe { &*ptr.cast() }
    }

    /// The vCPU's VM.
    pub(crate) fn kvm(&self) -> &Kvm {
        // SAFETY: a live vCPU's VM outlives it; `Kvm` is transparent over the C type.
        unsafe { &*(*self.0.get()).kvm.cast::<Kvm>() }
    }

    fn gprs(&self) -> *mut [u64; 16] {
        // SAFETY: the vCPU is live, with its `run` page mapped for its lifetime;
        // `s.regs` is the s390 view of the synchronised registers.
        unsafe { &raw mut (*(*self.0.get()).run).s.regs.gprs }
    }

    /// General register `n` (0 for any `n` above 15).
    pub(crate) fn gpr(&self, n: usize) -> u64 {
        // SAFETY: the registers are the vCPU's, and only this thread, holding the
        // vCPU's mutex, accesses them (type invariant).
        let gprs = unsafe { &*self.gprs() };
        gprs.get(n).copied().unwrap_or(0)
    }

    /// Sets general register `n` (ignored for any `n` above 15).
    pub(crate) fn set_gpr(&self, n: usize, value: u64) {
        // SAFETY: as in `gpr`; the vCPU's mutex makes this access exclusive.
        let gprs = unsafe { &mut *self.gprs() };
        if let Some(r) = gprs.get_mut(n) {
            *r = value;
        }
    }

    /// The execution controls A of the vCPU's SIE block.
    pub(crate) fn eca(&self) -> u32 {
        // SAFETY: the vCPU is live; its SIE block is allocated with it.
        unsafe { bindings::kvm_s390_vcpu_eca(self.0.get()) }
    }

    /// Whether the machine virtualizes adapter interruptions for the vCPU (AIV):
    /// without it, guest AP interrupts cannot be forwarded.
    pub(crate) fn has_aiv(&self) -> bool {
        self.eca() & bindings::ECA_AIV != 0
    }

    /// Whether the vCPU runs a protected (Secure Execution) guest.
    pub(crate) fn is_protected(&self) -> bool {
        // SAFETY: the vCPU is live and its mutex is held, as the function asserts.
        unsafe { bindings::kvm_s390_pv_cpu_is_protected(self.0.get()) }
    }

    /// Whether guest physical address `gpa` is backed by a memory slot.
    pub(crate) fn guest_page_mapped(&self, gpa: u64) -> bool {
        let gfn = gpa >> kernel::page::PAGE_SHIFT;
        // SAFETY: the VM is live and its SRCU read lock, which `gfn_to_hva` needs,
        // is held (type invariant).
        let hva = unsafe { bindings::gfn_to_hva((*self.0.get()).kvm, gfn) };
        // SAFETY: a pure test of the value.
        !unsafe { bindings::kvm_is_error_hva(hva) }
    }
}

/// A guest interruption subclass registered in a VM's GISA for AP interrupts;
/// unregistered on drop.
///
/// # Invariants
///
/// While `kvm` is `Some`, `isc` is registered once, by this value, in that VM.
pub(crate) struct GuestIsc {
    kvm: Option<ARef<Kvm>>,
    isc: u8,
    nisc: u8,
}

impl GuestIsc {
    /// The guest's subclass.
    pub(crate) fn isc(&self) -> u8 {
        self.isc
    }

    /// The host's subclass for the VM's alerts (the GIB's).
    pub(crate) fn nisc(&self) -> u8 {
        self.nisc
    }

    /// Unregisters now; KVM's error code if it refuses.
    pub(crate) fn unregister(mut self) -> core::result::Result<(), i32> {
        match self.kvm.take() {
            Some(kvm) => {
                // SAFETY: registered once by this value in this live VM (invariant).
                let rc =
                    unsafe { bindings::kvm_s390_gisc_unregister(kvm.0.get(), u32::from(self.isc)) };
                if rc < 0 {
                    Err(rc)
                } else {
                    Ok(())
                }
            }
            None => Ok(()),
        }
    }
}

impl Drop for GuestIsc {
    fn drop(&mut self) {
        if let Some(kvm) = self.kvm.take() {
            // SAFETY: registered once by this value in this live VM (invariant).
            unsafe { bindings::kvm_s390_gisc_unregister(kvm.0.get(), u32::from(self.isc)) };
        }
    }
}

/// A PQAP hook (`crypto_hook`) at a stable address, as KVM keeps a pointer to it
/// while it is registered.
pub(crate) struct PqapHook<T: PqapHandler>(Opaque<bindings::crypto_hook>, PhantomData<T>);

// SAFETY: the hook is a function pointer, written once at construction.
unsafe impl<T: PqapHandler> Sync for PqapHook<T> {}

impl<T: PqapHandler> PqapHook<T> {
    /// The hook for `T`.
    pub(crate) const fn new() -> Self {
        Self(Opaque::new(Some(pqap_trampoline::<T>)), PhantomData)
    }
}

/// # Safety
///
/// Called by KVM only, with a live vCPU of a live VM.
unsafe extern "C" fn pqap_trampoline<T: PqapHandler>(vcpu: *mut bindings::kvm_vcpu) -> c_int {
    // SAFETY: KVM passes a live vCPU whose mutex and VM SRCU read lock it holds
    // for the call.
    let vcpu = unsafe { Vcpu::from_raw(vcpu) };
    from_result(|| T::pqap(vcpu).map(|()| 0))
}

impl Kvm {
    /// A new reference to the VM at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` points to a live `struct kvm` for the duration of the call.
    pub(crate) unsafe fn get(ptr: *mut bindings::kvm) -> ARef<Kvm> {
        // SAFETY: the caller guarantees `ptr` is live; `Kvm` is transparent over it.
        let kvm = unsafe { &*ptr.cast::<Kvm>() };
        kvm.into()
    }

    /// Whether the VM has a crypto control block. Every s390 VM has one; upstream
    /// checks, so a VM without one is simply never given AP resources.
    pub(crate) fn has_crycb(&self) -> bool {
        // SAFETY: `crycbd` is set when the VM is created and never changes.
        unsafe { (*self.0.get()).arch.crypto.crycbd != 0 }
    }

    /// Registers the guest interruption subclass `isc` for AP interrupts; KVM's
    /// error code if it cannot (`ENODEV`: the VM has no GISA).
    pub(crate) fn register_gisc(&self, isc: u8) -> core::result::Result<GuestIsc, i32> {
        // SAFETY: the VM is live (type invariant); KVM checks the subclass.
        let nisc = unsafe { bindings::kvm_s390_gisc_register(self.0.get(), u32::from(isc)) };
        if nisc < 0 {
            return Err(nisc);
        }
        // INVARIANT: registered above.
        Ok(GuestIsc {
            kvm: Some(self.into()),
            isc,
            nisc: (nisc & 7) as u8,
        })
    }

    /// The physical address of the VM's guest interruption state area (GISA), 0
    /// if it has none.
    pub(crate) fn gisa_phys(&self) -> u64 {
        // SAFETY: the GISA's origin is set when the VM is created and cleared when
        // it is destroyed; the VM is live.
        let origin = unsafe { (*self.0.get()).arch.gisa_int.origin };
        if origin.is_null() {
            return 0;
        }
        // SAFETY: a pure address computation on a kernel address.
        unsafe { bindings::virt_to_phys(origin.cast()) }
    }

    /// For a protected guest: makes sure the page at host physical address `phys`
    /// is shared with the host (pinned shared by the Ultravisor); if not, gives it
    /// back to the guest and answers false.
    pub(crate) fn ensure_shared(&self, phys: u64) -> bool {
        // s390 is 64-bit: a physical address fits an `unsigned long`.
        let addr = phys as usize;
        // SAFETY: the Ultravisor call takes a physical address and checks it.
        let rc = unsafe { bindings::uv_pin_shared(addr) };
        if rc != 0 {
            // SAFETY: the VM and its gmap are live; the call checks the address.
            unsafe { bindings::gmap_convert_to_secure((*self.0.get()).arch.gmap, addr) };
        }
        rc == 0
    }

    /// Takes the VM's `kvm->lock`, which every CRYCB change needs.
    pub(crate) fn lock(&self) -> KvmGuard<'_> {
        // SAFETY: the VM is live; its `lock` was initialised when it was created.
        unsafe { bindings::mutex_lock(&raw mut (*self.0.get()).lock) };
        // INVARIANT: locked above.
        KvmGuard { kvm: self }
    }
}

/// `kvm->lock`, held.
///
/// # Invariants
///
/// The VM's `lock` is held by this thread until the guard drops.
pub(crate) struct KvmGuard<'a> {
    kvm: &'a Kvm,
}

impl KvmGuard<'_> {
    /// Whether this is the lock of `kvm`.
    pub(crate) fn is(&self, kvm: &Kvm) -> bool {
        core::ptr::eq(self.kvm, kvm)
    }

    /// Gives the guest exactly `apcb`: KVM blocks the vCPUs, writes the CRYCB and
    /// makes the vCPUs re-read it.
    pub(crate) fn set_crypto_masks(&self, apcb: &Apcb) {
        let mut apm = longs_from_mask(&apcb.apm);
        let mut aqm = longs_from_mask(&apcb.aqm);
        let mut adm = longs_from_mask(&apcb.adm);
        // SAFETY: `kvm->lock` is held (type invariant), as the function requires; the
        // masks are 256-bit arrays, as many bits as the widest CRYCB format has.
        unsafe {
            bindings::kvm_arch_crypto_set_masks(
                self.kvm.0.get(),
                apm.as_mut_ptr(),
                aqm.as_mut_ptr(),
                adm.as_mut_ptr(),
            )
        }
    }

    /// Takes every AP resource away from the guest.
    pub(crate) fn clear_crypto_masks(&self) {
        // SAFETY: `kvm->lock` is held (type invariant).
        unsafe { bindings::kvm_arch_crypto_clear_masks(self.kvm.0.get()) }
    }

    /// Registers `hook` as the VM's PQAP hook, under `pqap_hook_rwsem`. `EPERM` if
    /// one is registered already: a VM takes one pass-through device.
    pub(crate) fn claim_pqap_hook<T: PqapHandler>(&self, hook: &'static PqapHook<T>) -> Result {
        self.with_pqap_hook(|slot| {
            if !slot.is_null() {
                return Err(EPERM);
            }
            *slot = hook.0.get();
            Ok(())
        })
    }

    /// Unregisters the VM's PQAP hook; no PQAP reaches it once this returns.
    pub(crate) fn release_pqap_hook(&self) {
        let _ = self.with_pqap_hook(|slot| {
            *slot = core::ptr::null_mut();
            Ok(())
        });
    }

    fn with_pqap_hook(&self, f: impl FnOnce(&mut *mut bindings::crypto_hook) -> Result) -> Result {
        let crypto = {
            // SAFETY: the VM is live.
            unsafe { &raw mut (*self.kvm.0.get()).arch.crypto }
        };
        // SAFETY: the semaphore was initialised with the VM; taking it for writing
        // excludes KVM's PQAP handler, which reads the hook under it.
        unsafe { bindings::down_write(&raw mut (*crypto).pqap_hook_rwsem) };
        // SAFETY: the hook pointer is protected by the semaphore held above.
        let result = f(unsafe { &mut (*crypto).pqap_hook });
        // SAFETY: taken above.
        unsafe { bindings::up_write(&raw mut (*crypto).pqap_hook_rwsem) };
        result
    }
}

impl Drop for KvmGuard<'_> {
    fn drop(&mut self) {
        // SAFETY: held since `Kvm::lock` (type invariant).
        unsafe { bindings::mutex_unlock(&raw mut (*self.kvm.0.get()).lock) }
    }
}
