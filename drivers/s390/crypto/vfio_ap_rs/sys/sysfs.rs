// SPDX-License-Identifier: GPL-2.0-only

//! sysfs attributes whose `show` and `store` are Rust functions.
//!
//! An attribute is a zero-sized type implementing [`Show`] and/or [`Store`]; a
//! [`DeviceAttribute`] static built from it carries the C trampolines. Attributes are
//! statics (in the module's data, as lockdep wants their keys), collected into
//! NULL-terminated lists with [`attribute_group!`] and [`group_list!`].

use core::mem::MaybeUninit;
use kernel::bindings;
use kernel::error::to_result;
use kernel::ffi::c_char;
use kernel::page::PAGE_SIZE;
use kernel::prelude::*;
use kernel::str::CStr;
use kernel::types::Opaque;

use super::device::Dev;

/// A readable attribute.
pub(crate) trait Show {
    /// Writes the attribute's text into `out` (at most one page less one byte) and
    /// returns its length.
    fn show(dev: &Dev, out: &mut [u8]) -> Result<usize>;
}

/// A writable attribute.
pub(crate) trait Store {
    /// Handles one write of `input` (the raw bytes, trailing newline included).
    /// Success consumes the whole write.
    fn store(dev: &Dev, input: &[u8]) -> Result;
}

/// The `show` callback of a [`DeviceAttribute`].
///
/// # Safety
///
/// Called by sysfs only, with a live device and a `PAGE_SIZE` buffer.
unsafe extern "C" fn show_trampoline<T: Show>(
    dev: *mut bindings::device,
    _attr: *mut bindings::device_attribute,
    buf: *mut c_char,
) -> isize {
    // SAFETY: sysfs calls `show` with a live device, which stays alive for the call.
    let dev = unsafe { Dev::from_raw(dev) };
    // SAFETY: sysfs passes a zeroed buffer of `PAGE_SIZE` bytes, exclusively ours for
    // the call; we hand out all but the last byte, since sysfs refuses a count of
    // `PAGE_SIZE`.
    let out = unsafe { core::slice::from_raw_parts_mut(buf.cast::<u8>(), PAGE_SIZE - 1) };
    match T::show(dev, out) {
        Ok(len) => len.min(PAGE_SIZE - 1) as isize,
        Err(e) => e.to_errno() as isize,
    }
}

/// The `store` callback of a [`DeviceAttribute`].
///
/// # Safety
///
/// Called by sysfs only, with a live device and `count` readable bytes at `buf`.
unsafe extern "C" fn store_trampoline<T: Store>(
    dev: *mut bindings::device,
    _attr: *mut bindings::device_attribute,
    buf: *const c_char,
    count: usize,
) -> isize {
    // SAFETY: sysfs calls `store` with a live device, which stays alive for the call.
    let dev = unsafe { Dev::from_raw(dev) };
    // SAFETY: sysfs passes `count` readable bytes at `buf` for the call.
    let input = unsafe { core::slice::from_raw_parts(buf.cast::<u8>(), count) };
    match T::store(dev, input) {
        Ok(()) => count as isize,
        Err(e) => e.to_errno() as isize,
    }
}

/// A `struct device_attribute`.
#[repr(transparent)]
pub(crate) struct DeviceAttribute(Opaque<bindings::device_attribute>);

// SAFETY: sysfs only reads the attribute; the trampolines are thread-safe as long as
// the `Show`/`Store` implementations are, and those take only shared references.
unsafe impl Sync for DeviceAttribute {}

impl DeviceAttribute {
    const fn with(
        name: &'static CStr,
        mode: u16,
        show: Option<
            unsafe extern "C" fn(
                *mut bindings::device,
                *mut bindings::device_attribute,
                *mut c_char,
            ) -> isize,
        >,
        store: Option<
            unsafe extern "C" fn(
                *mut bindings::device,
                *mut bindings::device_attribute,
                *const c_char,
                usize,
            ) -> isize,
        >,
    ) -> Self {
        // SAFETY: an all-zero `device_attribute` is a valid, empty one (no name, no
        // callbacks, a zeroed lockdep key).
        let mut attr: bindings::device_attribute = unsafe { MaybeUninit::zeroed().assume_init() };
        attr.attr.name = name.as_char_ptr();
        attr.attr.mode = mode;
        attr.show = show;
        attr.store = store;
        Self(Opaque::new(attr))
    }

