// SPDX-License-Identifier: GPL-2.0-only

//! Every kernel interface `ap_masks` uses, each wrapped once: the only `unsafe` code.

pub(crate) mod bitmap;
pub(crate) mod cstr;
pub(crate) mod drivers;
pub(crate) mod perms;
pub(crate) mod queues;
pub(crate) mod uevent;
