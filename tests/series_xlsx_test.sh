# series --format xlsx on the real Darién data: the workbook goes to --out only,
# is a zip holding the data and about sheets, and its data sheet has one row
# per CSV row with the same values.
source "$(dirname "$0")/lib.sh"

ingest_mapped pa-snm-darien corridor/pa-darien-transit-by-nationality.csv
sel=(--source pa-snm-darien --citizenship VEN,HTI --by citizenship --from 2023-01 --to 2023-12)

set +e
err=$("$ATALAYA" series "${sel[@]}" --format xlsx 2>&1 >/dev/null)
code=$?
set -e
expect_eq "xlsx without --out exits 1" 1 "$code"
expect_contains "xlsx without --out says why" "--out: --format xlsx writes a binary workbook" "$err"

"$ATALAYA" series "${sel[@]}" --format xlsx --out "$WORK/darien.xlsx" 2>/dev/null
expect_eq "a zip file" "504b0304" "$(head -c 4 "$WORK/darien.xlsx" | od -An -tx1 | tr -d ' \n')"
csv=$("$ATALAYA" series "${sel[@]}" --format csv 2>/dev/null)
# every data row (citizenship, period, value, unit, status), as the CSV writes them.
sheet=$(python3 -c '
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
assert "xl/worksheets/sheet1.xml" in names and "xl/worksheets/sheet2.xml" in names, names
strings = [re.sub("<[^>]+>", "", s) for s in re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode())]
rows = re.findall(r"<row [^>]*>(.*?)</row>", z.read("xl/worksheets/sheet1.xml").decode())
for row in rows:
    cells = []
    for attrs, value in re.findall(r"<c ([^>]*)><v>(.*?)</v></c>", row):
        cells.append(strings[int(value)] if "t=\"s\"" in attrs else value)
    print(",".join(cells))
' "$WORK/darien.xlsx")
expect_eq "data sheet = csv rows" "$csv" "$sheet"
finish
