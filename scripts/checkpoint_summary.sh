#!/usr/bin/env bash
# Prints, for each source given, its latest month, the change of the last 12
# months against the 12 before, and the top citizenships in the latest month.
# Everything comes from `atalaya series`: this script only formats.
set -euo pipefail
ATALAYA=$1
shift
# 1234567 -> 1,234,567 (awk's %'d needs a locale that may be absent).
COMMAS='function commas(n,  s) { s = sprintf("%d", n); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); return s }'
for source in "$@"; do
  monthly=$("$ATALAYA" series --source "$source" --freq M --format csv 2>/dev/null | tail -n +2)
  [ -n "$monthly" ] || continue
  latest=$(tail -1 <<<"$monthly" | cut -d, -f1)
  awk -F, -v src="$source" -v latest="$latest" "$COMMAS"'
    { v[NR] = $2 } END {
      n = NR; last = v[n]; a = 0; b = 0
      for (i = n - 11; i <= n; i++) if (i > 0) a += v[i]
      for (i = n - 23; i <= n - 12; i++) if (i > 0) b += v[i]
      trend = b > 0 ? sprintf("%+.1f%%", 100 * (a - b) / b) : "n/a"
      printf "%-18s latest %s: %s   last 12 months %s (%s against the 12 before)\n", src, latest, commas(last), commas(a), trend
    }' <<<"$monthly"
  "$ATALAYA" series --source "$source" --from "$latest" --to "$latest" --by citizenship --format csv |
    tail -n +2 | sort -t, -k3,3nr | awk 'NR <= 5' |
    awk -F, "$COMMAS"'{ printf "    %-4s %9s\n", $1, commas($3) }'
done
