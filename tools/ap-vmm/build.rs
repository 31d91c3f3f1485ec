// SPDX-License-Identifier: GPL-2.0-only
//! s390 KVM wants a VMM's page tables to have PGSTEs; the ELF flag asks the kernel
//! for them at exec (QEMU is linked the same way).

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("s390x") {
        println!("cargo:rustc-link-arg-bins=-Wl,--s390-pgste");
    }
}
