#!/bin/sh
# Host checks of scx_interactive's command line and of the JSON checker the VM
# case uses (no sched_ext needed): cli_test.sh BINDIR
# Bad values must be refused with exit 2 and a message naming the option,
# before anything is loaded (so this runs anywhere, as any user).
bin=${1:?usage: cli_test.sh BINDIR}
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

out=$("$bin/scx_interactive" --help) && rc=0 || rc=$?
if [ "$rc" = 0 ] && echo "$out" | grep -q -- '--slice-us US' &&
	echo "$out" | grep -q 'default 10000' && echo "$out" | grep -q -- '--stats-json'; then
	ok "--help exits 0 and gives units and defaults"
else
	bad "--help (exit $rc)"
fi

# ARGS | text the error must contain
while IFS='|' read -r args want; do
	# shellcheck disable=SC2086 # word splitting wanted
	err=$("$bin/scx_interactive" $args 2>&1 >/dev/null) && rc=0 || rc=$?
	if [ "$rc" = 2 ] && echo "$err" | grep -q -- "$want"; then
		ok "'$args' refused: $err"
	else
		bad "'$args': exit $rc, stderr '$err' (want exit 2 and '$want')"
	fi
done <<'EOF'
--slice-us 0|--slice-us
--slice-us 9|--slice-us
--slice-us 1000001|--slice-us
--slice-us abc|--slice-us
--slice-us -5|--slice-us
--slice-us 99999999999999999999999|--slice-us
--slice-us-min 0|--slice-us-min
--slice-us 2000 --slice-us-min 3000|must not exceed
--stats 0|--stats
--stats x|--stats
--stats 1e9|--stats
--exit-dump-len 2000000|--exit-dump-len
--exit-dump-len -1|--exit-dump-len
--behind 1025|--behind
--behind -1|--behind
--sub-cgroup batch|--sub-cgroup
--sub-cgroup /sys/fs/cgroup/b --host-subs|nested
--host-subs --linger-ms 100|cannot be combined
--sub-cgroup /sys/fs/cgroup/b --take-over|cannot be combined
--slice-us|needs a value
--bogus|unknown option
extra|unexpected argument
EOF

# The JSON checker accepts JSON Lines objects and refuses anything else.
check_json() { # EXPECTED_EXIT TEXT [ARGS...]
	want=$1 text=$2; shift 2
	printf '%s\n' "$text" | "$bin/scxtest_jsoncheck" "$@" >/dev/null && rc=0 || rc=$?
	if [ "$rc" = "$want" ]; then ok "jsoncheck exit $rc on $text"; else bad "jsoncheck exit $rc (want $want) on $text"; fi
}
check_json 0 '{"a":1,"b":-2.5e-3,"c":"x\"\u00e9","d":[true,false,null,{}],"e":{"f":[]}}' -k a -k e
check_json 0 '{}'
check_json 1 '{"a":1}' -k b
check_json 1 '{"a":1,}'
check_json 1 '{"a":01}'
check_json 1 '{"a":1} x'
check_json 1 '{"a":nan}'
check_json 1 '{"a":"tab	in string"}'
check_json 1 '[1,2]'
check_json 1 '{"a":1' 
check_json 1 '' -m 1

exit $fail
