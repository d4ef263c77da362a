// SPDX-License-Identifier: GPL-2.0-only
#include "cgroupfs.h"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <unistd.h>

namespace scxcore {

namespace {

// A cgroup v2 id is the kernfs node id of its directory, which
// open_by_handle_at() takes as a file handle of this type
// (include/linux/exportfs.h, FILEID_KERNFS).
constexpr int kFileidKernfs = 0xfe;

// The first cgroup2 mount of /proc/self/mountinfo, opened once; -errno if none.
int cgroup2_mount_fd()
{
	static std::once_flag once;
	static int fd = -ENOENT;
	std::call_once(once, [] {
		FILE *f = fopen("/proc/self/mountinfo", "re");
		if (!f)
			return;
		char line[4096], path[4096];
		while (fgets(line, sizeof(line), f)) {
			// "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [TAGS...] - FSTYPE ..."
			const char *sep = strstr(line, " - cgroup2 ");
			if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", path) != 1)
				continue;
			int m = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			fd = m >= 0 ? m : -errno;
			break;
		}
		fclose(f);
	});
	return fd;
}

// The number(s) at the start of @dir/@name: how many were read, 0 when the
// file is missing, -errno otherwise. "max" reads as ~0.
int read_numbers(int dir, const char *name, uint64_t *a, uint64_t *b)
{
	int fd = openat(dir, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	char buf[64];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	int err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = '\0';
	char first[32];
	int got = sscanf(buf, "%31s %" SCNu64, first, b);
	if (got < 1)
		return -EIO;
	*a = strcmp(first, "max") ? strtoull(first, nullptr, 10) : ~0ULL;
	return got;
}

} // namespace

int read_cgroup_files(uint64_t id, CgroupFiles *out)
{
	int mnt = cgroup2_mount_fd();
	if (mnt < 0)
		return mnt;
	alignas(struct file_handle) unsigned char buf[sizeof(struct file_handle) + sizeof(id)];
	auto *fh = reinterpret_cast<struct file_handle *>(buf);
	fh->handle_bytes = sizeof(id);
	fh->handle_type = kFileidKernfs;
	memcpy(fh->f_handle, &id, sizeof(id));
	int dir = open_by_handle_at(mnt, fh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return errno == ESTALE ? -ENOENT : -errno;
	uint64_t a = 0, b = 0;
	int err = read_numbers(dir, "cpu.weight", &a, &b);
	if (err > 0)
		out->weight = (uint32_t)a;
	if (err >= 0 && (err = read_numbers(dir, "cpu.max", &a, &b)) == 2) {
		out->quota_us = a;
		out->period_us = b;
	}
	if (err >= 0 && (err = read_numbers(dir, "cpu.max.burst", &a, &b)) > 0)
		out->burst_us = a;
	if (err >= 0 && (err = read_numbers(dir, "cpu.idle", &a, &b)) > 0)
		out->idle = a != 0;
	close(dir);
	return err < 0 ? err : 0;
}

} // namespace scxcore
