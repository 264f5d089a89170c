"""Type hints where the contracts are (issue 30): at least MIN_SHARE of the shipped functions annotated, and
the modules mypy checks strictly all in the one list of what it checks (pyproject.toml's [tool.mypy] files).

A standard-library `ast` scan of the files the plugin ZIP ships (everything but tests/, scripts/, benchmarks/,
docs/). A function counts as annotated when its return or any of its parameters is. Which modules are checked
strictly, and how, is docs/DEVELOPING.md's "Lint and types".
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOT_SHIPPED = ("tests", "scripts", "benchmarks", "docs")
MIN_SHARE = 0.40


def shipped_files():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in NOT_SHIPPED or rel.parts[0].startswith("."):
            continue
        yield rel.as_posix(), path.read_text(encoding="utf-8")


def annotated(function):
    """Whether a def has a return annotation or an annotated parameter (self and cls count when annotated)."""
    args = function.args
    params = args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]
    return function.returns is not None or any(p.annotation is not None for p in params)


def count(source):
    """(annotated, all) functions and methods of a module's source, nested ones included."""
    functions = [n for n in ast.walk(ast.parse(source)) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return sum(1 for f in functions if annotated(f)), len(functions)


def test_the_counter_counts_a_function_with_any_annotation_and_no_other():
    source = """
def bare(a, b=1): pass
def returns(a) -> int: return 1
def one_parameter(a: int, b): pass
def star(*args: str, **kwargs): pass
async def coroutine(x): pass
class K:
    def method(self) -> None:
        def inner(y): pass
    @property
    def value(self): return 1
"""
    # returns, one_parameter, star, method; not bare, coroutine, inner, value
    assert count(source) == (4, 8)


def test_enough_of_the_shipped_functions_are_annotated():
    per_file = {name: count(source) for name, source in shipped_files()}
    done = sum(a for a, _ in per_file.values())
    total = sum(n for _, n in per_file.values())
    assert total > 1000, "the scan found only %d functions: is it looking at the plugin?" % total
    share = done / total
    most = sorted(per_file.items(), key=lambda item: item[1][0] - item[1][1])[:10]
    assert share >= MIN_SHARE, "%.1f %% of the shipped functions are annotated (%d of %d), below %.0f %%. " % (
        100 * share,
        done,
        total,
        100 * MIN_SHARE,
    ) + "Annotate new functions; the files with the most unannotated ones: %s" % ", ".join(
        "%s (%d)" % (name, n - a) for name, (a, n) in most
    )


def test_every_strictly_checked_module_is_in_the_one_list_of_checked_files():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    mypy = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    files = [f.removeprefix("terraembed/") for f in mypy["files"]]
    strict = [o for o in mypy["overrides"] if o.get("disallow_untyped_calls")]
    assert strict, "no module is checked strictly"
    for override in strict:
        for module in override["module"]:
            path = module.removeprefix("terraembed.").replace(".", "/")
            if path.endswith("/*"):
                covered = path[:-2] in files
            else:
                covered = path + ".py" in files or any(path.startswith(f + "/") for f in files)
            assert covered, "%s is checked strictly but not in [tool.mypy] files: mypy would never see it" % module
            assert (ROOT / (path[:-2] if path.endswith("/*") else path + ".py")).exists(), "%s: no such module" % module
