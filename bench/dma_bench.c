// SPDX-License-Identifier: GPL-2.0
/*
 * Per-call cost of vfio_dma_rw() and vfio_pin_pages() for scripts/bench-dma.sh.
 *
 * Loads bench/dma_bench/vfio_dma_bench.ko (from /tests, where the boot
 * script packs it), gives the group of its emulated-IOMMU device to a
 * type1v2 container with no other group, as a device model's container
 * is (so type1 pins, and charges, only what the device pins), maps 4 MiB
 * of 4 KiB pages and 4 MiB of transparent huge pages, and asks the module
 * for each measurement.  The module times the calls in loops in the
 * kernel, from this thread or from its kthread_worker, and returns the
 * cheapest of five batches per call.  Under -icount shift=0 a TSC tick is
 * a guest instruction.
 *
 * Output: one "BENCH <what> key=value..." line per measurement.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <x86intrin.h>

#include <linux/vfio.h>

#include "bench_util.h"
#include "dma_bench/dma_bench.h"

#define MODULE_PATH	"/tests/vfio_dma_bench.ko"
#define SZ_2M		0x200000UL
#define BUF_SIZE	(4 * 1024 * 1024UL)
#define IOVA_4K		0x1000000ULL
#define IOVA_THP	0x2000000ULL

static int dev;
static uint8_t *buf4k, *bufthp;
static int have_vec;

static struct dma_bench_req req(uint32_t op, uint32_t flags, uint64_t iova,
				void *vaddr, uint64_t len, uint64_t nseg,
				uint64_t reps)
{
	struct dma_bench_req r = {
		.op = op, .flags = flags, .iova = iova,
		.vaddr = (uintptr_t)vaddr, .len = len, .nseg = nseg,
		.stride = 4096, .reps = reps, .batches = 5,
	};

	return r;
}

static struct dma_bench_req run(struct dma_bench_req r)
{
	char what[64];

	snprintf(what, sizeof(what), "DMA_BENCH_RUN op %u", r.op);
	if (ioctl(dev, DMA_BENCH_RUN, &r))
		die(what);
	if (r.ret) {
		errno = -r.ret;
		die(what);
	}
	return r;
}

static uint64_t reps_for(uint64_t bytes)
{
	return bytes <= 4096 ? 2000 : bytes <= 5 * 4096 ? 500 : 200;
}

/* vfio_dma_rw() of each size, both ways, from both threads. */
static void bench_rw(void)
{
	static const uint64_t sizes[] = { 8, 64, 4096, 5 * 4096, 20 * 4096 };
	static const uint32_t ctx[] = { 0, DB_KTHREAD };

	for (int c = 0; c < 2; c++)
		for (int w = 0; w < 2; w++)
			for (int s = 0; s < 5; s++) {
				uint64_t n = sizes[s], off = n < 4096 ? 0x100 : 0;
				uint32_t f = ctx[c] | (w ? DB_WRITE : 0);
				struct dma_bench_req a, b;

				a = run(req(DB_RW, f, IOVA_4K + 0x1000 + off,
					    NULL, n, 1, reps_for(n)));
				b = run(req(DB_FLOOR, f, 0,
					    buf4k + 0x1000 + off, n, 1,
					    reps_for(n)));
				printf("BENCH rw ctx=%s dir=%s size=%llu call=%llu floor=%llu over=%lld\n",
				       c ? "kthread" : "user",
				       w ? "write" : "read",
				       (unsigned long long)n,
				       (unsigned long long)a.ticks,
				       (unsigned long long)b.ticks,
				       (long long)(a.ticks - b.ticks));
			}
}

/*
 * 16 copies of 8 bytes at 16 pages: 16 vfio_dma_rw() calls, one
 * vfio_dma_rw_vec() call where the kernel has it, and the floor.
 */
static void bench_batch(void)
{
	for (int c = 0; c < 2; c++) {
		uint32_t f = c ? DB_KTHREAD : 0;
		struct dma_bench_req a, v = { 0 }, b;

		a = run(req(DB_RW, f, IOVA_4K + 0x100, NULL, 8, 16, 500));
		if (have_vec)
			v = run(req(DB_RW_VEC, f, IOVA_4K + 0x100, NULL, 8, 16,
				    500));
		b = run(req(DB_FLOOR, f, 0, buf4k + 0x100, 8, 16, 500));
		printf("BENCH batch ctx=%s copies=16 size=8 calls=%llu vec=%llu floor=%llu\n",
		       c ? "kthread" : "user",
		       (unsigned long long)a.ticks / 16,
		       (unsigned long long)v.ticks / 16,
		       (unsigned long long)b.ticks / 16);
	}
}

