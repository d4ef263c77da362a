// SPDX-License-Identifier: GPL-2.0-only
// The public structs grow by appending fields; each starts with `size_t sz`,
// the caller's sizeof(). A caller built against an older header passes a
// smaller struct: the fields it lacks take their defaults (in) or are not
// written (out). A caller built against a newer one passes a larger struct:
// accepted when the bytes this library does not know are zero (in); left
// untouched (out). Never smaller than the struct's first release (the
// marker below names its last field then), else -EINVAL. As libbpf's
// OPTS_VALID/OPTS_GET, for whole structs.
#pragma once

#include <scx/scxcore.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>

namespace scxcore {

// The size of T in its first release: up to and including its last field then.
template <typename T> struct FirstRelease;
#define SCX_FIRST_RELEASE(T, last_field)                                                   \
	template <> struct FirstRelease<T> {                                               \
		static constexpr size_t size = offsetof(T, last_field) + sizeof(((T *)nullptr)->last_field); \
	}
SCX_FIRST_RELEASE(struct scx_opts, wake_batch);           // 0.1.0
SCX_FIRST_RELEASE(struct scx_queued_task, comm);          // 0.1.0
SCX_FIRST_RELEASE(struct scx_dispatched_task, token);     // 0.1.0
SCX_FIRST_RELEASE(struct scx_stats, nr_idle_misses);      // 0.1.0
SCX_FIRST_RELEASE(struct scx_exit_info, dump);            // 0.1.0
SCX_FIRST_RELEASE(struct scx_cpu_info, online);           // 0.1.0
SCX_FIRST_RELEASE(struct scx_cgroup_info, flags);         // 0.4.0
#undef SCX_FIRST_RELEASE

// Whether the caller's struct of size @sz may be used at all.
template <typename T> bool sized_ok(const T *p, size_t sz)
{
	return p && sz >= FirstRelease<T>::size;
}

// Read the caller's @in into @out (which holds the defaults): 0, or -EINVAL
// for NULL, a struct smaller than its first release, or non-zero bytes past
// those this library knows.
template <typename T> int read_sized(const T *in, T *out)
{
	if (!sized_ok(in, in ? in->sz : 0))
		return -EINVAL;
	const unsigned char *bytes = reinterpret_cast<const unsigned char *>(in);
	for (size_t i = sizeof(T); i < in->sz; i++)
		if (bytes[i])
			return -EINVAL;
	memcpy(static_cast<void *>(out), in, std::min(in->sz, sizeof(T)));
	out->sz = sizeof(T);
	return 0;
}

// Write @in (the whole struct as this library knows it) to the caller's
// @out, up to out->sz and never its sz itself: 0 or -EINVAL.
template <typename T> int write_sized(T *out, const T &in)
{
	if (!sized_ok(out, out ? out->sz : 0))
		return -EINVAL;
	size_t n = std::min(out->sz, sizeof(T));
	memcpy(reinterpret_cast<char *>(out) + sizeof(out->sz),
	       reinterpret_cast<const char *>(&in) + sizeof(in.sz), n - sizeof(in.sz));
	return 0;
}

} // namespace scxcore
