"""The dependencies between the apps run one way, as DESIGN.md draws them ("Dependencies run one way").

The import graph is read from the source (``ast``): module-level and function-level imports,
``importlib.import_module("...")``, ``apps.get_model("app", "Model")`` / ``get_model("app.Model")``
and the "app.Model" strings of relation fields. Migrations are left out of the import graph; the
migration graph (``MigrationLoader``) has a test of its own. Templates are read for their
``{% include %}`` and ``{% extends %}``, the Python code for the template names it writes.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CORE = "wizzr"
APPS = ("wizzr", "suppliers", "contracts", "catalogue", "monitoring", "portal", "knowledgebase", "api")
DOMAIN_APPS = tuple(app for app in APPS if app != CORE)
# Packages that are not the product: the product never imports them.
NOT_PRODUCT = ("tests", "bench", "devtools", "scripts")

# Which apps each app may use besides the core (everything builds on ``wizzr``).
ALLOWED = {
    "wizzr": set(),
    "suppliers": set(),
    "catalogue": set(),
    "contracts": {"suppliers"},
    "monitoring": {"contracts", "catalogue", "suppliers"},
    "portal": {"monitoring", "contracts", "suppliers"},
    "knowledgebase": {"contracts", "catalogue"},
    "api": {"contracts", "monitoring", "catalogue"},
}
# Where an allowed edge reaches only part of the other app: monitoring uses the registry's model and
# its typeahead search (the query, the options it answers with, the picker widget and its choice
# field), never its views.
ALLOWED_MODULES = {
    ("monitoring", "suppliers"): (
        "suppliers.models", "suppliers.search", "suppliers.options", "suppliers.widgets", "suppliers.forms",
    ),
}

RELATION_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField", "ForeignObject"}
MODEL_LABEL = re.compile(r"^([a-z_]+)\.[A-Z]\w*$")


@dataclass(frozen=True)
class Edge:
    source: str  # app
    target: str  # app
    module: str  # what was reached, e.g. "contracts.models" or "contracts.Contract"
    where: str  # path:line

    def __str__(self) -> str:
        return f"{self.where}: {self.source} -> {self.module}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute module of a (possibly relative) ``from ... import``."""
    if not node.level:
        return node.module or ""
    package = module.split(".")[: -node.level]  # a package's module name ends in ".__init__"
    return ".".join([*package, node.module] if node.module else package)


def _string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def reached_modules(path: Path, module: str | None = None) -> list[tuple[str, int]]:
    """Every module (or "app.Model" label) the file at ``path`` (module ``module``) reaches, with its line."""
    module = module or _module_name(path)
    if path.name == "__init__.py":
        module += ".__init__"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, node)
            found.append((base, node.lineno))
            # ``from monitoring import views`` reaches the module monitoring.views.
            found += [(f"{base}.{alias.name}", node.lineno) for alias in node.names if alias.name != "*"]
        elif isinstance(node, ast.Call):
            name = _call_name(node)
            first = _string(node.args[0]) if node.args else None
            if name == "import_module" and first:
                found.append((first, node.lineno))
            elif name == "get_model" and first:
                found.append((first if "." in first else f"{first}.?", node.lineno))
            elif name in RELATION_FIELDS:
                target = first or next((_string(k.value) for k in node.keywords if k.arg == "to"), None)
                if target and MODEL_LABEL.match(target):
                    found.append((target, node.lineno))
    return found


def product_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield app, path


def _edges() -> list[Edge]:
    edges = []
    for app, path in product_files():
        for reached, line in reached_modules(path):
            target = reached.split(".")[0]
            if target != app and (target in APPS or target in NOT_PRODUCT):
                edges.append(Edge(app, target, reached, f"{path.relative_to(ROOT)}:{line}"))
    return edges


EDGES = _edges()

def _disallowed(edge: Edge) -> bool:
    if edge.target == CORE or edge.target in ALLOWED[edge.source]:
        only = ALLOWED_MODULES.get((edge.source, edge.target))
        return only is not None and not any(edge.module == m or edge.module.startswith(m + ".") for m in only)
    return True


def _listing(edges) -> str:
    return "\n".join(sorted(str(e) for e in edges))


def test_the_graph_is_read():
    """A guard on the reader: the edges everyone knows are there are found."""
    pairs = {(e.source, e.target) for e in EDGES}
    assert {("contracts", "suppliers"), ("monitoring", "contracts"), ("portal", "monitoring")} <= pairs
    assert ("catalogue", CORE) in pairs
    assert ("knowledgebase", "catalogue") in pairs


