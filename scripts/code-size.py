#!/usr/bin/env python3
"""The largest functions and classes of the C++ sources, in lines.

    scripts/code-size.py [--top N] [--check] [DIR ...]

Lists every function and class/struct definition under DIR (default: compiler,
runtime, cli), largest first, as `lines  kind  name  file:line`. A function is
counted from its signature to its closing brace (lambdas count toward the
function they are in); a class from `class NAME` to its closing brace, so a
class whose members are defined out of line counts only its declaration.
With --check, exits 1 when a function is over 150 lines or a class over 300
(the project's limits, docs/architecture.md).

A brace matcher over source with comments and literals blanked out, not a C++
parser: enough for this code base, which keeps one definition per line start.
"""
import argparse
import os
import re
import sys

MAX_FUNCTION = 150
MAX_CLASS = 300
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def blank_comments_and_literals(text):
    """Comments and string/char literal contents become spaces (newlines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            end = text.find(")" + m.group(1) + '"', i) if m else -1
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append('""' + re.sub(r"[^\n]", " ", text[i + 2:j]))
            i = j
        elif c in "\"'":
            if c == "'" and i > 0 and text[i - 1].isalnum():  # digit separator: 1'000
                out.append(" ")
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + " " * (j - i - 2) + c if j - i >= 2 else c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def function_name(header):
    """The qualified name before the parameter list of a definition header."""
    depth = 0
    for k, ch in enumerate(header):
        if ch in "<[":
            depth += 1
        elif ch in ">]":
            depth = max(0, depth - 1)
        elif ch == "(" and depth == 0:
            m = re.search(r"((?:[A-Za-z_]\w*::)*(?:operator\s*\S+|~?[A-Za-z_]\w*))\s*$", header[:k])
            return m.group(1) if m else None
    return None


CONTROL = re.compile(r"^\s*(if|for|while|switch|catch|do|else|return)\b")


def definitions(path):
    """(kind, name, first line, last line) of each function and class in a file."""
    text = blank_comments_and_literals(open(path, encoding="utf-8").read())
    found = []
    stack = []  # (kind, name, start line); kind in namespace/class/function/block
    header_start = 0  # offset where the current statement/header began
    line = 1
    line_at = []  # line number at each offset, built lazily
    for i, ch in enumerate(text):
        line_at.append(line)
        if ch == "\n":
            line += 1
        if ch not in "{};":
            continue
        if ch == ";":
            header_start = i + 1
            continue
        if ch == "}":
            if stack:
                kind, name, start = stack.pop()
                if kind in ("function", "class"):
                    found.append((kind, name, start, line))
            header_start = i + 1
            continue
        header = text[header_start:i]
        stripped = header.strip()
        first = header_start + (len(header) - len(header.lstrip()))
        start = line_at[first] if first < len(line_at) else line
        inside_function = any(k == "function" for k, _, _ in stack)
        kind, name = "block", None
        if not inside_function:
            if re.search(r"\bnamespace\b", stripped) or stripped.startswith('extern "'):
                kind = "namespace"
            elif (m := re.search(r"\b(?:class|struct|union)\s+(?:\[\[[^\]]*\]\]\s*)?([A-Za-z_]\w*)[^()=]*$", stripped)) \
                    and not re.search(r"\benum\b", stripped):
                kind, name = "class", m.group(1)
            elif ")" in stripped and not CONTROL.match(stripped) and not stripped.endswith("="):
                name = function_name(stripped)
                if name:
                    kind = "function"
                    outer = [n for k, n, _ in stack if k == "class"]
                    if outer and "::" not in name:
                        name = "::".join(outer) + "::" + name
        stack.append((kind, name, start))
        header_start = i + 1
    return found


def sources(dirs):
    for d in dirs:
        for base, _, files in os.walk(os.path.join(ROOT, d)):
            for f in sorted(files):
                if f.endswith((".cpp", ".hpp", ".h", ".cc")):
                    yield os.path.join(base, f)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", default=["compiler", "runtime", "cli"])
    ap.add_argument("--top", type=int, default=0, help="show only the N largest of each kind")
    ap.add_argument("--check", action="store_true",
                    help=f"exit 1 if a function is over {MAX_FUNCTION} lines or a class over {MAX_CLASS}")
    args = ap.parse_args()
    rows = []
    for path in sources(args.dirs):
        for kind, name, first, last in definitions(path):
            rows.append((last - first + 1, kind, name, os.path.relpath(path, ROOT), first))
    over = []
    for kind, limit in (("function", MAX_FUNCTION), ("class", MAX_CLASS)):
        mine = sorted((r for r in rows if r[1] == kind), key=lambda r: (-r[0], r[3], r[4]))
        shown = mine[: args.top] if args.top else mine
        print(f"largest {kind}{'es' if kind == 'class' else 's'} (limit {limit} lines):")
        for size, _, name, path, first in shown:
            flag = "  OVER" if size > limit else ""
            print(f"  {size:5d}  {name}  {path}:{first}{flag}")
        over += [r for r in mine if r[0] > limit]
    if args.check and over:
        print(f"{len(over)} definition(s) over the limit", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
