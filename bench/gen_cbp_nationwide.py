#!/usr/bin/python3
"""Generate a large synthetic CSV in CBP's NATIONWIDE encounters layout.

Usage: gen_cbp_nationwide.py ROWS OUT.csv [SEED]

Deterministic for a given ROWS and SEED (default 20250101). The header, CRLF
line endings, upper-case citizenships (quoted where they hold a comma) and the
"2025 (FYTD)" fiscal year mirror CBP's published nationwide encounter files.

Every row's key (fiscal year, month, AOR, demographic, citizenship, title of
authority, encounter type) is unique: ROWS keys are sampled without
replacement from the full key space and written in nested (sorted) order, as
CBP's files are. Title of authority and encounter type are paired as in the
real data: Title 8 with Apprehensions or Inadmissibles, Title 42 with
Expulsions. Land Border Region follows from the AOR, so it is not part of the
key. The key space holds 26 * 12 * 41 * 4 * 60 * 3 = 9,210,240 keys.

Runs under Debian's /usr/bin/python3 (needs numpy, which python3-pandas
pulls in).
"""
import os
import sys

import numpy as np

HEADER = ("Fiscal Year,Month (abbv),Land Border Region,Area of Responsibility,"
          "AOR (Abbv),Demographic,Citizenship,Title of Authority,Encounter Type,"
          "Encounter Count")

FISCAL_YEARS = [str(y) for y in range(2000, 2025)] + ["2025 (FYTD)"]
MONTHS = ["OCT", "NOV", "DEC", "JAN", "FEB", "MAR",
          "APR", "MAY", "JUN", "JUL", "AUG", "SEP"]

SW = "Southwest Land Border"
NB = "Northern Land Border"
OT = "Other"
# (region, area of responsibility, abbreviation): USBP sectors and OFO field offices.
AORS = [
    (SW, "Big Bend Sector", "BBT"),
    (SW, "Del Rio Sector", "DRT"),
    (SW, "El Centro Sector", "ELC"),
    (SW, "El Paso Sector", "EPT"),
    (SW, "Laredo Sector", "LRT"),
    (SW, "Rio Grande Valley Sector", "RGV"),
    (SW, "San Diego Sector", "SDC"),
    (SW, "Tucson Sector", "TCA"),
    (SW, "Yuma Sector", "YUM"),
    (SW, "El Paso Field Office", "ELP"),
    (SW, "Laredo Field Office", "LAR"),
    (SW, "San Diego Field Office", "SND"),
    (SW, "Tucson Field Office", "TUC"),
    (NB, "Blaine Sector", "BLW"),
    (NB, "Buffalo Sector", "BUN"),
    (NB, "Detroit Sector", "DTM"),
    (NB, "Grand Forks Sector", "GFN"),
    (NB, "Havre Sector", "HVM"),
    (NB, "Houlton Sector", "HTM"),
    (NB, "Spokane Sector", "SPW"),
    (NB, "Swanton Sector", "SWB"),
    (NB, "Boston Field Office", "BOS"),
    (NB, "Buffalo Field Office", "BUF"),
    (NB, "Detroit Field Office", "DET"),
    (NB, "Seattle Field Office", "SEA"),
    (OT, "Miami Sector", "MIP"),
    (OT, "New Orleans Sector", "NOL"),
    (OT, "Ramey Sector", "RMY"),
    (OT, "Atlanta Field Office", "ATL"),
    (OT, "Baltimore Field Office", "BAL"),
    (OT, "Chicago Field Office", "CHI"),
    (OT, "Houston Field Office", "HOU"),
    (OT, "Los Angeles Field Office", "LOS"),
    (OT, "Miami Field Office", "MIA"),
    (OT, "New Orleans Field Office", "NOO"),
    (OT, "New York Field Office", "NYC"),
    (OT, "Portland Field Office", "POR"),
    (OT, "San Francisco Field Office", "SFO"),
    (OT, "San Juan Field Office", "SJU"),
    (OT, "Tampa Field Office", "TAM"),
    (OT, "Preclearance Field Office", "PRE"),
]

DEMOGRAPHICS = ["Accompanied Minors", "FMUA", "Single Adults", "UAC"]

