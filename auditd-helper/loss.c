/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's own loss counter: audit_status.lost, read with an AUDIT_GET
 * request on the audit netlink socket (needs CAP_AUDIT_CONTROL; querying
 * the status does not disturb the auditd that owns the socket).  Growth
 * between two reads means the kernel dropped records (backlog full or rate
 * limit) and is reported as a `loss` entry by the daemon.  The other loss
 * sources (serial gaps, unparsable or truncated records, evictions, journal
 * send errors) are counted by the assembler and the sinks; oidc-audit.c
 * turns every counter's growth into an entry.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/netlink.h>

#include "oidc_audit.h"

/* See oidc_audit.h. */
int
loss_kernel_lost(uint32_t *ret_lost, uint32_t *ret_backlog)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	struct timeval tv = { 1, 0 };
	struct {
		struct nlmsghdr h;
		char pad[16];
	} req;
	char reply[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	int fd, r = -EIO, tries;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (fd < 0)
		return -errno;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(0);
	req.h.nlmsg_type = AUDIT_GET;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.h.nlmsg_seq = 1;
	if (sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		r = -errno;
		goto out;
	}
	for (tries = 0; tries < 4; tries++) {
		ssize_t n = recv(fd, reply, sizeof(reply), 0);
		struct nlmsghdr *h;
		size_t len;

		if (n < 0) {
			r = -errno;
			goto out;
		}
		len = (size_t)n;
		for (h = (struct nlmsghdr *)reply; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
					r = -EBADMSG;
					goto out;
				}
				if (e->error != 0) {
					r = e->error;
					goto out;
				}
				continue;	/* the ACK */
			}
			if (h->nlmsg_type == AUDIT_GET) {
				struct audit_status s;

				if (h->nlmsg_len < NLMSG_LENGTH(offsetof(struct audit_status, backlog) +
								sizeof(s.backlog))) {
					r = -EBADMSG;
					goto out;
				}
				memset(&s, 0, sizeof(s));
				memcpy(&s, NLMSG_DATA(h),
				       h->nlmsg_len - NLMSG_LENGTH(0) < sizeof(s) ? h->nlmsg_len - NLMSG_LENGTH(0) : sizeof(s));
				*ret_lost = s.lost;
				if (ret_backlog != NULL)
					*ret_backlog = s.backlog;
				r = 0;
				goto out;
			}
		}
	}
out:
	close(fd);
	return r;
}
