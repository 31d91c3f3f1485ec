// SPDX-License-Identifier: GPL-2.0-only
/*
 * C side of the simulated AP facility (test kernels only).
 *
 * The AP instruction wrappers of asm/ap.h call the exported ap_sim_*() functions
 * below when the simulator is active. This file owns what C does best here: the
 * command line, one spinlock that serialises every call into the Rust simulator
 * (AP instructions are issued from process, softirq and tasklet context, so it
 * is taken with interrupts off), debugfs, and the AP bus rescan after a
 * configuration change. Every decision is made by the Rust simulator (ap_sim.rs).
 *
 * Lock order: ap_sim_lock is a leaf lock; nothing is called with it held but
 * the Rust simulator, which takes no lock and never sleeps.
 */

#define pr_fmt(fmt) "ap_sim: " fmt

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/ap.h>

#include "../ap_bus.h"
#include "ap_sim_rs.h"

bool ap_sim_active __read_mostly;
EXPORT_SYMBOL(ap_sim_active);

static DEFINE_SPINLOCK(ap_sim_lock);
static char ap_sim_config[1024];
static size_t ap_sim_config_len;
static bool ap_sim_config_too_long;

/* "ap_sim" activates the default machine, "ap_sim=<configuration>" a chosen one. */
static int __init ap_sim_setup(char *str)
{
	if (*str == '=')
		str++;
	else if (*str)
		return 0;	/* some other parameter that starts with ap_sim */
	ap_sim_config_len = strlen(str);
	if (ap_sim_config_len >= sizeof(ap_sim_config))
		ap_sim_config_too_long = true;
	else
		memcpy(ap_sim_config, str, ap_sim_config_len);
	WRITE_ONCE(ap_sim_active, true);
	return 1;
}
__setup("ap_sim", ap_sim_setup);

static struct ap_queue_status to_status(u32 word)
{
	union {
		u32 word;
		struct ap_queue_status status;
	} u = { .word = word };

	BUILD_BUG_ON(sizeof(struct ap_queue_status) != sizeof(u32));
	return u.status;
}

#define AP_SIM_CALL(expr)					\
	({							\
		unsigned long __flags;				\
		typeof(expr) __ret;				\
								\
		spin_lock_irqsave(&ap_sim_lock, __flags);	\
		__ret = (expr);					\
		spin_unlock_irqrestore(&ap_sim_lock, __flags);	\
		__ret;						\
	})

bool ap_sim_facility(unsigned long nr)
{
	return AP_SIM_CALL(ap_sim_rs_facility(nr));
}
EXPORT_SYMBOL(ap_sim_facility);

struct ap_queue_status ap_sim_tapq(ap_qid_t qid, unsigned long *gr2)
{
	u64 info = 0;
	u32 word = AP_SIM_CALL(ap_sim_rs_tapq(qid, &info));

	*gr2 = info;
	return to_status(word);
}
EXPORT_SYMBOL(ap_sim_tapq);

struct ap_queue_status ap_sim_rapq(ap_qid_t qid, int fbit)
{
	return to_status(AP_SIM_CALL(ap_sim_rs_rapq(qid, fbit)));
}
EXPORT_SYMBOL(ap_sim_rapq);

struct ap_queue_status ap_sim_zapq(ap_qid_t qid, int fbit)
{
	return to_status(AP_SIM_CALL(ap_sim_rs_zapq(qid, fbit)));
}
EXPORT_SYMBOL(ap_sim_zapq);

int ap_sim_qci(struct ap_config_info *config)
{
	unsigned long flags;

	BUILD_BUG_ON(sizeof(*config) != 128);
	spin_lock_irqsave(&ap_sim_lock, flags);
	ap_sim_rs_qci((u8 *)config, sizeof(*config));
	spin_unlock_irqrestore(&ap_sim_lock, flags);
	return 0;
}
EXPORT_SYMBOL(ap_sim_qci);

struct ap_queue_status ap_sim_aqic(ap_qid_t qid, unsigned long qirqctrl,
				   phys_addr_t pa_ind)
{
	return to_status(AP_SIM_CALL(ap_sim_rs_aqic(qid, qirqctrl, pa_ind)));
}
EXPORT_SYMBOL(ap_sim_aqic);

struct ap_queue_status ap_sim_qact(ap_qid_t qid, int ifbit,
				   unsigned long *apinfo)
{
	u64 info = *apinfo;
	u32 word = AP_SIM_CALL(ap_sim_rs_qact(qid, ifbit, &info));

	*apinfo = info;
	return to_status(word);
}
EXPORT_SYMBOL(ap_sim_qact);

struct ap_queue_status ap_sim_bapq(ap_qid_t qid)
{
	return to_status(AP_SIM_CALL(ap_sim_rs_bapq(qid)));
}
EXPORT_SYMBOL(ap_sim_bapq);

struct ap_queue_status ap_sim_aapq(ap_qid_t qid, unsigned int sec_idx)
{
	return to_status(AP_SIM_CALL(ap_sim_rs_aapq(qid, sec_idx)));
}
EXPORT_SYMBOL(ap_sim_aapq);

struct ap_queue_status ap_sim_nqap(ap_qid_t qid, unsigned long long psmid,
				   void *msg, size_t length)
{
	return to_status(AP_SIM_CALL(ap_sim_rs_nqap(qid, psmid, msg, length)));
}
EXPORT_SYMBOL(ap_sim_nqap);

