// SPDX-License-Identifier: GPL-2.0-only

//! A VFIO device on the emulated IOMMU (`/dev/vfio/<group>`, the parent's
//! `vfio-dev/` and `iommu_group`), whose callbacks are a `#[vtable]` trait: an
//! operation the driver does not implement stays unset in the C table, and the VFIO
//! core answers for it as it does for C drivers.
//!
//! C header: include/linux/vfio.h

use core::marker::PhantomData;
use core::mem::{size_of, MaybeUninit};
use kernel::bindings;
use kernel::error::{from_err_ptr, from_result, to_result, VTABLE_DEFAULT_ERROR};
use kernel::ffi::{c_int, c_long, c_uint, c_ulong};
use kernel::prelude::*;
use kernel::types::{AsBytes, FromBytes, Opaque};
use kernel::uaccess::UserSlice;

use super::device_ext::{Device, DeviceExt};
use super::kvm::Kvm;

/// A VFIO device, as its callbacks see it.
///
/// # Invariants
///
/// A `&VfioDeviceRef` points to a live, registered `struct vfio_device`.
#[repr(transparent)]
pub(crate) struct VfioDeviceRef(Opaque<bindings::vfio_device>);

impl VfioDeviceRef {
    /// # Safety
    ///
    /// `ptr` points to a registered VFIO device that outlives `'a`.
    unsafe fn from_raw<'a>(ptr: *mut bindings::vfio_device) -> &'a Self {
        // SAFETY: guaranteed by the caller; `Self` is transparent over the C type.
        unsafe { &*ptr.cast() }
    }

    /// The device the VFIO device was registered for (an mdev's device).
    pub(crate) fn parent(&self) -> &Device {
        // SAFETY: `dev` is set at allocation and the parent outlives the VFIO device.
        unsafe { Device::as_ref((*self.0.get()).dev) }
    }

    /// The VM userspace associated with the device when it was opened, if any. The
    /// VFIO core holds a reference to it until the device is closed.
    pub(crate) fn kvm(&self) -> Option<&Kvm> {
        // SAFETY: the core sets `kvm` before `open_device` and clears it after
        // `close_device`; callbacks run in between.
        let kvm = unsafe { (*self.0.get()).kvm };
        // SAFETY: a non-null `kvm` is a live VM, referenced by the core (see above).
        (!kvm.is_null()).then(|| unsafe { &*kvm.cast::<Kvm>() })
    }
}

impl VfioDeviceRef {
    /// A handle on the device that outlives the callback, for pinning guest pages
    /// while the device is open.
    pub(crate) fn handle(&self) -> OpenDevice {
        let vdev = self.0.get();
        // SAFETY: the device is live (type invariant); the reference taken here is
        // dropped by `OpenDevice`.
        unsafe { bindings::get_device(&raw mut (*vdev).device) };
        // INVARIANT: referenced above.
        OpenDevice { vdev }
    }
}

/// A reference on a VFIO device, taken in one of its callbacks while it was open,
/// through which the driver pins the guest's pages.
///
/// The reference keeps the structure alive; pinning and unpinning also need the
/// device open, which the VFIO core checks (and warns about) itself. A driver keeps
/// the handle, and its pins, from `open_device` to `close_device`.
///
/// # Invariants
///
/// `vdev` points to a VFIO device this value holds a reference on.
pub(crate) struct OpenDevice {
    vdev: *mut bindings::vfio_device,
}

// SAFETY: the reference may be dropped, and the core's pin calls made, from any
// thread.
unsafe impl Send for OpenDevice {}
// SAFETY: as above; the core serialises pinning internally.
unsafe impl Sync for OpenDevice {}

impl OpenDevice {
    /// Whether both handles are on the same device.
    pub(crate) fn same(&self, other: &OpenDevice) -> bool {
        core::ptr::eq(self.vdev, other.vdev)
    }

    /// Pins the guest page at `iova` (an address of the device's IOMMU, which for
    /// a guest is its physical address) for reading and writing; the core's error
    /// code if it cannot (`EINVAL` if the address is not mapped, `EACCES` in a
    /// type1 v1 container). Unpinned when the result is dropped.
    pub(crate) fn pin(&self, iova: u64) -> core::result::Result<PinnedPage, i32> {
        let mut page: *mut bindings::page = core::ptr::null_mut();
        let prot = (bindings::IOMMU_READ | bindings::IOMMU_WRITE) as c_int;
        // SAFETY: the device is live (type invariant); `page` has room for the one
        // page asked for.
        let rc = unsafe { bindings::vfio_pin_pages(self.vdev, iova, 1, prot, &mut page) };
        if rc != 1 || page.is_null() {
            return Err(if rc < 0 {
                rc
            } else {
                -(bindings::EINVAL as i32)
            });
        }
        // SAFETY: `page` was just pinned, so it is a live page.
        let page_phys = unsafe { bindings::page_to_phys(page) };
        // INVARIANT: pinned above at `iova`.
        Ok(PinnedPage {
            device: self.clone(),
            iova,
            phys: page_phys | (iova & (bindings::PAGE_SIZE as u64 - 1)),
        })
    }
}

