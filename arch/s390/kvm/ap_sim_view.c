// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's view of the simulated AP facility (CONFIG_AP_SIM, test kernels only).
 *
 * Under QEMU TCG there is no SIE, so no guest ever runs and nothing would show what
 * a guest is given. When the AP simulator is active, every VM gets two debugfs files
 * beside KVM's statistics (/sys/kernel/debug/kvm/<pid>-<fd>/):
 *
 *   ap_crycb  "format N" and the APCB masks as KVM holds them, read under kvm->lock,
 *             in ap_config's format: "0x<apm>,0x<aqm>,0x<adm>" (64 hex digits each).
 *   ap_insn   write "tapq AA.DDDD": the guest's TAPQ, answered as firmware
 *             interpretation would (an APQN outside the APCB gets response code
 *             0x01 and never reaches the queue); read: "rc 0xNN status 0xSSSSSSSS".
 *             write "pqap N": vCPU N executes PQAP with the registers userspace
 *             gave it (KVM_SET_REGS); KVM's own intercept handler runs, and with
 *             it the PQAP(AQIC) hook of the VFIO AP driver attached to the VM.
 *             read: "rc 0xNN status 0xSSSSSSSS cc C" (GR1 and the condition code
 *             the guest would see), "program 0xCCCC" (the guest would get that
 *             program interruption) or "userspace E" (KVM would exit to the VMM
 *             with error E, as without a handler in the kernel).
 *
 * After every APCB change KVM makes (kvm_arch_crypto_set_masks/clear_masks), the new
 * masks go into the simulator's ordered event log, where host resets are logged
 * too, so tests can check that a guest lost a queue before the queue was reset.
 *
 * Lock order: kvm->lock, then the simulator's leaf lock (inside ap_sim_*()). A
 * "pqap" takes only vcpu->mutex, as KVM_RUN does, and leaves the rest to KVM.
 */

#include <linux/bitops.h>
#include <linux/debugfs.h>
#include <linux/kvm_host.h>
#include <linux/lockdep.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/ap.h>

#include "ap_sim_view.h"

#define AP_SIM_VIEW_WORDS 4

struct ap_sim_view_masks {
	unsigned long apm[AP_SIM_VIEW_WORDS];
	unsigned long aqm[AP_SIM_VIEW_WORDS];
	unsigned long adm[AP_SIM_VIEW_WORDS];
};

/* What one open ap_insn file answered last. */
struct ap_sim_view_insn {
	struct kvm *kvm;
	char result[48];
};

/* The CRYCB format's number (its field encodes format 2 as 3). */
static unsigned int ap_sim_view_format(struct kvm *kvm)
{
	switch (kvm->arch.crypto.crycbd & CRYCB_FORMAT_MASK) {
	case CRYCB_FORMAT2:
		return 2;
	case CRYCB_FORMAT1:
		return 1;
	default:
		return 0;
	}
}

/* The APCB as KVM holds it, widened to 256 bits per mask; kvm->lock held. */
static void ap_sim_view_read(struct kvm *kvm, struct ap_sim_view_masks *m)
{
	struct kvm_s390_crypto_cb *crycb = kvm->arch.crypto.crycb;

	lockdep_assert_held(&kvm->lock);
	memset(m, 0, sizeof(*m));
	if (ap_sim_view_format(kvm) == 2) {
		memcpy(m->apm, crycb->apcb1.apm, sizeof(m->apm));
		memcpy(m->aqm, crycb->apcb1.aqm, sizeof(m->aqm));
		memcpy(m->adm, crycb->apcb1.adm, sizeof(m->adm));
	} else {
		/* APCB0: 64 adapters, 16 domains, in the first bits of each word. */
		m->apm[0] = crycb->apcb0.apm[0];
		m->aqm[0] = crycb->apcb0.aqm[0] & 0xffff000000000000UL;
		m->adm[0] = crycb->apcb0.adm[0] & 0xffff000000000000UL;
	}
}

void ap_sim_view_apcb_changed(struct kvm *kvm)
{
	struct ap_sim_view_masks m;

	if (!ap_sim_enabled())
		return;
	/* The documented rule for both callers; checked here for every driver. */
	ap_sim_view_read(kvm, &m);
	ap_sim_note_apcb(kvm->userspace_pid, m.apm, m.aqm, m.adm);
}

static int ap_sim_view_print_mask(char *buf, size_t len, const unsigned long *mask,
				  char end)
{
	return scnprintf(buf, len, "0x%016lx%016lx%016lx%016lx%c", mask[0], mask[1],
			 mask[2], mask[3], end);
}

static ssize_t ap_sim_view_crycb_read(struct file *file, char __user *ubuf,
				      size_t count, loff_t *ppos)
{
	struct kvm *kvm = file->private_data;
	struct ap_sim_view_masks m;
	unsigned int format;
	char buf[256];
	int len;

	mutex_lock(&kvm->lock);
	format = ap_sim_view_format(kvm);
	ap_sim_view_read(kvm, &m);
	mutex_unlock(&kvm->lock);

	len = scnprintf(buf, sizeof(buf), "format %u\n", format);
	len += ap_sim_view_print_mask(buf + len, sizeof(buf) - len, m.apm, ',');
	len += ap_sim_view_print_mask(buf + len, sizeof(buf) - len, m.aqm, ',');
	len += ap_sim_view_print_mask(buf + len, sizeof(buf) - len, m.adm, '\n');
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations ap_sim_view_crycb_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = ap_sim_view_crycb_read,
	.llseek = default_llseek,
};

