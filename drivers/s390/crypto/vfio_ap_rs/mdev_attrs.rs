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

macro_rules! assignment {
    ($ty:ident, $method:ident, $what:expr) => {
        struct $ty;
        impl Store for $ty {
            type Object = Mdev;

            fn store(mdev: &Mdev, input: &[u8]) -> Result {
                crate::driver()?.$method(mdev.device(), $what, input)
            }
        }
    };
}

assignment!(AssignAdapter, assign, Resource::Adapter);
assignment!(UnassignAdapter, unassign, Resource::Adapter);
assignment!(AssignDomain, assign, Resource::Domain);
assignment!(UnassignDomain, unassign, Resource::Domain);
assignment!(AssignControlDomain, assign, Resource::ControlDomain);
assignment!(UnassignControlDomain, unassign, Resource::ControlDomain);

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

static ASSIGN_ADAPTER: DeviceAttribute<Mdev> =
    DeviceAttribute::write_only::<AssignAdapter>(c_str!("assign_adapter"));
static UNASSIGN_ADAPTER: DeviceAttribute<Mdev> =
    DeviceAttribute::write_only::<UnassignAdapter>(c_str!("unassign_adapter"));
static ASSIGN_DOMAIN: DeviceAttribute<Mdev> =
    DeviceAttribute::write_only::<AssignDomain>(c_str!("assign_domain"));
static UNASSIGN_DOMAIN: DeviceAttribute<Mdev> =
    DeviceAttribute::write_only::<UnassignDomain>(c_str!("unassign_domain"));
static ASSIGN_CONTROL_DOMAIN: DeviceAttribute<Mdev> =
    DeviceAttribute::write_only::<AssignControlDomain>(c_str!("assign_control_domain"));
static UNASSIGN_CONTROL_DOMAIN: DeviceAttribute<Mdev> =
    DeviceAttribute::write_only::<UnassignControlDomain>(c_str!("unassign_control_domain"));
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
