/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The simulated AP facility's hooks (CONFIG_AP_SIM, test kernels only). Included
 * by asm/ap.h, after the types it uses, and nowhere else.
 */
#ifndef _ASM_S390_AP_SIM_H_
#define _ASM_S390_AP_SIM_H_

#ifdef CONFIG_AP_SIM
/*
 * A simulated AP facility for test kernels (drivers/s390/crypto/ap_sim): when it
 * is activated on the kernel command line, every AP instruction wrapper of
 * asm/ap.h and every AP facility test is answered by the simulator instead of
 * the machine.
 */
extern bool ap_sim_active;
#define ap_sim_enabled() unlikely(READ_ONCE(ap_sim_active))
bool ap_sim_facility(unsigned long nr);
struct ap_queue_status ap_sim_tapq(ap_qid_t qid, unsigned long *gr2);
struct ap_queue_status ap_sim_rapq(ap_qid_t qid, int fbit);
struct ap_queue_status ap_sim_zapq(ap_qid_t qid, int fbit);
int ap_sim_qci(struct ap_config_info *config);
struct ap_queue_status ap_sim_aqic(ap_qid_t qid, unsigned long qirqctrl,
				   phys_addr_t pa_ind);
struct ap_queue_status ap_sim_qact(ap_qid_t qid, int ifbit,
				   unsigned long *apinfo);
struct ap_queue_status ap_sim_bapq(ap_qid_t qid);
struct ap_queue_status ap_sim_aapq(ap_qid_t qid, unsigned int sec_idx);
struct ap_queue_status ap_sim_nqap(ap_qid_t qid, unsigned long long psmid,
				   void *msg, size_t length);
struct ap_queue_status ap_sim_dqap(ap_qid_t qid, unsigned long *psmid,
				   void *msg, size_t msglen, size_t *length,
				   size_t *reslength, unsigned long *resgr0);
/* The guest side, for KVM's view (arch/s390/kvm/ap_sim_view.c); vm: creator's pid. */
void ap_sim_note_apcb(pid_t vm, const unsigned long *apm,
		      const unsigned long *aqm, const unsigned long *adm);
struct ap_queue_status ap_sim_guest_tapq(pid_t vm, ap_qid_t qid, bool in_apcb,
					 unsigned long *gr2);
#else
#define ap_sim_enabled() false
#define ap_sim_facility(nr) false
#endif

#endif /* _ASM_S390_AP_SIM_H_ */
