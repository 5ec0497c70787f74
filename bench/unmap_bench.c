// SPDX-License-Identifier: GPL-2.0
/*
 * VFIO_IOMMU_UNMAP_DMA cost, for scripts/bench.sh.  Runs in the QEMU guest
 * under -icount shift=0, where the TSC counts guest instructions: each
 * workload maps a buffer through a type1 container on a test IOMMU device,
 * then times one UNMAP_DMA with rdtsc and reads the test IOMMU's counters.
 * With tracefs it repeats the unmap with the kmem allocation events on and
 * counts them.  Prints one "BENCH <workload> key=value..." line each.
 *
 * Workloads: scattered (BENCH_MB of 4 KiB pages faulted in backwards, so
 * that no two are physically contiguous in IOVA order), thp (BENCH_MB of
 * transparent huge pages at a 2 MiB aligned IOVA) and small (SMALL_MAPS
 * one-page mappings unmapped by one UNMAP_DMA), each skipped without the
 * test IOMMU (an unpatched kernel); then edu-scattered, the scattered
 * unmap through a container on QEMU's edu device behind intel-iommu.  Its
 * unmap is bracketed by two reads of edu's config byte 0x3e through sysfs,
 * which QEMU's pci_cfg_read trace event shows, so that scripts/bench.sh
 * can count the vtd_inv_desc* events the unmap caused.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <linux/vfio.h>

#include "test-iommu.h"
#include "bench_util.h"

#define TRACING "/sys/kernel/tracing"
#define IOVA	0x40000000ULL
#define SZ_2M	0x200000UL
#define SMALL_MAPS 8192

static int tiommu, container;
static uint32_t dev_id;
static size_t ps;

/* Allocation events recorded since the last call (-1: no tracefs). */
static long trace_events(int on)
{
	static const char *const ev[] = { "kmalloc", "kmem_cache_alloc",
					  "mm_page_alloc" };
	char path[128], line[128];
	long total = 0;
	int cpu;

	if (access(TRACING "/events/kmem", F_OK) &&
	    mount("tracefs", TRACING, "tracefs", 0, NULL))
		return -1;
	for (unsigned int i = 0; i < sizeof(ev) / sizeof(ev[0]); i++) {
		snprintf(path, sizeof(path), TRACING "/events/kmem/%s/enable",
			 ev[i]);
		write_file(path, on ? "1" : "0");
	}
	if (on) {
		write_file(TRACING "/buffer_size_kb", "16384");
		write_file(TRACING "/trace", "");
		return 0;
	}
	for (cpu = 0; ; cpu++) {
		FILE *f;

		snprintf(path, sizeof(path), TRACING "/per_cpu/cpu%d/stats",
			 cpu);
		f = fopen(path, "r");
		if (!f)
			break;
		while (fgets(line, sizeof(line), f)) {
			long v;

			if (sscanf(line, "entries: %ld", &v) == 1 ||
			    sscanf(line, "overrun: %ld", &v) == 1)
				total += v;
		}
		fclose(f);
	}
	return total;
}

static void report(const char *name, uint64_t pages, uint64_t regions,
		   uint64_t instr, const struct tiommu_domain_stats *st,
		   long allocs)
{
	printf("BENCH %s pages=%llu regions=%llu instructions=%llu unmap_calls=%llu iotlb_syncs=%llu lookups=%llu allocations=%ld\n",
	       name, (unsigned long long)pages, (unsigned long long)regions,
	       (unsigned long long)instr,
	       (unsigned long long)st->out_unmap_calls,
	       (unsigned long long)st->out_iotlb_sync_calls,
	       (unsigned long long)st->out_iova_to_phys_calls, allocs);
	fflush(stdout);
}

/*
 * @size bytes of 4 KiB pages faulted in from the end, one at a time, so that
 * no two are physically contiguous in IOVA order.
 */
