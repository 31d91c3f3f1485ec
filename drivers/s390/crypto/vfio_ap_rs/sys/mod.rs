// SPDX-License-Identifier: GPL-2.0-only

//! The kernel interfaces the driver uses, each wrapped once.
//!
//! Every `unsafe` block of the driver lives under this module: each file is the only
//! place that knows the C structure it wraps, and the rest of the driver is safe
//! Rust over these types. 6.12's `kernel` crate has no driver-core, sysfs, AP bus or
//! mdev abstractions, so these are ours.

pub(crate) mod ap;
pub(crate) mod ap_driver;
pub(crate) mod ap_perms;
pub(crate) mod dbf;
pub(crate) mod delay;
pub(crate) mod device;
pub(crate) mod global;
pub(crate) mod log;
pub(crate) mod mdev;
pub(crate) mod sysfs;
pub(crate) mod vec;
pub(crate) mod vfio;
