// SPDX-License-Identifier: GPL-2.0-only
/*
 * Does the machine execute code that was just rewritten?
 *
 * The kernel's module loader clears and copies module text with MVC, XC and MVCL,
 * at the same addresses on every load. An emulator that keeps running the old
 * translation of rewritten code (QEMU before 8.2 invalidates only what covers the
 * first byte of such a store) runs the previous module's code after a reload, so
 * no result about reloaded modules is evidence on it.
 *
 * Each case installs a tiny function on an executable page, calls it until it is
 * surely translated, rewrites it with one store instruction whose first byte lies
 * before the function (as the loader's copies do), and calls it again: it must
 * return the new value. Eight-byte stores over the same range are the control.
 *
 * Prints KTAP; exits 0 when every case passes.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE 4096
#define SPAN 256		/* bytes each rewrite stores: MVC's largest length */
#define FUNC (PAGE / 2)		/* the function's offset in its page */
#define FIRST (FUNC + 8 - SPAN)	/* the first byte each rewrite stores */

typedef long (*func_t)(void);

/* lghi %r2,VALUE; br %r14; nopr; nopr */
static void encode(uint8_t code[8], int value)
{
	const uint8_t insns[8] = { 0xa7, 0x29, 0x00, (uint8_t)value, 0x07, 0xfe, 0x07, 0x07 };

	memcpy(code, insns, sizeof(insns));
}

/* Makes stores visible to instruction fetch, as the architecture asks. */
static void serialize(void)
{
	asm volatile("bcr 15,0" ::: "memory");
}

static void store_doublewords(uint8_t *dst, const uint8_t *src)
{
	volatile uint64_t *d = (volatile uint64_t *)dst;
	const uint64_t *s = (const uint64_t *)src;

	for (int i = 0; i < SPAN / 8; i++)
		d[i] = s[i];
}

static void store_mvc(uint8_t *dst, const uint8_t *src)
{
	asm volatile("mvc 0(256,%[d]),0(%[s])"
		     : : [d] "a"(dst), [s] "a"(src) : "memory");
}

static void store_xc_mvc(uint8_t *dst, const uint8_t *src)
{
	asm volatile("xc 0(256,%[d]),0(%[d])\n\tmvc 0(256,%[d]),0(%[s])"
		     : : [d] "a"(dst), [s] "a"(src) : "cc", "memory");
}

static void store_mvcl(uint8_t *dst, const uint8_t *src)
{
	register unsigned long d asm("2") = (unsigned long)dst;
	register unsigned long dlen asm("3") = SPAN;
	register unsigned long s asm("4") = (unsigned long)src;
	register unsigned long slen asm("5") = SPAN;

	asm volatile("mvcl %[d],%[s]"
		     : [d] "+d"(d), "+d"(dlen), [s] "+d"(s), "+d"(slen)
		     : : "cc", "memory");
}

static const struct {
	const char *name;
	void (*store)(uint8_t *dst, const uint8_t *src);
} cases[] = {
	{ "doubleword stores (control)", store_doublewords },
	{ "mvc", store_mvc },
	{ "xc then mvc", store_xc_mvc },
	{ "mvcl", store_mvcl },
};

int main(void)
{
	const int n = sizeof(cases) / sizeof(cases[0]);
	int failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("KTAP version 1\n1..%d\n", n);
	for (int i = 0; i < n; i++) {
		uint8_t *page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint8_t src[SPAN] __attribute__((aligned(8)));
		func_t f = (func_t)(page + FUNC);
		long before = 0, after;
		const int old = 0x11 + i, new = 0x51 + i;

		if (page == MAP_FAILED) {
			printf("not ok %d %s # mmap of an executable page failed\n", i + 1, cases[i].name);
			failed++;
			continue;
		}
		encode(page + FUNC, old);
		serialize();
		for (int round = 0; round < 1000; round++)
			before += f();
		memcpy(src, page + FIRST, SPAN);
		encode(src + SPAN - 8, new);
		cases[i].store(page + FIRST, src);
		serialize();
		after = f();
		if (before == 1000L * old && after == new) {
			printf("ok %d %s\n", i + 1, cases[i].name);
		} else {
			printf("# %s: returned %#lx after the rewrite, %#x expected (%#x before it)\n",
			       cases[i].name, after, new, old);
			printf("not ok %d %s\n", i + 1, cases[i].name);
			failed++;
		}
		munmap(page, PAGE);
	}
	if (failed)
		printf("# the machine ran stale code after rewriting it: on QEMU, use 8.2 or newer "
		       "(tools/setup.sh installs it); nothing about reloaded modules is evidence here\n");
	return failed ? 1 : 0;
}
