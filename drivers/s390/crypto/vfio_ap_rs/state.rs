// SPDX-License-Identifier: GPL-2.0-only

//! The driver's state and every operation on it.
//!
//! The decisions come from `ap_matrix`; this file strings them together under the
//! driver's locks, links them to the queues bound to the driver, and performs the
//! follow-up steps they ask for (push the shadow to the guest, reset queues).
//!
//! # Locking (Documentation/vfio_ap_rs.rst)
//!
//! `ap_perms_mutex` (bus) → [`DriverState::guests`] → the `kvm->lock` of the VM the
//! mdev worked on is attached to → KVM's `pqap_hook_rwsem` (attach and detach only) →
//! [`DriverState::mdevs`]. Every path takes a subsequence of that order; resets run
//! with the locks held, bounded per queue. Under `guests`, no mdev is added, removed,
//! attached or detached, and no assignment changes.

use kernel::prelude::*;
use kernel::sync::lock::{mutex::MutexBackend, Guard};
use kernel::sync::{new_mutex, Mutex};

use crate::ap_matrix::apcb::Apcb;
use crate::ap_matrix::host::HostConfig;
use crate::ap_matrix::id::Apqn;
use crate::ap_matrix::mask::Mask;
use crate::ap_matrix::matrix::{Matrix, Outcome, Resource};
use crate::ap_matrix::pool::DefaultPool;
use crate::ap_matrix::queue_state::{queue_state, QueueState};
use crate::ap_matrix::shadow::{self, Filtered, QueueRemoval, QueueSet, Shadow};
use crate::ap_matrix::{matrix, reservation};
use crate::bound_queues::BoundQueues;
use crate::guest::GuestLink;
use crate::kernel_ext::ap_driver::HolderReport;
use crate::kernel_ext::dev_print::dev_warn;
use crate::kernel_ext::device_ext::{DevKey, Device, DeviceExt};
use crate::kernel_ext::kvec_ext::KVecExt;
use crate::kernel_ext::kvm::{Kvm, KvmGuard};
use crate::kernel_ext::vfio::{EventFd, PinnedPage, VfioDevice};
use crate::kernel_ext::{ap, ap_perms};
use crate::reset;
use kernel::types::ARef;

mod device_ops;
mod guest_irq;

pub(crate) use guest_irq::GuestIrq;

/// One mdev of the driver.
pub(crate) struct MdevEntry {
    mdev: ARef<Device>,
    matrix: Matrix,
    shadow: Shadow,
    /// Host configuration additions recorded at a configuration change, applied
    /// when the bus's scan completes.
    pending: Apcb,
    guest: Option<GuestLink>,
    /// The eventfd userspace armed for the VFIO device's request IRQ.
    request_irq: Option<EventFd>,
    /// The eventfd userspace armed for the configuration-change IRQ (Linux 6.15),
    /// signalled after every push to the guest.
    cfg_chg_irq: Option<EventFd>,
    /// Taken out (and unregistered outside the locks) when the mdev goes away.
    vfio: Option<VfioDevice>,
    /// The interrupt resources of the queues whose interrupts the guest enabled;
    /// all released by the time the VFIO device is closed.
    irqs: KVec<GuestIrq>,
}

impl MdevEntry {
    fn dev(&self) -> &Device {
        &self.mdev
    }

    /// The mdev's identity, to find its entry again.
    fn key(&self) -> DevKey {
        self.mdev.key()
    }

    /// Gives the attached guest, if any, the current shadow, and tells userspace
    /// (the configuration-change IRQ); `vm` holds its VM's lock.
    fn push(&self, vm: Option<&KvmGuard<'_>>) {
        if let Some(guest) = &self.guest {
            guest.set_masks(vm, &self.shadow.apcb);
            if let Some(eventfd) = &self.cfg_chg_irq {
                eventfd.signal();
            }
        }
    }

    /// Every queue assigned to the mdev (its matrix), which is what a reset of the
    /// whole mdev covers (the bound ones among them).
    fn all_queues(&self) -> QueueSet {
        QueueSet {
            apm: *self.matrix.apm(),
            aqm: *self.matrix.aqm(),
        }
    }

