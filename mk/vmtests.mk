# Programs that the VM test cases run inside the guest (build/bin is on its PATH).

$(B)/bin/scxtest_%: tests/vm/progs/scxtest_%.c tests/vm/progs/testutil.h include/scx/scxcore.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -std=gnu11 -pthread -Iinclude $< -o $@ $(LINK_SCXCORE)

# issue 6's 5-minute soak (not part of make test): SOAK_SECS=N to change.
.PHONY: soak
soak: $(VM_GUEST)
	tests/vm/run --timeout $$(( $(or $(SOAK_SECS),300) + 240 )) -- env SOAK_SECS=$(or $(SOAK_SECS),300) sh /tests/cases/soak.sh
