# The manual pages: man/man1 (the example schedulers, made by `make man1`),
# man/man3 (one page per C API call; the functions documented on another
# page have a one-line .so page) and man/man7/libscxcore.7 (the overview).
# install.mk installs them under MANDIR.
#
# test-unit-man (tests/unit/man_pages.sh): every page renders without a groff
# warning (also as lintian runs man); every scx_* function the library exports
# and every inline one of the header has a page, named in its NAME section,
# with the header's prototype in its SYNOPSIS; references resolve; man1
# matches the examples' --help.

.PHONY: test-unit-man
test-unit: test-unit-man
test-unit-man: $(B)/lib/libscxcore.so.$(VERSION) $(addprefix $(B)/bin/,$(INSTALL_PROGS))
	VERSION=$(VERSION) tests/unit/man_pages.sh $(B)/lib/libscxcore.so.$(VERSION) \
		include/scx/scxcore.h man $(addprefix $(B)/bin/,$(INSTALL_PROGS))

# The examples' pages, man/man1, from their --help (help2man): run after
# changing an example's options; test-unit-man says when they are stale.
.PHONY: man1
man1: $(addprefix $(B)/bin/,$(INSTALL_PROGS))
	tools/man1.sh $(VERSION) man/man1 $^
