// SPDX-License-Identifier: GPL-2.0-only

//! The narrow interface between an mdev and the guest it is attached to.
//!
//! The driver needs exactly one thing from a guest: "from now on, give it exactly
//! these adapters, domains and control domains" (KVM's `kvm_arch_crypto_set_masks`),
//! called with the guests lock held, right after the shadow APCB changed and before
//! any queue it lost is reset. Attaching (VFIO `open_device` with a KVM) is not
//! implemented yet, so the link type has no values: the compiler proves that no
//! mdev is ever attached, and every push is a no-op that tests can still see in the
//! shadow (`guest_matrix`).

use crate::ap_matrix::apcb::Apcb;

/// The guest an mdev is attached to. Uninhabited until attaching is implemented.
pub(crate) enum GuestLink {}

impl GuestLink {
    /// Gives the guest exactly `apcb`.
    pub(crate) fn set_masks(&self, _apcb: &Apcb) {
        match *self {}
    }
}
