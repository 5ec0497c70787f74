/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ioctl between bench/dma_bench.c and the vfio_dma_bench module: one
 * request runs one measurement loop in the kernel and returns its cost in
 * TSC ticks (guest instructions under QEMU -icount shift=0).
 */
#ifndef DMA_BENCH_H
#define DMA_BENCH_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define DMA_BENCH_NAME	"vfio-dma-bench"

enum dma_bench_op {
	DB_RW,		/* vfio_dma_rw() of len bytes, nseg calls a rep */
	DB_RW_VEC,	/* vfio_dma_rw_vec() of nseg segments of len bytes */
	DB_FLOOR,	/* copy_{from,to}_user() of the same bytes */
	DB_PIN,		/* vfio_pin_pages() then vfio_unpin_pages(), len pages */
	DB_MUTEX,	/* mutex_lock() + mutex_unlock() */
	DB_MMGET,	/* mmget_not_zero() + mmput() */
	DB_USE_MM,	/* kthread_use_mm() + kthread_unuse_mm() (kthread only) */
	DB_GUP,		/* pin_user_pages_remote() of len pages, unpin_user_pages() */
	DB_ACCT,	/* type1's locked_vm update: +len pages, then -len */
	DB_ALLOC,	/* kzalloc() + kfree() of 48 bytes (a struct vfio_pfn) */
};

#define DB_WRITE	(1 << 0)	/* to memory, not from it */
#define DB_KTHREAD	(1 << 1)	/* on the module's kthread_worker */

struct dma_bench_req {
	__u32 op;
	__u32 flags;
	__u64 iova;	/* of segment 0; segment k at iova + k * stride */
	__u64 vaddr;	/* the same memory in the caller's address space */
	__u64 len;	/* bytes (rw, floor) or pages (pin, gup, acct) */
	__u64 nseg;	/* segments (copies) a rep */
	__u64 stride;
	__u64 reps;
	__u64 batches;	/* reps in this many batches; the cheapest counts */
	__u64 ticks;	/* out: the cheapest batch, per rep */
	__u64 ticks2;	/* out: per rep, the second half (unpin, release) */
	__s64 ret;	/* out: 0, or the first error */
};

#define DMA_BENCH_RUN	_IOWR(';', 200, struct dma_bench_req)

#endif