static uint8_t *scattered(size_t size)
{
	uint8_t *buf = mmap(NULL, size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (buf == MAP_FAILED || madvise(buf, size, MADV_NOHUGEPAGE))
		die("scattered buffer");
	for (size_t i = size / ps; i--;)
		buf[i * ps] = (uint8_t)i;
	return buf;
}

/* Map @buf, unmap it timed, map it again and unmap it traced. */
static void one(const char *name, uint8_t *buf, size_t size)
{
	struct tiommu_domain_stats st;
	uint64_t instr, regions;
	long allocs;

	timed_map(container, buf, IOVA, size, 0);
	regions = count_regions(buf, size / ps, ps);
	tiommu_stats(tiommu, dev_id, &st, 1);
	instr = timed_unmap(container, IOVA, size, size);
	tiommu_stats(tiommu, dev_id, &st, 0);
	timed_map(container, buf, IOVA, size, 0);
	allocs = trace_events(1);
	timed_unmap(container, IOVA, size, size);
	if (!allocs)
		allocs = trace_events(0);
	report(name, size / ps, regions, instr, &st, allocs);
}

/* The workloads on the test IOMMU device. */
static void bench_tiommu(size_t size)
{
	size_t npages = size / ps;
	struct tiommu_domain_stats st;
	uint8_t *buf, *map2;
	uint64_t instr = 0;
	long allocs = 0;

	buf = scattered(size);
	one("scattered", buf, size);
	munmap(buf, size);

	/* THP: 2 MiB aligned. */
	map2 = mmap(NULL, size + SZ_2M, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map2 == MAP_FAILED)
		die("thp buffer");
	buf = (uint8_t *)(((uintptr_t)map2 + SZ_2M - 1) & ~(SZ_2M - 1));
	if (madvise(buf, size, MADV_HUGEPAGE))
		die("MADV_HUGEPAGE");
	for (size_t i = 0; i < npages; i++)
		buf[i * ps] = (uint8_t)i;
	one("thp", buf, size);
	munmap(map2, size + SZ_2M);

	/* Many small mappings, one UNMAP_DMA over all of them. */
	size = SMALL_MAPS * ps;
	buf = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		die("small buffer");
	memset(buf, 1, size);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < SMALL_MAPS; i++)
			timed_map(container, buf + i * ps, IOVA + 2 * i * ps,
				  ps, 0);
		if (!pass) {
			tiommu_stats(tiommu, dev_id, &st, 1);
			instr = timed_unmap(container, IOVA, 2 * size, size);
			tiommu_stats(tiommu, dev_id, &st, 0);
		} else {
			allocs = trace_events(1);
			timed_unmap(container, IOVA, 2 * size, size);
			if (!allocs)
				allocs = trace_events(0);
		}
	}
	report("small", SMALL_MAPS, SMALL_MAPS, instr, &st, allocs);
	munmap(buf, size);
}

/* The scattered unmap through vfio-pci and intel-iommu; 0 without edu. */
static int bench_edu(size_t size)
{
	char edu[512] = "";
	uint64_t instr;
	uint8_t *buf;

	if (!edu_setup(edu, sizeof(edu)))
		return 0;
	container = new_container(open_group(edu));
	buf = scattered(size);
	timed_map(container, buf, IOVA, size, 0);
	edu_marker(edu);
	instr = timed_unmap(container, IOVA, size, size);
	edu_marker(edu);
	printf("BENCH edu-scattered pages=%zu regions=%llu instructions=%llu\n",
	       size / ps, (unsigned long long)count_regions(buf, size / ps, ps),
	       (unsigned long long)instr);
	return 1;
}

int main(void)
{
	size_t mb = getenv("BENCH_MB") ? strtoul(getenv("BENCH_MB"), NULL, 0) : 1024;

	ps = sysconf(_SC_PAGESIZE);
	tiommu = open(TIOMMU_DEVNODE, O_RDWR);
	if (tiommu >= 0)
		container = tiommu_container(tiommu, 0, &dev_id);
	printf("TAP version 13\n1..1\n");
	if (tiommu >= 0)
		bench_tiommu(mb << 20);
	if (!bench_edu(mb << 20))
		printf("ok 1 unmap_bench # no edu device\n");
	else
		printf("ok 1 unmap_bench\n");
	return 0;
}
