# The command line a newcomer meets: --version; an installed copy run from
# outside the checkout finds its triggers, routes and mapping files (and says
# how to point at them when it cannot); every command's --help has examples;
# no nan or inf on data with gaps; thousands separators in tables and notes;
# no progress line into a pipe.
source "$(dirname "$0")/lib.sh"

# --version: the project's version from CMakeLists.txt.
version=$(sed -n 's/^project(atalaya VERSION \([0-9.]*\).*/\1/p' "$ROOT/CMakeLists.txt")
expect_eq "--version" "atalaya $version" "$("$ATALAYA" --version)"

# An installed copy: PREFIX/bin/atalaya and PREFIX/share/atalaya/{triggers,routes,sources,web}.
cmake --install "$(dirname "$ATALAYA")" --prefix "$WORK/prefix" >/dev/null
INSTALLED=$WORK/prefix/bin/atalaya
expect_eq "installed trigger file" yes "$([ -f "$WORK/prefix/share/atalaya/triggers/default.toml" ] && echo yes)"
expect_eq "installed mapping files" yes "$([ -f "$WORK/prefix/share/atalaya/sources/pa-snm-darien.toml" ] && echo yes)"

# Run from a directory outside the checkout, with $ATALAYA_ROOT unset.
mkdir -p "$WORK/elsewhere"
cd "$WORK/elsewhere"
unset ATALAYA_ROOT
DARIEN=$DATA/corridor/pa-darien-transit-by-nationality.csv
out=$("$INSTALLED" ingest --mapping sources/pa-snm-darien.toml "$DARIEN")
expect_contains "ingest finds the installed mapping file; counts grouped" "2,387 rows read" "$out"

# The Darién file has no April, May or July 2020: the gaps must never print as nan or inf.
all=""
run() { all+=$'\n'"$("$@" 2>&1)"; }
route=$("$INSTALLED" route --citizenship HTI --from 2020-01 --to 2021-12 2>&1)
all+=$route
expect_contains "route finds the installed default route" "Darién → Honduras → Mexico → U.S. southwest border" "$route"
expect_eq "a gap month is –" "–" "$(awk -F'  +' '$1 == "2020-04" { print $2 }' <<<"$route")"
expect_eq "thousands in the route table" "17,279" "$(awk -F'  +' '$1 == "2021-08" { print $2 }' <<<"$route")"
watch=$("$INSTALLED" watch --as-of 2020-08 2>&1)
all+=$'\n'$watch
expect_contains "watch finds the installed triggers" "triggers from $WORK/prefix/share/atalaya/triggers/default.toml" "$watch"
run "$INSTALLED" watch --as-of 2021-03
run "$INSTALLED" alerts
show=$("$INSTALLED" alerts --show 1 2>&1)
all+=$'\n'$show
expect_contains "a gap in an alert's recent months" "2020-04=no data 2020-05=no data" "$show"
# A note the library writes (the detector's explanation) groups thousands.
expect_contains "thousands in a note" "1,893 is 2.6 times the trailing 3-month mean of 729" "$show"
run "$INSTALLED" alerts --format cap
run "$INSTALLED" alerts --format atom
run "$INSTALLED" alerts --format json
run "$INSTALLED" forecast --source pa-snm-darien --citizenship HTI --horizon 3 --history 60
run "$INSTALLED" forecast --source pa-snm-darien --citizenship HTI --horizon 3 --history 60 --format csv
run "$INSTALLED" backtest --source pa-snm-darien --citizenship HTI --horizon 3 --origins 12
run "$INSTALLED" backtest --source pa-snm-darien --citizenship HTI --horizon 3 --origins 12 --format csv
run "$INSTALLED" replay --from 2020-01 --to 2021-06 --every-change
run "$INSTALLED" replay --from 2020-01 --to 2021-06 --format csv
run "$INSTALLED" series --source pa-snm-darien --citizenship HTI --from 2020-01 --to 2020-12
checks=$((checks + 1))
if grep -Eiwn 'nan|[-+]?inf|infinity' <<<"$all" >&2; then
  echo "FAIL: nan or inf printed (lines above)" >&2
  failures=$((failures + 1))
fi

# Into a pipe, a long command prints no progress line: stderr holds nothing.
expect_eq "replay: no progress into a pipe" "" "$("$INSTALLED" replay --from 2020-01 --to 2021-06 2>&1 >/dev/null)"
# On a terminal it does (script(1) gives the command a pseudo-terminal).
if command -v script >/dev/null; then
  tty_out=$(script -qec "'$INSTALLED' replay --from 2020-01 --to 2020-03 >/dev/null" /dev/null | tr '\r' '\n')
  expect_contains "replay: progress on a terminal" "replay: 2020-03 (3/3 months)" "$tty_out"
fi

# Nothing found: a copy of the program alone, nothing installed beside it.
mkdir -p "$WORK/lonely/bin"
cp "$INSTALLED" "$WORK/lonely/bin/atalaya"
LONELY=$WORK/lonely/bin/atalaya
err=$("$LONELY" route --citizenship HTI 2>&1 || true)
expect_contains "route: the message names the flag" "give --route FILE" "$err"
expect_contains "route: the message names ATALAYA_ROOT" "set ATALAYA_ROOT" "$err"
err=$("$LONELY" watch 2>&1 || true)
expect_contains "watch: the message names the flag" "give --triggers FILE" "$err"
expect_contains "watch: the message names ATALAYA_ROOT" "set ATALAYA_ROOT" "$err"
# ... and $ATALAYA_ROOT, a checkout or an installed share/atalaya, is enough.
out=$(ATALAYA_ROOT=$ROOT "$LONELY" route --citizenship HTI --from 2021-08 --to 2021-08 2>&1)
expect_contains "ATALAYA_ROOT=checkout" "17,279" "$out"
out=$(ATALAYA_ROOT=$WORK/prefix/share/atalaya "$LONELY" watch --as-of 2020-08 2>&1)
expect_contains "ATALAYA_ROOT=share/atalaya" "triggers from $WORK/prefix/share/atalaya/triggers/default.toml" "$out"

# Every command's --help shows examples.
commands=$("$ATALAYA" --help | sed -n '/^Subcommands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
expect_eq "commands listed" yes "$([ "$(wc -l <<<"$commands")" -ge 13 ] && echo yes)"
for c in $commands "alert ack" "alert resolve"; do
  # shellcheck disable=SC2086
  expect_contains "atalaya $c --help has examples" "Example" "$("$ATALAYA" $c --help)"
done

finish
