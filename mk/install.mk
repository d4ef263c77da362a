# make install / uninstall, their host test, the ABI baseline check and the
# Debian package test.
#
#   make install   [DESTDIR=...] [PREFIX=/usr/local] [LIBDIR=...] [INCLUDEDIR=...]
#                  [BINDIR=...] [PKGCONFIGDIR=...] [MANDIR=...]
#   make uninstall (same variables): removes exactly the files install wrote
#
# Defaults: PREFIX=/usr/local; LIBDIR=$(PREFIX)/lib/<multiarch triplet>
# (DEB_HOST_MULTIARCH, else what `$(CC) -print-multiarch` says, e.g.
# x86_64-linux-gnu; $(PREFIX)/lib when there is none): /usr/local/lib/<triplet>
# is on Debian's default ld.so and pkg-config search paths;
# INCLUDEDIR=$(PREFIX)/include; BINDIR=$(PREFIX)/bin;
# PKGCONFIGDIR=$(LIBDIR)/pkgconfig; MANDIR=$(PREFIX)/share/man.
#
# Installed: LIBDIR/libscxcore.so.$(VERSION), its SONAME link libscxcore.so.0
# and the development link libscxcore.so; INCLUDEDIR/scx/scxcore.h and
# scxcore.hpp; PKGCONFIGDIR/scxcore.pc for the installed paths; the example
# schedulers in BINDIR; the manual pages in MANDIR/man1, man3 and man7 (the
# .so pages as they are: man-db follows them, dh_installman makes them
# symlinks).
# Nothing carries an RPATH: the programs' tree RUNPATH ($ORIGIN/../lib) is
# removed with chrpath -d. Without DESTDIR, as root, ldconfig runs
# afterwards (LDCONFIG=: to skip it).
#
# `make installables` builds just what install installs (not the Go and Zig
# bindings, not the tests): the Debian package build uses it.

PREFIX ?= /usr/local
MULTIARCH := $(or $(DEB_HOST_MULTIARCH),$(shell $(CC) -print-multiarch 2>/dev/null))
LIBDIR ?= $(PREFIX)/lib$(if $(MULTIARCH),/$(MULTIARCH))
INCLUDEDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MANDIR ?= $(PREFIX)/share/man
LDCONFIG ?= ldconfig

# (lib.mk is read after this file: its variables cannot be used in
# prerequisites here.)
INSTALL_LIB := libscxcore.so.$(VERSION)
INSTALL_SONAME := libscxcore.so.$(SOVERSION)
INSTALL_HEADERS := include/scx/scxcore.h include/scx/scxcore.hpp
INSTALL_PROGS := scx_rlfifo scx_rlvtime scx_cgfair $(if $(wildcard mk/interactive.mk),scx_interactive)
INSTALL_MAN1 := $(wildcard man/man1/*.1)
INSTALL_MAN3 := $(wildcard man/man3/*.3)
INSTALL_MAN7 := $(wildcard man/man7/*.7)
INSTALL_FILES := $(B)/lib/$(INSTALL_LIB) $(INSTALL_HEADERS) $(addprefix $(B)/bin/,$(INSTALL_PROGS))

# In scxcore.pc, paths under PREFIX are written relative to ${prefix}.
INSTALL_PC_LIBDIR = $(patsubst $(PREFIX)/%,$${exec_prefix}/%,$(LIBDIR))
INSTALL_PC_INCLUDEDIR = $(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))

.PHONY: install uninstall installables test-install abi-baseline test-unit-abi-compat test-pkg

installables: $(INSTALL_FILES)

install: installables
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/scx $(DESTDIR)$(PKGCONFIGDIR) \
		$(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man7
	install -m 644 $(B)/lib/$(INSTALL_LIB) $(DESTDIR)$(LIBDIR)/
	ln -sfn $(INSTALL_LIB) $(DESTDIR)$(LIBDIR)/$(INSTALL_SONAME)
	ln -sfn $(INSTALL_SONAME) $(DESTDIR)$(LIBDIR)/libscxcore.so
	install -m 644 $(INSTALL_HEADERS) $(DESTDIR)$(INCLUDEDIR)/scx/
	@mkdir -p $(B)/install
	$(call PC_SUBST,$(PREFIX),$(INSTALL_PC_LIBDIR),$(INSTALL_PC_INCLUDEDIR)) scxcore.pc.in \
		>$(B)/install/scxcore.pc
	install -m 644 $(B)/install/scxcore.pc $(DESTDIR)$(PKGCONFIGDIR)/
	install -m 755 $(addprefix $(B)/bin/,$(INSTALL_PROGS)) $(DESTDIR)$(BINDIR)/
	chrpath -d $(addprefix $(DESTDIR)$(BINDIR)/,$(INSTALL_PROGS)) >/dev/null
	install -m 644 $(INSTALL_MAN1) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(INSTALL_MAN3) $(DESTDIR)$(MANDIR)/man3/
	install -m 644 $(INSTALL_MAN7) $(DESTDIR)$(MANDIR)/man7/
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then echo $(LDCONFIG); $(LDCONFIG); fi

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/$(INSTALL_LIB) $(DESTDIR)$(LIBDIR)/$(INSTALL_SONAME) \
		$(DESTDIR)$(LIBDIR)/libscxcore.so
	rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/scx/,$(notdir $(INSTALL_HEADERS)))
	if [ -d $(DESTDIR)$(INCLUDEDIR)/scx ]; then rmdir --ignore-fail-on-non-empty $(DESTDIR)$(INCLUDEDIR)/scx; fi
	rm -f $(DESTDIR)$(PKGCONFIGDIR)/scxcore.pc
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(INSTALL_PROGS))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(INSTALL_MAN1))) \
		$(addprefix $(DESTDIR)$(MANDIR)/man3/,$(notdir $(INSTALL_MAN3))) \
		$(addprefix $(DESTDIR)$(MANDIR)/man7/,$(notdir $(INSTALL_MAN7)))
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then echo $(LDCONFIG); $(LDCONFIG); fi

# Install into a scratch DESTDIR (default and custom directories), build a C
# and a C++ program against it through pkg-config, run them, uninstall.
test-unit: test-install
test-install: installables
	MAKE="$(MAKE)" tests/pkg/install-test.sh "$(VERSION)" "$(PREFIX)" "$(LIBDIR)" "$(INCLUDEDIR)" \
		"$(BINDIR)" "$(PKGCONFIGDIR)" "$(MANDIR)" $(INSTALL_PROGS)

# --- ABI --------------------------------------------------------------------
# tests/abi/libscxcore.abi is the committed ABI of the library (public
# headers only). The check fails on incompatible changes and on any change to
# an existing interface; new functions and members appended to sz-versioned
# structs pass (and are printed). `make abi-baseline` records the current ABI,
# deliberately: the baseline and debian/libscxcore0.symbols (where a new
# symbol gets $(VERSION)); commit both with the change.
test-unit: test-unit-abi-compat
test-unit-abi-compat: $(B)/lib/$(INSTALL_LIB)
	tests/abi/check.sh $(B)/lib/$(INSTALL_LIB)

abi-baseline: $(B)/lib/$(INSTALL_LIB)
	tests/abi/check.sh --update $(B)/lib/$(INSTALL_LIB)
	tests/abi/symbols.sh $(B)/lib/$(INSTALL_LIB) $(VERSION)

# --- Debian packages ----------------------------------------------------------
# A package build from a copy of the tree, lintian, programs built against
# the unpacked packages, then the core VM cases against the installed
# library (tests/pkg/build-and-install.sh). Part of `make test`.
test-pkg:
	tests/pkg/build-and-install.sh
