/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's view of the simulated AP facility (CONFIG_AP_SIM, test kernels only):
 * see ap_sim_view.c.
 */
#ifndef _KVM_S390_AP_SIM_VIEW_H_
#define _KVM_S390_AP_SIM_VIEW_H_

struct kvm;
struct kvm_vcpu;

#ifdef CONFIG_AP_SIM
void ap_sim_view_apcb_changed(struct kvm *kvm);
/* In priv.c, beside the handler it runs; the caller holds vcpu->mutex. */
int ap_sim_view_pqap(struct kvm_vcpu *vcpu);
#else
static inline void ap_sim_view_apcb_changed(struct kvm *kvm) {}
#endif

#endif /* _KVM_S390_AP_SIM_VIEW_H_ */
