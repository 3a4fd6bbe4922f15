#!/usr/bin/env python3
"""Writes the seed corpus of the `sql` fuzz target: every SQL statement
found as a string literal in the driver's SQL tests (src/sql/tests/), the
integration tests (tests/) and the engine's own unit tests (src/sql/), one
file per statement, named seed-<hash> in fuzz/corpus/sql/.

format! placeholders ({table}, {column}, {}) become a table or column name
so that the seeds parse; ODBC escapes ({fn ...}, {d '...'}, {oj ...}) stay.
Run from anywhere: python3 fuzz/seed_sql.py
"""
import hashlib
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "corpus" / "sql"
SOURCES = ["src/sql", "tests"]
STARTS = ("SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "EXPLAIN", "EXEC",
          "CALL", "{CALL", "{?", "VALUES", "(SELECT")
ESCAPES = {"fn", "d", "t", "ts", "oj", "call", "escape", "guid", "interval"}
PLACEHOLDERS = {"table": "Deals", "column": "Title", "col": "Title",
                "id": "1", "name": "Title", "value": "1", "op": "="}

# A plain literal (with escapes) or a raw literal r"..." / r#"..."#.
LITERAL = re.compile(r'r(#*)"(.*?)"\1|"((?:[^"\\]|\\.)*)"', re.S)


def unescape(body):
    # Line continuations first, then the usual escapes.
    body = re.sub(r"\\\n\s*", "", body)
    return (body.replace(r"\"", '"').replace(r"\n", "\n").replace(r"\t", "\t")
            .replace(r"\'", "'").replace("\\\\", "\\"))


def fill_placeholders(sql):
    def replace(match):
        word = match.group(1)
        if word.split(" ")[0].lower() in ESCAPES:
            return match.group(0)
        return PLACEHOLDERS.get(word.split(":")[0], "Deals" if word == "" else "1")
    sql = re.sub(r"\{([A-Za-z_][A-Za-z0-9_.:?]*|)\}", replace, sql)
    return sql.replace("{{", "{").replace("}}", "}")


def statements():
    for source in SOURCES:
        for path in sorted((ROOT / source).rglob("*.rs")):
            text = path.read_text(encoding="utf-8", errors="replace")
            for match in LITERAL.finditer(text):
                body = match.group(2) if match.group(2) is not None else unescape(match.group(3))
                sql = fill_placeholders(body).strip()
                if sql.upper().startswith(STARTS) and len(sql) <= 2048:
                    yield sql


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("seed-*"):
        old.unlink()
    seen = set()
    for sql in statements():
        if sql in seen:
            continue
        seen.add(sql)
        name = "seed-" + hashlib.sha1(sql.encode()).hexdigest()[:12]
        (OUT / name).write_text(sql, encoding="utf-8")
    print(f"{len(seen)} SQL seeds in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