/* What the paths are made of. */
static void bench_parts(void)
{
	struct dma_bench_req r;

	r = run(req(DB_MUTEX, 0, 0, NULL, 0, 1, 2000));
	printf("BENCH part what=mutex_lock+unlock ticks=%llu\n",
	       (unsigned long long)r.ticks);
	r = run(req(DB_MMGET, 0, 0, NULL, 0, 1, 2000));
	printf("BENCH part what=mmget_not_zero+mmput ticks=%llu\n",
	       (unsigned long long)r.ticks);
	r = run(req(DB_USE_MM, DB_KTHREAD, 0, NULL, 0, 1, 2000));
	printf("BENCH part what=kthread_use_mm+unuse ticks=%llu\n",
	       (unsigned long long)r.ticks);
	r = run(req(DB_ACCT, 0, 0, NULL, 1, 1, 2000));
	printf("BENCH part what=locked_vm_update ticks=%llu undo=%llu\n",
	       (unsigned long long)r.ticks, (unsigned long long)r.ticks2);
	r = run(req(DB_ALLOC, 0, 0, NULL, 0, 1, 2000));
	printf("BENCH part what=kzalloc48+kfree ticks=%llu free=%llu\n",
	       (unsigned long long)r.ticks, (unsigned long long)r.ticks2);
	for (int t = 0; t < 2; t++)
		for (uint64_t n = 1; n <= 512; n *= n == 1 ? 16 : 32) {
			r = run(req(DB_GUP, 0, 0, t ? bufthp : buf4k, n, 1,
				    n == 512 ? 10 : 100));
			printf("BENCH part what=pin_user_pages_remote backing=%s pages=%llu ticks=%llu unpin=%llu\n",
			       t ? "thp" : "4k", (unsigned long long)n,
			       (unsigned long long)r.ticks,
			       (unsigned long long)r.ticks2);
		}
}

static void bench_pin(void)
{
	for (int c = 0; c < 2; c++)
		for (int t = 0; t < 2; t++)
			for (uint64_t n = 1; n <= 512; n *= n == 1 ? 16 : 32) {
				struct dma_bench_req r;

				r = run(req(DB_PIN, c ? DB_KTHREAD : 0,
					    t ? IOVA_THP : IOVA_4K, NULL, n, 1,
					    n == 512 ? 10 : n == 16 ? 100 : 500));
				printf("BENCH pin ctx=%s backing=%s pages=%llu pin=%llu unpin=%llu\n",
				       c ? "kthread" : "user", t ? "thp" : "4k",
				       (unsigned long long)n,
				       (unsigned long long)r.ticks,
				       (unsigned long long)r.ticks2);
			}
}

struct conc {
	pthread_t thread;
	int index;
	volatile int *go;
	struct dma_bench_req r;
};

static void *conc_fn(void *arg)
{
	struct conc *c = arg;

	while (!*c->go)
		;
	if (ioctl(dev, DMA_BENCH_RUN, &c->r) || c->r.ret)
		die("concurrent DMA_BENCH_RUN");
	return NULL;
}

/*
 * 1, 2 and 4 threads at once, each with its own page, 8-byte reads.
 * icount runs the guest's CPUs in turn, so a tick is an instruction of
 * any CPU: the elapsed ticks per call over all threads is what a call
 * costs the machine, contention included.
 */
static void bench_concurrent(void)
{
	for (int n = 1; n <= 4; n *= 2) {
		struct conc c[4];
		volatile int go = 0;
		uint64_t t0, t1, sum = 0;

		for (int i = 0; i < n; i++) {
			c[i].index = i;
			c[i].go = &go;
			c[i].r = req(DB_RW, 0, IOVA_4K + 0x100 + 4096 * i,
				     NULL, 8, 1, 20000);
			c[i].r.batches = 1;
			if (pthread_create(&c[i].thread, NULL, conc_fn, &c[i]))
				die("pthread_create");
		}
		usleep(10000);
		t0 = __rdtsc();
		go = 1;
		for (int i = 0; i < n; i++)
			pthread_join(c[i].thread, NULL);
		t1 = __rdtsc();
		for (int i = 0; i < n; i++)
			sum += c[i].r.ticks;
		printf("BENCH concurrent threads=%d per_call_in_thread=%llu elapsed_per_call=%llu\n",
		       n, (unsigned long long)(sum / n),
		       (unsigned long long)((t1 - t0) / (n * 20000ULL)));
	}
}

static void map_dma(int container, void *vaddr, uint64_t iova,
		    uint64_t size)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)vaddr,
		.iova = iova,
		.size = size,
	};

	if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map))
		die("VFIO_IOMMU_MAP_DMA");
}

static void load_module(void)
{
	int fd = open(MODULE_PATH, O_RDONLY);

	if (fd < 0)
		die(MODULE_PATH);
	if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST)
		die("finit_module");
	close(fd);
}

static void *map_buf(int huge)
{
	uint8_t *p = mmap(NULL, BUF_SIZE + SZ_2M, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	p = (uint8_t *)(((uintptr_t)p + SZ_2M - 1) & ~(SZ_2M - 1));
	if (madvise(p, BUF_SIZE, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
		die("madvise");
	memset(p, 0x5a, BUF_SIZE);
	return p;
}

int main(void)
{
	int group, container;

	setvbuf(stdout, NULL, _IOLBF, 0);
	load_module();
	group = open_group("/sys/bus/platform/devices/" DMA_BENCH_NAME);
	container = new_container(group);
	dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, DMA_BENCH_NAME);
	if (dev < 0)
		die("VFIO_GROUP_GET_DEVICE_FD");
	/* Set on the command line where the module has vfio_dma_rw_vec(). */
	have_vec = getenv("BENCH_VEC") && atoi(getenv("BENCH_VEC"));

	buf4k = map_buf(0);
	bufthp = map_buf(1);
	map_dma(container, buf4k, IOVA_4K, BUF_SIZE);
	map_dma(container, bufthp, IOVA_THP, BUF_SIZE);

	bench_rw();
	bench_batch();
	bench_parts();
	bench_pin();
	bench_concurrent();
	printf("BENCH done\n");
	return 0;
}
