// SPDX-License-Identifier: GPL-2.0-only
/*
 * On-demand mapping of user memory into IOMMU domains.
 *
 * DRAFT for issue 8, not part of the series yet: see docs/iopf-design.md.
 * Compiled once in drivers/iommu/ with the test kernel's config, which
 * lacks CONFIG_MMU_NOTIFIER: only the mmu_interval_* calls were missing.
 * Next session: a Kconfig symbol (selecting MMU_NOTIFIER and HMM_MIRROR),
 * its KUnit suite, then the type1 user.
 *
 * A range (struct iommu_odp_range) mirrors [uaddr, uaddr + size) of a
 * process at [iova, iova + size) of every domain of a set (struct
 * iommu_odp_set), the way HMM users mirror CPU page tables: nothing is
 * pinned.  iommu_odp_fault() looks a window of the range up with
 * hmm_range_fault(), faulting the pages in, and maps each page into every
 * domain of the set under the range's lock if the interval notifier's
 * sequence says no invalidation ran since the look-up; otherwise it looks
 * the pages up again.  The notifier's invalidate() takes the same lock,
 * unmaps what is mapped in its span from every domain and syncs each
 * domain's IOTLB before it returns, so that no device reaches a page
 * after the mm let go of it.
 *
 * Pages are mapped one PAGE_SIZE at a time, so that an invalidation of
 * any page can be unmapped exactly: the IOMMU API does not promise to
 * split a larger page.  A bit per page in @mapped says the page is mapped
 * in every domain of the set.
 *
 * Locking (see struct iommu_odp_set and struct iommu_odp_range):
 *   set->rwsem  (read: faults, invalidations; write: domain/range changes)
 *     range->lock  (the notifier lock)
 *       the domains' own locks
 * invalidate() can run from direct reclaim, so no one allocates with
 * reclaim under range->lock (maps use GFP_NOWAIT) or under set->rwsem held
 * for write.  hmm_range_fault() runs without either lock.
 */
#include <linux/hmm.h>
#include <linux/iommu-odp.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

struct iommu_odp_domain {
	struct list_head node;
	struct iommu_domain *domain;
};

void iommu_odp_set_init(struct iommu_odp_set *set)
{
	init_rwsem(&set->rwsem);
	INIT_LIST_HEAD(&set->domains);
	INIT_LIST_HEAD(&set->ranges);
}
EXPORT_SYMBOL_GPL(iommu_odp_set_init);

static unsigned long iommu_odp_npages(struct iommu_odp_range *range)
{
	return range->size >> PAGE_SHIFT;
}

/* Unmap @range's mapped pages in [first, last) from @domain, and sync. */
static void iommu_odp_unmap_domain(struct iommu_odp_range *range,
				   struct iommu_domain *domain,
				   unsigned long first, unsigned long last)
{
	struct iommu_iotlb_gather gather;
	unsigned long start = first, end;

	lockdep_assert_held(&range->set->rwsem);
	lockdep_assert_held(&range->lock);

	iommu_iotlb_gather_init(&gather);
	for_each_set_bitrange_from(start, end, range->mapped, last) {
		size_t len = (end - start) << PAGE_SHIFT;
		size_t done;

		done = iommu_unmap_fast(domain,
					range->iova + (start << PAGE_SHIFT),
					len, &gather);
		/* Mapped a page at a time: any driver unmaps them exactly. */
		WARN_ON(done != len);
	}
	iommu_iotlb_sync(domain, &gather);
}

/* Unmap [first, last) of @range from every domain of its set. */
static void iommu_odp_unmap_locked(struct iommu_odp_range *range,
				   unsigned long first, unsigned long last)
{
	struct iommu_odp_domain *od;

	if (find_next_bit(range->mapped, last, first) >= last)
		return;
	list_for_each_entry(od, &range->set->domains, node)
		iommu_odp_unmap_domain(range, od->domain, first, last);
	bitmap_clear(range->mapped, first, last - first);
}

static bool iommu_odp_invalidate(struct mmu_interval_notifier *mni,
				 const struct mmu_notifier_range *nr,
				 unsigned long cur_seq)
{
	struct iommu_odp_range *range =
		container_of(mni, struct iommu_odp_range, notifier);
	unsigned long start = max(nr->start, range->uaddr);
	unsigned long end = min(nr->end, range->uaddr + range->size);

	if (!mmu_notifier_range_blockable(nr))
		return false;

	down_read(&range->set->rwsem);
	mutex_lock(&range->lock);
	mmu_interval_set_seq(mni, cur_seq);
	if (start < end) {
		unsigned long first = (start - range->uaddr) >> PAGE_SHIFT;
		unsigned long last = DIV_ROUND_UP(end - range->uaddr, PAGE_SIZE);

		if (find_next_bit(range->mapped, last, first) < last) {
			range->invalidations++;
			iommu_odp_unmap_locked(range, first, last);
		}
	}
	mutex_unlock(&range->lock);
	up_read(&range->set->rwsem);
	return true;
}

