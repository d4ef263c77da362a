// SPDX-License-Identifier: GPL-2.0-only
#include "btf_util.h"

#include <bpf/btf.h>
#include <cstring>
#include <memory>
#include <mutex>

namespace scxcore {
namespace {

struct BtfDeleter {
	void operator()(struct btf *b) const { btf__free(b); }
};

const struct btf *vmlinux_btf()
{
	static std::unique_ptr<struct btf, BtfDeleter> btf;
	static std::once_flag once;
	std::call_once(once, [] { btf.reset(btf__load_vmlinux_btf()); });
	return btf.get();
}

} // namespace

std::optional<uint64_t> kernel_enum_value(const char *enum_name, const char *name)
{
	const struct btf *btf = vmlinux_btf();
	if (!btf)
		return std::nullopt;
	for (int kind : {(int)BTF_KIND_ENUM, (int)BTF_KIND_ENUM64}) {
		int id = btf__find_by_name_kind(btf, enum_name, kind);
		if (id < 0)
			continue;
		const struct btf_type *t = btf__type_by_id(btf, id);
		for (int i = 0; i < btf_vlen(t); i++) {
			if (kind == BTF_KIND_ENUM) {
				const struct btf_enum *e = btf_enum(t) + i;
				if (!strcmp(btf__name_by_offset(btf, e->name_off), name))
					return btf_kflag(t) ? (uint64_t)(int64_t)e->val : (uint64_t)(uint32_t)e->val;
			} else {
				const struct btf_enum64 *e = btf_enum64(t) + i;
				if (!strcmp(btf__name_by_offset(btf, e->name_off), name))
					return btf_enum64_value(e);
			}
		}
	}
	return std::nullopt;
}

bool kernel_has_member(const char *struct_name, const char *member)
{
	const struct btf *btf = vmlinux_btf();
	return btf && btf_member_offset(btf, struct_name, member) >= 0;
}

long btf_var_offset(const struct btf *btf, const char *sec, const char *var)
{
	int id = btf__find_by_name_kind(btf, sec, BTF_KIND_DATASEC);
	if (id < 0)
		return -1;
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_var_secinfo *vs = btf_var_secinfos(t);
	for (int i = 0; i < btf_vlen(t); i++, vs++) {
		const struct btf_type *v = btf__type_by_id(btf, vs->type);
		if (!strcmp(btf__name_by_offset(btf, v->name_off), var))
			return vs->offset;
	}
	return -1;
}

long btf_member_offset(const struct btf *btf, const char *struct_name, const char *member)
{
	int id = btf__find_by_name_kind(btf, struct_name, BTF_KIND_STRUCT);
	if (id < 0)
		return -1;
	const struct btf_type *t = btf__type_by_id(btf, id);
	for (int i = 0; i < btf_vlen(t); i++) {
		const struct btf_member *m = btf_members(t) + i;
		if (!strcmp(btf__name_by_offset(btf, m->name_off), member))
			return btf_member_bit_offset(t, i) / 8;
	}
	return -1;
}

} // namespace scxcore
