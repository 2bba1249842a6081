/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bypass_read MODE FILE: open FILE and read from it the ways that the audit
 * rules once missed, for tests/e2e/audit_bypass.sh.
 *
 *   i386      open(2), read(2) and close(2) through `int $0x80` from this
 *             64-bit process: the kernel runs (and audits) them as the
 *             i386 system calls 5, 3 and 6, with arch=i386.
 *   io_uring  IORING_OP_OPENAT, then IORING_OP_READ, on a ring of our own,
 *             with the raw system calls (no liburing).
 *
 * Prints the number of bytes read.  Exit 0 when something was read, 1 on
 * any failure, 3 when the kernel refused the mechanism itself (io_uring
 * disabled: io_uring_setup fails with EPERM; no i386 emulation: ENOSYS),
 * 77 when this machine is not x86_64 (the i386 mode).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define EXIT_REFUSED 3
#define EXIT_SKIP    77
#define READ_MAX     4096

#if defined(__x86_64__)
static long
int80(long nr, long a, long b, long c)
{
	long ret;

	/* the i386 ABI: number in eax, arguments in ebx, ecx, edx */
	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c)
			 : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

static int
read_i386(const char *path)
{
	/* the 32-bit calls see only the low 32 bits of each pointer */
	char *low = mmap(NULL, 2 * READ_MAX, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	long fd, n;

	if (low == MAP_FAILED || strlen(path) >= READ_MAX) {
		fprintf(stderr, "bypass_read: no low memory or path too long\n");
		return 1;
	}
	memcpy(low, path, strlen(path) + 1);
	fd = int80(5 /* open */, (long)(uintptr_t)low, O_RDONLY | O_CLOEXEC, 0);
	if (fd == -ENOSYS) {
		fprintf(stderr, "bypass_read: no i386 system calls here\n");
		return EXIT_REFUSED;
	}
	if (fd < 0) {
		fprintf(stderr, "bypass_read: i386 open: %s\n", strerror((int)-fd));
		return 1;
	}
	n = int80(3 /* read */, fd, (long)(uintptr_t)(low + READ_MAX), READ_MAX);
	(void)int80(6 /* close */, fd, 0, 0);
	if (n < 0) {
		fprintf(stderr, "bypass_read: i386 read: %s\n", strerror((int)-n));
		return 1;
	}
	printf("%ld\n", n);
	return n > 0 ? 0 : 1;
}
#else
static int
read_i386(const char *path)
{
	(void)path;
	fprintf(stderr, "bypass_read: the i386 mode needs an x86_64 machine\n");
	return EXIT_SKIP;
}
#endif

struct ring {
	int fd;
	unsigned *sq_tail, *sq_mask, *sq_array;
	unsigned *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

static int
ring_setup(struct ring *rg)
{
	struct io_uring_params p;
	size_t sq_len, cq_len;
	char *sq, *cq;

	memset(&p, 0, sizeof(p));
	rg->fd = (int)syscall(__NR_io_uring_setup, 4, &p);
	if (rg->fd < 0) {
		fprintf(stderr, "bypass_read: io_uring_setup: %s\n", strerror(errno));
		return errno == EPERM ? EXIT_REFUSED : 1;
	}
	sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP)
		sq_len = cq_len = sq_len > cq_len ? sq_len : cq_len;
	sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, rg->fd,
		  IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		return 1;
	cq = sq;
	if (!(p.features & IORING_FEAT_SINGLE_MMAP)) {
		cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, rg->fd,
			  IORING_OFF_CQ_RING);
		if (cq == MAP_FAILED)
			return 1;
	}
	rg->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_POPULATE, rg->fd, IORING_OFF_SQES);
	if (rg->sqes == MAP_FAILED)
		return 1;
	rg->sq_tail = (unsigned *)(sq + p.sq_off.tail);
	rg->sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
	rg->sq_array = (unsigned *)(sq + p.sq_off.array);
	rg->cq_head = (unsigned *)(cq + p.cq_off.head);
	rg->cq_tail = (unsigned *)(cq + p.cq_off.tail);
	rg->cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
	rg->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	return 0;
}

/* Submit one operation, wait for it; its result (a negative errno on failure). */
static int
ring_run(struct ring *rg, const struct io_uring_sqe *sqe, int *ret)
{
	unsigned tail = *rg->sq_tail, idx = tail & *rg->sq_mask, head;

	rg->sqes[idx] = *sqe;
	rg->sq_array[idx] = idx;
	__atomic_store_n(rg->sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, rg->fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0) {
		fprintf(stderr, "bypass_read: io_uring_enter: %s\n", strerror(errno));
		return -1;
	}
	head = *rg->cq_head;
	if (head == __atomic_load_n(rg->cq_tail, __ATOMIC_ACQUIRE))
		return -1;
	*ret = rg->cqes[head & *rg->cq_mask].res;
	__atomic_store_n(rg->cq_head, head + 1, __ATOMIC_RELEASE);
	return 0;
}

static int
read_io_uring(const char *path)
{
	static char buf[READ_MAX];
	struct io_uring_sqe sqe;
	struct ring rg;
	int r, fd, n;

	if ((r = ring_setup(&rg)) != 0)
		return r;
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_OPENAT;
	sqe.fd = AT_FDCWD;
	sqe.addr = (uint64_t)(uintptr_t)path;
	sqe.open_flags = O_RDONLY | O_CLOEXEC;
	if (ring_run(&rg, &sqe, &fd) < 0)
		return 1;
	if (fd < 0) {
		fprintf(stderr, "bypass_read: IORING_OP_OPENAT: %s\n", strerror(-fd));
		return 1;
	}
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_READ;
	sqe.fd = fd;
	sqe.addr = (uint64_t)(uintptr_t)buf;
	sqe.len = sizeof(buf);
	if (ring_run(&rg, &sqe, &n) < 0)
		return 1;
	if (n < 0) {
		fprintf(stderr, "bypass_read: IORING_OP_READ: %s\n", strerror(-n));
		return 1;
	}
	printf("%d\n", n);
	return n > 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "i386") == 0)
		return read_i386(argv[2]);
	if (argc == 3 && strcmp(argv[1], "io_uring") == 0)
		return read_io_uring(argv[2]);
	fprintf(stderr, "usage: bypass_read i386|io_uring FILE\n");
	return 1;
}
