/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What bench/unmap_bench.c and bench/iopf_bench.c share: error exit,
 * sysfs writes, and a type1v2 container around a device's IOMMU group.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <errno.h>
#include <fcntl.h>
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

#endif /* BENCH_UTIL_H */
