"""The settings tables and the settings agree (README, docs/*.md): an operator configures
Lapor by environment variables alone, from the docs alone.

- every variable the code reads (lapor/settings.py through lapor.conf, os.environ
  elsewhere in lapor/, the `${NAME:-…}` of script/start) is named in README.md or docs/;
- every variable a table of the docs lists (first column of a table whose header starts
  with "variable") is read by something: a name read nowhere is a setting that does nothing.
"""
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# lapor.conf's readers: their first argument is the variable's name.
READERS = {"env", "envbool", "envint", "envlist", "envnetworks", "envchoice", "envurl", "envzone", "envrate",
           "envsecret", "fernet_keys"}
# Read by a library from the environment, not by our code: boto3 (object storage).
READ_BY_LIBRARIES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
NAME = re.compile(r"[A-Z][A-Z0-9_]{2,}")


def _constant(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def read_by_the_code() -> dict[str, str]:
    """Each variable name the code reads, with the file that reads it."""
    found = {}
    settings = ROOT / "lapor" / "settings.py"
    for path in sorted((ROOT / "lapor").rglob("*.py")):
        tree = ast.parse(path.read_text())
        where = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func, first = node.func, _constant(node.args[0])
            if path == settings and isinstance(func, ast.Name) and func.id in READERS and first:
                found.setdefault(first, where)
            # os.environ.get("NAME") / os.getenv("NAME") anywhere in lapor/
            if isinstance(func, ast.Attribute) and func.attr in ("get", "getenv") and first and NAME.fullmatch(first):
                if ast.unparse(func.value) in ("os.environ", "os"):
                    found.setdefault(first, where)
        # envclient(prefix) reads <prefix>_CLIENT_ID, <prefix>_CLIENT_SECRET and the old
        # <prefix>_SECRET; settings call it in a loop over ("google", "GOOGLE"), … pairs.
        for loop in (node for node in ast.walk(tree) if isinstance(node, ast.For)):
            calls = [call for call in ast.walk(loop) if isinstance(call, ast.Call)
                     and isinstance(call.func, ast.Name) and call.func.id == "envclient"]
            if calls:
                for constant in ast.walk(loop.iter):
                    prefix = _constant(constant)
                    if prefix and re.fullmatch(r"[A-Z][A-Z0-9_]*", prefix):
                        for suffix in ("_CLIENT_ID", "_CLIENT_SECRET", "_SECRET"):
                            found.setdefault(prefix + suffix, where)
    for name in re.findall(r"\$\{([A-Z][A-Z0-9_]+):-", (ROOT / "script" / "start").read_text()):
        found.setdefault(name, "script/start")
    return found


def named_in_the_docs() -> set[str]:
    names = set()
    for path in DOCS:
        for quoted in re.findall(r"`([^`\n]+)`", path.read_text()):
            names.update(NAME.findall(quoted))
    return names


def listed_in_variable_tables() -> dict[str, str]:
    """First-column names of every table whose header's first cell is "variable"."""
    listed = {}
    for path in DOCS:
        in_table = False
        for line in path.read_text().splitlines():
            cells = line.split("|")
            if not line.startswith("|") or len(cells) < 3:
                in_table = False
                continue
            first = cells[1].strip()
            if first.lower() == "variable":
                in_table = True
                continue
            if in_table:
                for quoted in re.findall(r"`([^`]+)`", first):
                    if NAME.fullmatch(quoted):
                        listed.setdefault(quoted, path.name)
    return listed


def test_every_variable_the_code_reads_is_named_in_the_docs():
    named = named_in_the_docs()
    missing = {name: where for name, where in read_by_the_code().items() if name not in named}
    assert not missing, f"read but named nowhere in README.md or docs/: {missing}"


def test_every_variable_a_settings_table_lists_is_read():
    read = set(read_by_the_code()) | READ_BY_LIBRARIES
    scripts = "\n".join(path.read_text() for path in [ROOT / "script" / "test", ROOT / ".ci" / "run",
                                                       ROOT / "tests" / "conftest.py"])
    settings_text = (ROOT / "lapor" / "settings.py").read_text()
    unread = {}
    for name, doc in listed_in_variable_tables().items():
        if name in read or re.search(rf"\b{name}\b", scripts):
            continue
        # LAPOR_CSP_<DIRECTIVE>: built from the directive's name in settings' loop.
        directive = name.removeprefix("LAPOR_CSP_").lower().replace("_", "-")
        if name.startswith("LAPOR_CSP_") and f'"{directive}"' in settings_text:
            continue
        unread[name] = doc
    assert not unread, f"listed in a table of settings but read by nothing: {unread}"
