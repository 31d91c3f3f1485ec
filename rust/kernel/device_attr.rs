// SPDX-License-Identifier: GPL-2.0-only

//! sysfs device attributes whose `show` and `store` are Rust functions of the typed
//! object the device belongs to (an AP queue, an mdev, or a plain [`Device`]).
//!
//! An attribute is a zero-sized type implementing [`Show`] and/or [`Store`]; a
//! [`DeviceAttribute`] static built from it carries the C trampolines. Attributes are
//! statics (in the module's data, as lockdep wants their keys), collected into
//! NULL-terminated lists with [`attribute_group!`]. Attributes, groups and group lists
//! carry the object type, so a group can only be added to objects of that type, and
//! a callback gets the object without a lookup.
//!
//! C header: include/linux/device.h, include/linux/sysfs.h

use core::marker::PhantomData;
use core::mem::MaybeUninit;
use kernel::bindings;
use kernel::error::{from_result, to_result};
use kernel::ffi::c_char;
use kernel::page::PAGE_SIZE;
use kernel::prelude::*;
use kernel::str::CStr;
use kernel::types::Opaque;

use super::device_ext::{Device, DeviceExt};

/// An object that embeds a `struct device` and can carry attributes.
pub(crate) trait AttrDevice {
    /// The object whose device is `dev`.
    ///
    /// # Safety
    ///
    /// `dev` is the device of a live object of this type that outlives `'a`.
    unsafe fn from_device<'a>(dev: *mut bindings::device) -> &'a Self;

    /// The embedded device.
    fn device(&self) -> &Device;
}

impl AttrDevice for Device {
    unsafe fn from_device<'a>(dev: *mut bindings::device) -> &'a Self {
        // SAFETY: live for `'a` (caller's guarantee).
        unsafe { Device::as_ref(dev) }
    }

    fn device(&self) -> &Device {
        self
    }
}

/// A readable attribute.
pub(crate) trait Show {
    /// The objects the attribute belongs to.
    type Object: AttrDevice;
    /// Writes the attribute's text into `out` (at most one page less one byte) and
    /// returns its length.
    fn show(object: &Self::Object, out: &mut [u8]) -> Result<usize>;
}

/// A writable attribute.
pub(crate) trait Store {
    /// The objects the attribute belongs to.
    type Object: AttrDevice;
    /// Handles one write of `input` (the raw bytes, trailing newline included).
    /// Success consumes the whole write.
    fn store(object: &Self::Object, input: &[u8]) -> Result;
}

/// The `show` callback of a [`DeviceAttribute`].
///
/// # Safety
///
/// Called by sysfs only, with the live device of a `T::Object` (attributes of that
/// type are only added to such objects) and a `PAGE_SIZE` buffer.
unsafe extern "C" fn show_trampoline<T: Show>(
    dev: *mut bindings::device,
    _attr: *mut bindings::device_attribute,
    buf: *mut c_char,
) -> isize {
    // SAFETY: the device of a live `T::Object`, alive for the call (see above).
    let object = unsafe { T::Object::from_device(dev) };
    // SAFETY: sysfs passes a zeroed buffer of `PAGE_SIZE` bytes, exclusively ours for
    // the call; we hand out all but the last byte, since sysfs refuses a count of
    // `PAGE_SIZE`.
    let out = unsafe { core::slice::from_raw_parts_mut(buf.cast::<u8>(), PAGE_SIZE - 1) };
    from_result(|| Ok(T::show(object, out)?.min(PAGE_SIZE - 1) as isize))
}

/// The `store` callback of a [`DeviceAttribute`].
///
/// # Safety
///
/// Called by sysfs only, with the live device of a `T::Object` and `count` readable
/// bytes at `buf`.
unsafe extern "C" fn store_trampoline<T: Store>(
    dev: *mut bindings::device,
    _attr: *mut bindings::device_attribute,
    buf: *const c_char,
    count: usize,
) -> isize {
    // SAFETY: the device of a live `T::Object`, alive for the call (see above).
    let object = unsafe { T::Object::from_device(dev) };
    // SAFETY: sysfs passes `count` readable bytes at `buf` for the call.
    let input = unsafe { core::slice::from_raw_parts(buf.cast::<u8>(), count) };
    from_result(|| {
        T::store(object, input)?;
        Ok(count as isize)
    })
}

type ShowFn = unsafe extern "C" fn(
    *mut bindings::device,
    *mut bindings::device_attribute,
    *mut c_char,
) -> isize;
type StoreFn = unsafe extern "C" fn(
    *mut bindings::device,
    *mut bindings::device_attribute,
    *const c_char,
    usize,
) -> isize;

/// A C object of type `C` (an attribute, a group, a group list) that belongs to
/// objects of type `D`; only ever read by sysfs and the driver core.
#[repr(transparent)]
pub(crate) struct ForObjects<C, D> {
    raw: Opaque<C>,
    _object: PhantomData<fn(&D)>,
}

// SAFETY: sysfs and the driver core only read these objects; the trampolines they
// reach are thread-safe as long as the `Show`/`Store` implementations are, and those
// take only shared references.
unsafe impl<C, D> Sync for ForObjects<C, D> {}