impl Clone for OpenDevice {
    fn clone(&self) -> Self {
        // SAFETY: the device is live (type invariant); the new value drops the
        // reference taken here.
        unsafe { bindings::get_device(&raw mut (*self.vdev).device) };
        // INVARIANT: referenced above.
        Self { vdev: self.vdev }
    }
}

impl Drop for OpenDevice {
    fn drop(&mut self) {
        // SAFETY: drops the reference this value holds (type invariant).
        unsafe { bindings::put_device(&raw mut (*self.vdev).device) }
    }
}

/// A guest page pinned through a VFIO device; unpinned on drop.
///
/// # Invariants
///
/// The page at `iova` is pinned once, by this value, through `device`.
pub(crate) struct PinnedPage {
    device: OpenDevice,
    iova: u64,
    phys: u64,
}

impl PinnedPage {
    /// The IOVA the page was pinned at (with its offset in the page).
    pub(crate) fn iova(&self) -> u64 {
        self.iova
    }

    /// The host physical address of the byte at the IOVA.
    pub(crate) fn phys(&self) -> u64 {
        self.phys
    }
}

impl Drop for PinnedPage {
    fn drop(&mut self) {
        // SAFETY: pinned once by this value, through this device (type invariant).
        unsafe { bindings::vfio_unpin_pages(self.device.vdev, self.iova, 1) }
    }
}

/// The callbacks of a VFIO device (`struct vfio_device_ops`).
#[vtable]
pub(crate) trait Operations {
    /// The first file descriptor on the device is being opened.
    fn open_device(_vdev: &VfioDeviceRef) -> Result {
        kernel::build_error(VTABLE_DEFAULT_ERROR)
    }
    /// The last file descriptor on the device was closed.
    fn close_device(_vdev: &VfioDeviceRef) {
        kernel::build_error(VTABLE_DEFAULT_ERROR)
    }
    /// An ioctl on the device file that the VFIO core does not handle itself.
    fn ioctl(_vdev: &VfioDeviceRef, _cmd: u32, _arg: IoctlArg) -> Result<i64> {
        kernel::build_error(VTABLE_DEFAULT_ERROR)
    }
    /// The device is being unregistered while open: ask userspace to release it.
    /// `count` is how often this was asked before (every 10 s).
    fn request(_vdev: &VfioDeviceRef, _count: u32) {
        kernel::build_error(VTABLE_DEFAULT_ERROR)
    }
    /// Userspace unmapped `length` bytes at `iova`: unpin every page there. A
    /// driver that pins pages must implement it (the core refuses pins otherwise).
    fn dma_unmap(_vdev: &VfioDeviceRef, _iova: u64, _length: u64) {
        kernel::build_error(VTABLE_DEFAULT_ERROR)
    }
}

/// # Safety
///
/// Called by the VFIO core only, with a registered device.
unsafe extern "C" fn open_device<T: Operations>(vdev: *mut bindings::vfio_device) -> c_int {
    // SAFETY: the core passes a registered device.
    from_result(|| T::open_device(unsafe { VfioDeviceRef::from_raw(vdev) }).map(|()| 0))
}

/// # Safety
///
/// Called by the VFIO core only, with a registered device.
unsafe extern "C" fn close_device<T: Operations>(vdev: *mut bindings::vfio_device) {
    // SAFETY: the core passes a registered device.
    T::close_device(unsafe { VfioDeviceRef::from_raw(vdev) })
}

/// # Safety
///
/// Called by the VFIO core only, with a registered, open device.
unsafe extern "C" fn ioctl<T: Operations>(
    vdev: *mut bindings::vfio_device,
    cmd: c_uint,
    arg: c_ulong,
) -> c_long {
    // SAFETY: the core passes a registered device.
    let vdev = unsafe { VfioDeviceRef::from_raw(vdev) };
    match T::ioctl(vdev, cmd, IoctlArg(arg)) {
        Ok(value) => value as c_long,
        Err(e) => e.to_errno() as c_long,
    }
}

/// # Safety
///
/// Called by the VFIO core only, with a registered device.
unsafe extern "C" fn request<T: Operations>(vdev: *mut bindings::vfio_device, count: c_uint) {
    // SAFETY: the core passes a registered device.
    T::request(unsafe { VfioDeviceRef::from_raw(vdev) }, count)
}

