# The benchmark series, shared by bench/ets/run and bench/forecast/run:
#   prepare_series ATALAYA REPO DATA OUT MIN_LENGTH MIN_MEAN
# writes OUT/series.csv (series_id,month,value). Sourced, not run.
prepare_series() {
  local ATALAYA=$1 REPO=$2 DATA=$3 OUT=$4 MIN_LENGTH=$5 MIN_MEAN=$6
  local DB="$OUT/corridor.db" entry src file
  local -a SOURCES
  # One series = one source x one citizenship, monthly totals (summed over every
  # other dimension), from the atalaya CLI. Annual values (Darién 2010-2019) are
  # not monthly and `series --freq M` leaves them out.
  rm -f "$DB" "$DB-wal" "$DB-shm"
  SOURCES=(
    "pa-snm-darien:corridor/pa-darien-transit-by-nationality.csv"
    "mx-upm-irregular:corridor/mx-irregular-events-by-nationality.csv"
    "us-cbp-swb-nat:corridor/us-sw-border-encounters-by-nationality.csv"
  )
  for entry in "${SOURCES[@]}"; do
    src=${entry%%:*} file=${entry#*:}
    [[ -f "$DATA/$file" ]] || { log "missing $DATA/$file (set DATA)"; exit 1; }
    "$ATALAYA" --db "$DB" ingest --mapping "$REPO/sources/$src.toml" "$DATA/$file" >/dev/null
    "$ATALAYA" --db "$DB" series --source "$src" --by citizenship --freq M --format csv 2>/dev/null \
      > "$OUT/export-$src.csv"
  done

  # series.csv: series_id (source:citizenship), month, value. Months missing
  # inside a series' span (first to last month it reports) are filled with 0;
  # kept are the series whose filled span has >= MIN_LENGTH months and a mean
  # >= MIN_MEAN. Both programs read this one file.
  for entry in "${SOURCES[@]}"; do
    src=${entry%%:*}
    awk -F, -v src="$src" -v minlen="$MIN_LENGTH" -v minmean="$MIN_MEAN" '
      NR == 1 {
        # Only citizenship_name may hold a (quoted) comma: period and value,
        # which come after it, are counted from the end of the line.
        for (i = 1; i <= NF; i++) col[$i] = i
        H = NF
        if (col["citizenship"] != 1 || !col["period"] || !col["value"]) {
          print "series export: expected columns citizenship, period and value, got: " $0 > "/dev/stderr"; exit 1
        }
        next
      }
      {
        c = ($1 == "" ? "(blank)" : $1)
        split($(NF - H + col["period"]), p, "-"); mi = p[1] * 12 + p[2] - 1
        x = $(NF - H + col["value"])
        v[c, mi] += x
        if (!(c in lo) || mi < lo[c]) lo[c] = mi
        if (!(c in hi) || mi > hi[c]) hi[c] = mi
        sum[c] += x
      }
      END {
        for (c in lo) {
          len = hi[c] - lo[c] + 1
          if (len < minlen || sum[c] / len < minmean) continue
          for (mi = lo[c]; mi <= hi[c]; ++mi)
            printf "%s:%s,%04d-%02d,%.15g\n", src, c, int(mi / 12), mi % 12 + 1, ((c, mi) in v) ? v[c, mi] : 0
        }
      }' "$OUT/export-$src.csv"
  done | LC_ALL=C sort -t, -k1,1 -k2,2 > "$OUT/series.body"
  { echo "series_id,month,value"; cat "$OUT/series.body"; } > "$OUT/series.csv"
  rm -f "$OUT/series.body" "$OUT"/export-*.csv
  rm -f "$DB" "$DB-wal" "$DB-shm"
}