/*
 * vCPU @id executes PQAP: KVM's intercept handler runs as under KVM_RUN. A program
 * interruption it injects is reported and dropped (the vCPU never runs to take it).
 */
static void ap_sim_view_pqap_on(struct kvm *kvm, unsigned int id, char *result,
				size_t len)
{
	struct kvm_vcpu *vcpu = kvm_get_vcpu_by_id(kvm, id);
	struct kvm_s390_local_interrupt *li;
	u16 pgm = 0;
	u64 gr1;
	int rc;

	if (!vcpu) {
		scnprintf(result, len, "no vcpu %u\n", id);
		return;
	}
	li = &vcpu->arch.local_int;
	mutex_lock(&vcpu->mutex);
	rc = ap_sim_view_pqap(vcpu);
	spin_lock(&li->lock);
	if (test_and_clear_bit(IRQ_PEND_PROG, &li->pending_irqs)) {
		pgm = li->irq.pgm.code;
		memset(&li->irq.pgm, 0, sizeof(li->irq.pgm));
	}
	spin_unlock(&li->lock);
	gr1 = vcpu->run->s.regs.gprs[1];
	if (pgm)
		scnprintf(result, len, "program 0x%04x\n", pgm);
	else if (rc)
		scnprintf(result, len, "userspace %d\n", rc);
	else
		scnprintf(result, len, "rc 0x%02x status 0x%08x cc %u\n",
			  (unsigned int)(gr1 >> 16) & 0xff, (u32)gr1,
			  (unsigned int)(vcpu->arch.sie_block->gpsw.mask >> 44) & 3);
	mutex_unlock(&vcpu->mutex);
}

/* Parses "tapq AA.DDDD" (hex, one optional trailing newline) into an APQN. */
static int ap_sim_view_parse_tapq(const char *cmd, ap_qid_t *qid)
{
	unsigned int card, dom;
	char tail;
	int n;

	n = sscanf(cmd, "tapq %2x.%4x%c", &card, &dom, &tail);
	if (n < 2 || (n == 3 && tail != '\n') || card > 0xff || dom > 0xff)
		return -EINVAL;
	*qid = AP_MKQID(card, dom);
	return 0;
}

static int ap_sim_view_insn_open(struct inode *inode, struct file *file)
{
	struct ap_sim_view_insn *insn = kzalloc(sizeof(*insn), GFP_KERNEL);

	if (!insn)
		return -ENOMEM;
	insn->kvm = inode->i_private;
	file->private_data = insn;
	return 0;
}

static int ap_sim_view_insn_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static ssize_t ap_sim_view_insn_write(struct file *file, const char __user *ubuf,
				      size_t count, loff_t *ppos)
{
	struct ap_sim_view_insn *insn = file->private_data;
	struct kvm *kvm = insn->kvm;
	struct ap_sim_view_masks m;
	struct ap_queue_status status;
	unsigned long gr2 = 0;
	char cmd[32] = "";
	unsigned int vcpu_id;
	bool in_apcb;
	ap_qid_t qid;
	u32 word;
	int rc;

	if (count >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, count))
		return -EFAULT;
	if (sscanf(cmd, "pqap %u", &vcpu_id) == 1) {
		ap_sim_view_pqap_on(kvm, vcpu_id, insn->result, sizeof(insn->result));
		return count;
	}
	rc = ap_sim_view_parse_tapq(cmd, &qid);
	if (rc)
		return rc;

	/* Under kvm->lock the APCB cannot change between the check and the answer. */
	mutex_lock(&kvm->lock);
	ap_sim_view_read(kvm, &m);
	in_apcb = test_bit_inv(AP_QID_CARD(qid), m.apm) &&
		  test_bit_inv(AP_QID_QUEUE(qid), m.aqm);
	status = ap_sim_guest_tapq(kvm->userspace_pid, qid, in_apcb, &gr2);
	mutex_unlock(&kvm->lock);

	memcpy(&word, &status, sizeof(word));
	scnprintf(insn->result, sizeof(insn->result), "rc 0x%02x status 0x%08x\n",
		  status.response_code, word);
	/* The position stays: the answer is read from the start of the same file. */
	return count;
}

static ssize_t ap_sim_view_insn_read(struct file *file, char __user *ubuf,
				     size_t count, loff_t *ppos)
{
	struct ap_sim_view_insn *insn = file->private_data;

	return simple_read_from_buffer(ubuf, count, ppos, insn->result,
				       strlen(insn->result));
}

static const struct file_operations ap_sim_view_insn_fops = {
	.owner = THIS_MODULE,
	.open = ap_sim_view_insn_open,
	.release = ap_sim_view_insn_release,
	.write = ap_sim_view_insn_write,
	.read = ap_sim_view_insn_read,
	.llseek = default_llseek,
};

/*
 * Overrides KVM's empty default. debugfs removes the files, and waits for running
 * callbacks, before the VM is freed.
 */
void kvm_arch_create_vm_debugfs(struct kvm *kvm)
{
	if (!ap_sim_enabled())
		return;
	debugfs_create_file("ap_crycb", 0400, kvm->debugfs_dentry, kvm,
			    &ap_sim_view_crycb_fops);
	debugfs_create_file("ap_insn", 0600, kvm->debugfs_dentry, kvm,
			    &ap_sim_view_insn_fops);
}