/// # Safety
///
/// Called by the VFIO core only, with a registered, open device.
unsafe extern "C" fn dma_unmap<T: Operations>(
    vdev: *mut bindings::vfio_device,
    iova: u64,
    length: u64,
) {
    // SAFETY: the core passes a registered device.
    T::dma_unmap(unsafe { VfioDeviceRef::from_raw(vdev) }, iova, length)
}

struct OpsTable<T>(PhantomData<T>);

impl<T: Operations> OpsTable<T> {
    const OPS: bindings::vfio_device_ops = {
        // SAFETY: an all-zero ops table is valid: every callback is optional.
        let mut ops: bindings::vfio_device_ops = unsafe { MaybeUninit::zeroed().assume_init() };
        if T::HAS_OPEN_DEVICE {
            ops.open_device = Some(open_device::<T>);
        }
        if T::HAS_CLOSE_DEVICE {
            ops.close_device = Some(close_device::<T>);
        }
        if T::HAS_IOCTL {
            ops.ioctl = Some(ioctl::<T>);
        }
        if T::HAS_REQUEST {
            ops.request = Some(request::<T>);
        }
        if T::HAS_DMA_UNMAP {
            ops.dma_unmap = Some(dma_unmap::<T>);
        }
        ops
    };
}

/// A registered VFIO device; unregistered and released on drop.
///
/// # Invariants
///
/// `vdev` was allocated by `_vfio_alloc_device` and is registered.
pub(crate) struct VfioDevice {
    vdev: *mut bindings::vfio_device,
}

// SAFETY: the device is only used through thread-safe VFIO core calls.
unsafe impl Send for VfioDevice {}

impl VfioDevice {
    /// Allocates a VFIO device for `parent`, with `T`'s callbacks, and registers it
    /// on the emulated IOMMU.
    pub(crate) fn register<T: Operations>(parent: &Device) -> Result<Self> {
        let ops: &'static bindings::vfio_device_ops = &OpsTable::<T>::OPS;
        // SAFETY: `parent` is a live device; the ops table is static.
        let vdev = from_err_ptr(unsafe {
            bindings::_vfio_alloc_device(size_of::<bindings::vfio_device>(), parent.raw(), ops)
        })?;
        // SAFETY: `vdev` is an initialised, unregistered VFIO device.
        if let Err(e) = to_result(unsafe { bindings::vfio_register_emulated_iommu_dev(vdev) }) {
            // SAFETY: drops the allocation's reference; the core frees the device.
            unsafe { bindings::put_device(&raw mut (*vdev).device) };
            return Err(e);
        }
        // INVARIANT: allocated by `_vfio_alloc_device` and registered above.
        Ok(Self { vdev })
    }
}

impl Drop for VfioDevice {
    fn drop(&mut self) {
        // SAFETY: registered in `register`; unregistering waits for users to close
        // it (calling `request` meanwhile), then our reference is dropped and the
        // core frees it.
        unsafe {
            bindings::vfio_unregister_group_dev(self.vdev);
            bindings::put_device(&raw mut (*self.vdev).device);
        }
    }
}

// ---- the device ioctls' arguments ----

/// The `VFIO_DEVICE_*` ioctl numbers (`_IO(VFIO_TYPE, VFIO_BASE + n)`).
const fn vfio_io(n: u32) -> u32 {
    ((bindings::VFIO_TYPE as u32) << 8) | (bindings::VFIO_BASE + n)
}
/// `VFIO_DEVICE_GET_INFO`.
pub(crate) const DEVICE_GET_INFO: u32 = vfio_io(7);
/// `VFIO_DEVICE_GET_IRQ_INFO`.
pub(crate) const DEVICE_GET_IRQ_INFO: u32 = vfio_io(9);
/// `VFIO_DEVICE_SET_IRQS`.
pub(crate) const DEVICE_SET_IRQS: u32 = vfio_io(10);
/// `VFIO_DEVICE_RESET`.
pub(crate) const DEVICE_RESET: u32 = vfio_io(11);

pub(crate) use bindings::{
    VFIO_DEVICE_FLAGS_AP as DEVICE_FLAGS_AP, VFIO_DEVICE_FLAGS_RESET as DEVICE_FLAGS_RESET,
    VFIO_IRQ_INFO_EVENTFD as IRQ_INFO_EVENTFD,
    VFIO_IRQ_SET_ACTION_TRIGGER as IRQ_SET_ACTION_TRIGGER,
    VFIO_IRQ_SET_DATA_EVENTFD as IRQ_SET_DATA_EVENTFD,
    VFIO_IRQ_SET_DATA_TYPE_MASK as IRQ_SET_DATA_TYPE_MASK,
};

/// The userspace argument of an ioctl: a pointer to a VFIO structure that starts
/// with its `argsz`.
#[derive(Clone, Copy)]
pub(crate) struct IoctlArg(usize);

