#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The editor files for rule authors match the rule API the sandbox offers.

rules/types/vitals.lua (LuaLS definitions) must describe exactly the helpers
core/lua/host_functions.cpp installs in the `vitals` table, rules/.luacheckrc
must allow exactly those fields and forbid the blocked libraries, and
rules/.luarc.json must point the Lua Language Server at the definitions.

Usage: editor_files_test.py SOURCE_DIR
"""
import json
import pathlib
import re
import sys


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def main():
    src = pathlib.Path(sys.argv[1])
    host = (src / "core/lua/host_functions.cpp").read_text(encoding="utf-8")
    helpers = set(re.findall(r'\{"(\w+)", guarded<\w+>\}', host))
    if len(helpers) < 5:
        fail("could not read the host function table from host_functions.cpp")

    meta = (src / "rules/types/vitals.lua").read_text(encoding="utf-8")
    if not meta.startswith("---@meta"):
        fail("rules/types/vitals.lua must start with ---@meta so that Vitals skips it")
    documented = set(re.findall(r"^function vitals\.(\w+)\(", meta, re.M))
    if documented != helpers:
        fail("rules/types/vitals.lua documents %s but the sandbox offers %s"
             % (sorted(documented), sorted(helpers)))
    for name in helpers:
        # Every helper has a description (a ---comment line) right before its ---@ lines.
        block = re.search(r"((?:^---.*\n)+)function vitals\.%s\(" % name, meta, re.M)
        if not block or not re.search(r"^---[^@]", block.group(1), re.M):
            fail("vitals.%s has no description in rules/types/vitals.lua" % name)

    luacheck = (src / "rules/.luacheckrc").read_text(encoding="utf-8")
    fields = re.search(r"fields\s*=\s*\{([^}]*)\}", luacheck)
    if not fields or set(re.findall(r'"(\w+)"', fields.group(1))) != helpers:
        fail("rules/.luacheckrc read_globals.vitals.fields must list exactly %s" % sorted(helpers))
    allowlist = (src / "core/lua/stdlib_allowlist.cpp").read_text(encoding="utf-8")
    blocked = re.search(r"kBlockedLibraries = \{([^}]*)\}", allowlist)
    not_globals = re.search(r"not_globals\s*=\s*\{([^}]*)\}", luacheck)
    if not blocked or not not_globals:
        fail("could not read the blocked libraries or not_globals")
    missing = set(re.findall(r'"(\w+)"', blocked.group(1))) - set(
        re.findall(r'"(\w+)"', not_globals.group(1)))
    if missing:
        fail("rules/.luacheckrc not_globals lacks the blocked libraries %s" % sorted(missing))

    luarc = json.loads((src / "rules/.luarc.json").read_text(encoding="utf-8"))
    if luarc.get("runtime", {}).get("version") != "Lua 5.4":
        fail("rules/.luarc.json must set runtime.version to Lua 5.4")
    if "types" not in luarc.get("workspace", {}).get("library", []):
        fail("rules/.luarc.json must list types in workspace.library")
    if "vitals" not in luarc.get("diagnostics", {}).get("globals", []):
        fail("rules/.luarc.json must declare the vitals global")
    print("PASS: editor files match %d helpers" % len(helpers))


if __name__ == "__main__":
    main()
