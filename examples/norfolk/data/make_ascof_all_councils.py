#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes ascof_2015_16_all_councils.csv: a SYNTHETIC national ASCOF measures
file for 2015/16, one row per council and measure, for the 152 English councils
with adult social services responsibilities (CASSRs) as they stood in 2015/16.

What is real: the councils, their ONS codes and regions; and, from
ascof_published_2016_17.csv (Norfolk County Council's committee paper of June
2017), Norfolk's 2015/16 result and the published 2015/16 family group,
Eastern region and England figures of each measure.

What is made up: every other council's numerator and denominator, and
Norfolk's own numerator and denominator (the paper prints them for 2016/17
only; the 2015/16 ones are chosen to give the printed result). They are drawn
at random (fixed seed) and then adjusted so that the family group, the East of
England region and England, each computed as the publisher does (summed
numerators over summed denominators, times 100 or 100,000), round to the
published figures. The family group is the one catalogue.toml names: the
papers give its size (18 councils with Norfolk) but not its members.

Run: python3 make_ascof_all_councils.py > ascof_2015_16_all_councils.csv
"""
import csv
import os
import random
import sys

REGIONS = {
    "E12000001": "North East", "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber", "E12000004": "East Midlands",
    "E12000005": "West Midlands", "E12000006": "East of England", "E12000007": "London",
    "E12000008": "South East", "E12000009": "South West",
}

# (code, name, region code): the 152 CASSRs of 2015/16.
COUNCILS = [
    ("E06000047", "County Durham", "E12000001"), ("E06000005", "Darlington", "E12000001"),
    ("E08000037", "Gateshead", "E12000001"), ("E06000001", "Hartlepool", "E12000001"),
    ("E06000002", "Middlesbrough", "E12000001"), ("E08000021", "Newcastle upon Tyne", "E12000001"),
    ("E08000022", "North Tyneside", "E12000001"), ("E06000057", "Northumberland", "E12000001"),
    ("E06000003", "Redcar and Cleveland", "E12000001"), ("E08000023", "South Tyneside", "E12000001"),
    ("E06000004", "Stockton-on-Tees", "E12000001"), ("E08000024", "Sunderland", "E12000001"),
    ("E06000008", "Blackburn with Darwen", "E12000002"), ("E06000009", "Blackpool", "E12000002"),
    ("E08000001", "Bolton", "E12000002"), ("E08000002", "Bury", "E12000002"),
    ("E06000049", "Cheshire East", "E12000002"), ("E06000050", "Cheshire West and Chester", "E12000002"),
    ("E10000006", "Cumbria", "E12000002"), ("E06000006", "Halton", "E12000002"),
    ("E08000011", "Knowsley", "E12000002"), ("E10000017", "Lancashire", "E12000002"),
    ("E08000012", "Liverpool", "E12000002"), ("E08000003", "Manchester", "E12000002"),
    ("E08000004", "Oldham", "E12000002"), ("E08000005", "Rochdale", "E12000002"),
    ("E08000006", "Salford", "E12000002"), ("E08000014", "Sefton", "E12000002"),
    ("E08000013", "St. Helens", "E12000002"), ("E08000007", "Stockport", "E12000002"),
    ("E08000008", "Tameside", "E12000002"), ("E08000009", "Trafford", "E12000002"),
    ("E06000007", "Warrington", "E12000002"), ("E08000010", "Wigan", "E12000002"),
    ("E08000015", "Wirral", "E12000002"),
    ("E08000016", "Barnsley", "E12000003"), ("E08000032", "Bradford", "E12000003"),
    ("E08000033", "Calderdale", "E12000003"), ("E08000017", "Doncaster", "E12000003"),
    ("E06000011", "East Riding of Yorkshire", "E12000003"), ("E06000010", "Kingston upon Hull, City of", "E12000003"),
    ("E08000034", "Kirklees", "E12000003"), ("E08000035", "Leeds", "E12000003"),
    ("E06000012", "North East Lincolnshire", "E12000003"), ("E06000013", "North Lincolnshire", "E12000003"),
    ("E10000023", "North Yorkshire", "E12000003"), ("E08000018", "Rotherham", "E12000003"),
    ("E08000019", "Sheffield", "E12000003"), ("E08000036", "Wakefield", "E12000003"),
    ("E06000014", "York", "E12000003"),
    ("E06000015", "Derby", "E12000004"), ("E10000007", "Derbyshire", "E12000004"),
    ("E06000016", "Leicester", "E12000004"), ("E10000018", "Leicestershire", "E12000004"),
    ("E10000019", "Lincolnshire", "E12000004"), ("E10000021", "Northamptonshire", "E12000004"),
    ("E06000018", "Nottingham", "E12000004"), ("E10000024", "Nottinghamshire", "E12000004"),
    ("E06000017", "Rutland", "E12000004"),
    ("E08000025", "Birmingham", "E12000005"), ("E08000026", "Coventry", "E12000005"),
    ("E08000027", "Dudley", "E12000005"), ("E06000019", "Herefordshire, County of", "E12000005"),
    ("E08000028", "Sandwell", "E12000005"), ("E06000051", "Shropshire", "E12000005"),
    ("E08000029", "Solihull", "E12000005"), ("E10000028", "Staffordshire", "E12000005"),
    ("E06000021", "Stoke-on-Trent", "E12000005"), ("E06000020", "Telford and Wrekin", "E12000005"),
    ("E08000030", "Walsall", "E12000005"), ("E10000031", "Warwickshire", "E12000005"),
    ("E08000031", "Wolverhampton", "E12000005"), ("E10000034", "Worcestershire", "E12000005"),
    ("E06000055", "Bedford", "E12000006"), ("E10000003", "Cambridgeshire", "E12000006"),
    ("E06000056", "Central Bedfordshire", "E12000006"), ("E10000012", "Essex", "E12000006"),
    ("E10000015", "Hertfordshire", "E12000006"), ("E06000032", "Luton", "E12000006"),
    ("E10000020", "Norfolk", "E12000006"), ("E06000031", "Peterborough", "E12000006"),
    ("E06000033", "Southend-on-Sea", "E12000006"), ("E10000029", "Suffolk", "E12000006"),
    ("E06000034", "Thurrock", "E12000006"),
    ("E09000001", "City of London", "E12000007"), ("E09000002", "Barking and Dagenham", "E12000007"),
    ("E09000003", "Barnet", "E12000007"), ("E09000004", "Bexley", "E12000007"),
    ("E09000005", "Brent", "E12000007"), ("E09000006", "Bromley", "E12000007"),
    ("E09000007", "Camden", "E12000007"), ("E09000008", "Croydon", "E12000007"),
    ("E09000009", "Ealing", "E12000007"), ("E09000010", "Enfield", "E12000007"),
    ("E09000011", "Greenwich", "E12000007"), ("E09000012", "Hackney", "E12000007"),
    ("E09000013", "Hammersmith and Fulham", "E12000007"), ("E09000014", "Haringey", "E12000007"),
    ("E09000015", "Harrow", "E12000007"), ("E09000016", "Havering", "E12000007"),
    ("E09000017", "Hillingdon", "E12000007"), ("E09000018", "Hounslow", "E12000007"),
    ("E09000019", "Islington", "E12000007"), ("E09000020", "Kensington and Chelsea", "E12000007"),
    ("E09000021", "Kingston upon Thames", "E12000007"), ("E09000022", "Lambeth", "E12000007"),
    ("E09000023", "Lewisham", "E12000007"), ("E09000024", "Merton", "E12000007"),
    ("E09000025", "Newham", "E12000007"), ("E09000026", "Redbridge", "E12000007"),
    ("E09000027", "Richmond upon Thames", "E12000007"), ("E09000028", "Southwark", "E12000007"),
    ("E09000029", "Sutton", "E12000007"), ("E09000030", "Tower Hamlets", "E12000007"),
    ("E09000031", "Waltham Forest", "E12000007"), ("E09000032", "Wandsworth", "E12000007"),
    ("E09000033", "Westminster", "E12000007"),
    ("E06000036", "Bracknell Forest", "E12000008"), ("E06000043", "Brighton and Hove", "E12000008"),
    ("E10000002", "Buckinghamshire", "E12000008"), ("E10000011", "East Sussex", "E12000008"),
    ("E10000014", "Hampshire", "E12000008"), ("E06000046", "Isle of Wight", "E12000008"),
    ("E10000016", "Kent", "E12000008"), ("E06000035", "Medway", "E12000008"),
    ("E06000042", "Milton Keynes", "E12000008"), ("E10000025", "Oxfordshire", "E12000008"),
    ("E06000044", "Portsmouth", "E12000008"), ("E06000038", "Reading", "E12000008"),
    ("E06000039", "Slough", "E12000008"), ("E06000045", "Southampton", "E12000008"),
    ("E10000030", "Surrey", "E12000008"), ("E06000037", "West Berkshire", "E12000008"),
    ("E10000032", "West Sussex", "E12000008"), ("E06000040", "Windsor and Maidenhead", "E12000008"),
    ("E06000041", "Wokingham", "E12000008"),
    ("E06000022", "Bath and North East Somerset", "E12000009"), ("E06000028", "Bournemouth", "E12000009"),
    ("E06000023", "Bristol, City of", "E12000009"), ("E06000052", "Cornwall", "E12000009"),
    ("E10000008", "Devon", "E12000009"), ("E10000009", "Dorset", "E12000009"),
    ("E10000013", "Gloucestershire", "E12000009"), ("E06000053", "Isles of Scilly", "E12000009"),
    ("E06000024", "North Somerset", "E12000009"), ("E06000026", "Plymouth", "E12000009"),
    ("E06000029", "Poole", "E12000009"), ("E10000027", "Somerset", "E12000009"),
    ("E06000025", "South Gloucestershire", "E12000009"), ("E06000030", "Swindon", "E12000009"),
    ("E06000027", "Torbay", "E12000009"), ("E06000054", "Wiltshire", "E12000009"),
]

NORFOLK = "E10000020"
# The family group catalogue.toml names: Norfolk and 17 other shire counties.
FAMILY_GROUP = [
    "E10000029", "E10000019", "E10000027", "E10000008", "E10000006", "E10000023",
    "E10000034", "E10000013", "E10000028", "E10000007", "E10000024", "E10000017",
    "E10000011", "E10000009", "E10000031", "E10000018", "E10000021",
]


def measures(path):
    """The published measures with a denominator: (reference, polarity, scale,
    Norfolk 2015/16, family group, region, England, Norfolk 2016/17 denominator)."""
    out = []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if not row["denominator"] or not row["england_2015_16"]:
                continue
            num, den = float(row["numerator"]), float(row["denominator"])
            value = float(row["norfolk_2016_17_provisional"])
            ratio = value / (num / den)
            scale = 100000 if ratio > 1000 else 100
            out.append((row["reference"], scale, float(row["norfolk_2015_16"]),
                        float(row["family_group_2015_16"]), float(row["eastern_region_2015_16"]),
                        float(row["england_2015_16"]), den))
    return out


def size_of(code):
    """A council's relative size: shire counties are large, London boroughs and
    small unitaries small (a stand-in for population; made up)."""
    if code.startswith("E10"):
        return random.uniform(0.8, 1.6)
    if code.startswith("E08"):
        return random.uniform(0.3, 1.0)
    if code in ("E09000001", "E06000053"):  # City of London, Isles of Scilly
        return 0.004
    return random.uniform(0.15, 0.5)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    random.seed(20170619)
    rng_sizes = {code: size_of(code) for code, _, _ in COUNCILS}
    region_of = {code: region for code, _, region in COUNCILS}
    family = set(FAMILY_GROUP) | {NORFOLK}
    east = {c for c, r in region_of.items() if r == "E12000006"}
    # The groups are fitted in turn, each adjusting only councils not yet fixed.
    parts = [
        ("family", family - {NORFOLK, "E10000029"}, family),
        ("region", east - family, east),
        ("england", set(region_of) - family - east, set(region_of)),
    ]
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["council_code", "council_name", "region_code", "region_name", "measure",
                  "numerator", "denominator", "value"])
    rows = []
    for ref, scale, norfolk, fam, reg, eng, norfolk_den in measures(
            os.path.join(here, "ascof_published_2016_17.csv")):
        targets = {"family": fam, "region": reg, "england": eng}
        den = {}
        for code in region_of:
            d = norfolk_den * rng_sizes[code] / rng_sizes.get(NORFOLK, 1.0)
            den[code] = max(1, int(round(d)))
        den[NORFOLK] = int(round(norfolk_den * random.uniform(0.95, 1.05)))
        num = {}
        # Norfolk: the published 2015/16 result.
        num[NORFOLK] = round(norfolk * den[NORFOLK] / scale)
        while round(num[NORFOLK] / den[NORFOLK] * scale + 1e-9, 1) != norfolk:
            den[NORFOLK] += 1
            num[NORFOLK] = round(norfolk * den[NORFOLK] / scale)
        # Suffolk sits in the family group and the region: near both.
        suffolk_rate = (fam + reg) / 2 * random.uniform(0.95, 1.05)
        num["E10000029"] = min(den["E10000029"], round(suffolk_rate * den["E10000029"] / scale))
        def cap(code):
            # A percentage cannot pass 100%; a rate per 100,000 has no such bound.
            return den[code] if scale == 100 else den[code] * 10
        for name, free, group in parts:
            target = targets[name]
            for code in sorted(free):
                # Councils differ widely: half to one and a half times the
                # group's figure, or, for a high percentage, of its distance from 100%.
                spread = random.uniform(0.5, 1.5)
                if scale == 100 and target > 50:
                    rate = 100 - (100 - target) * spread
                else:
                    rate = target * spread
                num[code] = min(cap(code), max(0, round(rate * den[code] / scale)))
            # The fit moves the larger councils' figures, which a unit moves least.
            order = sorted(free, key=lambda c: (-den[c], c))
            order = order[:max(1, len(order) // 2)]
            total_den = sum(den[c] for c in group)

            def value():
                return sum(num[c] for c in group) / total_den * scale

            # Step towards the published figure until a step no longer brings
            # the group closer: it then rounds to it with room to spare.
            steps = 0
            while True:
                step = 1 if value() < target else -1
                code = order[steps % len(order)]
                steps += 1
                if not 0 <= num[code] + step <= cap(code):
                    continue
                before = abs(value() - target)
                num[code] += step
                if abs(value() - target) >= before:
                    num[code] -= step
                    break
                if steps > 10_000_000:
                    raise SystemExit(f"cannot fit {ref} {name}")
            if round(value(), 1) != target:
                raise SystemExit(f"cannot fit {ref} {name}: {value()} against {target}")
        for code, name, region in COUNCILS:
            value = num[code] / den[code] * scale
            rows.append((code, name, region, REGIONS[region], ref, num[code], den[code],
                         f"{value:.1f}"))
    rows.sort(key=lambda r: (r[4], r[0]))
    for r in rows:
        out.writerow(r)


if __name__ == "__main__":
    main()
