// SPDX-License-Identifier: GPL-2.0-only

//! The attributes of each mdev: the assignment files and the matrix views, with
//! upstream's names, modes and behaviour.

use kernel::c_str;
use kernel::prelude::*;

use crate::ap_matrix::matrix::Resource;
use crate::kernel_ext::device_attr::{
    attribute_group, AttrDevice, DeviceAttribute, GroupList, Show, Store,
};
use crate::kernel_ext::mdev::Mdev;
use crate::state::MatrixView;

/// An assignment file: `static $attr`, write-only, named `$name`, whose store calls
/// the driver's `$method` for `$what`.
macro_rules! assignment {
    ($attr:ident, $name:literal, $method:ident, $what:expr) => {
        static $attr: DeviceAttribute<Mdev> = {
            struct File;
            impl Store for File {
                type Object = Mdev;

                fn store(mdev: &Mdev, input: &[u8]) -> Result {
                    crate::driver()?.$method(mdev.device(), $what, input)
                }
            }
            DeviceAttribute::write_only::<File>(c_str!($name))
        };
    };
}

assignment!(ASSIGN_ADAPTER, "assign_adapter", assign, Resource::Adapter);
assignment!(
    UNASSIGN_ADAPTER,
    "unassign_adapter",
    unassign,
    Resource::Adapter
);
assignment!(ASSIGN_DOMAIN, "assign_domain", assign, Resource::Domain);
assignment!(
    UNASSIGN_DOMAIN,
    "unassign_domain",
    unassign,
    Resource::Domain
);
assignment!(
    ASSIGN_CONTROL_DOMAIN,
    "assign_control_domain",
    assign,
    Resource::ControlDomain
);
assignment!(
    UNASSIGN_CONTROL_DOMAIN,
    "unassign_control_domain",
    unassign,
    Resource::ControlDomain
);

/// A matrix view: the show of `$view`.
macro_rules! view {
    ($ty:ident, $view:expr) => {
        struct $ty;
        impl Show for $ty {
            type Object = Mdev;

            fn show(mdev: &Mdev, out: &mut [u8]) -> Result<usize> {
                crate::driver()?.show(mdev.device(), $view, out)
            }
        }
    };
}

view!(MatrixText, MatrixView::Assigned);
view!(GuestMatrixText, MatrixView::Guest);
view!(ControlDomainsText, MatrixView::ControlDomains);
view!(ApConfigText, MatrixView::ApConfig);

impl Store for ApConfigText {
    type Object = Mdev;

    fn store(mdev: &Mdev, input: &[u8]) -> Result {
        crate::driver()?.set_ap_config(mdev.device(), input)
    }
}

static MATRIX: DeviceAttribute<Mdev> = DeviceAttribute::read_only::<MatrixText>(c_str!("matrix"));
static GUEST_MATRIX: DeviceAttribute<Mdev> =
    DeviceAttribute::read_only::<GuestMatrixText>(c_str!("guest_matrix"));
static CONTROL_DOMAINS: DeviceAttribute<Mdev> =
    DeviceAttribute::read_only::<ControlDomainsText>(c_str!("control_domains"));
static AP_CONFIG: DeviceAttribute<Mdev> =
    DeviceAttribute::read_write::<ApConfigText>(c_str!("ap_config"));

attribute_group!(
    MDEV_GROUP: Mdev = [
        ASSIGN_ADAPTER,
        UNASSIGN_ADAPTER,
        ASSIGN_DOMAIN,
        UNASSIGN_DOMAIN,
        ASSIGN_CONTROL_DOMAIN,
        UNASSIGN_CONTROL_DOMAIN,
        MATRIX,
        GUEST_MATRIX,
        CONTROL_DOMAINS,
        AP_CONFIG,
    ]
);

/// The groups every mdev gets while bound to the driver.
pub(crate) static MDEV_GROUPS: GroupList<Mdev> = GroupList::single(&MDEV_GROUP);