    /// The VM the mdev is attached to, if any.
    fn kvm(&self) -> Option<ARef<Kvm>> {
        self.guest.as_ref().map(|g| g.kvm().into())
    }

    /// Whether the mdev is attached to `kvm`.
    fn is_attached_to(&self, kvm: &Kvm) -> bool {
        self.guest
            .as_ref()
            .is_some_and(|g| core::ptr::eq(g.kvm(), kvm))
    }

    /// Whether `apqn` is assigned to the mdev.
    fn holds(&self, apqn: Apqn) -> bool {
        self.matrix.contains(apqn)
    }
}

/// A held driver lock.
type MutexGuard<'a, T> = Guard<'a, T, MutexBackend>;

/// The mdevs lock, held. Guest pages released under it are unpinned once it is
/// dropped: unpinning takes the VFIO IOMMU's lock, which must never nest inside the
/// mdevs lock (VFIO calls `dma_unmap`, which takes the mdevs lock, in the shadow of
/// that lock).
pub(crate) struct MdevsGuard<'a> {
    /// Declared first, so dropped (unlocked) first.
    locked: MutexGuard<'a, KBox<MdevsLocked>>,
    /// The pages to unpin, moved here when the guard drops, unpinned after `locked`.
    unpin: KVec<PinnedPage>,
}

impl core::ops::Deref for MdevsGuard<'_> {
    type Target = MdevsLocked;

    fn deref(&self) -> &MdevsLocked {
        &self.locked
    }
}

impl core::ops::DerefMut for MdevsGuard<'_> {
    fn deref_mut(&mut self) -> &mut MdevsLocked {
        &mut self.locked
    }
}

impl Drop for MdevsGuard<'_> {
    fn drop(&mut self) {
        self.unpin = core::mem::take(&mut self.locked.unpin_later);
    }
}

/// Everything the mdevs lock protects.
pub(crate) struct MdevsLocked {
    host: HostConfig,
    /// In creation order. Walks that report the first mdev found go newest first,
    /// as upstream's list does.
    mdevs: KVec<MdevEntry>,
    queues: BoundQueues,
    /// Guest pages released under the lock, unpinned when it is dropped
    /// ([`MdevsGuard`]); room for every pinned page is reserved when it is pinned.
    unpin_later: KVec<PinnedPage>,
}

/// The driver's state: its two locks and what they protect.
#[pin_data]
pub(crate) struct DriverState {
    /// Serialises mdev list changes and every use of an attached guest (upstream's
    /// `guests_lock`).
    #[pin]
    guests: Mutex<()>,
    /// The matrices, shadows and queue table (upstream's `mdevs_lock`); innermost.
    #[pin]
    mdevs: Mutex<KBox<MdevsLocked>>,
}

/// Which text a matrix attribute shows.
#[derive(Clone, Copy)]
pub(crate) enum MatrixView {
    /// `matrix`: the assignments.
    Assigned,
    /// `guest_matrix`: the shadow APCB.
    Guest,
    /// `control_domains`: the assigned control domains.
    ControlDomains,
    /// `ap_config`: the three assigned masks.
    ApConfig,
}

impl DriverState {
    /// A driver with no mdev and no queue, for the host configuration `host`.
    pub(crate) fn new(host: HostConfig) -> Result<impl PinInit<Self>> {
        let initial = KBox::new(
            MdevsLocked {
                host,
                mdevs: KVec::new(),
                queues: BoundQueues::new()?,
                unpin_later: KVec::new(),
            },
            GFP_KERNEL,
        )?;
        Ok(pin_init!(Self {
            guests <- new_mutex!((), "vfio_ap_rs::guests_lock"),
            mdevs <- new_mutex!(initial, "vfio_ap_rs::mdevs_lock"),
        }))
    }

