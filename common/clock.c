/* SPDX-License-Identifier: BSD-2-Clause */
/* The project's two clocks; see clock.h. */
#include "config.h"

#include <time.h>

#include "clock.h"

/*
 * clock_gettime fails only with EINVAL (an unknown clock id: both exist
 * since Linux 2.6.39) or EFAULT (a bad pointer), so its result is not
 * checked.
 */

/* See clock.h. */
int64_t
clock_mono_ms(void)
{
	struct timespec ts = { 0, 0 };

	(void)clock_gettime(CLOCK_BOOTTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* See clock.h. */
int64_t
clock_mono_us(void)
{
	struct timespec ts = { 0, 0 };

	(void)clock_gettime(CLOCK_BOOTTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* See clock.h. */
uint64_t
clock_real_us(void)
{
	struct timespec ts = { 0, 0 };

	(void)clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}
