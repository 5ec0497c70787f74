/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the benchmarks in bench/ share: error exit, sysfs writes, a type1v2
 * container around a device's IOMMU group, timed MAP_DMA and UNMAP_DMA, a
 * test IOMMU device in a container of its own and its counters (for
 * programs that include test-iommu.h first), QEMU's edu device bound to
 * vfio-pci with a marker QEMU can trace, and a buffer's physical runs.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/vfio.h>
#include <x86intrin.h>

static inline void die(const char *what)
{
	printf("BENCH-ERROR %s: %s\n", what, strerror(errno));
	exit(1);
}

static inline void write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_TRUNC);

	if (fd < 0 || write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		die(path);
	close(fd);
}

static inline int open_group(const char *dev)
{
	char path[256], link[256];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/iommu_group", dev);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		die(path);
	link[n] = '\0';
	snprintf(path, sizeof(path), "/dev/vfio/%s", strrchr(link, '/') + 1);
	return open(path, O_RDWR);
}

static inline int new_container(int group)
{
	int c = open("/dev/vfio/vfio", O_RDWR);

	if (group < 0 || c < 0)
		die("open group/container");
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &c) ||
	    ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		die("container");
	return c;
}

/*
 * MAP_DMA of @size bytes at @iova from @vaddr, readable and writable, with
 * @flags besides: the TSC ticks it took (guest instructions under -icount).
 */
static inline uint64_t timed_map(int c, void *vaddr, uint64_t iova,
				 uint64_t size, uint32_t flags)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE | flags,
		.vaddr = (uintptr_t)vaddr, .iova = iova, .size = size,
	};
	uint64_t t0 = __rdtsc();

	if (ioctl(c, VFIO_IOMMU_MAP_DMA, &m))
		die("MAP_DMA");
	return __rdtsc() - t0;
}

/* UNMAP_DMA of [iova, iova + size), which must unmap @expect bytes: ticks. */
static inline uint64_t timed_unmap(int c, uint64_t iova, uint64_t size,
				   uint64_t expect)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u), .iova = iova, .size = size,
	};
	uint64_t t0, t1;

	t0 = __rdtsc();
	if (ioctl(c, VFIO_IOMMU_UNMAP_DMA, &u))
		die("UNMAP_DMA");
	t1 = __rdtsc();
	if (u.size != expect) {
		errno = ERANGE;
		die("UNMAP_DMA size");
	}
	return t1 - t0;
}

#ifdef TIOMMU_DEVNODE
/*
 * A test IOMMU device (TIOMMU_DEV_* @flags) in a type1v2 container of its
 * own, through @fd (/dev/iommu-test); returns the container.
 */
static inline int tiommu_container(int fd, uint32_t flags, uint32_t *dev_id)
{
	struct tiommu_create_dev create = { .flags = flags };
	char path[128];

	write_file("/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts",
		   "Y");
	if (ioctl(fd, TIOMMU_CREATE_DEV, &create))
		die("TIOMMU_CREATE_DEV");
	*dev_id = create.out_dev_id;
	snprintf(path, sizeof(path), "/sys/bus/platform/devices/%s.%u",
		 TIOMMU_DEVICE_NAME, *dev_id);
	return new_container(open_group(path));
}

/* The counters of @dev_id's domain, then zeroed if @reset. */
static inline void tiommu_stats(int fd, uint32_t dev_id,
				struct tiommu_domain_stats *st, int reset)
{
	struct tiommu_reset_stats r = { .dev_id = dev_id };

	memset(st, 0, sizeof(*st));
	st->dev_id = dev_id;
	if (ioctl(fd, TIOMMU_GET_DOMAIN_STATS, st) ||
	    (reset && ioctl(fd, TIOMMU_RESET_STATS, &r)))
		die("stats");
}
#endif

/* QEMU's edu device (1234:11e8), bound to vfio-pci; NULL if none. */
static inline const char *edu_setup(char *dev, size_t len)
{
	char path[512], id[16];
	struct dirent *de;
	DIR *d;
	int fd;

	d = opendir("/sys/bus/pci/devices");
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device",
			 de->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		memset(id, 0, sizeof(id));
		if (read(fd, id, sizeof(id) - 1) > 0 && !strncmp(id, "0x11e8", 6))
			snprintf(dev, len, "/sys/bus/pci/devices/%s",
				 de->d_name);
		close(fd);
	}
	closedir(d);
	if (!dev[0])
		return NULL;
	snprintf(path, sizeof(path), "%s/driver_override", dev);
	write_file(path, "vfio-pci");
	snprintf(path, sizeof(path), "%s/driver/unbind", dev);
	if (!access(path, F_OK))
		write_file(path, strrchr(dev, '/') + 1);
	write_file("/sys/bus/pci/drivers_probe", strrchr(dev, '/') + 1);
	return dev;
}

/* The marker QEMU traces: one config read of edu's byte 0x3e. */
static inline void edu_marker(const char *dev)
{
	char path[512], b;
	int fd;

	snprintf(path, sizeof(path), "%s/config", dev);
	fd = open(path, O_RDONLY);
	if (fd < 0 || pread(fd, &b, 1, 0x3e) != 1)
		die(path);
	close(fd);
}

/* Physically contiguous runs of the @npages pages at @buf, in order. */
static inline uint64_t count_regions(uint8_t *buf, size_t npages, size_t ps)
{
	uint64_t *pfns = calloc(npages, sizeof(*pfns)), runs = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (!pfns || fd < 0 ||
	    pread(fd, pfns, npages * 8, (uintptr_t)buf / ps * 8) !=
	    (ssize_t)(npages * 8))
		die("pagemap");
	for (size_t i = 0; i < npages; i++) {
		pfns[i] &= 0x007fffffffffffffULL;
		if (!i || pfns[i] != pfns[i - 1] + 1)
			runs++;
	}
	close(fd);
	free(pfns);
	return runs;
}

#endif /* BENCH_UTIL_H */
