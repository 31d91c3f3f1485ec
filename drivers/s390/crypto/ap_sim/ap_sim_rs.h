/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Rust simulator's entry points (ap_sim.rs), called by ap_sim_glue.c with
 * ap_sim_lock held. Status words are the raw GR1 image. The Rust definitions are
 * checked against these prototypes at compile time (the bindings include this
 * header), so the two cannot drift apart.
 */
#ifndef _AP_SIM_RS_H_
#define _AP_SIM_RS_H_

#include <linux/types.h>

/* What a debugfs report file shows. */
enum ap_sim_report {
	AP_SIM_REPORT_STATE,
	AP_SIM_REPORT_COUNTERS,
	AP_SIM_REPORT_FAULTS,
	AP_SIM_REPORT_EVENTS,
};

int ap_sim_rs_init(const u8 *config, size_t len);
bool ap_sim_rs_facility(unsigned long nr);
u32 ap_sim_rs_tapq(u32 qid, u64 *gr2);
u32 ap_sim_rs_rapq(u32 qid, int fbit);
u32 ap_sim_rs_zapq(u32 qid, int fbit);
void ap_sim_rs_qci(u8 *block, size_t len);
u32 ap_sim_rs_aqic(u32 qid, u64 qirqctrl, u64 pa_ind);
u32 ap_sim_rs_qact(u32 qid, int ifbit, u64 *apinfo);
u32 ap_sim_rs_bapq(u32 qid);
u32 ap_sim_rs_aapq(u32 qid, u32 sec_idx);
u32 ap_sim_rs_nqap(u32 qid, u64 psmid, const u8 *msg, size_t len);
u32 ap_sim_rs_dqap(u32 qid, u64 *psmid, u8 *msg, size_t msglen, size_t *length,
		   size_t *reslength, u64 *resgr0);
void ap_sim_rs_note_apcb(u32 vm, const u64 *apm, const u64 *aqm, const u64 *adm);
u32 ap_sim_rs_guest_tapq(u32 vm, u32 qid, bool in_apcb, u64 *gr2);
int ap_sim_rs_control(const u8 *cmd, size_t len, bool *rescan);
size_t ap_sim_rs_report(enum ap_sim_report what, u8 *buf, size_t len);

#endif /* _AP_SIM_RS_H_ */