    /// Takes `guests`, then `mdevs`, for paths that never change what an attached
    /// guest sees. Bind both guards: `let (_guests, st) = self.lock();`.
    fn lock(&self) -> (MutexGuard<'_, ()>, MdevsGuard<'_>) {
        let guests = self.guests.lock();
        (guests, self.lock_mdevs())
    }

    /// Takes `mdevs` alone.
    fn lock_mdevs(&self) -> MdevsGuard<'_> {
        MdevsGuard {
            locked: self.mdevs.lock(),
            unpin: KVec::new(),
        }
    }

    /// With `guests` held (`_guests`), runs `f` with the locks for work on the mdev
    /// `key`: its VM's `kvm->lock` if it is attached, then `mdevs`. `f` gets the VM's
    /// lock, for pushes.
    fn with_mdev<R>(
        &self,
        _guests: &MutexGuard<'_, ()>,
        key: Option<DevKey>,
        f: impl FnOnce(Option<&KvmGuard<'_>>, &mut MdevsLocked) -> R,
    ) -> R {
        // Attachments only change under `guests`, so the VM found here stays the
        // mdev's while `mdevs` is dropped and taken again after `kvm->lock`.
        let kvm = key.and_then(|key| self.lock_mdevs().entry(key).and_then(MdevEntry::kvm));
        let vm = kvm.as_deref().map(Kvm::lock);
        let mut st = self.lock_mdevs();
        f(vm.as_ref(), &mut st)
    }

    /// The key of the mdev at `index`, or of the owner of `apqn`.
    fn key_at(&self, index: usize) -> Option<DevKey> {
        self.lock_mdevs().mdevs.get(index).map(MdevEntry::key)
    }

    fn owner_key(&self, apqn: Apqn) -> Option<DevKey> {
        let st = self.lock_mdevs();
        st.owner_of(apqn)
            .and_then(|i| st.mdevs.get(i))
            .map(MdevEntry::key)
    }

    // ---- mdevs ----

    /// A new mdev with its VFIO device: empty matrix and shadow, limits from the
    /// current configuration.
    pub(crate) fn add_mdev(&self, mdev: ARef<Device>, vfio: VfioDevice) -> Result {
        let (_guests, mut st) = self.lock();
        // With room reserved first, the push cannot fail, so the VFIO device is never
        // dropped (unregistered) under the locks.
        st.mdevs.reserve(1, GFP_KERNEL)?;
        let limits = st.host.limits();
        st.mdevs.push(
            MdevEntry {
                mdev,
                matrix: Matrix::new(limits),
                shadow: Shadow::new(limits),
                pending: Apcb::EMPTY,
                guest: None,
                request_irq: None,
                cfg_chg_irq: None,
                vfio: Some(vfio),
                irqs: KVec::new(),
            },
            GFP_KERNEL,
        )?;
        Ok(())
    }

    /// An mdev goes away: its VFIO device is unregistered (which waits for users
    /// to close it) without the driver's locks held, then its queues are reset and
    /// it is forgotten.
    pub(crate) fn remove_mdev(&self, dev: &Device) {
        let vfio = {
            let (_guests, mut st) = self.lock();
            st.mdevs
                .iter_mut()
                .find(|m| m.key() == dev.key())
                .and_then(|m| m.vfio.take())
        };
        drop(vfio);
        let (_guests, mut st) = self.lock();
        let Some(index) = st.index_of(dev.key()) else {
            return;
        };
        let all = st.mdevs.get(index).map(MdevEntry::all_queues);
        if let Some(set) = all {
            // Nobody to report a failed reset to; the queue records its passability.
            let _ = st.reset_queues(&set);
        }
        // `index` came from `index_of` under the same lock: it is in bounds.
        let _ = st.mdevs.remove(index);
    }

    // ---- mdev attributes ----

    /// `assign_adapter`, `assign_domain`, `assign_control_domain`.
    pub(crate) fn assign(&self, dev: &Device, what: Resource, input: &[u8]) -> Result {
        let id = crate::ap_matrix::id_parse::parse_ulong(input).map_err(to_error)?;
        // Only adapters and domains are checked against the default pool, so only
        // they need the bus's mask lock.
        let perms = (what != Resource::ControlDomain).then(ap_perms::lock);
        let pool = perms.as_ref().map_or(DefaultPool::NONE, |p| p.pool());
        let guests = self.guests.lock();
        self.with_mdev(&guests, Some(dev.key()), |vm, st| {
            let index = st.index_of(dev.key()).ok_or(ENODEV)?;
            let outcome = st.assign(index, what, id, &pool)?;
            if let Outcome::Changed(_) = outcome {
                if what == Resource::ControlDomain {
                    st.refilter_control_domains(index, vm);
                } else {
                    st.refilter(index, vm);
                }
            }
            Ok(())
        })
    }

    /// `unassign_adapter`, `unassign_domain`, `unassign_control_domain`.
    pub(crate) fn unassign(&self, dev: &Device, what: Resource, input: &[u8]) -> Result {
        let id = crate::ap_matrix::id_parse::parse_ulong(input).map_err(to_error)?;
        let guests = self.guests.lock();
        self.with_mdev(&guests, Some(dev.key()), |vm, st| {
            let index = st.index_of(dev.key()).ok_or(ENODEV)?;
            let entry = st.mdevs.get_mut(index).ok_or(ENODEV)?;
            let Outcome::Changed(id) = entry.matrix.unassign(what, id).map_err(to_error)? else {
                return Ok(());
            };
            let single = Mask::single(id);
            match what {
                Resource::Adapter => {
                    let unplug = entry.shadow.unplug_adapters(&single);
                    st.unplugged(index, unplug.push, &unplug.reset, vm);
                }
                Resource::Domain => {
                    let unplug = entry.shadow.unplug_domains(&single);
                    st.unplugged(index, unplug.push, &unplug.reset, vm);
                }
                Resource::ControlDomain => {
                    if entry.shadow.unplug_control_domain(id) {
                        entry.push(vm);
                    }
                }
            }
            Ok(())
        })
    }

    /// `ap_config` write: all three masks at once, validated as a whole.
    pub(crate) fn set_ap_config(&self, dev: &Device, input: &[u8]) -> Result {
        let new = crate::ap_matrix::ap_config::parse(input).map_err(to_error)?;
        let perms = ap_perms::lock();
        let pool = perms.pool();
        let guests = self.guests.lock();
        self.with_mdev(&guests, Some(dev.key()), |vm, st| {
            let index = st.index_of(dev.key()).ok_or(ENODEV)?;
            let delta = st.replace(index, &new, &pool)?;
            let entry = st.mdevs.get_mut(index).ok_or(ENODEV)?;
            let adapters = entry.shadow.unplug_adapters(&delta.removed.apm);
            st.unplugged(index, adapters.push, &adapters.reset, vm);
            let entry = st.mdevs.get_mut(index).ok_or(ENODEV)?;
            let domains = entry.shadow.unplug_domains(&delta.removed.aqm);
            st.unplugged(index, domains.push, &domains.reset, vm);
            st.refilter_all(index, vm);
            Ok(())
        })
    }

    /// `matrix`, `guest_matrix`, `control_domains`, `ap_config` read.
    pub(crate) fn show(&self, dev: &Device, view: MatrixView, out: &mut [u8]) -> Result<usize> {
        use crate::ap_matrix::format;
        let st = self.lock_mdevs();
        let entry = st.entry(dev.key()).ok_or(ENODEV)?;
        let emitted = match view {
            MatrixView::Assigned => {
                format::matrix(entry.matrix.masks(), entry.matrix.limits(), out)
            }
            MatrixView::Guest => format::matrix(&entry.shadow.apcb, &entry.shadow.limits, out),
            MatrixView::ControlDomains => {
                format::control_domains(entry.matrix.adm(), entry.matrix.limits(), out)
            }
            MatrixView::ApConfig => format::ap_config(entry.matrix.masks(), out),
        };
        if emitted.truncated() {
            dev_warn!(
                entry.dev(),
                "attribute text of {} bytes cut to the {} bytes of whole lines that fit a page\n",
                emitted.needed,
                emitted.written
            );
        }
        Ok(emitted.written)
    }

    // ---- queues ----

    /// A queue was probed: bind it, and let the owning mdev's shadow take it in.
    pub(crate) fn probe_queue(&self, apqn: Apqn) {
        let guests = self.guests.lock();
        self.with_mdev(&guests, self.owner_key(apqn), |vm, st| {
            st.queues.bind(apqn);
            if let Some(index) = st.owner_of(apqn) {
                let defer = st
                    .mdevs
                    .get(index)
                    .is_some_and(|m| shadow::probe_defers_filter(&m.pending));
                if !defer {
                    st.refilter(index, vm);
                }
            }
        })
    }

    /// A queue leaves the driver: unplug or reset as upstream does, then unbind.
    pub(crate) fn remove_queue(&self, apqn: Apqn) {
        let guests = self.guests.lock();
        self.with_mdev(&guests, self.owner_key(apqn), |vm, st| {
            let host = st.host;
            let owner = st.owner_of(apqn);
            let shadow = owner
                .and_then(|i| st.mdevs.get_mut(i))
                .map(|m| &mut m.shadow);
            match shadow::queue_removal(shadow, &host, apqn) {
                QueueRemoval::UnplugAdapter { reset } => {
                    if let Some(entry) = owner.and_then(|i| st.mdevs.get(i)) {
                        entry.push(vm);
                    }
                    // Nobody to report a failed reset to; the queue records its passability.
                    let _ = st.reset_queues(&reset);
                }
                QueueRemoval::ResetQueue => {
                    st.reset_one(apqn);
                }
                QueueRemoval::FreeIrqOnly => st.release_irq(apqn),
            }
            st.queues.unbind(apqn);
        })
    }

    /// The queue's `status` attribute.
    pub(crate) fn queue_state(&self, apqn: Apqn) -> QueueState {
        let (_guests, st) = self.lock();
        let holder = st
            .owner_of(apqn)
            .and_then(|i| st.mdevs.get(i))
            .map(|m| (&m.matrix, &m.shadow, m.guest.is_some()));
        queue_state(apqn, st.queues.is_bound(apqn), holder)
    }

    /// The bus asks whether `query` may go to the default drivers; `holders`, if
    /// given, hears of every (mdev, queue) in the way.
    pub(crate) fn in_use(
        &self,
        query: &DefaultPool,
        mut holders: Option<HolderReport<'_>>,
    ) -> Result {
        let (_guests, st) = self.lock();
        let mut first: Option<DevKey> = None;
        reservation::in_use(
            query,
            st.mdevs.iter().rev().map(|m| (m, &m.matrix)),
            |holder, apqn| {
                if let Some(report) = holders.as_mut() {
                    report(holder.dev().name(), apqn);
                }
                // Upstream names only the first mdev that holds any of the queues.
                if *first.get_or_insert(holder.key()) == holder.key() {
                    dev_warn!(
                        holder.dev(),
                        "Can not reserve queue {:02x}.{:04x} for host driver: in use by mdev\n",
                        apqn.apid.0,
                        apqn.apqi.0
                    );
                }
            },
        )
        .map_err(to_error)
    }

    // ---- host configuration ----

    /// The host configuration changed: unplug what left, record what arrived.
    pub(crate) fn config_changed(&self, new: &HostConfig, old: &HostConfig) {
        let guests = self.guests.lock();
        let delta = new.delta_from(old);
        // One mdev at a time, each with its own VM locked, as upstream does.
        let mut index = 0;
        while let Some(key) = self.key_at(index) {
            self.with_mdev(&guests, Some(key), |vm, st| {
                if let Some(entry) = st.mdevs.get_mut(index) {
                    if entry.shadow.unplug_config(&entry.matrix, &delta) {
                        entry.push(vm);
                    }
                }
            });
            index += 1;
        }
        let mut st = self.lock_mdevs();
        if !st.mdevs.is_empty() && delta.has_additions() {
            // The type check of added adapters issues TAPQs: do it once, against an
            // all-assigned matrix, then intersect per mdev.
            let everything = Apcb {
                apm: Mask::FULL,
                aqm: Mask::FULL,
                adm: Mask::FULL,
            };
            let added = Matrix::from_masks(crate::ap_matrix::host::Limits::FULL, everything)
                .map(|all| {
                    shadow::pending_additions(&all, &delta, |q| Some(ap::tapq_adapter_type(q).1))
                })
                .unwrap_or(Apcb::EMPTY);
            for entry in st.mdevs.iter_mut() {
                entry.pending = added.intersection(entry.matrix.masks());
            }
        }
        st.host = *new;
    }

    /// The scan after a configuration change completed: plug in what arrived.
    pub(crate) fn scan_complete(&self) {
        let guests = self.guests.lock();
        let mut index = 0;
        while let Some(key) = self.key_at(index) {
            self.with_mdev(&guests, Some(key), |vm, st| {
                let host = st.host;
                let MdevsLocked { mdevs, queues, .. } = st;
                let Some(entry) = mdevs.get_mut(index) else {
                    return;
                };
                if entry.pending.is_empty() {
                    return;
                }
                let pending = entry.pending;
                entry.pending = Apcb::EMPTY;
                let filtered = entry
                    .shadow
                    .hot_plug_config(&entry.matrix, &host, &pending, |q| queues.is_passable(q));
                st.filtered(index, &filtered, vm);
            });
            index += 1;
        }
    }
}

