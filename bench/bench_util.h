/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the benchmarks in bench/ share: error exit, sysfs writes, a type1v2
 * container around a device's IOMMU group, QEMU's edu device bound to
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
