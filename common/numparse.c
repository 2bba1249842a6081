/* SPDX-License-Identifier: BSD-2-Clause */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "numparse.h"
#include "text.h"

int
num_parse_i64n(const char *s, size_t len, int64_t min, int64_t max, int64_t *ret)
{
	bool neg = false;
	uint64_t acc = 0, limit;
	size_t i = 0;

	if (s == NULL || len == 0)
		return -EINVAL;
	if (s[0] == '-') {
		neg = true;
		i = 1;
		if (len == 1)
			return -EINVAL;
	}
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		d = (unsigned)(s[i] - '0');
		if (acc > (limit - d) / 10)
			return -ERANGE;
		acc = acc * 10 + d;
	}
	{
		int64_t v;

		if (neg)
			v = acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)acc;
		else
			v = (int64_t)acc;
		if (v < min || v > max)
			return -ERANGE;
		*ret = v;
	}
	return 0;
}

int
num_parse_i64(const char *s, int64_t min, int64_t max, int64_t *ret)
{
	if (s == NULL)
		return -EINVAL;
	return num_parse_i64n(s, strlen(s), min, max, ret);
}

int
num_parse_u64(const char *s, uint64_t max, uint64_t *ret)
{
	uint64_t acc = 0;
	size_t i;

	if (s == NULL || s[0] == '\0')
		return -EINVAL;
	for (i = 0; s[i] != '\0'; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		d = (unsigned)(s[i] - '0');
		if (acc > (UINT64_MAX - d) / 10)
			return -ERANGE;
		acc = acc * 10 + d;
	}
	if (acc > max)
		return -ERANGE;
	*ret = acc;
	return 0;
}

int
num_parse_hex_u64(const char *s, size_t len, uint64_t max, uint64_t *ret)
{
	uint64_t acc = 0;
	size_t i;

	if (s == NULL || len == 0 || len > 16)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		int d = text_hex_digit(s[i]);

		if (d < 0)
			return -EINVAL;
		acc = (acc << 4) | (unsigned)d;
	}
	if (acc > max)
		return -ERANGE;
	*ret = acc;
	return 0;
}

int
num_read_file(const char *path, int64_t min, int64_t max, int64_t *ret)
{
	char text[32];
	ssize_t n;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	n = read(fd, text, sizeof(text));
	r = n < 0 ? -errno : 0;
	close(fd);
	if (r < 0)
		return r;
	if (n > 0 && text[n - 1] == '\n')
		n--;
	return num_parse_i64n(text, (size_t)n, min, max, ret);
}