impl MdevsLocked {
    fn index_of(&self, key: DevKey) -> Option<usize> {
        self.mdevs.iter().position(|m| m.key() == key)
    }

    fn entry(&self, key: DevKey) -> Option<&MdevEntry> {
        self.mdevs.iter().find(|m| m.key() == key)
    }

    fn entry_mut(&mut self, key: DevKey) -> Option<&mut MdevEntry> {
        self.mdevs.iter_mut().find(|m| m.key() == key)
    }

    /// Every mdev but `index`, newest first, as validation wants them.
    fn others(&self, index: usize) -> impl Iterator<Item = (&MdevEntry, &Matrix)> {
        self.mdevs
            .iter()
            .enumerate()
            .rev()
            .filter(move |(i, _)| *i != index)
            .map(|(_, m)| (m, &m.matrix))
    }

    /// The mdev whose matrix holds `apqn` (at most one: assignments are exclusive).
    fn owner_of(&self, apqn: Apqn) -> Option<usize> {
        self.mdevs.iter().position(|m| m.matrix.contains(apqn))
    }

    /// Assigns one ID to mdev `index`, validating against the pool and the other
    /// mdevs; logs each shared queue with the first mdev it is shared with.
    fn assign(
        &mut self,
        index: usize,
        what: Resource,
        id: u64,
        pool: &DefaultPool,
    ) -> Result<Outcome> {
        let this = self.mdevs.get(index).ok_or(ENODEV)?;
        let mut matrix = this.matrix;
        let others = self.others(index);
        let mut first: Option<DevKey> = None;
        let outcome = matrix
            .assign(what, id, pool, others, |other, apqn| {
                log_shared(this, other, apqn, &mut first)
            })
            .map_err(to_error)?;
        if let Some(entry) = self.mdevs.get_mut(index) {
            entry.matrix = matrix;
        }
        Ok(outcome)
    }

