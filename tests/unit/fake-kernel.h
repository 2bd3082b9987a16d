/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel side would put on the wire, built with libnl into real
 * struct nl_msg buffers, and a socket whose send/recv are replaced (libnl's
 * nl_cb_overwrite_send/recv) so whole libcollapse exchanges run without a
 * kernel.
 */
#ifndef LINMAP_FAKE_KERNEL_H
#define LINMAP_FAKE_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include <netlink/msg.h>
#include <netlink/netlink.h>

/* A dynamic genetlink family id, as the kernel would assign. */
#define FK_FAMILY	0x1d

/* A reply to @req (seq and port copied) for @cmd; no attributes yet. */
struct nl_msg *fk_reply_new(const struct nlmsghdr *req, uint8_t cmd);

/* Append a u64 as the kernel's nla_put_u64_64bit() does: pad first if the
 * payload would not be 8-byte aligned. */
int fk_put_u64_64bit(struct nl_msg *msg, int type, uint64_t val, int padtype);

/*
 * Append one multi-attr count nest as the kernel's linmap_nl_put_levels()
 * does: @type { @key_type u32 @key, @count_type u64 @count (+ @padtype) }.
 */
int fk_put_count_nest(struct nl_msg *msg, int type, int key_type,
		      uint32_t key, int count_type, uint64_t count,
		      int padtype);

/*
 * Append what a collapse of @scanned PTE tables reports: @scanned PMD folds,
 * tables freed and 4K pages of bytes freed, 1000 ns, one skip count
 * (@skip_reason, @skip_count), and the cursor @next unless it is 0.
 */
void fk_put_collapse_counts(struct nl_msg *msg, uint64_t scanned,
			    uint64_t next, uint32_t skip_reason,
			    uint64_t skip_count);

/*
 * The linear map a fake get-stats reports, and what it was asked.  As the
 * kernel: without the WALK flag and without a range, the answer comes from
 * the counters (leaves, table pages, mapped bytes, counters since boot; no
 * ideal-leaves, no invalid); with WALK or a range it is a walk, which adds
 * ideal-leaves and invalid and needs CAP_SYS_ADMIN (@admin): refused with
 * -EPERM and the kernel's extack message otherwise.  A range is echoed.
 * @predates_walk: a kernel that predates WALK (it refuses the flag as an
 * unknown attribute, -EINVAL, and always walks: the whole map for anyone,
 * a range for admin only).
 * @walk_without_ideal: a broken kernel whose walk reply lacks the walk's
 * figures.
 * With split tracking, every whole-map answer (counters or walk, never a
 * range) carries the marked regions; @predates_split_tracking (or
 * @predates_walk, which came before it) is a kernel without it.
 */
struct fk_stats {
	bool admin;
	bool predates_walk;
	bool predates_split_tracking;
	bool walk_without_ideal;
	uint64_t marked_regions;
	uint64_t leaves[5];		/* pud, cont_pmd, pmd, cont_pte, pte */
	uint64_t invalid, table_pages, ideal, mapped;
	uint64_t splits[5], folds[5], tables_freed;
	/* Filled by fk_answer_stats(): */
	int requests;			/* get-stats requests seen */
	int walks;			/* ... answered with a walk */
	int refused;			/* ... refused (no admin, or the flag
					 * by a kernel before it) */
	bool last_walk_flag;		/* the last request had WALK */
	bool last_range;		/* ... and a range */
};

/* Strict validation's refusal of an attribute above the policy's maxattr. */
#define FK_UNKNOWN_ATTRIBUTE	"Unknown attribute type"

/* The extack messages of a refused walk, as the kernel words them. */
#define FK_WALK_NEEDS_ADMIN \
	"walking the linear map (ideal leaves, invalid entries) needs CAP_SYS_ADMIN"
#define FK_RANGE_NEEDS_ADMIN \
	"statistics for a range reveal the memory layout and need CAP_SYS_ADMIN"

/*
 * Queue the kernel's answer to the get-stats request @req over @fs: the
 * reply and its ack (in one datagram with @one_datagram), or the error.
 */
void fk_answer_stats(const struct nlmsghdr *req, struct fk_stats *fs,
		     bool one_datagram);

/*
 * Split tracking in a collapse.  A kernel with it visits the marked regions
 * only unless the request has FULL_SCAN, echoes FULL_SCAN and always
 * reports REGIONS_SCANNED; a kernel before it (@predates) visits every
 * region and refuses FULL_SCAN as strict validation refuses an unknown
 * attribute: -EINVAL, FK_UNKNOWN_ATTRIBUTE, the attribute's offset.
 */
/* Whether the collapse request @req has FULL_SCAN. */
bool fk_collapse_full_scan(const struct nlmsghdr *req);
/*
 * With @predates and FULL_SCAN in @req, queue the refusal and return true;
 * otherwise queue nothing and return false.
 */
bool fk_collapse_refuse_full_scan(const struct nlmsghdr *req, bool predates);
/* Append FULL_SCAN (with @full) and REGIONS_SCANNED @regions, unless @predates. */
void fk_put_collapse_regions(struct nl_msg *msg, bool predates, bool full,
			     uint64_t regions);
/*
 * The longest time step @step (0 for the first) of a collapse held
 * pgtable_split_lock for one region, in ns: 300, 900, 500, 200, and again,
 * so that over the steps the longest differs from the sum and from the
 * last step's.  The same kernels as split tracking send it.
 */
uint64_t fk_collapse_hold(int step);
/* Append LONGEST_HOLD_NSECS fk_collapse_hold(@step), unless @predates. */
void fk_put_collapse_longest_hold(struct nl_msg *msg, bool predates,
				  int step);

/* A notification (sequence 0, port 0) for @cmd of FK_FAMILY. */
struct nl_msg *fk_event_new(uint8_t cmd);

/*
 * NLMSG_ERROR answering @req with @error (0: an ack).  Without @capped the
 * request payload is echoed as the kernel does without NETLINK_CAP_ACK.
 * @extack_msg, if not NULL, becomes NLMSGERR_ATTR_MSG (with NLM_F_ACK_TLVS).
 */
struct nl_msg *fk_error_new(const struct nlmsghdr *req, int error,
			    bool capped, const char *extack_msg);

/* Add an extended-ack u32 TLV (NLMSGERR_ATTR_OFFS, _MISS_TYPE) to @msg. */
int fk_error_put_u32(struct nl_msg *msg, int type, uint32_t val);

/*
 * The fake socket.  Each request sent is handed to the responder, which
 * queues the datagrams the "kernel" answers with.
 */
typedef void (*fk_responder)(const struct nlmsghdr *req, void *arg);

struct nl_sock *fk_sock_new(fk_responder responder, void *arg);
/* Queue @msg (consumed) as a new datagram, or appended to the last one. */
void fk_queue(struct nl_msg *msg, bool same_datagram);
/*
 * Queue a receive failure: the recv hook returns @nlerr (-NLE_*) with errno
 * set to @sys_errno, as libnl's nl_recv() does when recvmsg() fails (an
 * overrun is -NLE_NOMEM with errno ENOBUFS).
 */
void fk_queue_recv_error(int nlerr, int sys_errno);
/* Datagrams queued but not received yet. */
int fk_pending(void);
/* A copy of the last request sent (valid until the next send). */
struct nl_msg *fk_last_request(void);

#endif /* LINMAP_FAKE_KERNEL_H */
