"""Count the package's imports: cycles between its modules, and imports of its own modules
made inside functions.

    python scripts/imports.py            # the summary; exit 1 if a cycle or too many
    python scripts/imports.py --list     # every import inside a function, by file

How it counts (from the source, with `ast`, nothing is imported):
- an edge goes from a module to each of the package's modules it imports, wherever the
  import sits: at the top, inside a function, or as module names in strings
  (`importlib.import_module("tensorlift.x")`, or a tuple or list of nothing but such
  names, handed to it; `[python, "-m", "tensorlift.x"]` starts a process, no import).
  Imports under `if TYPE_CHECKING:` never run and are left out, as are those under
  `if __name__ == "__main__":` (they run when the module is the script, never on import).
  `from .pkg import name` is an edge to `pkg.name` when that is a module, else to `pkg`.
  The parent packages Python initialises on the way are not edges.
- a cycle is a strongly connected component of more than one module (or a module
  importing itself);
- an import inside a function counts once per imported module per statement. One that
  only serves a heavy optional library (its target imports torch, jax, ray or openai at
  its top) is listed apart and does not count: it stays lazy on purpose.
"""
from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

HEAVY = ("torch", "jax", "ray", "openai")
LIMIT = 12
ROOT = Path(__file__).resolve().parent.parent / "tensorlift"


def module_names(root: Path) -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its own name)."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return isinstance(t, ast.Name) and t.id == "TYPE_CHECKING" or \
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING"


def _is_main(node: ast.If) -> bool:
    return ast.unparse(node.test).replace("'", '"') == '__name__ == "__main__"'


def _imports(tree: ast.AST):
    """(import node, inside a function) for every import that can run."""
    def walk(node, inside):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_main(child):
                continue        # runs when the module is the script (`__main__`), never on import
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    yield from walk_one(other, inside)
                continue
            yield from walk_one(child, inside)

    def walk_one(node, inside):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, inside
        yield from walk(node, inside or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))
    yield from walk(tree, False)


def _targets(node, module: str, is_package: bool, modules: dict) -> list[str]:
    """The package's modules an import statement loads, and the external ones by name."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[:len(base) - (node.level - 1)]
        src = ".".join(base + ([node.module] if node.module else []))
    else:
        src = node.module or ""
    return [f"{src}.{a.name}" if f"{src}.{a.name}" in modules else src for a in node.names]


def scan(root: Path = ROOT):
    """edges: module -> set of own modules; inner: [(module, line, target)]; heavy: the own
    modules that import a heavy library at their top."""
    modules = module_names(root)
    edges: dict[str, set[str]] = {m: set() for m in modules}
    inner, top_external = [], {m: set() for m in modules}
    for m, path in modules.items():
        tree = ast.parse(path.read_text(), str(path))
        for node, inside in _imports(tree):
            for t in dict.fromkeys(_targets(node, m, path.name == "__init__.py", modules)):
                if t in modules:
                    edges[m].add(t)
                    if inside:
                        inner.append((m, node.lineno, t))
                elif not inside:
                    top_external[m].add(t.split(".")[0])
        for s in ast.walk(tree):     # importlib.import_module("tensorlift.x"), and tuples of such names
            if isinstance(s, (ast.Tuple, ast.List)) or isinstance(s, ast.Call) and \
                    getattr(s.func, "attr", getattr(s.func, "id", None)) == "import_module":
                names = s.args if isinstance(s, ast.Call) else s.elts
                if names and all(isinstance(c, ast.Constant) and c.value in modules for c in names):
                    edges[m].update(c.value for c in names)
    heavy = {m for m, ext in top_external.items() if ext & set(HEAVY)}
    return edges, inner, heavy


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with a cycle (Tarjan's algorithm, iterative)."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges[w]))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1 or v in edges[v]:
                        out.append(sorted(comp))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", action="store_true", help="list every import inside a function")
    args = ap.parse_args(argv)
    edges, inner, heavy = scan()
    found = cycles(edges)
    counted = [i for i in inner if i[2] not in heavy]
    lazy = [i for i in inner if i[2] in heavy]
    for comp in found:
        print("cycle:", " <-> ".join(comp))
    if args.list:
        for m, line, t in inner:
            print(f"  {m}:{line} -> {t}{'  (heavy, lazy on purpose)' if t in heavy else ''}")
    print(f"{len(found)} cycles; {len(counted)} imports of own modules inside functions (limit {LIMIT}), "
          f"{len(lazy)} more of modules that load {'/'.join(HEAVY)}")
    return 0 if not found and len(counted) <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
