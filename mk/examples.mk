# Example schedulers, linked against the library like any user program.

EXAMPLES := $(patsubst examples/%.c,$(B)/bin/%,$(wildcard examples/*.c))

.PHONY: examples
all: examples
examples: $(EXAMPLES)

$(B)/bin/%: examples/%.c include/scx/scxcore.h $(B)/lib/libscxcore.so
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -std=gnu11 -Iinclude $< -o $@ -L$(B)/lib -lscxcore
