// SPDX-License-Identifier: GPL-2.0-only

//! Deliberate differences from upstream Linux 6.12 (`vfio_ap_ops.c`, `ap_bus.c`).
//!
//! Everything not listed here follows upstream, including its quirks (for example
//! `kstrtoul`'s octal, the "any APQN" pool check, validation of the whole matrix on
//! every assignment, an already-assigned ID being a no-op without validation,
//! `ap_config`'s 201-byte truncation, and adapters of a configuration add being
//! type-checked only against added domains).
//!
//! 1. **Conflicts are reported for every mdev** ([`crate::sharing::for_each_shared`],
//!    [`crate::reservation::for_each_conflict`]). Upstream's sharing and `in_use`
//!    checks stop at the first conflicting mdev, so an administrator learns about one
//!    holder at a time (R27). The errno is unchanged (`EADDRINUSE`, or `EBUSY` at the
//!    bus); a shell that wants upstream's log lines exactly stops logging after the
//!    first mdev id it is given.
//!
//! 2. **Queue resets are bounded** ([`crate::reset`]). Upstream polls TAPQ without a
//!    limit while its callers hold the guests lock, the KVM lock and the mdevs lock
//!    (R10, RST-12). Here one reset sleeps at most
//!    [`crate::reset::DEFAULT_RESET_BOUND_MS`] (5 s, configurable per reset) and then
//!    ends with `ETIMEDOUT`. A timed-out queue keeps its interrupt resources and is
//!    not passable, so its adapter stays out of the guest. In a batch, `ETIMEDOUT` is
//!    reported before `EIO` ([`crate::reset::batch_result`]).
//!
//! 3. **Sysfs text never overflows** ([`crate::format`]). Upstream writes `matrix`,
//!    `guest_matrix` and `control_domains` with unbounded `sprintf` and corrupts
//!    memory past one page at 512 or more APQNs (R7, FMT-04). Here output stops at
//!    the last whole line that fits the caller's buffer (`PAGE_SIZE - 1` bytes for a
//!    sysfs show, i.e. at most 511 APQN lines) and reports the size the full text
//!    needs.
//!
//! 4. **Adapter type check at a configuration add stops early**
//!    ([`crate::shadow::pending_additions`]). Upstream's loop uses `continue` where
//!    `break` was meant and keeps issuing TAPQ for an adapter already dropped (R14).
//!    The resulting set is identical; only the number of TAPQs differs.
//!
//! 5. **Reservation checks are defined for any pair of pools**
//!    ([`crate::reservation::for_each_conflict`]). The bus commits `apmask` and
//!    `aqmask` one at a time; for those writes the checked APQNs are exactly
//!    upstream's (added adapters × current `aqmask`, or current `apmask` × added
//!    domains). Should both masks change together, the check covers
//!    `new pool \ old pool`, which upstream has no code path for.
//!
//! 6. **`ap_config` writes cannot fail with `ENOMEM`**: the input is split in place,
//!    with no copy.
