#!/usr/bin/env python3
"""Reads Stryker.NET's JSON report of src/Runtime and writes docs/reliability/mutation.md.

usage: mutation-report.py REPORT.json ACCEPTED.tsv OUT.md STRYKER_VERSION ELAPSED_SECONDS [TEMPLATE.tsv]

Every mutant that survived or that no test covers must have a reason in ACCEPTED.tsv, matched by file, the text of
its source line, mutator, original and replacement (not by line number, so unrelated edits keep the reasons).
TEMPLATE.tsv receives the key columns of each unexplained mutant, to copy into ACCEPTED.tsv with a reason.
Exits 1 when the score is under MIN_SCORE, when a mutant has no reason ("not explained"), or when a mutant survives
in code where none may: the response writer's header checks and write, HttpToken, CONTENT_LENGTH parsing and the
body stream.
"""
import datetime
import json
import re
import sys

MIN_SCORE = 85.0
RUNTIME = "src/Runtime/"
UNDETECTED = ("Survived", "NoCoverage")
SHORT_LINE = 30

# Where no mutant may survive, accepted or not: whole files, or methods of a file (by name).
CRITICAL_FILES = {"Cgi/CgiResponseWriter.cs", "Http/HttpToken.cs", "Http/RequestBodyStream.cs"}
CRITICAL_METHODS = {"Http/CgiRequest.cs": ["ParseContentLength", "CheckedContentLength"]}
# ... and single statements: the constructor line that parses CONTENT_LENGTH.
CRITICAL_LINES = {"Http/CgiRequest.cs": [re.compile(r"ContentLength = ParseContentLength\(")]}


def normalize(text, limit=120):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def snippet(lines, location):
    start, end = location["start"], location["end"]
    if start["line"] == end["line"]:
        return lines[start["line"] - 1][start["column"] - 1 : end["column"] - 1]
    parts = [lines[start["line"] - 1][start["column"] - 1 :]]
    parts += lines[start["line"] : end["line"] - 1]
    parts.append(lines[end["line"] - 1][: end["column"] - 1])
    return "\n".join(parts)


def method_spans(lines, names):
    """Line ranges (1-based, inclusive) of the named methods: from the declaration to its closing brace or ';'."""
    spans = []
    for name in names:
        declaration = re.compile(r"\b(private|public|internal|protected)\b[^=;{]*\b" + re.escape(name) + r"\s*\(")
        for i, line in enumerate(lines):
            if not declaration.search(line):
                continue
            depth, opened = 0, False
            for j in range(i, len(lines)):
                depth += lines[j].count("{") - lines[j].count("}")
                opened = opened or "{" in lines[j]
                if (opened and depth <= 0) or (not opened and lines[j].rstrip().endswith(";")):
                    spans.append((i + 1, j + 1))
                    break
    return spans


def source_key(lines, line):
    """The mutant's source line, trimmed; a short one ('{', 'return;') after the last line before it that is more
    than a brace, for context."""
    text = lines[line - 1].strip()
    if len(text) < SHORT_LINE:
        previous = next((p.strip() for p in reversed(lines[: line - 1]) if p.strip() not in ("", "{", "}")), "")
        text = previous + " ¶ " + text
    return normalize(text)


def is_critical(file, lines, line):
    if file in CRITICAL_FILES:
        return True
    if any(a <= line <= b for a, b in method_spans(lines, CRITICAL_METHODS.get(file, []))):
        return True
    return any(p.search(lines[line - 1]) for p in CRITICAL_LINES.get(file, []))


def read_accepted(path):
    accepted = {}
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 6:
                sys.exit(f"{path}:{number}: expected 6 tab-separated fields (file, source line, mutator, original, "
                         f"replacement, reason), found {len(fields)}")
            key = tuple(normalize(x) for x in fields[:5])
            accepted[key] = (fields[5].strip(), number)
    return accepted