static const struct mmu_interval_notifier_ops iommu_odp_notifier_ops = {
	.invalidate = iommu_odp_invalidate,
};

/**
 * iommu_odp_set_add_domain() - Keep @domain in step with @set's ranges
 * @set: the set
 * @domain: a paging domain, attached or about to be
 *
 * Everything mapped so far is unmapped first and faults in again into all
 * the set's domains, the new one included.
 *
 * Return: 0 or -ENOMEM.
 */
int iommu_odp_set_add_domain(struct iommu_odp_set *set,
			     struct iommu_domain *domain)
{
	struct iommu_odp_domain *od = kzalloc(sizeof(*od), GFP_KERNEL);
	struct iommu_odp_range *range;

	if (!od)
		return -ENOMEM;
	od->domain = domain;

	down_write(&set->rwsem);
	list_for_each_entry(range, &set->ranges, node) {
		mutex_lock(&range->lock);
		iommu_odp_unmap_locked(range, 0, iommu_odp_npages(range));
		mutex_unlock(&range->lock);
	}
	list_add_tail(&od->node, &set->domains);
	up_write(&set->rwsem);
	return 0;
}
EXPORT_SYMBOL_GPL(iommu_odp_set_add_domain);

/**
 * iommu_odp_set_remove_domain() - Stop keeping @domain in step
 * @set: the set
 * @domain: a domain added with iommu_odp_set_add_domain()
 *
 * Unmaps every range of the set from @domain (and syncs it) first.
 */
void iommu_odp_set_remove_domain(struct iommu_odp_set *set,
				 struct iommu_domain *domain)
{
	struct iommu_odp_domain *od, *found = NULL;
	struct iommu_odp_range *range;

	down_write(&set->rwsem);
	list_for_each_entry(od, &set->domains, node) {
		if (od->domain == domain) {
			found = od;
			break;
		}
	}
	if (!WARN_ON(!found)) {
		list_for_each_entry(range, &set->ranges, node) {
			mutex_lock(&range->lock);
			iommu_odp_unmap_domain(range, domain, 0,
					       iommu_odp_npages(range));
			mutex_unlock(&range->lock);
		}
		list_del(&found->node);
	}
	up_write(&set->rwsem);
	kfree(found);
}
EXPORT_SYMBOL_GPL(iommu_odp_set_remove_domain);

/**
 * iommu_odp_range_init() - Mirror user memory at an IOVA
 * @range: the range to set up
 * @set: the set whose domains to map it in
 * @mm: the process whose memory it is
 * @uaddr: first user address, page aligned
 * @iova: first IOVA, page aligned
 * @size: bytes, a multiple of PAGE_SIZE
 * @prot: IOMMU_READ, IOMMU_WRITE, and the other IOMMU_* flags to map with
 *
 * Nothing is mapped until iommu_odp_fault().  Must not be called with
 * @mm's mmap lock held.
 *
 * Return: 0, -EINVAL, -EOVERFLOW, -E2BIG or -ENOMEM.
 */
int iommu_odp_range_init(struct iommu_odp_range *range,
			 struct iommu_odp_set *set, struct mm_struct *mm,
			 unsigned long uaddr, dma_addr_t iova, size_t size,
			 int prot)
{
	unsigned long npages = size >> PAGE_SHIFT;
	int ret;

	if (!size || !PAGE_ALIGNED(uaddr | iova | size) ||
	    !(prot & (IOMMU_READ | IOMMU_WRITE)))
		return -EINVAL;
	if (uaddr + size - 1 < uaddr || iova + size - 1 < iova)
		return -EOVERFLOW;

	range->mapped = kvcalloc(BITS_TO_LONGS(npages), sizeof(unsigned long),
				 GFP_KERNEL_ACCOUNT);
	if (!range->mapped)
		return -ENOMEM;
	range->set = set;
	range->uaddr = uaddr;
	range->iova = iova;
	range->size = size;
	range->prot = prot;
	range->faults = 0;
	range->invalidations = 0;
	mutex_init(&range->lock);

	ret = mmu_interval_notifier_insert(&range->notifier, mm, uaddr, size,
					   &iommu_odp_notifier_ops);
	if (ret) {
		mutex_destroy(&range->lock);
		kvfree(range->mapped);
		return ret;
	}

	down_write(&set->rwsem);
	list_add_tail(&range->node, &set->ranges);
	up_write(&set->rwsem);
	return 0;
}
EXPORT_SYMBOL_GPL(iommu_odp_range_init);

/**
 * iommu_odp_range_fini() - Stop mirroring, unmapping everything
 * @range: a range set up with iommu_odp_range_init()
 *
 * The caller makes sure no iommu_odp_fault() on @range runs or starts.
 * Everything is unmapped and synced while the notifier still watches the
 * memory, then the notifier goes.
 */
