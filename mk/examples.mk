# Example schedulers, linked against the library like any user program.

.PHONY: examples
examples: $(EXAMPLES)

$(B)/bin/%: examples/%.c include/scx/scxcore.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -std=gnu11 -Iinclude $< -o $@ $(LINK_SCXCORE)

# The guest side of `make run-example`.
$(B)/bin/scx-demo: examples/scx-demo.sh
	@mkdir -p $(@D)
	install -m 755 $< $@

# The main job: scx_rlfifo under a workload on a real sched_ext kernel (VM).
run-example: deps
	$(MAKE) $(LIB) $(EXAMPLES)
	tests/vm/run --timeout 300 -- scx-demo $(or $(SECS),10)
