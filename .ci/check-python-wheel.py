"""Checks the Python wheel that jsii-pacmak's generated sources build into (see .ci/jsii-targets).

Usage: python3 check-python-wheel.py <wheel> <repo dir>

Checks what the wheel holds: the metadata (name, version, Python floor, the dependencies on
the jsii runtime and the cdk8s packages), the embedded npm tarball (the package's own file set),
the console script, that every module compiles on this Python, and that the module defines every
public type of the jsii assembly with its members under their Python names. Installing it with its
dependencies from PyPI and running the example app on it is .ci/jsii-targets' next step.
"""
import ast
import io
import json
import re
import sys
import tarfile
import zipfile

wheel_path, repo = sys.argv[1], sys.argv[2]
pkg = json.load(open(f"{repo}/package.json", encoding="utf-8"))
assembly = json.load(open(f"{repo}/.jsii", encoding="utf-8"))
target = pkg["jsii"]["targets"]["python"]
module, version = target["module"], pkg["version"]
problems = []


def check(ok, message):
    if not ok:
        problems.append(message)


def snake(name):
    """jsii's Python name of a method or property: camelCase to snake_case."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


wheel = zipfile.ZipFile(wheel_path)
names = wheel.namelist()
dist_info = f"{target['distName'].replace('-', '_')}-{version}.dist-info"

# Metadata: name, version, Python floor, dependencies matching the npm peer dependencies.
metadata = wheel.read(f"{dist_info}/METADATA").decode()
check(f"\nName: {target['distName']}\n" in metadata, "METADATA names another distribution")
check(f"\nVersion: {version}\n" in metadata, f"METADATA version is not {version}")
floor = re.search(r"^Requires-Python: >=(\d+)\.(\d+)$", metadata, re.M)
check(floor is not None and tuple(map(int, floor.groups())) <= sys.version_info[:2],
      f"Requires-Python does not admit Python {sys.version_info[0]}.{sys.version_info[1]}")
# "name (>=1,<2)" from older setuptools, "name <2,>=1" or "name>=1,<2" from newer ones
requires = {name: spec.strip() for name, spec in
            re.findall(r"^Requires-Dist: ([A-Za-z0-9_.-]+) *\(?([^();\n]*)\)? *$", metadata, re.M)}
for dep, npm_range in pkg["peerDependencies"].items():
    lowest = npm_range.lstrip("^")
    check(f">={lowest}" in requires.get(dep, ""), f"Requires-Dist {dep} {requires.get(dep)} does not start at the npm peer range {npm_range}")
check("jsii" in requires, "Requires-Dist has no jsii runtime")

# The embedded npm tarball: what the jsii runtime loads, the same file set as `npm pack`.
tgz_name = f"{module}/_jsii/{pkg['name']}@{version}.jsii.tgz"
check(tgz_name in names, f"{tgz_name} is not in the wheel")
if tgz_name in names:
    with tarfile.open(fileobj=io.BytesIO(wheel.read(tgz_name))) as tgz:
        files = tgz.getnames()
    for needed in ("package/.jsii", "package/lib/index.js", "package/lib/index.d.ts", "package/bin/cdk8s-rainbond"):
        check(needed in files, f"the embedded tarball lacks {needed}")
    for banned in ("package/src/", "package/test/", "package/bench/", "package/example/", "package/.ci/"):
        check(not any(f.startswith(banned) for f in files), f"the embedded tarball ships {banned}")

# The CLI as a console script.
for bin_name in pkg["bin"]:
    check(f"{target['distName'].replace('-', '_')}-{version}.data/scripts/{bin_name}" in names, f"no console script {bin_name}")

# Every module compiles on this Python.
sources = {n: wheel.read(n).decode() for n in names if n.endswith(".py")}
for name, text in sources.items():
    try:
        compile(text, name, "exec")
    except SyntaxError as e:
        problems.append(f"{name} does not compile on Python {sys.version.split()[0]}: {e}")

# Every public type of the assembly, with its members, under its Python name.
tree = ast.parse(sources[f"{module}/__init__.py"])
classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
exported = next((ast.literal_eval(n.value) for n in tree.body
                 if isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in n.targets)), [])
checked_members = 0
for fqn, spec in assembly["types"].items():
    name = spec["name"]
    node = classes.get(name)
    check(node is not None, f"type {fqn} has no class {name}")
    check(name in exported, f"{name} is not in __all__")
    if node is None:
        continue
    defined = {n.name for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    defined |= {t.id for n in node.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
    wanted = [m["name"] for m in spec.get("members", [])]
    wanted += [snake(m["name"]) for m in spec.get("methods", [])]
    wanted += [p["name"] if p.get("const") else snake(p["name"]) for p in spec.get("properties", [])]
    for member in wanted:
        checked_members += 1
        check(member in defined, f"{name} has no member {member}")
    init = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
    struct_param = next((p for p in (spec.get("initializer") or {}).get("parameters", [])
                         if p["type"].get("fqn", "").startswith(f"{pkg['name']}.")
                         and assembly["types"][p["type"]["fqn"]]["kind"] == "interface"
                         and assembly["types"][p["type"]["fqn"]].get("datatype")), None)
    if init is not None and struct_param is not None:
        keywords = {a.arg for a in init.args.kwonlyargs}
        struct = assembly["types"][struct_param["type"]["fqn"]]
        for prop in struct.get("properties", []):
            checked_members += 1
            check(snake(prop["name"]) in keywords, f"{name}(...) takes no keyword {snake(prop['name'])}")

print(f"wheel {wheel_path.split('/')[-1]}: {len(names)} files, {len(assembly['types'])} types, {checked_members} members and keywords checked")
print(f"Requires-Dist: {', '.join(f'{d} {r}' for d, r in sorted(requires.items()))}")

if problems:
    print("\n".join(["FAILED:"] + [f"  - {p}" for p in problems]), file=sys.stderr)
    sys.exit(1)
print("python wheel: OK")
