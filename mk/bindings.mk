# pkg-config metadata and the Go and Zig bindings, each with its FIFO example
# (build/bin/scx_rlfifo_go, build/bin/scx_rlfifo_zig) and host unit tests.

.PHONY: pkgconfig go zig test-unit-go test-unit-zig

# --- pkg-config -------------------------------------------------------------
# One template, scxcore.pc.in, for every variant. PC_SUBST turns it into a
# .pc for a given prefix, libdir and includedir (make install can use it with
# the installed paths). build/pkgconfig/scxcore.pc is the uninstalled variant:
# headers from the source tree, the library from build/lib, so that
#   PKG_CONFIG_PATH=build/pkgconfig pkg-config --cflags --libs scxcore
# works in-tree.
PC_DIR := $(abspath $(B)/pkgconfig)
PC_SUBST = sed -e 's|@PREFIX@|$(1)|g' -e 's|@LIBDIR@|$(2)|g' \
	-e 's|@INCLUDEDIR@|$(3)|g' -e 's|@VERSION@|$(VERSION)|g'

all: pkgconfig
pkgconfig: $(B)/pkgconfig/scxcore.pc

$(B)/pkgconfig/scxcore.pc: scxcore.pc.in Makefile mk/bindings.mk
	@mkdir -p $(@D)
	$(call PC_SUBST,$(CURDIR),$(abspath $(B)/lib),$(CURDIR)/include) $< >$@.tmp
	mv $@.tmp $@

# --- Go ----------------------------------------------------------------------
# Standard library only. Every cache lives in build/go; the module cache is
# read-only and nothing is ever downloaded (no proxy, no toolchain switch).
GO ?= /usr/lib/go-1.23/bin/go
GO_DIR := $(abspath $(B)/go)
# Go's build cache does not notice a changed C header ("go help cache"): the
# header's hash goes into CGO_CPPFLAGS, which is part of the cache key.
GO_HEADER_ID = $(firstword $(shell sha256sum include/scx/scxcore.h))
GO_ENV = CGO_ENABLED=1 CC="$(CC)" $(GO_CROSS) PKG_CONFIG_PATH=$(PC_DIR) GOENV=off \
	CGO_CPPFLAGS=-DSCXCORE_H_SHA256=$(GO_HEADER_ID) \
	GOCACHE=$(GO_DIR)/cache GOPATH=$(GO_DIR)/path GOMODCACHE=$(GO_DIR)/path/pkg/mod \
	GOFLAGS=-mod=readonly GOPROXY=off GOSUMDB=off GOTOOLCHAIN=local \
	CGO_LDFLAGS='-Wl,-rpath,$(TREE_RUNPATH) $(CROSS_LDFLAGS)'
GO_SOURCES := bindings/go/go.mod $(shell find bindings/go -name '*.go' ! -name '*_test.go')
LIB_DEPS := $(LIB) include/scx/scxcore.h $(B)/pkgconfig/scxcore.pc

go: $(B)/bin/scx_rlfifo_go

$(B)/bin/scx_rlfifo_go: $(GO_SOURCES) $(LIB_DEPS)
	@mkdir -p $(@D)
	cd bindings/go && $(GO_ENV) $(GO) build -trimpath -o $(abspath $@) ./examples/rlfifo

# gofmt must have nothing to say; vet and the tests run on the host (no
# sched_ext needed).
test-unit: test-unit-go
test-unit-go: $(LIB_DEPS)
	@out=$$($(dir $(GO))gofmt -l bindings/go); \
	if [ -n "$$out" ]; then echo "gofmt: not formatted: $$out" >&2; exit 1; fi
	cd bindings/go && $(GO_ENV) $(GO) vet ./...
	cd bindings/go && $(GO_ENV) LD_LIBRARY_PATH=$(abspath $(B)/lib) $(GO) test -count=1 ./...

# --- Zig ---------------------------------------------------------------------
# Zig 0.11.0 from npm into .tools/ (tools/zig.sh prints its path). Caches in
# build/zig. The build finds libscxcore through pkg-config, like Go.
ZIG_DIR := $(abspath $(B)/zig)
ZIG_ENV := PKG_CONFIG_PATH=$(PC_DIR) ZIG_GLOBAL_CACHE_DIR=$(ZIG_DIR)/global-cache \
	ZIG_LOCAL_CACHE_DIR=$(ZIG_DIR)/cache
ZIG_SOURCES := $(shell find bindings/zig -name '*.zig')

zig: $(B)/bin/scx_rlfifo_zig

$(B)/bin/scx_rlfifo_zig: $(ZIG_SOURCES) $(LIB_DEPS) tools/zig.sh
	@mkdir -p $(@D)
	zig=$$(tools/zig.sh) && cd bindings/zig && $(ZIG_ENV) $$zig build \
		--cache-dir $(ZIG_DIR)/cache --global-cache-dir $(ZIG_DIR)/global-cache \
		--prefix $(abspath $(B)) -Doptimize=ReleaseSafe -Drunpath='$(TREE_RUNPATH)' $(ZIG_TARGET)
	@touch $@

test-unit: test-unit-zig
test-unit-zig: $(LIB_DEPS) tools/zig.sh
	zig=$$(tools/zig.sh) && cd bindings/zig && $$zig fmt --check . && \
	$(ZIG_ENV) LD_LIBRARY_PATH=$(abspath $(B)/lib) $$zig test scxcore.zig \
		--cache-dir $(ZIG_DIR)/cache --global-cache-dir $(ZIG_DIR)/global-cache \
		-I$(CURDIR)/include -L$(abspath $(B)/lib) -lscxcore -lc
