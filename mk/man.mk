# The manual pages: man/man3 (one page per C API call; the functions
# documented on another page have a one-line .so page) and man/man7/libscxcore.7
# (the overview). install.mk installs them under MANDIR.
#
# test-unit-man (tests/unit/man_pages.sh): every page renders without a groff
# warning (also as lintian runs man); every scx_* function the library exports
# and every inline one of the header has a page, named in its NAME section,
# with the header's prototype in its SYNOPSIS; references resolve.

.PHONY: test-unit-man
test-unit: test-unit-man
test-unit-man: $(B)/lib/libscxcore.so.$(VERSION)
	tests/unit/man_pages.sh $(B)/lib/libscxcore.so.$(VERSION) include/scx/scxcore.h man
