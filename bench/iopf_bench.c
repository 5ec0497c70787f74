// SPDX-License-Identifier: GPL-2.0
/*
 * Faultable mappings (VFIO_DMA_MAP_FLAG_FAULTABLE) against pinned ones,
 * for scripts/bench-iopf.sh.  Runs in the QEMU guest under -icount
 * shift=0, where the TSC counts guest instructions, on a test IOMMU device
 * in a type1v2 container.  Prints one "BENCH <workload> key=value..." line
 * each:
 *
 *  map:      MAP_DMA of BENCH_MB MiB of populated 4 KiB pages, pinned and
 *            faultable, and its UNMAP_DMA;
 *  density:  a BENCH_MB MiB mapping of fresh memory of which the device
 *            reads TOUCH_MB MiB: faults, VmRSS, VmLck and FOLL_PIN pins,
 *            and the UNMAP_DMA, faultable and pinned;
 *  fault:    one device DMA of a page that faults with each window, minus
 *            the same DMA once mapped, averaged; per page of the window;
 *  stages:   with the function_graph tracer on a few functions, where the
 *            instructions of one window-1 fault go: reporting (the IOMMU
 *            core and type1's handler), the work item, hmm_range_fault(),
 *            iommu_map(), the response; the rest is the deferral to the
 *            work item and the wake-up of the device's thread;
 *  seed:     1 MiB and 10 MiB buffers the device reads 1, 100 and 1000
 *            times, with windows of 1 and 512 pages, against the same
 *            buffers pinned: total instructions (MAP_DMA, the DMAs,
 *            UNMAP_DMA) and faults.
 */
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
#include <x86intrin.h>

#include "test-iommu.h"
#include "bench_util.h"

#define WINDOW "/sys/module/vfio_iommu_type1/parameters/iopf_window"
#define TRACING "/sys/kernel/tracing"
#define IOVA	0x40000000ULL
#define SZ_1M	0x100000UL
#define CHUNK	(64 * 1024UL)
#define TOUCH_MB 16

static int tiommu, container;
static uint32_t dev_id;
static size_t ps;
static uint8_t *bounce;

static void set_window(unsigned int pages)
{
	char val[16];

	snprintf(val, sizeof(val), "%u", pages);
	write_file(WINDOW, val);
}

static void setup(void)
{
	tiommu = open(TIOMMU_DEVNODE, O_RDWR);
	if (tiommu < 0)
		die(TIOMMU_DEVNODE);
	container = tiommu_container(tiommu, 0, &dev_id);
	bounce = malloc(TIOMMU_DMA_MAX_LENGTH);
	if (!bounce)
		die("malloc");
}

static uint64_t map(void *vaddr, uint64_t size, int faultable)
{
	return timed_map(container, vaddr, IOVA, size,
			 faultable ? VFIO_DMA_MAP_FLAG_FAULTABLE : 0);
}

static uint64_t unmap(uint64_t size)
{
	return timed_unmap(container, IOVA, size, size);
}

/* The device reads [IOVA + off, IOVA + off + len); returns instructions. */
static uint64_t dev_read(uint64_t off, uint64_t len)
{
	struct tiommu_dma d = {
		.dev_id = dev_id, .iova = IOVA + off, .length = len,
		.uptr = (uintptr_t)bounce,
	};
	uint64_t t0 = __rdtsc();

	if (ioctl(tiommu, TIOMMU_DMA, &d) || d.out_status != TIOMMU_DMA_DONE)
		die("TIOMMU_DMA");
	return __rdtsc() - t0;
}

/* Page requests since the last call (the log keeps 16, and counts the rest). */
static unsigned long faults(void)
{
	struct tiommu_fault f = { .dev_id = dev_id };
	unsigned long n = 0;

	while (!ioctl(tiommu, TIOMMU_GET_FAULT, &f)) {
		n += 1 + f.out_lost;
		memset(&f, 0, sizeof(f));
		f.dev_id = dev_id;
	}
	return n;
}

static long status_kb(const char *key)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		die("status");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			kb = atol(line + strlen(key) + 1);
	fclose(f);
	return kb;
}

static long vmstat(const char *key)
{
	char name[64];
	long v, ret = -1;
	FILE *f;

	write_file("/proc/sys/vm/stat_refresh", "1");
	f = fopen("/proc/vmstat", "r");
	if (!f)
		die("vmstat");
	while (fscanf(f, "%63s %ld", name, &v) == 2)
		if (!strcmp(name, key))
			ret = v;
	fclose(f);
	return ret;
}