def code(text):
    text = text.replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def main():
    report_path, accepted_path, out_path, version, elapsed = sys.argv[1:6]
    template_path = sys.argv[6] if len(sys.argv) > 6 else None
    report = json.load(open(report_path, encoding="utf-8"))
    accepted = read_accepted(accepted_path)
    used = set()

    counts = {}
    report_lines = {}
    rows, unexplained, critical = [], [], []
    for path, entry in sorted(report["files"].items()):
        file = path.replace("\\", "/").split(RUNTIME, 1)[-1]
        lines = entry["source"].split("\n")
        report_lines[file] = lines
        for m in entry["mutants"]:
            counts[m["status"]] = counts.get(m["status"], 0) + 1
            if m["status"] not in UNDETECTED:
                continue
            line = m["location"]["start"]["line"]
            original = normalize(snippet(lines, m["location"]))
            replacement = normalize(m.get("replacement", ""))
            key = (file, source_key(lines, line), normalize(m["mutatorName"]), original, replacement)
            reason = None
            if key in accepted:
                reason = accepted[key][0]
                used.add(key)
            row = (file, line, m["status"], m["mutatorName"], original, replacement, reason)
            rows.append(row)
            if is_critical(file, lines, line):
                critical.append(row)
            elif reason is None:
                unexplained.append(row)

    killed, timeout = counts.get("Killed", 0), counts.get("Timeout", 0)
    survived, no_coverage = counts.get("Survived", 0), counts.get("NoCoverage", 0)
    valid = killed + timeout + survived + no_coverage
    score = 100.0 * (killed + timeout) / valid if valid else 0.0

    rows.sort(key=lambda r: (r[0], r[1], r[3], r[4], r[5]))
    out = [
        "<!-- Generated by scripts/mutation.sh from Stryker.NET's JSON report and scripts/mutation-accepted.tsv; do not edit by hand. -->",
        "## Mutation testing",
        "",
        f"Stryker.NET {version} mutates `src/Runtime` (standard mutation level) and runs the in-process tests of",
        "`tests/CgiRouting.Tests` against each mutant. Reproduce with `scripts/mutation.sh` (the report is left in",
        "`artifacts/mutation/reports/mutation-report.json`).",
        "",
        f"- Run on {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d')} (UTC), "
        f"{int(float(elapsed)) // 60} min {int(float(elapsed)) % 60} s on 2 cores (concurrency 2)",
        f"- **Mutation score: {score:.2f} %** (killed + timeout over all mutants that compiled and were not ignored; "
        f"the bar is {MIN_SCORE:.0f} %)",
        f"- Killed {killed}, survived {survived}, timeout {timeout}, no coverage {no_coverage}, "
        f"compile error {counts.get('CompileError', 0)}, ignored {counts.get('Ignored', 0)} "
        f"(of {sum(counts.values())} mutants)",
        "- No mutant may survive in the response writer (header checks, single write), `HttpToken`, CONTENT_LENGTH "
        "parsing (`CgiRequest.ContentLength`) or `RequestBodyStream`: "
        + ("none does." if not critical else f"**{len(critical)} do (see below)**."),
        "",
    ]
    if rows:
        out += [
            "Every mutant left, and why it is acceptable (`scripts/mutation-accepted.tsv`):",
            "",
            "| Where | Status | Mutator | Original → mutated | Why |",
            "| --- | --- | --- | --- | --- |",
        ]
        for row in rows:
            file, line, status, mutator, original, replacement, reason = row
            why = reason if reason is not None else "**not explained**"
            if row in critical:
                why = "**not allowed here**" + (" " + reason if reason else "")
            why = why.replace("|", "\\|")
            out.append(f"| {file}:{line} | {status} | {mutator} | {code(original)} → {code(replacement)} | {why} |")
        out.append("")
    else:
        out += ["No mutant survived, and every mutant was covered.", ""]
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))

    print(f"Mutation score {score:.2f} %: killed {killed}, survived {survived}, timeout {timeout}, "
          f"no coverage {no_coverage}, compile error {counts.get('CompileError', 0)}, ignored {counts.get('Ignored', 0)}")
    print(f"Wrote {out_path} ({len(rows)} mutants left, {len(rows) - len(unexplained) - len(critical)} explained)")
    for key, (_, number) in sorted(accepted.items(), key=lambda kv: kv[1][1]):
        if key not in used:
            print(f"note: {accepted_path}:{number} matches no mutant left; remove it if the mutant is gone: {key[0]} {key[1]}")
    if template_path:
        # The key columns of each unexplained mutant, for adding its reason to the accepted file.
        with open(template_path, "w", encoding="utf-8") as f:
            for file, line, status, mutator, original, replacement, _ in unexplained:
                source = source_key(report_lines[file], line)
                f.write("\t".join([file, source, mutator, original, replacement, "TODO why it is acceptable"]) + "\n")
    failed = False
    for file, line, status, mutator, original, replacement, _ in critical:
        print(f"FAIL: {status} mutant where none may survive: {file}:{line} {mutator}: {original} -> {replacement}")
        failed = True
    for file, line, status, mutator, original, replacement, _ in unexplained:
        print(f"FAIL: not explained in {accepted_path}: {file}:{line} {status} {mutator}: {original} -> {replacement}")
        failed = True
    if score < MIN_SCORE:
        print(f"FAIL: mutation score {score:.2f} % is under {MIN_SCORE:.0f} %")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
