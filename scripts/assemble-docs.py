#!/usr/bin/env python3
"""Builds docs/cli.md and docs/diagnostics.md from their parts.

Each command has its page in docs/cli/NAME.md and each area of diagnostics
its catalog in docs/diagnostics/AREA.md, written next to the code they
describe. This script joins them into the two reference pages, one heading
level down. `--check` exits 1 when the joined pages are out of date (a test
runs it), so the reference never drifts from its parts.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CLI_ORDER = ["check", "compile", "eval", "explain", "test", "lint", "fmt", "graph", "doc", "diff", "examples", "lsp", "serve"]
DIAG_ORDER = ["syntax", "semantic", "verify", "lint"]

CLI_INTRO = """# The `rubric` command line

One binary, one subcommand per task. Every command prints `--help`; `rubric
--version` prints the version. This page joins the per-command pages kept in
`docs/cli/` (regenerate with `python3 scripts/assemble-docs.py`).

Shared conventions:

| what | rule |
|---|---|
| exit status | `0` success; `1` the input has errors (diagnostics, failed examples, error lines, findings with `--strict`); `2` usage errors (unknown option, missing file) |
| colour | `--color auto\\|always\\|never`; `auto` colours only a terminal; `NO_COLOR` turns colour off |
| GUIDELINE | a `.rubric` file (compiled in memory) or a compiled graph `.json` from `rubric compile` |
| modules | `import` looks in the project's `stdlib/` first, then the file's own root, then each `-I DIR` |

"""

DIAG_INTRO = """# Diagnostic catalog

Every diagnostic has a stable code (`R0101`), a severity, a one-line message in
the author's terms, the place in the file with a caret, and where useful notes
and a `help:` line. Codes are declared once, in `compiler/diagnostics/codes_*.def`; a code
is never renumbered or reused. Each entry below shows a file that triggers it
and the fixed file; each code has a golden test in `tests/diagnostics/` (or
`tests/verify/`, `tests/lint/`), and a test fails when a code lacks one or is
missing from this page.

Rendered form:

```
guidelines/acr/low_back_pain.rubric:12:8: error[R0111]: message
   |
12 |   rate "MRI lumbar spine" usualy appropriate
   |                           ^~~~~~
  = help: …
```

`--format json` prints the same values as a JSON array of objects with `code`,
`name`, `severity`, `message`, `file`, `line`, `column`, `end_line`,
`end_column`, `label`, `related` (each with a location and `message`), `notes`
and `help`. `rubric lint --format sarif` writes SARIF 2.1.0 from the same values.

Areas: R01xx reading a file (syntax), R02xx–R04xx modules, names, types and
ratings, R05xx verification findings, R06xx style lints.

"""


def demote(text):
    """Moves every Markdown heading outside code fences one level down."""
    out, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and re.match(r"^#{1,5} ", line):
            line = "#" + line
        out.append(line)
    return "\n".join(out).rstrip() + "\n"


def relink(text, folder):
    """Links written relative to docs/FOLDER/ become relative to docs/."""
    def fix(m):
        target = m.group(1)
        if target.startswith("../"):
            return "](" + target[3:]
        return "](" + folder + "/" + target
    return re.sub(r"\]\((?!https?:|#|/)([^)]+\.md(?:#[^)]*)?)\)", lambda m: fix(m) + ")", text)


def assemble(intro, folder, order):
    parts = [intro]
    for name in order:
        with open(os.path.join(ROOT, "docs", folder, name + ".md"), encoding="utf-8") as f:
            parts.append(relink(demote(f.read()), folder))
    return "\n".join(parts)


def main():
    check = "--check" in sys.argv
    stale = []
    for target, intro, folder, order in [("cli.md", CLI_INTRO, "cli", CLI_ORDER),
                                         ("diagnostics.md", DIAG_INTRO, "diagnostics", DIAG_ORDER)]:
        path = os.path.join(ROOT, "docs", target)
        text = assemble(intro, folder, order)
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        if current != text:
            if check:
                stale.append(target)
            else:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
    if stale:
        print("docs out of date: " + ", ".join(stale) + " — run python3 scripts/assemble-docs.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
