// SPDX-License-Identifier: GPL-2.0
/*
 * VFIO_IOMMU_MAP_DMA and UNMAP_DMA of huge-page-backed memory, for
 * scripts/bench-huge.sh.  Runs in the QEMU guest under -icount shift=0,
 * where the TSC counts guest instructions: each workload faults in
 * BENCH_MB MiB of memory, then times one MAP_DMA and one UNMAP_DMA of it
 * with rdtsc.  Prints one "BENCH <iommu>-<backing> op=map|unmap key=value..."
 * line each.
 *
 * Backings: thp (transparent huge pages, 2 MiB aligned), hugetlb (2 MiB
 * hugetlbfs pages), hugetlb1g (1 GiB hugetlbfs pages, if the guest was
 * booted with some), scattered (4 KiB pages faulted in from the end, so
 * that no two are physically contiguous in IOVA order) and inorder (4 KiB
 * pages faulted in from the start).  Each is mapped at a 1 GiB aligned
 * IOVA, first on a test IOMMU device (with 1 GiB pages, TIOMMU_DEV_1G),
 * whose counters give the map and unmap calls, IOTLB syncs, look-ups and
 * the 2 MiB and 1 GiB pages mapped (skipped without the test IOMMU, on
 * the unpatched kernel), then through vfio-pci on QEMU's edu device
 * behind intel-iommu, where each MAP_DMA and UNMAP_DMA is bracketed by
 * two reads of edu's config byte 0x3e, so that scripts/bench-huge.sh can
 * count the IOTLB invalidations QEMU traces for it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/vfio.h>

#include "test-iommu.h"
#include "bench_util.h"

#define NR_2M	"/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"
#define NR_1G	"/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages"
#define IOVA	0x40000000ULL
#define SZ_2M	0x200000UL
#define SZ_1G	0x40000000UL

static int tiommu = -1, container;
static uint32_t dev_id;
static size_t ps;
static char edu[300];
static unsigned int edu_seg;

/* Reserve @n hugetlb pages of the size @path counts; 0 if it cannot. */
static int hugetlb_pool(const char *path, long n)
{
	char buf[32];
	int fd;

	if (access(path, F_OK))
		return 0;
	snprintf(buf, sizeof(buf), "%ld", n);
	write_file(path, buf);
	fd = open(path, O_RDONLY);
	memset(buf, 0, sizeof(buf));
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
		die(path);
	close(fd);
	return atol(buf) >= n;
}

/* The buffer of @backing, faulted in; NULL if the guest cannot have it. */
static uint8_t *buffer(const char *backing, size_t size, void **map_base,
		       size_t *map_size)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	size_t align = SZ_2M;
	uint8_t *buf;

	if (!strcmp(backing, "hugetlb")) {
		if (!hugetlb_pool(NR_2M, size / SZ_2M))
			return NULL;
		flags |= MAP_HUGETLB;
	} else if (!strcmp(backing, "hugetlb1g")) {
		if (!hugetlb_pool(NR_1G, size / SZ_1G))
			return NULL;
		flags |= MAP_HUGETLB | (30 << MAP_HUGE_SHIFT);
		align = SZ_1G;
	}
	*map_size = size + align;
	*map_base = mmap(NULL, *map_size, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (*map_base == MAP_FAILED)
		die("reserve");
	buf = (uint8_t *)(((uintptr_t)*map_base + align - 1) & ~(align - 1));
	if (mmap(buf, size, PROT_READ | PROT_WRITE, flags | MAP_FIXED, -1, 0) ==
	    MAP_FAILED)
		die(backing);
	if (!strcmp(backing, "thp") && madvise(buf, size, MADV_HUGEPAGE))
		die("MADV_HUGEPAGE");
	if ((!strcmp(backing, "scattered") || !strcmp(backing, "inorder")) &&
	    madvise(buf, size, MADV_NOHUGEPAGE))
		die("MADV_NOHUGEPAGE");
	if (!strcmp(backing, "scattered"))
		for (size_t i = size / ps; i--;)
			buf[i * ps] = (uint8_t)i;
	else
		for (size_t i = 0; i < size / ps; i++)
			buf[i * ps] = (uint8_t)i;
	return buf;
}

