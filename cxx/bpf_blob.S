/* SPDX-License-Identifier: GPL-2.0-only */
/* The compiled BPF backend, embedded so users need no clang or .bpf.o file:
 * its cpu-form and its cid-form build (bpf/include/cid_form.h). */
	.section .rodata.scxcore_bpf, "a"
	.balign 8
	.globl scxcore_bpf_obj
	.hidden scxcore_bpf_obj
scxcore_bpf_obj:
	.incbin SCXCORE_BPF_OBJ
	.globl scxcore_bpf_obj_end
	.hidden scxcore_bpf_obj_end
scxcore_bpf_obj_end:
	.balign 8
	.globl scxcore_bpf_cid_obj
	.hidden scxcore_bpf_cid_obj
scxcore_bpf_cid_obj:
	.incbin SCXCORE_BPF_CID_OBJ
	.globl scxcore_bpf_cid_obj_end
	.hidden scxcore_bpf_cid_obj_end
scxcore_bpf_cid_obj_end:
	.section .note.GNU-stack, "", @progbits