impl<C, D> ForObjects<C, D> {
    const fn wrap(raw: C) -> Self {
        Self {
            raw: Opaque::new(raw),
            _object: PhantomData,
        }
    }
}

/// A `struct device_attribute` of objects of type `D`.
pub(crate) type DeviceAttribute<D> = ForObjects<bindings::device_attribute, D>;

impl<D: AttrDevice> DeviceAttribute<D> {
    const fn with(
        name: &'static CStr,
        mode: u16,
        show: Option<ShowFn>,
        store: Option<StoreFn>,
    ) -> Self {
        // SAFETY: an all-zero `device_attribute` is a valid, empty one (no name, no
        // callbacks, a zeroed lockdep key).
        let mut attr: bindings::device_attribute = unsafe { MaybeUninit::zeroed().assume_init() };
        attr.attr.name = name.as_char_ptr();
        attr.attr.mode = mode;
        attr.show = show;
        attr.store = store;
        Self::wrap(attr)
    }

    /// A read-only attribute (mode 0444).
    pub(crate) const fn read_only<T: Show<Object = D>>(name: &'static CStr) -> Self {
        Self::with(name, 0o444, Some(show_trampoline::<T>), None)
    }

    /// A write-only attribute (mode 0200).
    pub(crate) const fn write_only<T: Store<Object = D>>(name: &'static CStr) -> Self {
        Self::with(name, 0o200, None, Some(store_trampoline::<T>))
    }

    /// A read-write attribute (mode 0644).
    pub(crate) const fn read_write<T: Show<Object = D> + Store<Object = D>>(
        name: &'static CStr,
    ) -> Self {
        Self::with(
            name,
            0o644,
            Some(show_trampoline::<T>),
            Some(store_trampoline::<T>),
        )
    }

    /// The embedded `struct attribute` (the first member), for a group of `D`s.
    pub(crate) const fn as_attr(&'static self) -> *mut bindings::attribute {
        self.raw.get().cast::<bindings::attribute>()
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
/// directory), of attributes of `D`s.
pub(crate) type AttributeGroup<D> = ForObjects<bindings::attribute_group, D>;

impl<D: AttrDevice> AttributeGroup<D> {
    /// The group of `attrs`, every one a [`DeviceAttribute<D>`] (as
    /// [`attribute_group!`] builds it).
    pub(crate) const fn new<const N: usize>(attrs: &'static AttributeList<N>) -> Self {
        // SAFETY: an all-zero `attribute_group` is a valid, empty one.
        let mut group: bindings::attribute_group = unsafe { MaybeUninit::zeroed().assume_init() };
        group.attrs = attrs.0.get().cast::<*mut bindings::attribute>();
        Self::wrap(group)
    }

    /// The raw group.
    pub(crate) const fn as_raw(&'static self) -> *const bindings::attribute_group {
        self.raw.get().cast_const()
    }

    /// Adds the group's files to the directory of `object` (`sysfs_create_group`).
    pub(crate) fn add(&'static self, object: &D) -> Result {
        // SAFETY: the device is live for the borrow; the group is static.
        to_result(unsafe {
            bindings::sysfs_create_group(&raw mut (*object.device().raw()).kobj, self.as_raw())
        })
    }

    /// Removes the files [`AttributeGroup::add`] added.
    pub(crate) fn remove(&'static self, object: &D) {
        // SAFETY: the device is live for the borrow; the group is static.
        unsafe {
            bindings::sysfs_remove_group(&raw mut (*object.device().raw()).kobj, self.as_raw())
        };
    }
}

/// A NULL-terminated array of groups of `D`s (`const struct attribute_group *[]`),
/// as `dev_groups` of a driver wants it.
pub(crate) type GroupList<D> = ForObjects<[*const bindings::attribute_group; 2], D>;

impl<D: AttrDevice> GroupList<D> {
    /// A list holding the single group `group` (every user here has one).
    pub(crate) const fn single(group: &'static AttributeGroup<D>) -> Self {
        Self::wrap([group.as_raw(), core::ptr::null()])
    }

    /// The raw list.
    pub(crate) const fn as_raw(&'static self) -> *mut *const bindings::attribute_group {
        self.raw.get().cast::<*const bindings::attribute_group>()
    }
}

/// Defines `static $group: AttributeGroup<$object>` holding the given
/// [`DeviceAttribute<$object>`] statics.
macro_rules! attribute_group {
    ($vis:vis $group:ident: $object:ty = [$($attr:ident),+ $(,)?]) => {
        $vis static $group: $crate::kernel_ext::device_attr::AttributeGroup<$object> = {
            static LIST: $crate::kernel_ext::device_attr::AttributeList<
                { [$(stringify!($attr)),+].len() + 1 },
            > = $crate::kernel_ext::device_attr::AttributeList::new([
                $($crate::kernel_ext::device_attr::DeviceAttribute::<$object>::as_attr(&$attr),)+
                core::ptr::null_mut(),
            ]);
            $crate::kernel_ext::device_attr::AttributeGroup::new(&LIST)
        };
    };
}
pub(crate) use attribute_group;
