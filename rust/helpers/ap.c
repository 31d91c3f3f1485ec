// SPDX-License-Identifier: GPL-2.0

#ifdef CONFIG_AP
#include <asm/facility.h>
#include <asm/ap.h>

/*
 * The AP instructions are static inline wrappers around inline assembly (and, in
 * test kernels with CONFIG_AP_SIM, around the simulator): wrap the ones Rust
 * drivers issue.
 */
bool rust_helper_ap_instructions_available(void)
{
	return ap_instructions_available();
}

bool rust_helper_ap_test_facility(unsigned long nr)
{
	return ap_test_facility(nr);
}

struct ap_queue_status rust_helper_ap_tapq(ap_qid_t qid,
					   struct ap_tapq_hwinfo *info)
{
	return ap_tapq(qid, info);
}

struct ap_queue_status rust_helper_ap_test_queue(ap_qid_t qid, int tbit,
						 struct ap_tapq_hwinfo *info)
{
	return ap_test_queue(qid, tbit, info);
}

struct ap_queue_status rust_helper_ap_zapq(ap_qid_t qid, int fbit)
{
	return ap_zapq(qid, fbit);
}

/* The interrupt controls go by value, as their 64-bit word (a union in C). */
struct ap_queue_status rust_helper_ap_aqic(ap_qid_t qid, u64 qirqctrl,
					   phys_addr_t pa_ind)
{
	union ap_qirq_ctrl ctrl = { .value = qirqctrl };

	return ap_aqic(qid, ctrl, pa_ind);
}

int rust_helper_ap_qci(struct ap_config_info *config)
{
	return ap_qci(config);
}
#endif
