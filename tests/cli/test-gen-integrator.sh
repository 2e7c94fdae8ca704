#!/usr/bin/env bash
# End-to-end tests of gen-integrator: outputs, pipes, seeds, config, bad input.
source "$(dirname "$0")/lib.sh" "$1"

# --- output content -----------------------------------------------------------
expect_ok gen-integrator --trials 64 --seed 3 -o int.h5
header=$(h5dump -H int.h5)
for ds in inputs targets target_mask; do
  if printf '%s' "$header" | grep -A3 "DATASET \"$ds\"" | grep -q 'H5T_IEEE_F32LE' &&
     printf '%s' "$header" | grep -A3 "DATASET \"$ds\"" | grep -q '( 64, 25, 1 )'; then ok
  else fail "dataset $ds is not float32 [64,25,1]"; fi
done
info=$(ctd-info int.h5)
printf '%s' "$info" | grep -q '^kind: task' && ok || fail "ctd_kind is not task"
printf '%s' "$info" | grep -q 'gen-integrator --trials 64 --seed 3 -o int.h5' && ok || fail "history lacks the command line"
printf '%s' "$info" | grep -q '^  noise = 0.025$' && ok || fail "option noise not stored as attribute"
printf '%s' "$info" | grep -Eq '^  target_mask .*min 1  mean 1  max 1' && ok || fail "integrator mask is not all ones"

# Positional output works like -o.
expect_ok gen-integrator --trials 4 positional.h5
[ -f positional.h5 ] && ok || fail "positional output not written"

# --- pipes: the stdout image is a complete HDF5 file -------------------------------
gen-integrator --trials 8 --seed 3 -o - > image.h5 && ok || fail "writing to a redirected stdout failed"
h5dump -H image.h5 | grep -q 'DATASET "inputs"' && ok || fail "h5dump cannot read the stdout image"
piped=$(gen-integrator --trials 8 --seed 3 -o - | ctd-info - | grep '^  inputs')
direct=$(ctd-info image.h5 | grep '^  inputs')
same_text "$piped" "$direct" "gen-integrator -o - | ctd-info - vs a file"
cat image.h5 | ctd-info - | grep -q '^kind: task' && ok || fail "cat file | ctd-info - failed"

# --- seeds and batch independence ---------------------------------------------------
expect_ok gen-integrator --trials 100 --seed 3 -o int100.h5
expect_ok gen-integrator --trials 100 --seed 3 --task decision -o dec100.h5
expect_ok gen-integrator --trials 100 --seed 4 -o int100s4.h5
h5diff int100.h5 dec100.h5 /inputs /inputs >/dev/null && ok || fail "same seed, different task: inputs differ"
h5diff -q int100.h5 int100s4.h5 /inputs /inputs >/dev/null && fail "different seeds gave the same inputs" || ok
first=$(h5dump -d /inputs -s 0,0,0 -c 64,25,1 -y -w 0 int100.h5 | sed -n '/DATA {/,/}/p')
small=$(h5dump -d /inputs -s 0,0,0 -c 64,25,1 -y -w 0 int.h5 | sed -n '/DATA {/,/}/p')
same_text "$first" "$small" "first 64 trials of a 100-trial file vs a 64-trial file"
expect_ok gen-integrator --trials 100 --seed 3 -t 1 -o int100t1.h5
h5diff int100.h5 int100t1.h5 /inputs /inputs >/dev/null && ok || fail "thread count changed the data"

# --- config files ----------------------------------------------------------------------
gen-integrator --print-config --trials 7 --task decision --seed 5 > run.toml && ok || fail "--print-config failed"
grep -q '^trials = 7$' run.toml && ok || fail "--print-config lacks trials=7"
expect_ok gen-integrator --config run.toml -o fromcfg.h5
expect_ok gen-integrator --trials 7 --task decision --seed 5 -o direct.h5
h5diff fromcfg.h5 direct.h5 /targets /targets >/dev/null && ok || fail "config run differs from the command line run"
expect_ok gen-integrator --config run.toml --trials 9 -o override.h5
h5dump -H override.h5 | grep -q '( 9, 25, 1 )' && ok || fail "command line did not win over the config file"

# --- provenance switches ------------------------------------------------------------------
expect_ok gen-integrator --trials 2 --no-history -o nohist.h5
ctd-info nohist.h5 | grep -q '^history:' && fail "--no-history still wrote history" || ok
gen-integrator -V | grep -Eq '^gen-integrator \(ctd\) [0-9]+\.[0-9]+' && ok || fail "-V does not print the version"
gen-integrator --help | grep -q '^  gen-integrator --task decision' && ok || fail "--help lacks the example"

# --- bad input: clear error, right exit code, no output ---------------------------------------
expect_error 2 'trials' bad.h5 -- gen-integrator --trials 0 -o bad.h5
expect_error 2 'trials' bad.h5 -- gen-integrator --trials -3 -o bad.h5
expect_error 2 'steps' bad.h5 -- gen-integrator --steps 0 -o bad.h5
expect_error 2 'duration' bad.h5 -- gen-integrator --duration -1 -o bad.h5
expect_error 2 'noise' bad.h5 -- gen-integrator --noise nan -o bad.h5
expect_error 2 'task' bad.h5 -- gen-integrator --task integrate -o bad.h5
expect_error 2 'bogus' bad.h5 -- gen-integrator --bogus -o bad.h5
expect_error 2 'output is required' '' -- gen-integrator --trials 3
expect_error 1 "folder 'no/such' does not exist" no/such/out.h5 -- gen-integrator -o no/such/out.h5
expect_error 1 "cannot write in folder '/proc'" /proc/ctd-out.h5 -- gen-integrator -o /proc/ctd-out.h5
if [ "$(id -u)" -ne 0 ]; then
  mkdir ro && chmod 555 ro
  expect_error 1 "cannot write in folder 'ro'" ro/out.h5 -- gen-integrator -o ro/out.h5
fi
expect_error 1 'not an HDF5 file' '' -- ctd-info /etc/hostname
expect_error 1 'No such file' '' -- ctd-info missing.h5
echo "plain text" > text.txt
expect_error 1 'stdin: not an HDF5 file' '' -- sh -c 'ctd-info - < text.txt'
: > empty.h5
expect_error 1 'stdin: no data' '' -- sh -c 'ctd-info - < empty.h5'

# An existing output survives a failed run.
echo precious > keep.h5
gen-integrator --steps 0 -o keep.h5 2>/dev/null
[ "$(cat keep.h5)" = precious ] && ok || fail "a failed run changed an existing output"

# Writing HDF5 to a terminal is refused.
if command -v script >/dev/null; then
  out=$(script -qec "gen-integrator --trials 2 -o -" /dev/null 2>&1)
  rc=$?
  [ $rc -eq 2 ] && printf '%s' "$out" | grep -q 'refusing to write binary HDF5 to a terminal' && ok ||
    fail "writing to a terminal: rc=$rc, output: $out"
fi

# Killed mid-run (SIGTERM), nothing partial is left and an existing file stays.
echo precious > big.h5
gen-integrator --trials 400000 -o big.h5 2>/dev/null &
pid=$!
sleep 0.3
kill -TERM $pid 2>/dev/null
wait $pid
rc=$?
if [ $rc -ne 0 ]; then
  [ "$(cat big.h5)" = precious ] && ok || fail "SIGTERM left a changed output"
fi
ls -A | grep -q '\.tmp-' && fail "SIGTERM left a temporary file" || ok

finish
