#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Everything Vitals writes is clean text: every JSON output parses, every
HTML, Markdown and text output is UTF-8 with no control character a terminal
or a browser would act on, and a rule's output is bounded, whatever the
rules, the data and the catalogue hold.

Usage: text_hygiene_test.py SCENARIO VITALS_BINARY SOURCE_DIR
"""
import json
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SCENARIO, VITALS, SRC = sys.argv[1], sys.argv[2], Path(sys.argv[3])
FORMATS = {"json": "json", "html": "html", "markdown": "md"}


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def run(*args, check_rc=None):
    proc = subprocess.run([VITALS, *map(str, args)], capture_output=True, timeout=120)
    if check_rc is not None and proc.returncode != check_rc:
        fail(f"{args[0]} exited {proc.returncode}, expected {check_rc}\n"
             + proc.stderr.decode("utf-8", "replace")[:4000])
    return proc


def check_clean(name, data, is_json=False):
    """`data` (bytes) is UTF-8 with no NUL, ESC or other control byte besides
    line breaks and tabs; JSON parses."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        fail(f"{name} is not UTF-8: {e}")
    bad = [c for c in text if (ord(c) < 0x20 and c not in "\n\r\t") or 0x7F <= ord(c) <= 0x9F]
    if bad:
        fail(f"{name} holds control characters {sorted(set(map(hex, map(ord, bad))))}")
    if is_json:
        try:
            return json.loads(text)
        except json.JSONDecodeError as e:
            fail(f"{name} is not valid JSON: {e}")
    return text


def report_all(catalogue, work, store, allow_fail=False):
    """Runs evaluate and report in every format; checks every output and stderr."""
    outputs = {}
    proc = run("evaluate", "--catalogue", catalogue, "--period", "2017-03", "--store", store,
               "--json", work / "result.json")
    if not allow_fail and proc.returncode != 0:
        fail("evaluate failed: " + proc.stderr.decode("utf-8", "replace")[:4000])
    check_clean("evaluate's standard output", proc.stdout)
    check_clean("evaluate's standard error", proc.stderr)
    if (work / "result.json").exists():
        outputs["result.json"] = check_clean("result.json", (work / "result.json").read_bytes(), True)
    for fmt, ext in FORMATS.items():
        out = work / ("out-" + fmt)
        proc = run("report", "--catalogue", catalogue, "--period", "2017-03", "--store", store,
                   "--out", out, "--format", fmt, "--no-ingest")
        check_clean(f"report --format {fmt}: standard error", proc.stderr)
        for path in sorted(out.rglob("*")) if out.exists() else []:
            if path.is_file():
                outputs[str(path.relative_to(work))] = check_clean(
                    str(path.relative_to(work)), path.read_bytes(), ext == "json")
    return outputs


def copy_example(work, *extra_rule_dirs):
    """A copy of the Norfolk example in work/norfolk whose rule_dirs name the
    shipped council rules (and `extra_rule_dirs`); returns (its path, the
    text of its catalogue.toml)."""
    cat = work / "norfolk"
    shutil.copytree(SRC / "examples" / "norfolk", cat)
    dirs = ", ".join(json.dumps(str(d)) for d in (SRC / "rules" / "council", *extra_rule_dirs))
    toml = (cat / "catalogue.toml").read_text().replace(
        'rule_dirs = ["../../rules/council"]', f"rule_dirs = [{dirs}]")
    (cat / "catalogue.toml").write_text(toml)
    return cat, toml


HOSTILE_RULE = r'''
return {
  id = "hostile",
  version = "1.0",
  description = "returns hostile text",
  criterion = "hostile",
  evaluate = function(ctx)
    return {
      status = "exception",
      message = "cost \xA3" .. "5, \xFF, NUL\0, ESC\27[2J, " .. tostring({}) .. " "
        .. string.rep("x", 1024 * 1024 - 100),
      evidence = { note = "\xA3" .. string.rep("y", 5000) },
    }
  end,
}
'''