static void report_tiommu(const char *backing, const char *op, size_t size,
			  uint64_t regions, uint64_t instr,
			  const struct tiommu_domain_stats *st)
{
	printf("BENCH tiommu-%s op=%s pages=%zu regions=%llu instructions=%llu map_calls=%llu unmap_calls=%llu iotlb_syncs=%llu lookups=%llu mapped_2m=%llu mapped_1g=%llu\n",
	       backing, op, size / ps, (unsigned long long)regions,
	       (unsigned long long)instr,
	       (unsigned long long)st->out_map_calls,
	       (unsigned long long)st->out_unmap_calls,
	       (unsigned long long)st->out_iotlb_sync_calls,
	       (unsigned long long)st->out_iova_to_phys_calls,
	       (unsigned long long)st->out_mapped_2m,
	       (unsigned long long)st->out_mapped_1g);
}

/* One backing: map and unmap on the test IOMMU, then on edu. */
static void one(const char *backing, size_t size, int c_edu)
{
	struct tiommu_domain_stats st;
	uint64_t instr, regions;
	size_t map_size;
	void *base;
	uint8_t *buf;

	buf = buffer(backing, size, &base, &map_size);
	if (!buf) {
		printf("BENCH-SKIP %s: no such pages in this guest\n", backing);
		return;
	}
	regions = count_regions(buf, size / ps, ps);
	if (tiommu >= 0) {
		tiommu_stats(tiommu, dev_id, &st, 1);
		instr = timed_map(container, buf, IOVA, size, 0);
		tiommu_stats(tiommu, dev_id, &st, 1);
		report_tiommu(backing, "map", size, regions, instr, &st);
		instr = timed_unmap(container, IOVA, size, size);
		tiommu_stats(tiommu, dev_id, &st, 1);
		report_tiommu(backing, "unmap", size, regions, instr, &st);
	}
	if (c_edu >= 0) {
		edu_marker(edu);
		instr = timed_map(c_edu, buf, IOVA, size, 0);
		edu_marker(edu);
		printf("BENCH edu-%s op=map pages=%zu regions=%llu instructions=%llu seg=%u\n",
		       backing, size / ps, (unsigned long long)regions,
		       (unsigned long long)instr, ++edu_seg);
		edu_marker(edu);
		instr = timed_unmap(c_edu, IOVA, size, size);
		edu_marker(edu);
		printf("BENCH edu-%s op=unmap pages=%zu regions=%llu instructions=%llu seg=%u\n",
		       backing, size / ps, (unsigned long long)regions,
		       (unsigned long long)instr, ++edu_seg);
	}
	fflush(stdout);
	munmap(base, map_size);
	if (!strcmp(backing, "hugetlb"))
		hugetlb_pool(NR_2M, 0);
	else if (!strcmp(backing, "hugetlb1g"))
		hugetlb_pool(NR_1G, 0);
}

int main(void)
{
	static const char *const backings[] = {
		"thp", "hugetlb", "hugetlb1g", "scattered", "inorder",
	};
	size_t mb = getenv("BENCH_MB") ? strtoul(getenv("BENCH_MB"), NULL, 0) : 1024;
	int c_edu = -1;

	ps = sysconf(_SC_PAGESIZE);
	tiommu = open(TIOMMU_DEVNODE, O_RDWR);
	if (tiommu >= 0)
		container = tiommu_container(tiommu, TIOMMU_DEV_1G, &dev_id);
	if (edu_setup(edu, sizeof(edu)))
		c_edu = new_container(open_group(edu));
	printf("TAP version 13\n1..1\n");
	for (unsigned int i = 0; i < sizeof(backings) / sizeof(backings[0]); i++)
		one(backings[i], mb << 20, c_edu);
	printf("BENCH done\n");
	printf("ok 1 huge_bench%s\n", c_edu < 0 ? " # no edu device" : "");
	return 0;
}