def test_the_reader_finds_every_kind_of_reference(tmp_path):
    source = tmp_path / "example.py"
    source.write_text(
        "import contracts.models\n"
        "from . import views\n"
        "def f():\n"
        "    from portal.services import g\n"
        "    importlib.import_module('api.openapi')\n"
        "    apps.get_model('knowledgebase', 'Article')\n"
        "    apps.get_model('suppliers.Supplier')\n"
        "    models.ForeignKey('catalogue.BuildingBlock', on_delete=None)\n"
        "    models.ManyToManyField(to='wizzr.User')\n",
        encoding="utf-8",
    )
    reached = {module for module, _ in reached_modules(source, "monitoring.example")}
    assert {
        "contracts.models", "monitoring.views", "portal.services", "api.openapi", "knowledgebase.?",
        "suppliers.Supplier", "catalogue.BuildingBlock", "wizzr.User",
    } <= reached


def test_the_core_knows_no_domain_app():
    found = [e for e in EDGES if e.source == CORE and e.target in DOMAIN_APPS]
    assert not found, "wizzr reaches domain apps (only URL includes and settings may name them):\n" + _listing(found)


def test_the_product_imports_no_tools_or_tests():
    found = [e for e in EDGES if e.target in NOT_PRODUCT]
    assert not found, "the product imports tools or tests:\n" + _listing(found)


def _is_views(module: str) -> bool:
    return any(part == "views" or part.endswith("_views") for part in module.split(".")[1:])


def test_no_app_imports_another_apps_views():
    found = [e for e in EDGES if e.target in APPS and _is_views(e.module)]
    assert not found, "views are reached from another app (use a URL name, a model or a function):\n" + _listing(found)


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of nodes that reach each other (size > 1 is a cycle)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [g for g in groups if len(g) > 1]


def test_no_cycle_between_apps():
    graph: dict[str, set[str]] = defaultdict(set)
    for e in EDGES:
        if e.target in APPS:
            graph[e.source].add(e.target)
    cycles = _strongly_connected(graph)
    detail = "\n".join(
        _listing(e for e in EDGES if e.source in group and e.target in group) for group in cycles
    )
    assert not cycles, f"apps that import each other: {cycles}\n{detail}"


def test_only_the_designed_edges():
    found = [e for e in EDGES if e.target in APPS and _disallowed(e)]
    assert not found, "dependencies DESIGN.md does not allow:\n" + _listing(found)


def test_monitoring_does_not_know_the_portal():
    """The portal contributes to monitoring's pages through registered panels, never by being read."""
    found = [e for e in EDGES if (e.source, e.target) == ("monitoring", "portal")]
    assert not found, _listing(found)


# Templates -----------------------------------------------------------------------------------------

TEMPLATES = ROOT / "templates"
TEMPLATE_TAG = re.compile(r"""\{%-?\s*(?:include|extends)\s+(["'])([^"']+)\1""")


def template_references():
    """(template, line, referenced template) for every literal include/extends under templates/<app>/."""
    for app in APPS:
        folder = TEMPLATES / app
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if not path.is_file():
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                for match in TEMPLATE_TAG.finditer(line):
                    yield app, f"{path.relative_to(ROOT)}:{number}", match.group(2)


def test_templates_are_read():
    assert any(ref == "base.html" for _, _, ref in template_references())
    assert any(ref.startswith("contracts/") for app, _, ref in code_template_references() if app == "contracts")


TEMPLATE_NAME = re.compile(r"^[a-z_]+/[\w/.-]+\.(?:html|txt|xml)$")


def code_template_references():
    """(app, path:line, template) for every template name written in an app's Python code."""
    for app, path in product_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and TEMPLATE_NAME.match(node.value):
                yield app, f"{path.relative_to(ROOT)}:{node.lineno}", node.value


def test_templates_use_their_own_app_or_shared_ones():
    """Templates (and Python code) of one app use only their own app's templates or shared ones."""
    found = []
    for app, where, ref in [*template_references(), *code_template_references()]:
        owner = ref.split("/")[0] if "/" in ref else None
        if owner in APPS and owner != app:
            found.append(f"{where}: {app} -> {ref}")
    assert not found, "templates of one app include or extend another app's templates:\n" + "\n".join(found)


# Migrations ----------------------------------------------------------------------------------------


def migration_edges() -> dict[tuple[str, str], list[str]]:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (app, name), node in loader.graph.node_map.items():
        for parent in node.parents:
            if parent.key[0] != app:
                edges[(app, parent.key[0])].append(f"{app}.{name} -> {parent.key[0]}.{parent.key[1]}")
    return edges


def test_no_two_apps_migrations_depend_on_each_other():
    edges = migration_edges()
    assert ("contracts", "suppliers") in edges  # the reader works
    both_ways = sorted({tuple(sorted(pair)) for pair in edges if (pair[1], pair[0]) in edges})
    detail = "\n".join(line for a, b in both_ways for line in edges[(a, b)] + edges[(b, a)])
    assert not both_ways, f"migrations of these apps depend on each other: {both_ways}\n{detail}"
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    assert not _strongly_connected(graph)