    /// Replaces the three masks of mdev `index` (an `ap_config` write).
    fn replace(
        &mut self,
        index: usize,
        new: &Apcb,
        pool: &DefaultPool,
    ) -> Result<matrix::MatrixDelta> {
        let this = self.mdevs.get(index).ok_or(ENODEV)?;
        let mut matrix = this.matrix;
        let others = self.others(index);
        let mut first: Option<DevKey> = None;
        let delta = matrix
            .replace(new, pool, others, |other, apqn| {
                log_shared(this, other, apqn, &mut first)
            })
            .map_err(to_error)?;
        if let Some(entry) = self.mdevs.get_mut(index) {
            entry.matrix = matrix;
        }
        Ok(delta)
    }

    /// Re-derives the adapters and domains of mdev `index`'s shadow.
    fn refilter(&mut self, index: usize, vm: Option<&KvmGuard<'_>>) {
        let host = self.host;
        let Some(entry) = self.mdevs.get_mut(index) else {
            return;
        };
        let queues = &self.queues;
        let filtered = entry
            .shadow
            .filter(&entry.matrix, &host, |q| queues.is_passable(q));
        self.filtered(index, &filtered, vm);
    }

    /// Re-derives the control domains of mdev `index`'s shadow.
    fn refilter_control_domains(&mut self, index: usize, vm: Option<&KvmGuard<'_>>) {
        let host = self.host;
        if let Some(entry) = self.mdevs.get_mut(index) {
            if entry.shadow.filter_cdoms(&entry.matrix, &host) {
                entry.push(vm);
            }
        }
    }

