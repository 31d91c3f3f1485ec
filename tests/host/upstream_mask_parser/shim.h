/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host stand-ins for the kernel helpers used by the AP bus mask parser functions,
 * which the build script cuts out of drivers/s390/crypto/ap_bus.c.
 *
 * Bitmaps are unsigned long[4] as on s390; the *_bit_inv helpers number bits
 * MSB-first within each long, so on this little-endian host the longs hold the same
 * values as the kernel's (word 0 = IDs 0..63, ID 0 in bit 63).
 */
#ifndef UPSTREAM_MASK_PARSER_SHIM_H
#define UPSTREAM_MASK_PARSER_SHIM_H

#include <stddef.h>
#include <string.h>

#define EXPORT_SYMBOL(sym)
#define EINVAL 22
#define BITS_PER_LONG 64
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)

/* Kernel ctype: ASCII only; bytes >= 0x80 are never hex digits. */
static inline int isxdigit(int c)
{
	unsigned char u = (unsigned char)c;

	return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'f') ||
	       (u >= 'A' && u <= 'F');
}

/* Value of a hex digit, -1 for anything else. */
static inline int hex_to_bin(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * simple_strtoul() with the kernel's semantics: for base 0 the radix is 16 if the
 * text starts with 0x or 0X (any case of x, tested by or-ing in 0x20) followed by a
 * hex digit, else 8 if it starts with 0, else 10; the 0x is skipped only for radix
 * 16; digits of the radix are consumed with no overflow check (wrapping modulo
 * 2^64); no sign and no whitespace are accepted.
 */
static inline unsigned long simple_strtoul(const char *cp, char **endp,
					   unsigned int base)
{
	const unsigned char *s = (const unsigned char *)cp;
	unsigned long long res = 0;

	if (base == 0) {
		if (s[0] == '0') {
			if ((s[1] | 0x20) == 'x' && isxdigit(s[2]))
				base = 16;
			else
				base = 8;
		} else {
			base = 10;
		}
	}
	if (base == 16 && s[0] == '0' && (s[1] | 0x20) == 'x')
		s += 2;
	for (;;) {
		unsigned int c = *s, lc = c | 0x20, val;

		if (c >= '0' && c <= '9')
			val = c - '0';
		else if (lc >= 'a' && lc <= 'f')
			val = lc - 'a' + 10;
		else
			break;
		if (val >= base)
			break;
		res = res * base + val;
		s++;
	}
	if (endp)
		*endp = (char *)s;
	return (unsigned long)res;
}

static inline void set_bit_inv(unsigned long nr, unsigned long *addr)
{
	unsigned long bit = nr ^ (BITS_PER_LONG - 1);

	addr[bit / BITS_PER_LONG] |= 1UL << (bit % BITS_PER_LONG);
}

static inline void clear_bit_inv(unsigned long nr, unsigned long *addr)
{
	unsigned long bit = nr ^ (BITS_PER_LONG - 1);

	addr[bit / BITS_PER_LONG] &= ~(1UL << (bit % BITS_PER_LONG));
}

#endif
