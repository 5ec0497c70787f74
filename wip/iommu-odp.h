/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * On-demand mapping of user memory into IOMMU domains (draft for issue 8,
 * not part of the series yet; see docs/iopf-design.md).
 */
#ifndef _LINUX_IOMMU_ODP_H
#define _LINUX_IOMMU_ODP_H

#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>

/**
 * struct iommu_odp_set - domains kept in step, and the ranges mapped into them
 * @rwsem: protects @domains and @ranges.  Faults and invalidations take it
 *	   for read, before a range's @lock; adding or removing a domain,
 *	   and adding or removing a range, take it for write.  Nobody
 *	   allocates while holding it for write.
 * @domains: struct iommu_odp_domain, every domain the ranges are mapped in
 * @ranges: struct iommu_odp_range of the set
 */
struct iommu_odp_set {
	struct rw_semaphore rwsem;
	struct list_head domains;
	struct list_head ranges;
};

/**
 * struct iommu_odp_range - user memory mirrored at an IOVA, nothing pinned
 * @notifier: the interval notifier on [@uaddr, @uaddr + @size) of the mm
 * @set: the set whose domains the range is mapped in
 * @node: in @set->ranges
 * @lock: the notifier lock: protects @mapped and this range's PTEs in the
 *	  set's domains.  Taken in the notifier's invalidate(), which can run
 *	  from reclaim: nothing allocates with reclaim while holding it.
 * @uaddr: first user address
 * @iova: first IOVA
 * @size: bytes, a multiple of PAGE_SIZE
 * @prot: IOMMU_READ and/or IOMMU_WRITE
 * @mapped: a bit per page, set when the page is mapped in every domain
 * @faults: iommu_odp_fault() calls that mapped something; under @lock
 * @invalidations: invalidations that unmapped something; under @lock
 */
struct iommu_odp_range {
	struct mmu_interval_notifier notifier;
	struct iommu_odp_set *set;
	struct list_head node;
	struct mutex lock;
	unsigned long uaddr;
	dma_addr_t iova;
	size_t size;
	int prot;
	unsigned long *mapped;
	u64 faults;
	u64 invalidations;
};

void iommu_odp_set_init(struct iommu_odp_set *set);
int iommu_odp_set_add_domain(struct iommu_odp_set *set,
			     struct iommu_domain *domain);
void iommu_odp_set_remove_domain(struct iommu_odp_set *set,
				 struct iommu_domain *domain);

int iommu_odp_range_init(struct iommu_odp_range *range,
			 struct iommu_odp_set *set, struct mm_struct *mm,
			 unsigned long uaddr, dma_addr_t iova, size_t size,
			 int prot);
void iommu_odp_range_fini(struct iommu_odp_range *range);
int iommu_odp_fault(struct iommu_odp_range *range, dma_addr_t iova,
		    unsigned long npages, bool write);

#endif /* _LINUX_IOMMU_ODP_H */