struct ap_queue_status ap_sim_dqap(ap_qid_t qid, unsigned long *psmid,
				   void *msg, size_t msglen, size_t *length,
				   size_t *reslength, unsigned long *resgr0)
{
	u64 id = 0, gr0 = resgr0 ? *resgr0 : 0;
	size_t len = 0, res = 0;
	u32 word;

	word = AP_SIM_CALL(ap_sim_rs_dqap(qid, &id, msg, msglen, &len, &res, &gr0));
	*psmid = id;
	if (length)
		*length = len;
	if (reslength)
		*reslength = res;
	if (resgr0)
		*resgr0 = gr0;
	return to_status(word);
}
EXPORT_SYMBOL(ap_sim_dqap);

void ap_sim_note_apcb(pid_t vm, const unsigned long *apm,
		      const unsigned long *aqm, const unsigned long *adm)
{
	unsigned long flags;

	BUILD_BUG_ON(sizeof(unsigned long) != sizeof(u64));
	spin_lock_irqsave(&ap_sim_lock, flags);
	ap_sim_rs_note_apcb(vm, (const u64 *)apm, (const u64 *)aqm, (const u64 *)adm);
	spin_unlock_irqrestore(&ap_sim_lock, flags);
}
EXPORT_SYMBOL(ap_sim_note_apcb);

struct ap_queue_status ap_sim_guest_tapq(pid_t vm, ap_qid_t qid, bool in_apcb,
					 unsigned long *gr2)
{
	u64 info = 0;
	u32 word = AP_SIM_CALL(ap_sim_rs_guest_tapq(vm, qid, in_apcb, &info));

	*gr2 = info;
	return to_status(word);
}
EXPORT_SYMBOL(ap_sim_guest_tapq);

/* debugfs: control (write one command), state, counters, faults, events (read). */

#define AP_SIM_REPORT_SIZE (256 * 1024)
#define AP_SIM_CMD_MAX 256

static ssize_t ap_sim_control_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	char cmd[AP_SIM_CMD_MAX];
	bool rescan = false;
	int rc;

	if (count >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, count))
		return -EFAULT;
	rc = AP_SIM_CALL(ap_sim_rs_control(cmd, count, &rescan));
	if (rc)
		return rc;
	/* A changed configuration reaches the bus the way a real one does. */
	if (rescan)
		ap_bus_force_rescan();
	return count;
}

/*
 * A report is rendered once, at open, and every read() of that open file serves the
 * same snapshot: a reader in small chunks never sees a torn report, and the model is
 * rendered (with ap_sim_lock held, interrupts off) once per open, not per chunk.
 */
struct ap_sim_snapshot {
	size_t len;
	u8 text[AP_SIM_REPORT_SIZE];
};

static int ap_sim_report_open(struct inode *inode, struct file *file)
{
	enum ap_sim_report what = (long)inode->i_private;
	struct ap_sim_snapshot *snap;

	snap = kvmalloc(sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return -ENOMEM;
	snap->len = AP_SIM_CALL(ap_sim_rs_report(what, snap->text,
						 sizeof(snap->text)));
	file->private_data = snap;
	return 0;
}

static ssize_t ap_sim_report_read(struct file *file, char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct ap_sim_snapshot *snap = file->private_data;

	return simple_read_from_buffer(ubuf, count, ppos, snap->text, snap->len);
}

static int ap_sim_report_release(struct inode *inode, struct file *file)
{
	kvfree(file->private_data);
	return 0;
}

static const struct file_operations ap_sim_control_fops = {
	.owner = THIS_MODULE,
	.write = ap_sim_control_write,
};

static const struct file_operations ap_sim_report_fops = {
	.owner = THIS_MODULE,
	.open = ap_sim_report_open,
	.read = ap_sim_report_read,
	.release = ap_sim_report_release,
	.llseek = default_llseek,
};

static int __init ap_sim_init(void)
{
	struct dentry *dir;
	int rc;

	if (!READ_ONCE(ap_sim_active))
		return 0;
	if (ap_sim_config_too_long) {
		rc = -E2BIG;
	} else {
		unsigned long flags;

		spin_lock_irqsave(&ap_sim_lock, flags);
		rc = ap_sim_rs_init(ap_sim_config, ap_sim_config_len);
		spin_unlock_irqrestore(&ap_sim_lock, flags);
	}
	if (rc) {
		/* A machine without AP instructions beats a half-configured one. */
		WRITE_ONCE(ap_sim_active, false);
		pr_err("invalid configuration '%s' (error %d): simulator off\n",
		       ap_sim_config, rc);
		return rc;
	}
	dir = debugfs_create_dir("ap_sim", NULL);
	debugfs_create_file("control", 0200, dir, NULL, &ap_sim_control_fops);
	debugfs_create_file("state", 0400, dir, (void *)AP_SIM_REPORT_STATE,
			    &ap_sim_report_fops);
	debugfs_create_file("counters", 0400, dir,
			    (void *)AP_SIM_REPORT_COUNTERS, &ap_sim_report_fops);
	debugfs_create_file("faults", 0400, dir, (void *)AP_SIM_REPORT_FAULTS,
			    &ap_sim_report_fops);
	debugfs_create_file("events", 0400, dir, (void *)AP_SIM_REPORT_EVENTS,
			    &ap_sim_report_fops);
	pr_warn("simulated AP facility active: test kernels only\n");
	return 0;
}
/* Before the AP bus (device_initcall) asks its first question. */
subsys_initcall(ap_sim_init);
