# SPDX-License-Identifier: Apache-2.0
"""The Norfolk example copied for a CLI test, with its dashboard source swapped."""
import os
import re
import shutil
import sys

# The example's dashboard source, as catalogue.toml writes it.
CSV_SOURCE = '[sources.dashboard]\nplugin = "csv"\npath = "data/dashboard.csv"\n'


def copy_norfolk(src, cat, source=None):
    """Copies SRC/examples/norfolk to `cat`, its rule_dirs pointing at the
    shipped council rules and, when `source` is given, its dashboard source
    replaced by that TOML text. Returns `cat`."""
    shutil.copytree(os.path.join(src, "examples", "norfolk"), cat)
    path = os.path.join(cat, "catalogue.toml")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"^rule_dirs = .*$", 'rule_dirs = ["%s"]' % os.path.join(src, "rules", "council"),
                  text, flags=re.M)
    if source is not None:
        if CSV_SOURCE not in text:
            sys.exit("FAIL: the example's dashboard source is not the one this test replaces")
        text = text.replace(CSV_SOURCE, source)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return cat


def is_standing_warning(line):
    """Whether `line` is the warning every run of the example prints: its LD
    card's stated target (examples/norfolk/README.md)."""
    return "[commentary.target_conflict]" in line
