// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_dma_bench: an out-of-tree module for scripts/bench-dma.sh.  It
 * registers one emulated-IOMMU VFIO device (the kind mdev drivers
 * register) on a platform device of its own, so that the unpatched base
 * and the series can be measured with the same consumer, and times
 * vfio_dma_rw(), vfio_pin_pages()/vfio_unpin_pages() and the primitives
 * they are made of, in loops in the kernel, from the calling thread or
 * from a kthread_worker.  get_cycles() counts guest instructions under
 * QEMU -icount shift=0.
 *
 * Built against each kernel it measures; HAVE_VFIO_DMA_RW_VEC is set by
 * the script where include/linux/vfio.h declares vfio_dma_rw_vec().
 */
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <linux/vmalloc.h>
#include <linux/timex.h>

#include "dma_bench.h"

#define DB_MAX_BYTES	(1 << 20)
#define DB_MAX_SEGS	64

struct db_state {
	struct vfio_device vdev;
	struct kthread_worker *worker;
};

struct db_work {
	struct kthread_work work;
	struct db_state *st;
	struct dma_bench_req *req;
	struct mm_struct *mm;
};

static struct platform_device *db_pdev;
static struct db_state *db_st;
static DEFINE_MUTEX(db_mutex);
static void *db_buf;
static struct page **db_pages;

/* One rep of @req; adds the ticks of its halves to @t1 and @t2. */
static int db_rep(struct db_state *st, struct dma_bench_req *req,
		  struct mm_struct *mm, u64 *t1, u64 *t2)
{
	bool write = req->flags & DB_WRITE;
	cycles_t a, b, c;
	u64 k;
	int ret = 0;

	switch (req->op) {
	case DB_RW:
		a = get_cycles();
		for (k = 0; k < req->nseg && !ret; k++)
			ret = vfio_dma_rw(&st->vdev, req->iova + k * req->stride,
					  db_buf + k * req->len, req->len, write);
		b = get_cycles();
		*t1 += b - a;
		return ret;
#ifdef HAVE_VFIO_DMA_RW_VEC
	case DB_RW_VEC: {
		struct vfio_dma_seg segs[DB_MAX_SEGS];

		for (k = 0; k < req->nseg; k++) {
			segs[k].iova = req->iova + k * req->stride;
			segs[k].data = db_buf + k * req->len;
			segs[k].len = req->len;
		}
		a = get_cycles();
		ret = vfio_dma_rw_vec(&st->vdev, segs, req->nseg, write);
		b = get_cycles();
		*t1 += b - a;
		return ret;
	}
#endif
	case DB_FLOOR:
		a = get_cycles();
		for (k = 0; k < req->nseg && !ret; k++) {
			void __user *u = (void __user *)(unsigned long)
					 (req->vaddr + k * req->stride);
			void *d = db_buf + k * req->len;

			if (write)
				ret = copy_to_user(u, d, req->len) ? -EFAULT : 0;
			else
				ret = copy_from_user(d, u, req->len) ? -EFAULT : 0;
		}
		b = get_cycles();
		*t1 += b - a;
		return ret;
	case DB_PIN:
		a = get_cycles();
		ret = vfio_pin_pages(&st->vdev, req->iova, req->len,
				     IOMMU_READ | IOMMU_WRITE, db_pages);
		b = get_cycles();
		if (ret < 0)
			return ret;
		vfio_unpin_pages(&st->vdev, req->iova, req->len);
		c = get_cycles();
		*t1 += b - a;
		*t2 += c - b;
		return ret == req->len ? 0 : -EFAULT;
	case DB_MUTEX:
		a = get_cycles();
		mutex_lock(&db_mutex);
		mutex_unlock(&db_mutex);
		b = get_cycles();
		*t1 += b - a;
		return 0;
	case DB_MMGET:
		a = get_cycles();
		if (mmget_not_zero(mm))
			mmput(mm);
		b = get_cycles();
		*t1 += b - a;
		return 0;
	case DB_USE_MM:
		if (current->mm)
			return -EINVAL;
		a = get_cycles();
		kthread_use_mm(mm);
		kthread_unuse_mm(mm);
		b = get_cycles();
		*t1 += b - a;
		return 0;
	case DB_GUP: {
		long n;

		a = get_cycles();
		mmap_read_lock(mm);
		n = pin_user_pages_remote(mm, req->vaddr, req->len,
					  FOLL_WRITE | FOLL_LONGTERM, db_pages,
					  NULL);
		mmap_read_unlock(mm);
		b = get_cycles();
		if (n > 0)
			unpin_user_pages(db_pages, n);
		c = get_cycles();
		*t1 += b - a;
		*t2 += c - b;
		return n == req->len ? 0 : -EFAULT;
	}
	case DB_ACCT:
		/* What type1's vfio_lock_acct() does, up and down. */
		a = get_cycles();
		if (mmget_not_zero(mm)) {
			if (!mmap_write_lock_killable(mm)) {
				ret = __account_locked_vm(mm, req->len, true,
							  current, true);
				mmap_write_unlock(mm);
			}
			mmput(mm);
		}
		b = get_cycles();
		if (mmget_not_zero(mm)) {
			if (!mmap_write_lock_killable(mm)) {
				__account_locked_vm(mm, req->len, false,
						    current, true);
				mmap_write_unlock(mm);
			}
			mmput(mm);
		}
		c = get_cycles();
		*t1 += b - a;
		*t2 += c - b;
		return ret;
	case DB_ALLOC: {
		void *p;

		a = get_cycles();
		p = kzalloc(48, GFP_KERNEL);
		b = get_cycles();
		kfree(p);
		c = get_cycles();
		*t1 += b - a;
		*t2 += c - b;
		return p ? 0 : -ENOMEM;
	}
	}
	return -EINVAL;
}