void iommu_odp_range_fini(struct iommu_odp_range *range)
{
	struct iommu_odp_set *set = range->set;

	down_write(&set->rwsem);
	mutex_lock(&range->lock);
	iommu_odp_unmap_locked(range, 0, iommu_odp_npages(range));
	mutex_unlock(&range->lock);
	list_del(&range->node);
	up_write(&set->rwsem);

	mmu_interval_notifier_remove(&range->notifier);
	mutex_destroy(&range->lock);
	kvfree(range->mapped);
}
EXPORT_SYMBOL_GPL(iommu_odp_range_fini);

/* Map the looked-up pages not mapped yet into every domain. */
static int iommu_odp_map_locked(struct iommu_odp_range *range,
				unsigned long first, unsigned long npages,
				const unsigned long *pfns)
{
	bool mapped_any = false;
	unsigned long i;

	lockdep_assert_held(&range->set->rwsem);
	lockdep_assert_held(&range->lock);

	for (i = 0; i < npages; i++) {
		dma_addr_t iova = range->iova + ((first + i) << PAGE_SHIFT);
		phys_addr_t phys = page_to_phys(hmm_pfn_to_page(pfns[i]));
		struct iommu_odp_domain *od, *done;
		int ret = 0;

		if (test_bit(first + i, range->mapped))
			continue;
		list_for_each_entry(od, &range->set->domains, node) {
			/* Under the notifier lock: no reclaim. */
			ret = iommu_map(od->domain, iova, phys, PAGE_SIZE,
					range->prot, GFP_NOWAIT | __GFP_NOWARN);
			if (ret)
				break;
		}
		if (ret) {
			list_for_each_entry(done, &range->set->domains, node) {
				if (done == od)
					break;
				iommu_unmap(done->domain, iova, PAGE_SIZE);
			}
			return ret;
		}
		set_bit(first + i, range->mapped);
		mapped_any = true;
	}
	if (mapped_any)
		range->faults++;
	return 0;
}

/**
 * iommu_odp_fault() - Map a window of a range into every domain
 * @range: the range
 * @iova: first IOVA of the window, page aligned, inside @range
 * @npages: pages in the window (cut at the end of @range)
 * @write: the access that faulted is a write
 *
 * Faults the window's pages in (for writing if the range is mapped
 * writable) and maps those not mapped yet.  Sleeps.
 *
 * Return: 0 when the whole window is mapped; -EPERM for an access the
 * range's protection or the memory forbids; -EFAULT when the memory is
 * gone (or cannot be mirrored, such as VM_PFNMAP); -ENOMEM; -EINTR on a
 * fatal signal.
 */
int iommu_odp_fault(struct iommu_odp_range *range, dma_addr_t iova,
		    unsigned long npages, bool write)
{
	struct mm_struct *mm = range->notifier.mm;
	struct hmm_range hr = { .notifier = &range->notifier };
	unsigned long first, *pfns;
	int ret;

	if (iova < range->iova || iova - range->iova >= range->size ||
	    !PAGE_ALIGNED(iova) || !npages)
		return -EINVAL;
	if (write && !(range->prot & IOMMU_WRITE))
		return -EPERM;
	if (!write && !(range->prot & IOMMU_READ))
		return -EPERM;

	first = (iova - range->iova) >> PAGE_SHIFT;
	npages = min(npages, iommu_odp_npages(range) - first);
	pfns = kvcalloc(npages, sizeof(*pfns), GFP_KERNEL);
	if (!pfns)
		return -ENOMEM;
	hr.start = range->uaddr + (first << PAGE_SHIFT);
	hr.end = hr.start + (npages << PAGE_SHIFT);
	hr.hmm_pfns = pfns;
	hr.default_flags = HMM_PFN_REQ_FAULT;
	if (range->prot & IOMMU_WRITE)
		hr.default_flags |= HMM_PFN_REQ_WRITE;

	if (!mmget_not_zero(mm)) {
		ret = -EFAULT;
		goto out_free;
	}
	for (;;) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out_put;
		}
		hr.notifier_seq = mmu_interval_read_begin(&range->notifier);
		mmap_read_lock(mm);
		ret = hmm_range_fault(&hr);
		mmap_read_unlock(mm);
		if (ret == -EBUSY)
			continue;
		if (ret)
			goto out_put;

		down_read(&range->set->rwsem);
		mutex_lock(&range->lock);
		if (!mmu_interval_read_retry(&range->notifier, hr.notifier_seq))
			break;
		mutex_unlock(&range->lock);
		up_read(&range->set->rwsem);
	}
	ret = iommu_odp_map_locked(range, first, npages, pfns);
	mutex_unlock(&range->lock);
	up_read(&range->set->rwsem);
out_put:
	mmput(mm);
out_free:
	kvfree(pfns);
	return ret;
}
EXPORT_SYMBOL_GPL(iommu_odp_fault);
