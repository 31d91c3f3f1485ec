// SPDX-License-Identifier: GPL-2.0

#include <linux/string.h>

/*
 * Architectures such as s390 provide strlen() and memchr() as static inlines,
 * which bindgen cannot turn into callable bindings.
 */
size_t rust_helper_strlen(const char *s)
{
	return strlen(s);
}

void *rust_helper_memchr(const void *s, int c, size_t n)
{
	return memchr(s, c, n);
}