static int db_run(struct db_state *st, struct dma_bench_req *req,
		  struct mm_struct *mm)
{
	u64 per = req->reps / req->batches, b, r;
	u64 best = U64_MAX, best2 = U64_MAX;
	int ret;

	/* One rep to warm up: caches, the page tables, the lock. */
	b = 0;
	r = 0;
	ret = db_rep(st, req, mm, &b, &r);
	if (ret)
		return ret;
	for (b = 0; b < req->batches; b++) {
		u64 t1 = 0, t2 = 0;

		for (r = 0; r < per; r++) {
			ret = db_rep(st, req, mm, &t1, &t2);
			if (ret)
				return ret;
		}
		best = min(best, t1 / per);
		best2 = min(best2, t2 / per);
		cond_resched();
	}
	req->ticks = best;
	req->ticks2 = best2;
	return 0;
}

static void db_work_fn(struct kthread_work *work)
{
	struct db_work *w = container_of(work, struct db_work, work);

	w->req->ret = db_run(w->st, w->req, w->mm);
}

static long db_ioctl(struct vfio_device *vdev, unsigned int cmd,
		     unsigned long arg)
{
	struct db_state *st = container_of(vdev, struct db_state, vdev);
	struct dma_bench_req req;

	if (cmd != DMA_BENCH_RUN)
		return -ENOTTY;
	if (copy_from_user(&req, (void __user *)arg, sizeof(req)))
		return -EFAULT;
	if (!req.reps || !req.batches || req.reps < req.batches ||
	    req.nseg > DB_MAX_SEGS || req.len * req.nseg > DB_MAX_BYTES ||
	    (req.op == DB_PIN && req.len > VFIO_PIN_PAGES_MAX_ENTRIES) ||
	    (req.op == DB_GUP && req.len > VFIO_PIN_PAGES_MAX_ENTRIES))
		return -EINVAL;

	if (req.flags & DB_KTHREAD) {
		struct db_work w = { .st = st, .req = &req, .mm = current->mm };

		/* The caller waits, so its mm outlives the work. */
		kthread_init_work(&w.work, db_work_fn);
		kthread_queue_work(st->worker, &w.work);
		kthread_flush_work(&w.work);
	} else {
		req.ret = db_run(st, &req, current->mm);
	}
	return copy_to_user((void __user *)arg, &req, sizeof(req)) ? -EFAULT : 0;
}

static void db_dma_unmap(struct vfio_device *vdev, u64 iova, u64 length)
{
	/* Every pin is dropped before the ioctl that took it returns. */
}

static const struct vfio_device_ops db_ops = {
	.name = "vfio-dma-bench",
	.ioctl = db_ioctl,
	.dma_unmap = db_dma_unmap,
	.bind_iommufd = vfio_iommufd_emulated_bind,
	.unbind_iommufd = vfio_iommufd_emulated_unbind,
	.attach_ioas = vfio_iommufd_emulated_attach_ioas,
	.detach_ioas = vfio_iommufd_emulated_detach_ioas,
};

/* VFIO takes a reference on the driver of the device's parent. */
static int db_probe(struct platform_device *pdev)
{
	int ret;

	db_st = vfio_alloc_device(db_state, vdev, &pdev->dev, &db_ops);
	if (IS_ERR(db_st))
		return PTR_ERR(db_st);
	db_st->worker = kthread_create_worker(0, "vfio-dma-bench");
	if (IS_ERR(db_st->worker)) {
		ret = PTR_ERR(db_st->worker);
		goto err_put;
	}
	ret = vfio_register_emulated_iommu_dev(&db_st->vdev);
	if (ret)
		goto err_worker;
	return 0;

err_worker:
	kthread_destroy_worker(db_st->worker);
err_put:
	vfio_put_device(&db_st->vdev);
	return ret;
}

static void db_remove(struct platform_device *pdev)
{
	vfio_unregister_group_dev(&db_st->vdev);
	kthread_destroy_worker(db_st->worker);
	vfio_put_device(&db_st->vdev);
}

static struct platform_driver db_driver = {
	.probe = db_probe,
	.remove = db_remove,
	.driver = {
		.name = DMA_BENCH_NAME,
	},
};

static int __init db_init(void)
{
	int ret;

	db_buf = vmalloc(DB_MAX_BYTES);
	db_pages = kcalloc(VFIO_PIN_PAGES_MAX_ENTRIES, sizeof(*db_pages),
			   GFP_KERNEL);
	if (!db_buf || !db_pages) {
		ret = -ENOMEM;
		goto err_free;
	}
	ret = platform_driver_register(&db_driver);
	if (ret)
		goto err_free;
	db_pdev = platform_device_register_simple(DMA_BENCH_NAME, -1, NULL, 0);
	if (IS_ERR(db_pdev)) {
		ret = PTR_ERR(db_pdev);
		goto err_driver;
	}
	if (!db_pdev->dev.driver) {
		ret = -ENODEV;
		goto err_pdev;
	}
	return 0;

err_pdev:
	platform_device_unregister(db_pdev);
err_driver:
	platform_driver_unregister(&db_driver);
err_free:
	kfree(db_pages);
	vfree(db_buf);
	return ret;
}

static void __exit db_exit(void)
{
	platform_device_unregister(db_pdev);
	platform_driver_unregister(&db_driver);
	kfree(db_pages);
	vfree(db_buf);
}

module_init(db_init);
module_exit(db_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Per-call cost of vfio_dma_rw() and vfio_pin_pages()");