    /// Re-derives the whole shadow of mdev `index`, pushing once.
    fn refilter_all(&mut self, index: usize, vm: Option<&KvmGuard<'_>>) {
        let host = self.host;
        let Some(entry) = self.mdevs.get_mut(index) else {
            return;
        };
        let queues = &self.queues;
        let mut filtered = entry
            .shadow
            .filter(&entry.matrix, &host, |q| queues.is_passable(q));
        filtered.changed |= entry.shadow.filter_cdoms(&entry.matrix, &host);
        self.filtered(index, &filtered, vm);
    }

    /// After a filter run: push if the shadow changed, then reset the queues of the
    /// adapters that were filtered out.
    fn filtered(&mut self, index: usize, filtered: &Filtered, vm: Option<&KvmGuard<'_>>) {
        self.unplugged(index, filtered.changed, &filtered.reset, vm);
    }

    /// After an unplug edit: push if asked, then reset the bound queues of `reset`.
    fn unplugged(&mut self, index: usize, push: bool, reset: &QueueSet, vm: Option<&KvmGuard<'_>>) {
        if push {
            if let Some(entry) = self.mdevs.get(index) {
                entry.push(vm);
            }
        }
        // Nobody to report a failed reset to; the queue records its passability.
        let _ = self.reset_queues(reset);
    }

