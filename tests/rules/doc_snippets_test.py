#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs docs/rule-authoring.md as a reader would follow it.

Every fenced code block of the tutorial is checked:
  * a block right after <!-- snippet: PATH --> must be exactly the file PATH
    (relative to the source tree), so the doc shows real, tested files;
  * a ```console block is run: each line starting with "$ " is a shell command,
    run in a scratch copy of the source tree's rules/, docs/examples/ and
    examples/norfolk/ with the vitals binary first on PATH; the lines after it
    are output that must appear, in order, in what the command printed ("..."
    lines stand for output left out, and a line ending in " ..." for any line
    starting with the text before it). The command must exit 0, or the status
    given by a preceding <!-- exit: N --> comment;
  * any other code block is an error: the doc has no untested snippets.
Between blocks, <!-- run: ... --> comments do what the text asks the reader
to do by hand:
  append PATH to DEST          add the file PATH at the end of DEST
  insert PATH into DEST after 'TEXT'   add PATH after the first line containing TEXT
  replace 'OLD' with 'NEW' in DEST     change the first OLD in DEST to NEW
A console block after <!-- requires: PROGRAM --> is skipped when PROGRAM is
not installed.

Usage: doc_snippets_test.py SOURCE_DIR VITALS_BIN_DIR
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^```(\w*)\s*$")
COMMENT = re.compile(r"^<!--\s*(snippet|run|exit|requires):\s*(.*?)\s*-->\s*$")


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def blocks_and_directives(lines):
    """Yields ('directive', kind, text, line) and ('block', lang, body, line) in order."""
    i = 0
    while i < len(lines):
        m = COMMENT.match(lines[i])
        if m:
            yield ("directive", m.group(1), m.group(2), i + 1)
            i += 1
            continue
        m = FENCE.match(lines[i])
        if m:
            start = i + 1
            i += 1
            body = []
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            if i >= len(lines):
                fail("docs/rule-authoring.md:%d: code block is not closed" % start)
            yield ("block", m.group(1), "\n".join(body) + "\n", start)
        i += 1


def quoted(text):
    m = re.fullmatch(r"'(.*)'", text)
    return m.group(1) if m else None


def do_run(action, work, src, line):
    where = "docs/rule-authoring.md:%d: " % line
    m = re.fullmatch(r"append (\S+) to (\S+)", action)
    if m:
        with open(work / m.group(2), "a", encoding="utf-8") as out:
            out.write("\n" + (src / m.group(1)).read_text(encoding="utf-8"))
        return
    m = re.fullmatch(r"insert (\S+) into (\S+) after (.+)", action)
    if m:
        anchor = quoted(m.group(3))
        target = work / m.group(2)
        lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
        for n, text in enumerate(lines):
            if anchor in text:
                lines[n + 1:n + 1] = ["\n", (src / m.group(1)).read_text(encoding="utf-8")]
                target.write_text("".join(lines), encoding="utf-8")
                return
        fail(where + "no line containing %r in %s" % (anchor, m.group(2)))
    m = re.fullmatch(r"replace ('.*') with ('.*') in (\S+)", action)
    if m:
        old, new = quoted(m.group(1)), quoted(m.group(2))
        target = work / m.group(3)
        text = target.read_text(encoding="utf-8")
        if old not in text:
            fail(where + "%r is not in %s" % (old, m.group(3)))
        target.write_text(text.replace(old, new, 1), encoding="utf-8")
        return
    fail(where + "unknown run directive: " + action)


def run_console(body, work, env, expected_exit, line):
    commands = []  # (command, expected output lines)
    for text in body.splitlines():
        if text.startswith("$ "):
            commands.append((text[2:], []))
        elif commands:
            commands[-1][1].append(text.rstrip())
        elif text.strip():
            fail("docs/rule-authoring.md:%d: console block must start with a '$ ' command" % line)
    for n, (command, expected) in enumerate(commands):
        result = subprocess.run(["bash", "-c", command], cwd=work, env=env, capture_output=True,
                                text=True, timeout=120)
        output = [l.rstrip() for l in (result.stdout + result.stderr).splitlines()]
        want_exit = expected_exit if n == len(commands) - 1 else 0
        if result.returncode != want_exit:
            fail("docs/rule-authoring.md:%d: '%s' exited with %d, expected %d:\n%s"
                 % (line, command, result.returncode, want_exit, "\n".join(output)))
        at = 0
        for want in expected:
            if want.strip() in ("", "..."):
                continue
            def matches(got):
                # "text ..." stands for a line that starts with "text".
                if want.endswith(" ..."):
                    return got.startswith(want[:-4])
                return got == want
            while at < len(output) and not matches(output[at]):
                at += 1
            if at == len(output):
                fail("docs/rule-authoring.md:%d: '%s' did not print, in order:\n  %s\n"
                     "It printed:\n%s" % (line, command, want, "\n".join(output)))
            at += 1


def main():
    src = pathlib.Path(sys.argv[1]).resolve()
    bindir = pathlib.Path(sys.argv[2]).resolve()
    doc = (src / "docs/rule-authoring.md").read_text(encoding="utf-8").splitlines()
    env = dict(os.environ, PATH=str(bindir) + os.pathsep + os.environ.get("PATH", ""))
    env.pop("VITALS_PLUGIN_PATH", None)

    with tempfile.TemporaryDirectory(prefix="vitals-doc-") as tmp:
        work = pathlib.Path(tmp)
        shutil.copytree(src / "rules", work / "rules")
        shutil.copytree(src / "docs/examples", work / "docs/examples")
        shutil.copytree(src / "examples/norfolk", work / "examples/norfolk")

        snippet = None
        expected_exit = 0
        requires = None
        counts = {"snippet": 0, "console": 0, "command": 0}
        for item in blocks_and_directives(doc):
            kind = item[0]
            if kind == "directive":
                _, what, text, line = item
                if what == "snippet":
                    snippet = (text, line)
                elif what == "run":
                    do_run(text, work, src, line)
                elif what == "exit":
                    expected_exit = int(text)
                elif what == "requires":
                    requires = text
                continue
            _, lang, body, line = item
            if snippet is not None:
                path, _ = snippet
                content = (src / path).read_text(encoding="utf-8")
                if body != content:
                    fail("docs/rule-authoring.md:%d: the block differs from %s; paste the file "
                         "as it is" % (line, path))
                counts["snippet"] += 1
            elif lang == "console":
                if requires is None or shutil.which(requires):
                    run_console(body, work, env, expected_exit, line)
                    counts["console"] += 1
                    counts["command"] += sum(1 for l in body.splitlines() if l.startswith("$ "))
            else:
                fail("docs/rule-authoring.md:%d: a ```%s block that is neither a <!-- snippet: "
                     "FILE --> nor a console session is not tested" % (line, lang))
            snippet, expected_exit, requires = None, 0, None
    print("PASS: %(snippet)d snippets match their files; %(console)d console blocks, "
          "%(command)d commands ran as shown" % counts)


if __name__ == "__main__":
    main()