def scenario_bounded_rule_output():
    """A rule returning a 1 MiB message with bad bytes for 300 indicators:
    the run stays small, and every output is clean."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cat = work / "catalogue"
        (cat / "indicators").mkdir(parents=True)
        (cat / "data").mkdir()
        (cat / "rules").mkdir()
        (cat / "rules" / "hostile.lua").write_text(HOSTILE_RULE)
        (cat / "catalogue.toml").write_text(
            '[catalogue]\nname = "Hostile"\nrule_dirs = ["rules"]\n'
            '[sources.data]\nplugin = "csv"\npath = "data/data.csv"\n')
        rows = ["indicator_id,period,value,target"]
        indicators = []
        for i in range(300):
            indicators.append(f'[[indicator]]\nid = "i{i:03d}"\ntitle = "Indicator {i}"\n'
                              'polarity = "bigger"\nunit = "percent"\nfrequency = "monthly"\n'
                              'source = "data"\n')
            rows += [f"i{i:03d},2017-0{m},{50 + m},60" for m in (1, 2, 3)]
        (cat / "indicators" / "all.toml").write_text("\n".join(indicators))
        (cat / "data" / "data.csv").write_text("\n".join(rows) + "\n")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        outputs = report_all(cat, work, work / "v.db")
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory {peak_mb:.0f} MB (before {before / 1024:.0f} MB)")
        # AddressSanitizer's shadow memory and quarantine add a few hundred MB;
        # the unbounded run this guards against took 1.85 GB.
        sanitized = b"libasan" in subprocess.run(["ldd", VITALS], capture_output=True).stdout
        limit_mb = 1200 if sanitized else 400
        if peak_mb > limit_mb:
            fail(f"a run took {peak_mb:.0f} MB (limit {limit_mb} MB)")
        result = outputs["result.json"]
        size = (work / "result.json").stat().st_size
        print(f"result.json: {size} bytes; store: {(work / 'v.db').stat().st_size} bytes")
        if size > 8 << 20:
            fail(f"result.json is {size} bytes")
        if (work / "v.db").stat().st_size > 32 << 20:
            fail("the store grew past 32 MB")
        limited = [d for d in result["diagnostics"] if d["code"] == "rule.output_limited"]
        if len(limited) < 300:
            fail(f"expected a rule.output_limited warning per indicator, got {len(limited)}")
        for part in ("rule 'hostile' for indicator 'i000': the message was cut to 2000 of its",
                     "rule 'hostile' for indicator 'i299': evidence 'note' was cut to 1000 of its",
                     "rule 'hostile' for indicator 'i150': the message is not valid UTF-8"):
            if not any(d["message"].startswith(part) for d in limited):
                fail(f"no warning starts {part!r}")
        messages = [o["message"] for r in result["indicators"] for o in r.get("outcomes", [])
                    if o.get("rule") == "hostile"] or [json.dumps(result)]
        joined = "".join(messages)
        if "0x" in joined and "table: 0x" in joined:
            fail("a heap address reached the report")
        if "\ufffd" not in joined:
            fail("the bad bytes were not replaced by U+FFFD")


def scenario_encoding():
    """A council export saved by Excel as Windows-1252: with the encoding
    declared it reads as the text it shows; without, the bad bytes are a
    located error and nothing raw reaches the outputs."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cat, toml = copy_example(work)
        risks = (cat / "data" / "risks.csv").read_text(encoding="utf-8")
        risks = risks.replace("Failure to meet the long term needs",
                              "Failure to meet the “long term” needs (£)", 1)
        # The title the report quotes, in the risk reason of delayed transfers.
        risks = risks.replace("Hospital admissions and discharges and pressure",
                              "Hospital “admissions” and discharges (£) and pressure", 1)
        (cat / "data" / "risks.csv").write_bytes(risks.encode("cp1252"))
        (cat / "catalogue.toml").write_text(toml)
        proc = run("evaluate", "--catalogue", cat, "--period", "2017-03", "--store", work / "a.db")
        err = check_clean("standard error", proc.stderr)
        if proc.returncode == 0 or "data.bad_encoding" not in err or "risks.csv:2:4:" not in err:
            fail("an undeclared Windows-1252 file must be a located error:\n" + err)
        report_all(cat, work, work / "a.db", allow_fail=True)

        toml = toml.replace('path = "data/risks.csv"', 'path = "data/risks.csv"\nencoding = "windows-1252"')
        (cat / "catalogue.toml").write_text(toml)
        outputs = report_all(cat, work, work / "b.db")
        html = outputs["out-html/committee-report-2017-03.html"]
        if "Hospital “admissions” and discharges (£) and pressure" not in html:
            fail("the converted risk title is not in the HTML report")