    /// Resets every bound queue of `set` side by side, recording whether each stays
    /// passable; the batch's result (`EIO` if a queue's last ZAPQ failed, `ETIMEDOUT`
    /// if one did not settle). Every queue is reset whatever the others do.
    fn reset_queues(&mut self, set: &QueueSet) -> Result {
        let MdevsLocked {
            mdevs,
            queues,
            unpin_later,
            ..
        } = self;
        reset::reset_bound(set, queues, &mut |apqn| {
            guest_irq::release_irq(mdevs, unpin_later, apqn)
        })
        .map_err(to_error)
    }

    fn reset_one(&mut self, apqn: Apqn) {
        let MdevsLocked {
            mdevs,
            queues,
            unpin_later,
            ..
        } = self;
        // Nobody to report a failed reset to; the queue records its passability.
        let _ = reset::reset_one(apqn, queues, &mut |apqn| {
            guest_irq::release_irq(mdevs, unpin_later, apqn)
        });
    }
}

/// Upstream's sharing warning, on the mdev being assigned to, naming the first mdev
/// that already holds one of the queues.
fn log_shared(this: &MdevEntry, other: &MdevEntry, apqn: Apqn, first: &mut Option<DevKey>) {
    if *first.get_or_insert(other.key()) == other.key() {
        dev_warn!(
            this.dev(),
            "Userspace may not assign queue {:02x}.{:04x} to mdev: already assigned to {}\n",
            apqn.apid.0,
            apqn.apqi.0,
            other.dev().name()
        );
    }
}

/// A decision's error as a kernel error.
pub(crate) fn to_error(errno: crate::ap_matrix::errno::Errno) -> Error {
    Error::from_errno(-errno.to_raw())
}
