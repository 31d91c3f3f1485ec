// SPDX-License-Identifier: GPL-2.0-only

//! `vfio_ap_rs`: s390 AP queue pass-through to KVM guests through VFIO mediated devices.
//!
//! The decisions (masks, matrices, shadow APCB, reservations, queue reset) live in the
//! host-tested `ap_matrix` core, compiled into this module unchanged.

use kernel::prelude::*;

#[allow(dead_code, unused_attributes, unreachable_pub)]
#[path = "../ap_matrix/src/lib.rs"]
mod ap_matrix;

module! {
    type: VfioApRs,
    name: "vfio_ap_rs",
    author: "vfio-ap-rs developers",
    description: "VFIO AP pass-through (Rust)",
    license: "GPL",
}

struct VfioApRs;

impl kernel::Module for VfioApRs {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!(
            "loaded: up to {} adapters x {} domains\n",
            ap_matrix::id::AP_IDS,
            ap_matrix::id::AP_IDS
        );
        Ok(VfioApRs)
    }
}

impl Drop for VfioApRs {
    fn drop(&mut self) {
        pr_info!("unloaded\n");
    }
}
