// SPDX-License-Identifier: GPL-2.0-only

//! The narrow interface between an mdev and the VM it is attached to.
//!
//! The driver needs three things from a VM: "from now on, give the guest exactly
//! these adapters, domains and control domains" (KVM's `kvm_arch_crypto_set_masks`),
//! "take them all away", and its PQAP hook slot, which marks the VM as taken (one
//! mdev per VM) and through which the guest's PQAP(AQIC) reaches the driver. The
//! masks and the hook change with the VM's `kvm->lock` held, which the driver takes
//! after its guests lock and before its mdevs lock (Documentation/vfio_ap_rs.rst).

use kernel::prelude::*;
use kernel::types::ARef;

use crate::ap_matrix::apcb::Apcb;
use crate::kernel_ext::kvm::{Kvm, KvmGuard, PqapHandler, PqapHook, Vcpu};
use crate::kernel_ext::vfio::OpenDevice;

/// The VM an mdev is attached to, and the open VFIO device it is attached
/// through; holds a reference to both while attached.
pub(crate) struct GuestLink {
    kvm: ARef<Kvm>,
    device: OpenDevice,
}

/// Whose PQAP(AQIC) intercepts this driver answers.
pub(crate) struct PqapAqic;

impl PqapHandler for PqapAqic {
    /// The guest enables or disables a queue's interrupts (state/guest_irq.rs).
    fn pqap(vcpu: &Vcpu) -> Result {
        crate::driver()?.pqap(crate::debug_area()?, vcpu)
    }
}

static PQAP_HOOK: PqapHook<PqapAqic> = PqapHook::new();

impl GuestLink {
    /// Claims `kvm`'s PQAP hook, with its `kvm->lock` held by `vm`; `EPERM` if
    /// another device has it. The guest gets nothing until [`Self::set_masks`].
    pub(crate) fn claim(kvm: &Kvm, vm: &KvmGuard<'_>, device: OpenDevice) -> Result<Self> {
        vm.claim_pqap_hook(&PQAP_HOOK)?;
        Ok(Self {
            kvm: kvm.into(),
            device,
        })
    }

    /// Gives the hook back, for an attach that did not complete.
    pub(crate) fn release(self, vm: &KvmGuard<'_>) {
        vm.release_pqap_hook();
    }

    /// Detaching, first step, before the mdevs lock: no PQAP reaches the driver.
    pub(crate) fn unhook(vm: &KvmGuard<'_>) {
        vm.release_pqap_hook();
    }

    /// Detaching, second step: the guest has no AP resource left. The link goes
    /// once the queues are reset (which releases their interrupt resources through
    /// it); the caller holds another reference to the VM, to drop once the
    /// driver's locks are released.
    pub(crate) fn take_everything(&self, vm: &KvmGuard<'_>) {
        vm.clear_crypto_masks();
    }

    /// The VM.
    pub(crate) fn kvm(&self) -> &Kvm {
        &self.kvm
    }

    /// The VFIO device the guest opened.
    pub(crate) fn device(&self) -> &OpenDevice {
        &self.device
    }

    /// Gives the guest exactly `apcb`; `vm` must be this link's VM, locked.
    pub(crate) fn set_masks(&self, vm: Option<&KvmGuard<'_>>, apcb: &Apcb) {
        match vm {
            Some(vm) if vm.is(&self.kvm) => vm.set_crypto_masks(apcb),
            // A path that changes an attached mdev's shadow without its VM locked
            // is a bug in this driver: say so rather than push unlocked.
            _ => pr_err!("guest masks not pushed: the VM's lock is not held\n"),
        }
    }
}