# As CBP prints them; every name is a distinct country (or CBP's OTHER group).
CITIZENSHIPS = [
    "MEXICO", "GUATEMALA", "HONDURAS", "EL SALVADOR",
    "CHINA, PEOPLES REPUBLIC OF", "VENEZUELA", "HAITI", "CUBA", "COLOMBIA",
    "ECUADOR", "NICARAGUA", "INDIA", "BRAZIL", "PERU", "ROMANIA", "TURKEY",
    "RUSSIA", "UKRAINE", "OTHER", "CANADA", "DOMINICAN REPUBLIC", "JAMAICA",
    "CHILE", "ARGENTINA", "BOLIVIA", "PARAGUAY", "URUGUAY", "BELIZE",
    "COSTA RICA", "PANAMA", "GEORGIA", "UZBEKISTAN", "KAZAKHSTAN",
    "KYRGYZSTAN", "TAJIKISTAN", "ARMENIA", "AZERBAIJAN", "AFGHANISTAN",
    "PAKISTAN", "BANGLADESH", "NEPAL", "SRI LANKA", "VIETNAM", "PHILIPPINES",
    "INDONESIA", "MAURITANIA", "SENEGAL", "GUINEA", "GHANA", "NIGERIA",
    "CAMEROON", "ANGOLA", "ERITREA", "ETHIOPIA", "SOMALIA", "EGYPT", "JORDAN",
    "IRAN", "SYRIA", "MOLDOVA",
]

# (title of authority, encounter type) pairs found in CBP's data.
AUTHORITY_TYPES = [
    ("Title 8", "Apprehensions"),
    ("Title 8", "Inadmissibles"),
    ("Title 42", "Expulsions"),
]


def csv_field(s):
    if any(c in s for c in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: gen_cbp_nationwide.py ROWS OUT.csv [SEED]")
    rows = int(sys.argv[1])
    out = sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) == 4 else 20250101

    dims = [len(FISCAL_YEARS), len(MONTHS), len(AORS), len(DEMOGRAPHICS),
            len(CITIZENSHIPS), len(AUTHORITY_TYPES)]
    space = int(np.prod(dims))
    if rows < 1 or rows > space:
        sys.exit(f"gen_cbp_nationwide.py: ROWS must be in 1..{space} (unique keys)")

    rng = np.random.default_rng(seed)
    keys = np.sort(rng.choice(space, size=rows, replace=False))
    # Decompose the flat key (row-major over dims) into its components.
    idx = []
    rem = keys
    for d in reversed(dims):
        idx.append(rem % d)
        rem = rem // d
    fy_i, mo_i, aor_i, demo_i, cit_i, at_i = reversed(idx)

    # Heavy-tailed positive counts: Pareto (Lomax + 1) with alpha 1.1, capped.
    counts = np.minimum(np.floor(rng.pareto(1.1, size=rows) * 3.0) + 1, 250000)
    counts = counts.astype(np.int64)

    # Pre-join the strings of each dimension so the row loop does little work.
    prefix = [f"{fy},{mo}," for fy in FISCAL_YEARS for mo in MONTHS]
    aor_s = [f"{csv_field(r)},{csv_field(a)},{ab}," for r, a, ab in AORS]
    mid = [f"{d},{csv_field(c)}," for d in DEMOGRAPHICS for c in CITIZENSHIPS]
    tail = [f"{t},{e}," for t, e in AUTHORITY_TYPES]

    p_idx = (fy_i * len(MONTHS) + mo_i).tolist()
    m_idx = (demo_i * len(CITIZENSHIPS) + cit_i).tolist()
    a_idx = aor_i.tolist()
    t_idx = at_i.tolist()
    c_list = counts.tolist()

    tmp = out + ".tmp"
    with open(tmp, "w", encoding="ascii", newline="") as f:
        f.write(HEADER + "\r\n")
        chunk = 200000
        for s in range(0, rows, chunk):
            e = min(rows, s + chunk)
            f.write("".join(
                [f"{prefix[p]}{aor_s[a]}{mid[m]}{tail[t]}{c}\r\n"
                 for p, a, m, t, c in zip(p_idx[s:e], a_idx[s:e], m_idx[s:e],
                                          t_idx[s:e], c_list[s:e])]))
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
