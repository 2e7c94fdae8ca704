# Helpers for the end-to-end tests of the programs. Each test script is run as
#   bash tests/cli/test-NAME.sh BUILD/bin
# in a scratch folder, and fails on the first broken expectation.
set -u
BIN=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export PATH="$BIN:$PATH"
DATA=${CTD_DATA:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../data" && pwd)}
# Under ASan + UBSan (make test-sanitize) the programs run 10-30 times slower.
# Runs that are long only so that a signal lands mid-run divide their length
# by SLOWDOWN: the same code paths, the signal still mid-run, minutes saved.
SLOWDOWN=$([ "${CTD_TEST_SANITIZED:-0}" == 1 ] && echo 10 || echo 1)
WORK=$(mktemp -d /tmp/ctd-cli-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
failures=0
checks=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { checks=$((checks + 1)); }

# expect_error CODE PATTERN OUTPUT -- command...
# The command must exit with CODE, print exactly one line on stderr matching
# PATTERN (grep -E), and leave no file at OUTPUT (use '' for none).
expect_error() {
  local code=$1 pattern=$2 out=$3
  shift 4
  local err rc
  err=$("$@" 2>&1 >/dev/null)
  rc=$?
  if [ "$rc" -ne "$code" ]; then fail "'$*' exited $rc, expected $code (stderr: $err)"; return; fi
  if [ "$(printf '%s\n' "$err" | wc -l)" -ne 1 ]; then fail "'$*' printed more than one line: $err"; return; fi
  if ! printf '%s' "$err" | grep -Eq -- "$pattern"; then fail "'$*' said '$err', expected /$pattern/"; return; fi
  if [ -n "$out" ] && [ -e "$out" ]; then fail "'$*' left '$out' behind"; return; fi
  if ls -A . | grep -q '\.tmp-'; then fail "'$*' left a temporary file: $(ls -A)"; return; fi
  ok
}

# expect_ok command... : must exit 0.
expect_ok() {
  local err
  if ! err=$("$@" 2>&1 >/dev/null); then fail "'$*' failed: $err"; else ok; fi
}

# same_text A B WHAT : two strings must be equal.
same_text() {
  if [ "$1" == "$2" ]; then ok; else fail "$3: differ"; fi
}

# A ctd vanilla network of one unit, h' = tanh(wR*h + wI*x), written with
# HDF5's own h5import (no ctd code involved): unit_network OUT.h5 WR WI.
unit_network() {
  local out=$1 args=() d dims value
  for d in "wR 2 1 1 $2" "wI 2 1 1 $3" "bR 1 1 0" "h0 1 1 0.1" "wO 2 1 1 1" "bO 1 1 0"; do
    set -- $d
    if [ "$2" = 2 ]; then dims="$3 $4" value=$5; else dims=$3 value=$4; fi
    echo "$value" > "$1.txt"
    printf 'PATH %s\nINPUT-CLASS TEXTFP\nRANK %s\nDIMENSION-SIZES %s\nOUTPUT-CLASS FP\nOUTPUT-SIZE 64\n' "$1" "$2" "$dims" > "$1.conf"
    args+=("$1.txt" -c "$1.conf")
  done
  h5import "${args[@]}" -o "$out" || fail "h5import $out"
}

finish() {
  echo "$checks passed, $failures failed"
  [ "$failures" -eq 0 ]
}
