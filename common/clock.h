/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The project's two clocks, one unit each.
 *
 * clock_mono_ms() measures intervals: deadlines, poll timeouts, the age
 * of a pending login, oidc-audit's windows.  It is CLOCK_BOOTTIME, which
 * never goes back, is not moved by setting the time, and, unlike
 * CLOCK_MONOTONIC, goes on counting while the machine is suspended: every
 * interval measured here runs in the outside world too (a provider's
 * device code expires, a person waits), so sleeping must not stretch it.
 * It is the same clock in every process of one boot, so a value written by
 * one process may be compared by another.
 *
 * clock_real_us() is wall-clock time for records that outlive the process
 * (the session registry, journal queries), in the µs since the epoch that
 * journald uses.  Never measure an interval with it.
 */
#ifndef OIDC_CLOCK_H
#define OIDC_CLOCK_H

#include <stdint.h>

/* Milliseconds on CLOCK_BOOTTIME (since boot, suspend included). */
int64_t clock_mono_ms(void);

/* Microseconds on CLOCK_BOOTTIME, for the durations the module logs with debug. */
int64_t clock_mono_us(void);

/* Microseconds since the epoch on CLOCK_REALTIME. */
uint64_t clock_real_us(void);

#endif