static long pins(void)
{
	return vmstat("nr_foll_pin_acquired") - vmstat("nr_foll_pin_released");
}

static uint8_t *fresh(size_t size, int populate)
{
	uint8_t *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	if (populate)
		for (size_t i = 0; i < size; i += ps)
			p[i] = i / ps;
	return p;
}

static void bench_map(size_t size)
{
	uint64_t mp, mf, up, uf;
	uint8_t *buf = fresh(size, 1);

	mp = map(buf, size, 0);
	up = unmap(size);
	mf = map(buf, size, 1);
	uf = unmap(size);
	printf("BENCH map size_mb=%zu pinned=%llu faultable=%llu ratio=%.0f unmap_pinned=%llu unmap_faultable=%llu pinned_per_page=%.1f\n",
	       size >> 20, (unsigned long long)mp, (unsigned long long)mf,
	       (double)mp / mf, (unsigned long long)up,
	       (unsigned long long)uf, (double)mp / (size / ps));
	munmap(buf, size);
}

static void bench_density(size_t size, int faultable)
{
	long rss0, lck0, pin0, rss, lck, pin;
	uint8_t *buf = fresh(size, 0);
	uint64_t t, u;
	unsigned long n;

	faults();
	rss0 = status_kb("VmRSS:");
	lck0 = status_kb("VmLck:");
	pin0 = pins();
	map(buf, size, faultable);
	for (t = 0; t < TOUCH_MB * SZ_1M; t += CHUNK)
		dev_read(t, CHUNK);
	n = faults();
	rss = status_kb("VmRSS:") - rss0;
	lck = status_kb("VmLck:") - lck0;
	pin = pins() - pin0;
	u = unmap(size);
	printf("BENCH density mode=%s size_mb=%zu touched_mb=%d faults=%lu rss_kb=%ld locked_kb=%ld pins=%ld unmap=%llu\n",
	       faultable ? "faultable" : "pinned", size >> 20, TOUCH_MB, n,
	       rss, lck, pin, (unsigned long long)u);
	munmap(buf, size);
}

/* One fault of @window pages: the DMA that faults, less the same DMA mapped. */
static void bench_fault(unsigned int window, unsigned int reps)
{
	size_t size = (size_t)window * ps * reps;
	uint8_t *buf = fresh(size, 1);
	uint64_t cold = 0, warm = 0;
	unsigned int r;

	set_window(window);
	map(buf, size, 1);
	for (r = 0; r < reps; r++)
		cold += dev_read((uint64_t)r * window * ps, ps);
	for (r = 0; r < reps; r++)
		warm += dev_read((uint64_t)r * window * ps, ps);
	if (faults() != reps) {
		errno = EPROTO;
		die("fault count");
	}
	unmap(size);
	printf("BENCH fault window=%u reps=%u fault=%llu per_page=%.1f mapped_dma=%llu\n",
	       window, reps, (unsigned long long)((cold - warm) / reps),
	       (double)(cold - warm) / reps / window,
	       (unsigned long long)(warm / reps));
	munmap(buf, size);
}

/* Sum of the durations function_graph printed for @fn, in instructions. */
static double graph_sum(const char *trace, const char *fn, unsigned int *calls)
{
	const char *p = trace;
	double sum = 0;
	char pat[96];

	*calls = 0;
	snprintf(pat, sizeof(pat), "%s();", fn);
	/* Leaf lines "1.234 us | fn();" and closing lines "... | } fn" count. */
	while ((p = strstr(p, fn))) {
		const char *bol = p, *us;

		while (bol > trace && bol[-1] != '\n')
			bol--;
		us = strstr(bol, " us ");
		if (us && us < p && (!strncmp(p, pat, strlen(pat)) ||
				     (p > bol + 3 && !strncmp(p - 3, "/* ", 3)))) {
			const char *q = us;

			while (q > bol && (q[-1] == '.' ||
					   (q[-1] >= '0' && q[-1] <= '9')))
				q--;
			sum += atof(q) * 1000;
			(*calls)++;
		}
		p += strlen(fn);
	}
	return sum;
}

