/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The AP bus's apmask/aqmask code in Rust (CONFIG_AP_MASKS_RUST, ap_masks/):
 * the entry points ap_bus.c calls there, and the services ap_bus.c offers it
 * because the bus type and root device are static to ap_bus.c. ap_hex2bitmap()
 * and ap_parse_mask_str() (ap_bus.h) are implemented there too.
 */
#ifndef _AP_MASKS_H_
#define _AP_MASKS_H_

#include <linux/device.h>
#include <linux/types.h>

enum ap_masks_which {
	AP_MASKS_APMASK = 0,
	AP_MASKS_AQMASK = 1,
};

/* Implemented in Rust: the stores of /sys/bus/ap/{apmask,aqmask}. */
ssize_t ap_masks_store(enum ap_masks_which which, const char *buf, size_t count);
/* Implemented in Rust: /sys/bus/ap/last_mask_refusal, buf is one page. */
ssize_t ap_masks_last_refusal_show(char *buf);

/* bus_for_each_drv() over the AP bus. */
int ap_masks_for_each_driver(void *data,
			     int (*fn)(struct device_driver *drv, void *data));
/* bus_for_each_dev() over the AP bus. */
int ap_masks_for_each_device(void *data,
			     int (*fn)(struct device *dev, void *data));
/* The qid of an AP queue device, or -1 for any other device of the bus. */
int ap_masks_queue_id(struct device *dev);
/* A KOBJ_CHANGE uevent on the AP root device with the one variable var. */
void ap_masks_send_uevent(char *var);
/* The bus's debug-area warning for a failed reprobe of a queue. */
void ap_masks_log_reprobe_failed(int card, int queue);

#endif /* _AP_MASKS_H_ */
