// SPDX-License-Identifier: GPL-2.0-only

//! `ap_masks`: the AP bus's `apmask`/`aqmask` code (CONFIG_AP_MASKS_RUST).
//!
//! Built into the AP bus: `ap_bus.c` calls [`exports`] for the two mask parsers it
//! exports (`ap_hex2bitmap`, `ap_parse_mask_str`), the stores of
//! `/sys/bus/ap/{apmask,aqmask}` and the read of `/sys/bus/ap/last_mask_refusal`.
//! Every decision comes from the host-tested `ap_matrix` crate; the kernel
//! interfaces come from the abstraction layer in `rust/kernel/` (`kernel_ext`), and
//! [`exports`] is the C entry layer: those two hold all the unsafe code.
//!
//! Lock order: `ap_perms_mutex`, then whatever a driver's `in_use` takes (vfio_ap:
//! its own locks). Nothing here holds `ap_perms_mutex` while rebinding queues, which
//! takes device locks and calls drivers' probe and remove (vfio_ap's probe takes
//! `ap_perms_mutex` itself).

#[allow(dead_code, unused_attributes, unreachable_pub)]
#[path = "../ap_matrix/src/lib.rs"]
mod ap_matrix;

/// The kernel abstractions this code uses, from the repository's `rust/kernel/`
/// (shared with `vfio_ap_rs`; see there).
#[path = "../../../../rust/kernel"]
#[allow(dead_code)] // Each crate uses a part of each file.
mod kernel_ext {
    pub(crate) mod ap_bus;
    pub(crate) mod ap_perms;
    pub(crate) mod bitmap;
    pub(crate) mod c_buf;
}

pub mod exports;
mod in_use_check;
mod revise;
mod store;

/// The prefix of this object's log lines (`module!` defines it for modules).
const __LOG_PREFIX: &[u8] = b"ap\0";
