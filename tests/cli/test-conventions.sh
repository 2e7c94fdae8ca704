# What every program shares: --help and the man page list the same options,
# tool mains stay thin shells over libcore, config files are strict, and a
# file's recorded options recreate it.
source "$(dirname "$0")/lib.sh"
MAN="$ROOT/man"
TOOLS="compare-dynamics ctd-info ctd-plot find-cycles find-fixed-points fit-lfads gen-flipflop gen-integrator gen-sentiment linearize lyapunov-spectrum run-esn run-rnn score-rates simulate-calcium spikify to-nlb train-rnn tune-lfads"

# The man page's OPTIONS section is the program's own (scripts/update-man
# writes it from the definitions behind --help), so the two agree.
for t in $TOOLS; do
  page=$(awk '/^\.SH OPTIONS/ { on = 1; next } /^\.SH / { on = 0 } on' "$MAN/$t.1")
  [ "$page" == "$("$t" --man-options)" ] && ok || fail "man/$t.1 disagrees with $t --help: run scripts/update-man"
  for o in $("$t" --help | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
    printf '%s' "$page" | sed 's/\\-/-/g' | grep -q -- "$o" || fail "man/$t.1 lacks $o"
  done
done

# A tool main is a shell: options in, one libcore call, outputs out. The
# measure is its length: 100 lines hold the option registrations, the call
# and the writes of the largest tool; an algorithm does not fit beside them.
for f in "$ROOT"/tools/*.cpp; do
  n=$(wc -l < "$f")
  [ "$n" -le 100 ] && ok || fail "$(basename "$f") has $n lines (at most 100: move its work into libcore)"
done

# Nothing points readers outside the repository.
refs=$(cd "$ROOT" && grep -rlIE --exclude-dir='build*' --exclude-dir=.git --exclude=test-conventions.sh \
       '(SPEC|FORMATS|CONVENTIONS|DESIGN)\.md' . 2>/dev/null | tr '\n' ' ')
[ -z "$refs" ] && ok || fail "files point to documents outside the repository: $refs"

# Config files: unknown keys, foreign sections and non-text are usage errors.
printf 'seeed = 3\n' > typo.toml
expect_error 2 "typo.toml:1: unknown option 'seeed'" out.h5 -- gen-integrator --config typo.toml -o out.h5
printf '[train-rnn]\ntrials = 3\n' > section.toml
expect_error 2 'section \[train-rnn\] is not for gen-integrator' out.h5 -- gen-integrator --config section.toml -o out.h5
printf 'trials = \n' > empty.toml
expect_error 2 'empty.toml:1: missing value' out.h5 -- gen-integrator --config empty.toml -o out.h5
head -c 300 /dev/urandom > random.toml
printf '\001\002\n' >> random.toml
expect_error 2 'random.toml:[0-9]+: ' out.h5 -- gen-integrator --config random.toml -o out.h5
printf 'trials = nan\n' > nan.toml
expect_error 2 '--trials: expected a whole number' out.h5 -- gen-integrator --config nan.toml -o out.h5
printf '[gen-integrator]\ntrials = 3 # three\nlr_decay = 1\n' > other.toml
expect_error 2 "other.toml:3: unknown option 'lr_decay'" out.h5 -- gen-integrator --config other.toml -o out.h5
# NaN, Inf and out-of-range values are refused on the command line as in files.
expect_error 2 '--alpha: must be a finite number' out.h5 -- run-esn --alpha nan -o out.h5
expect_error 2 '--max-grad-norm: must be > 0, got -1' out.h5 -- train-rnn --max-grad-norm -1 -o out.h5
expect_error 2 '--seed: expected a non-negative whole number' out.h5 -- gen-integrator --seed -1 -o out.h5
expect_error 2 '--seed: expected a whole number below 2\^63' out.h5 -- gen-integrator --seed 18446744073709551616 -o out.h5

# A file's recorded options, turned back into a config, recreate it exactly.
gen-integrator --task decision --trials 9 --steps 7 --bias 0.2 --seed 5 -o a.h5
ctd-info --as-config a.h5 > a.toml && ok || fail "ctd-info --as-config failed"
grep -q '^task = "decision"$' a.toml && ok || fail "a.toml lacks the task: $(cat a.toml)"
gen-integrator --config a.toml -o b.h5 && ok || fail "the recorded config does not read back: $(cat a.toml)"
h5diff a.h5 b.h5 inputs inputs >/dev/null && h5diff a.h5 b.h5 targets targets >/dev/null && ok || fail "the recreated file differs"
# Command-line values win over the file's.
gen-integrator --config a.toml --trials 4 -o c.h5
[ "$(h5dump -H -d inputs c.h5 | grep -o 'DATASPACE  SIMPLE { ( [0-9]*' | grep -o '[0-9]*$')" = 4 ] && ok || fail "--trials did not win over the config"

# The same for a training run: its recorded options retrain the same network.
train-rnn --task decision --hidden 8 --batches 20 --eval-trials 16 --seed 4 -q -o n1.h5
ctd-info --as-config n1.h5 > n1.toml
train-rnn --config n1.toml -q -o n2.h5 && h5diff n1.h5 n2.h5 wRUHX wRUHX >/dev/null && ok || fail "train-rnn --config of its own recorded options differs"

# Provenance records what ran: the force preset runs in double and says so.
run-esn --preset force --n 40 --steps 200 --passes 1 --no-states -o force.h5 2>/dev/null
[ "$(ctd-info --as-config force.h5 | grep '^double = ')" = "double = 1" ] && ok || fail "run-esn --preset force does not record double = 1"
[ "$(ctd-info --as-config force.h5 | grep '^update_every = ')" = "update_every = 2" ] && ok || fail "the preset's update_every is not recorded"
# Task files state their kind, and train-rnn picks its recipe from it.
gen-sentiment --trials 4 -o s.h5
[ "$(ctd-info s.h5 | grep -c '^  task_kind = sentiment$')" = 1 ] && ok || fail "gen-sentiment does not write task_kind"
[ "$(train-rnn -i s.h5 -o - --print-config | grep '^lr_decay = ')" = "lr_decay = 0.99995" ] && ok || fail "train-rnn does not take the sentiment recipe from task_kind"

finish