def scenario_markdown_renderers():
    """Hostile names, commentary and rule messages stay text when the
    Markdown report is rendered by cmark and by Python-Markdown."""
    import markdown  # python3-markdown
    from html.parser import HTMLParser

    hostile = "'><svg/onload=alert(1)// > <script>alert(2)</script> <img src=x onerror=alert(3)>"
    allowed = {"html", "body", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "em",
               "strong", "code", "pre", "blockquote", "hr", "br", "table", "thead", "tbody",
               "tr", "th", "td", "a", "del", "div", "span", "sup"}

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.bad = []

        def handle_starttag(self, tag, attrs):
            if tag not in allowed:
                self.bad.append(tag)
            for name, value in attrs:
                if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                    self.bad.append(f"{tag} {name}={value}")

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cat, toml = copy_example(work, "rules")
        toml = toml.replace('committee = "Adult Social Care Committee"',
                            'committee = ' + json.dumps("Committee " + hostile))
        (cat / "catalogue.toml").write_text(toml)
        (cat / "rules").mkdir()
        (cat / "rules" / "hostile.lua").write_text(
            'return { id = "hostile", version = "1", description = "d", criterion = "hostile",\n'
            '  evaluate = function(ctx) return { status = "exception", message = '
            + json.dumps(hostile + " | cell | [x](javascript:alert(4)) ~~s~~") + " } end }\n")
        for path in (cat / "indicators").glob("*.toml"):
            text = path.read_text()
            text = text.replace('lead_officer = "', 'lead_officer = ' + json.dumps(hostile)[:-1] + ' ')
            path.write_text(text)
        md = cat / "commentary" / "mh_paid_employment_pct" / "2017-03.md"
        md.write_text(md.read_text() + "\n" + hostile + "\n")
        outputs = report_all(cat, work, work / "v.db")
        pages = {name: text for name, text in outputs.items() if name.endswith(".md")}
        if not pages:
            fail("no Markdown written")
        for name, text in pages.items():
            if "svg/onload" not in text and "onload" not in text:
                continue
            for renderer, html in (
                    ("cmark", subprocess.run(["cmark"], input=text.encode(), capture_output=True,
                                             check=True).stdout.decode()),
                    ("Python-Markdown", markdown.markdown(text, extensions=["tables"]))):
                tags = Tags()
                tags.feed(html)
                if tags.bad:
                    fail(f"{renderer} made live markup of {name}: {sorted(set(tags.bad))}")
        if not any("&lt;svg/onload" in t for t in pages.values()):
            fail("the hostile text is missing from the Markdown report, or not written with &lt;")
        for name, text in pages.items():
            # "\<" is what Python-Markdown does not honour as an escape.
            if "\\<" in text:
                fail(f"{name} escapes '<' with a backslash")


SCENARIOS = {
    "bounded_rule_output": scenario_bounded_rule_output,
    "encoding": scenario_encoding,
    "markdown_renderers": scenario_markdown_renderers,
}

if __name__ == "__main__":
    SCENARIOS[SCENARIO]()
    print("ok")
