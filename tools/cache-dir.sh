#!/bin/sh
# Prints the directory where the project caches what it downloads or builds
# outside the tree (apt lists and packages, kernels, guest roots, libbpf):
# $SCX_CACHE_DIR, else $XDG_CACHE_HOME/libscxcore, else ~/.cache/libscxcore.
echo "${SCX_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/libscxcore}"
