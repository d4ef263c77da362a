// SPDX-License-Identifier: GPL-2.0-only
// Reading layouts and constants from BTF: the running kernel's (for flag and
// enum values that differ between kernels) and our BPF object's (for where
// its global variables and struct_ops fields live).
#pragma once

#include <cstdint>
#include <optional>

struct btf;

namespace scxcore {

// Value of enumerator `name` of `enum enum_name` in the running kernel's BTF;
// nullopt when the kernel has no such enumerator (or no BTF).
std::optional<uint64_t> kernel_enum_value(const char *enum_name, const char *name);

// Whether the running kernel's `struct struct_name` has `member`.
bool kernel_has_member(const char *struct_name, const char *member);

// Byte offset of global variable `var` inside data section `sec` (".bss",
// ".rodata", ...); -1 when absent.
long btf_var_offset(const struct btf *btf, const char *sec, const char *var);

// Byte offset of member `member` of `struct struct_name`; -1 when absent.
long btf_member_offset(const struct btf *btf, const char *struct_name, const char *member);

} // namespace scxcore