static void bench_stages(unsigned int reps)
{
	static const char *const fns[] = {
		"iommu_report_device_fault", "vfio_iommu_iopf_work",
		"hmm_range_fault", "iommu_map", "iopf_group_response",
	};
	size_t size = ps * reps, n, i;
	uint8_t *buf = fresh(size, 1);
	char *trace = malloc(1 << 22);
	unsigned int calls;
	int fd;

	if (access(TRACING "/trace", F_OK))
		mount("tracefs", TRACING, "tracefs", 0, NULL);
	if (access(TRACING "/set_graph_function", W_OK)) {
		printf("BENCH stages skipped=no-function_graph\n");
		return;
	}
	set_window(1);
	map(buf, size, 1);
	write_file(TRACING "/tracing_on", "0");
	write_file(TRACING "/current_tracer", "nop");
	write_file(TRACING "/set_ftrace_filter", "");
	for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		fd = open(TRACING "/set_ftrace_filter", O_WRONLY | O_APPEND);
		if (fd < 0 || write(fd, fns[i], strlen(fns[i])) < 0)
			printf("BENCH-NOTE %s cannot be traced: %s\n", fns[i],
			       strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	write_file(TRACING "/trace", "");
	write_file(TRACING "/current_tracer", "function_graph");
	write_file(TRACING "/options/funcgraph-tail", "1");
	write_file(TRACING "/tracing_on", "1");
	for (i = 0; i < reps; i++)
		dev_read(i * ps, ps);
	write_file(TRACING "/tracing_on", "0");
	fd = open(TRACING "/trace", O_RDONLY);
	if (fd < 0 || !trace)
		die("trace");
	n = 0;
	for (;;) {
		ssize_t r = read(fd, trace + n, (1 << 22) - 1 - n);

		if (r <= 0)
			break;
		n += r;
	}
	trace[n] = '\0';
	close(fd);
	write_file(TRACING "/current_tracer", "nop");
	write_file(TRACING "/set_ftrace_filter", "");
	faults();
	unmap(size);
	printf("BENCH stages window=1 reps=%u", reps);
	for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		double sum = graph_sum(trace, fns[i], &calls);

		printf(" %s=%.0f calls_%s=%u", fns[i], calls ? sum / reps : 0,
		       fns[i], calls);
	}
	printf("\n");
	free(trace);
	munmap(buf, size);
}

/*
 * The seed's table: MAP_DMA, @passes device reads of all of a @mb MiB
 * buffer (a MiB per DMA) and UNMAP_DMA, pinned (@window 0) or faultable.
 */
static uint64_t seed_run(uint8_t *buf, size_t size, unsigned int passes,
			 unsigned int window, unsigned long *nf)
{
	uint64_t t0;
	unsigned int p;
	size_t off;

	faults();
	if (window)
		set_window(window);
	t0 = __rdtsc();
	map(buf, size, window != 0);
	for (p = 0; p < passes; p++)
		for (off = 0; off < size; off += SZ_1M)
			dev_read(off, SZ_1M);
	unmap(size);
	t0 = __rdtsc() - t0;
	*nf = faults();
	return t0;
}

static void bench_seed(size_t mb, unsigned int passes)
{
	static const unsigned int windows[] = { 1, 512 };
	size_t size = mb * SZ_1M;
	uint8_t *buf = fresh(size, 1);
	unsigned long nf;
	uint64_t tp, tf;
	unsigned int w;

	tp = seed_run(buf, size, passes, 0, &nf);
	for (w = 0; w < 2; w++) {
		tf = seed_run(buf, size, passes, windows[w], &nf);
		printf("BENCH seed buf_mb=%zu passes=%u window=%u pinned=%llu faultable=%llu slowdown_pct=%.1f faults=%lu\n",
		       mb, passes, windows[w], (unsigned long long)tp,
		       (unsigned long long)tf, 100.0 * ((double)tf - tp) / tp,
		       nf);
	}
	munmap(buf, size);
}

int main(void)
{
	const char *mbs = getenv("BENCH_MB");
	size_t size = (mbs ? atol(mbs) : 1024) * SZ_1M;
	static const unsigned int passes[] = { 1, 100, 1000 };
	char def[16] = "512";
	unsigned int i, j;
	int fd;

	ps = sysconf(_SC_PAGESIZE);
	setup();
	fd = open(WINDOW, O_RDONLY);
	if (fd < 0 || read(fd, def, sizeof(def) - 1) <= 0)
		die(WINDOW);
	close(fd);

	bench_map(size);
	bench_density(size, 1);
	bench_density(size, 0);
	bench_fault(1, 256);
	bench_fault(16, 64);
	bench_fault(64, 32);
	bench_fault(512, 8);
	bench_stages(64);
	for (i = 0; i < 2; i++)
		for (j = 0; j < 3; j++)
			bench_seed(i ? 10 : 1, passes[j]);
	write_file(WINDOW, def);
	printf("BENCH done\n");
	return 0;
}
