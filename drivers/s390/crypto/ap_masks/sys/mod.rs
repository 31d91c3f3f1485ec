// SPDX-License-Identifier: GPL-2.0-only

//! Every kernel interface `ap_masks` uses, each wrapped once: the only `unsafe` code.

pub(crate) mod bitmap;
pub(crate) mod bus;
pub(crate) mod cstr;
pub(crate) mod perms;
