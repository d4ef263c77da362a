# Example schedulers, linked against the library like any user program.

EXAMPLES := $(patsubst examples/%.c,$(B)/bin/%,$(wildcard examples/*.c))

.PHONY: examples
all: examples
examples: $(EXAMPLES)

$(B)/bin/%: examples/%.c include/scx/scxcore.h $(B)/lib/libscxcore.so
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -std=gnu11 -Iinclude $< -o $@ $(LINK_SCXCORE)

# The guest side of `make run-example`.
all: $(B)/bin/scx-demo
$(B)/bin/scx-demo: examples/scx-demo.sh
	@mkdir -p $(@D)
	install -m 755 $< $@

# The main job: scx_rlfifo under a workload on a real sched_ext kernel (VM).
run-example: deps all kernel
	tests/vm/run --timeout 300 -- scx-demo $(or $(SECS),10)
