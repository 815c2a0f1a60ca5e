# series --format xlsx and csv on the real Darién data, as people open them in
# Excel: the workbook goes to --out only, is a zip holding the data and about
# sheets, its data sheet has one row per CSV row with the same values (country
# names beside codes), and its about sheet names the source's publisher,
# licence and the vintage read with its SHA-256; the CSV has a byte-order mark
# only with --bom; a hostile location never becomes a formula.
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
expect_contains "names beside codes" "citizenship,citizenship_name,period,value,unit,status
HTI,Haiti,2023-01," "$csv"
expect_contains "Venezuela by name" "VEN,Venezuela (Bolivarian Republic of),2023-12," "$csv"

# The byte-order mark: none on standard output unless --bom.
expect_eq "no BOM by default" "6369" "$(printf '%s' "$csv" | head -c 2 | od -An -tx1 | tr -d ' \n')"
bom=$("$ATALAYA" series "${sel[@]}" --format csv --bom 2>/dev/null | head -c 3 | od -An -tx1 | tr -d ' \n')
expect_eq "--bom" "efbbbf" "$bom"
es=$("$ATALAYA" series "${sel[@]}" --format csv --lang es 2>/dev/null)
expect_contains "--lang es" "HTI,Haití,2023-01," "$es"
set +e
err=$("$ATALAYA" series "${sel[@]}" --format json --bom 2>&1 >/dev/null)
code=$?
set -e
expect_eq "--bom only with csv" 1 "$code"
expect_contains "--bom says why" "--bom: only with --format csv" "$err"

# The about sheet: the source's declaration and the vintage read.
digest=$(sha256sum "$DATA/corridor/pa-darien-transit-by-nationality.csv" | cut -d' ' -f1)
about=$(python3 -c '
import re, sys, zipfile, html
z = zipfile.ZipFile(sys.argv[1])
strings = [html.unescape(re.sub("<[^>]+>", "", s)) for s in re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode(), re.S)]
rows = re.findall(r"<row [^>]*>(.*?)</row>", z.read("xl/worksheets/sheet2.xml").decode())
for row in rows:
    print("|".join(strings[int(v)] for v in re.findall(r"<c [^>]*t=\"s\"[^>]*><v>(.*?)</v></c>", row)))
' "$WORK/darien.xlsx")
expect_contains "about: selection asked" "selection asked|source: pa-snm-darien; citizenship: VEN, HTI" "$about"
expect_contains "about: from" "from|2023-01" "$about"
expect_contains "about: sources header" "source|name|publisher|licence|frequency|releases|vintage read|vintages held|file|sha256|ingested_at" "$about"
expect_contains "about: publisher and licence" "pa-snm-darien|Panama SNM" "$about"
expect_contains "about: publisher" "Servicio Nacional de Migración de Panamá" "$about"
expect_contains "about: licence" "Public statistics; gdidata MIT" "$about"
expect_contains "about: the vintage's digest" "$digest" "$about"
expect_contains "about: the vintage's file" "pa-darien-transit-by-nationality.csv" "$about"
expect_contains "about: generated" "generated|20" "$about"

# A hostile value (a location that is a formula) is neutralised in CSV and a
# plain string in the workbook.
cat >"$WORK/hostile.csv" <<'CSV'
month,place,n
2021-07,"=HYPERLINK(""http://evil.example"",""x"")",5
2021-07,-2+3,6
CSV
cat >"$WORK/hostile.toml" <<'TOML'
[source]
id = "test-hostile"
name = "Hostile cells"
reporter = "PAN"
event = "irregular_transit"
unit = "persons"
[columns]
period = "month"
location = "place"
count = "n"
[period]
format = "YYYY-MM"
TOML
"$ATALAYA" ingest --mapping "$WORK/hostile.toml" "$WORK/hostile.csv" >/dev/null
hcsv=$("$ATALAYA" series --source test-hostile --by location --format csv)
expect_eq "hostile cells in csv" "location,period,value,unit,status
'-2+3,2021-07,6,persons,final
\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",2021-07,5,persons,final" "$hcsv"
"$ATALAYA" series --source test-hostile --by location --format xlsx --out "$WORK/hostile.xlsx"
formulas=$(python3 -c '
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(sum(z.read(n).decode().count("<f>") for n in z.namelist() if n.startswith("xl/worksheets/")))
' "$WORK/hostile.xlsx")
expect_eq "no formula in the workbook" 0 "$formulas"
finish