    /// A read-only attribute (mode 0444).
    pub(crate) const fn read_only<T: Show>(name: &'static CStr) -> Self {
        Self::with(name, 0o444, Some(show_trampoline::<T>), None)
    }

    /// A write-only attribute (mode 0200).
    pub(crate) const fn write_only<T: Store>(name: &'static CStr) -> Self {
        Self::with(name, 0o200, None, Some(store_trampoline::<T>))
    }

    /// A read-write attribute (mode 0644).
    pub(crate) const fn read_write<T: Show + Store>(name: &'static CStr) -> Self {
        Self::with(
            name,
            0o644,
            Some(show_trampoline::<T>),
            Some(store_trampoline::<T>),
        )
    }

    /// The embedded `struct attribute` (the first member).
    pub(crate) const fn as_attr(&'static self) -> *mut bindings::attribute {
        self.0.get().cast::<bindings::attribute>()
    }
}

/// A NULL-terminated array of attribute pointers (`struct attribute *[]`).
#[repr(transparent)]
pub(crate) struct AttributeList<const N: usize>(Opaque<[*mut bindings::attribute; N]>);

// SAFETY: the array is only read, by sysfs.
unsafe impl<const N: usize> Sync for AttributeList<N> {}

impl<const N: usize> AttributeList<N> {
    /// The list `attrs`, whose last entry must be null (built by [`attribute_group!`]).
    pub(crate) const fn new(attrs: [*mut bindings::attribute; N]) -> Self {
        Self(Opaque::new(attrs))
    }
}

/// A `struct attribute_group` without a name (its files go into the device's
/// directory).
#[repr(transparent)]
pub(crate) struct AttributeGroup(Opaque<bindings::attribute_group>);

// SAFETY: the group is only read, by sysfs.
unsafe impl Sync for AttributeGroup {}

impl AttributeGroup {
    /// The group of `attrs`.
    pub(crate) const fn new<const N: usize>(attrs: &'static AttributeList<N>) -> Self {
        // SAFETY: an all-zero `attribute_group` is a valid, empty one.
        let mut group: bindings::attribute_group = unsafe { MaybeUninit::zeroed().assume_init() };
        group.attrs = attrs.0.get().cast::<*mut bindings::attribute>();
        Self(Opaque::new(group))
    }

    /// The raw group.
    pub(crate) const fn as_raw(&'static self) -> *const bindings::attribute_group {
        self.0.get().cast_const()
    }
}

/// A NULL-terminated array of groups (`const struct attribute_group *[]`), as
/// `dev_groups` of a driver wants it.
#[repr(transparent)]
pub(crate) struct GroupList(Opaque<[*const bindings::attribute_group; 2]>);

// SAFETY: the array is only read, by the driver core.
unsafe impl Sync for GroupList {}

impl GroupList {
    /// A list holding the single group `group` (every user here has one).
    pub(crate) const fn single(group: &'static AttributeGroup) -> Self {
        Self(Opaque::new([group.as_raw(), core::ptr::null()]))
    }

    /// The raw list.
    pub(crate) const fn as_raw(&'static self) -> *mut *const bindings::attribute_group {
        self.0.get().cast::<*const bindings::attribute_group>()
    }
}

/// Adds `group`'s files to the directory of `dev` (`sysfs_create_group`).
pub(crate) fn add_group(dev: &Dev, group: &'static AttributeGroup) -> Result {
    // SAFETY: the device is live; the group is static.
    to_result(unsafe {
        bindings::sysfs_create_group(&raw mut (*dev.as_raw()).kobj, group.as_raw())
    })
}

/// Removes the files [`add_group`] added.
pub(crate) fn remove_group(dev: &Dev, group: &'static AttributeGroup) {
    // SAFETY: the device is live; the group is static.
    unsafe { bindings::sysfs_remove_group(&raw mut (*dev.as_raw()).kobj, group.as_raw()) };
}

/// Defines `static $group: AttributeGroup` holding the given [`DeviceAttribute`]
/// statics.
macro_rules! attribute_group {
    ($vis:vis $group:ident = [$($attr:ident),+ $(,)?]) => {
        $vis static $group: $crate::sys::sysfs::AttributeGroup = {
            static LIST: $crate::sys::sysfs::AttributeList<{ [$(stringify!($attr)),+].len() + 1 }> =
                $crate::sys::sysfs::AttributeList::new([$($attr.as_attr(),)+ core::ptr::null_mut()]);
            $crate::sys::sysfs::AttributeGroup::new(&LIST)
        };
    };
}
pub(crate) use attribute_group;
