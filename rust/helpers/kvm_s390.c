// SPDX-License-Identifier: GPL-2.0

#if defined(CONFIG_KVM) && defined(CONFIG_AP)
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <asm/page.h>

/*
 * What a VFIO AP driver needs to forward a guest's AP interrupts (PQAP(AQIC)) that
 * C gives as static inlines or macros, or in structures bindgen cannot lay out:
 * wrap them for Rust.
 */

/* The SIE block is a packed, hardware-defined layout that bindgen leaves opaque. */
u32 rust_helper_kvm_s390_vcpu_eca(struct kvm_vcpu *vcpu)
{
	return vcpu->arch.sie_block->eca;
}

bool rust_helper_kvm_is_error_hva(unsigned long addr)
{
	return kvm_is_error_hva(addr);
}

phys_addr_t rust_helper_page_to_phys(struct page *page)
{
	return page_to_phys(page);
}

phys_addr_t rust_helper_virt_to_phys(void *address)
{
	return virt_to_phys(address);
}
#endif