impl IoctlArg {
    /// Copies a `T` in from offset `offset`; `EFAULT` if userspace memory is bad.
    pub(crate) fn read_at<T: FromBytes>(&self, offset: usize) -> Result<T> {
        UserSlice::new(self.0.wrapping_add(offset), size_of::<T>())
            .reader()
            .read()
    }

    /// Copies `value` out to the start of the argument.
    pub(crate) fn write<T: AsBytes>(&self, value: &T) -> Result {
        UserSlice::new(self.0, size_of::<T>()).writer().write(value)
    }
}

/// The fixed part of `struct vfio_device_info` up to `num_irqs` (its `minsz`).
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub(crate) struct DeviceInfo {
    pub(crate) argsz: u32,
    pub(crate) flags: u32,
    pub(crate) num_regions: u32,
    pub(crate) num_irqs: u32,
}

/// `struct vfio_irq_info` (all of it is its `minsz`).
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub(crate) struct IrqInfo {
    pub(crate) argsz: u32,
    pub(crate) flags: u32,
    pub(crate) index: u32,
    pub(crate) count: u32,
}

/// The header of `struct vfio_irq_set` (its `minsz`); the data follows it.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub(crate) struct IrqSet {
    pub(crate) argsz: u32,
    pub(crate) flags: u32,
    pub(crate) index: u32,
    pub(crate) start: u32,
    pub(crate) count: u32,
}

const _: () = {
    use core::mem::offset_of;
    assert!(size_of::<DeviceInfo>() == offset_of!(bindings::vfio_device_info, cap_offset));
    assert!(size_of::<IrqInfo>() == size_of::<bindings::vfio_irq_info>());
    assert!(size_of::<IrqSet>() == offset_of!(bindings::vfio_irq_set, data));
};

// SAFETY: plain `u32` fields without padding: every bit pattern is valid and every
// byte is initialised.
unsafe impl FromBytes for DeviceInfo {}
// SAFETY: as above.
unsafe impl AsBytes for DeviceInfo {}
// SAFETY: as above.
unsafe impl FromBytes for IrqInfo {}
// SAFETY: as above.
unsafe impl AsBytes for IrqInfo {}
// SAFETY: as above.
unsafe impl FromBytes for IrqSet {}

impl IrqSet {
    /// The VFIO core's validation of a `SET_IRQS` header (`start + count` within
    /// `num_irqs`, `index` below `max_irq_type`, known flags, enough data): the size
    /// of the data that follows the header.
    pub(crate) fn validate(&self, num_irqs: u32, max_irq_type: u32) -> Result<usize> {
        // SAFETY: all-zero is a valid `vfio_irq_set`.
        let mut hdr: bindings::vfio_irq_set = unsafe { MaybeUninit::zeroed().assume_init() };
        hdr.argsz = self.argsz;
        hdr.flags = self.flags;
        hdr.index = self.index;
        hdr.start = self.start;
        hdr.count = self.count;
        let mut data_size = 0usize;
        // SAFETY: `hdr` is a kernel copy of the header; the function only reads it
        // and writes `data_size`.
        to_result(unsafe {
            bindings::vfio_set_irqs_validate_and_prepare(
                &mut hdr,
                num_irqs as c_int,
                max_irq_type as c_int,
                &mut data_size,
            )
        })?;
        Ok(data_size)
    }
}

/// An eventfd context taken from a file descriptor of the calling process; its
/// reference is dropped with it.
///
/// # Invariants
///
/// `ctx` is a context this value holds a reference to.
pub(crate) struct EventFd {
    ctx: *mut bindings::eventfd_ctx,
}

// SAFETY: eventfd contexts may be signalled and put from any thread.
unsafe impl Send for EventFd {}

impl EventFd {
    /// The eventfd behind `fd` (`EBADF`, or `EINVAL` if it is not an eventfd).
    pub(crate) fn from_fd(fd: i32) -> Result<Self> {
        // SAFETY: looks the descriptor up in the current process; no other input.
        let ctx = from_err_ptr(unsafe { bindings::eventfd_ctx_fdget(fd) })?;
        // INVARIANT: `eventfd_ctx_fdget` returned a referenced context.
        Ok(Self { ctx })
    }

    /// Adds one to the counter and wakes its readers.
    pub(crate) fn signal(&self) {
        // SAFETY: `ctx` is referenced (type invariant).
        unsafe { bindings::eventfd_signal_mask(self.ctx, 0) }
    }
}

impl Drop for EventFd {
    fn drop(&mut self) {
        // SAFETY: drops the reference this value holds (type invariant).
        unsafe { bindings::eventfd_ctx_put(self.ctx) }
    }
}
