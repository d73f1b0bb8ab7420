"""Suite-wide fixtures. Builders and helpers are in tests/support.py, not in conftest files."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

# The installed wheel (a fresh venv), built once per session for every test that uses it.
from tests.wheel import built_wheel, wheel_env

__all__ = ["built_wheel", "snapshot", "wheel_env"]


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """One snapshot format for the suite: a template as the JSON CloudFormation reads."""
    return snapshot.use_extension(JSONSnapshotExtension)


# The quick tier (`pytest -m "not slow"`, `make quick`): tests are marked slow here, in one place,
# by what they do rather than one by one in each file: a synth (cdk-nag + cfn-lint run on every
# template), a subprocess (the CLI, an app), moto's server, the wheel or the lab. A test is slow
# when its own source, a fixture it uses, or a test-suite function it calls (followed three calls
# deep) does one of these; tests/readme and tests/lab are slow as a whole. Marking a test
# `@pytest.mark.slow` by hand works too.
SLOW_CALL = re.compile(
    r"\b(?:synth|template_of|bgp_vpn_template|static_vpn_template|run_cli|fixture_template"
    r"|build_sites_app|build_wheel|install_wheel)\(|\.synth\(\)|\bsubprocess\.|ThreadedMotoServer"
    r"|Template\.from_stack|\.evaluate\(\)"
)
SLOW_FIXTURES = frozenset({"built_wheel", "wheel_env", "installed"})
#: Slow for reasons the source scan cannot see, measured by the quick-tier run in
#: docs/benchmarks.md (each above 5 s there, or a per-test fixture of 2-10 s): cfn-lint's whole
#: schema set, aws-cdk-lib's bundled npm tarball, moto's CloudFormation, a mocked AWS account and
#: boto3 clients built per test, hypothesis building constructs.
MEASURED_SLOW = (
    "tests/guard/test_create_only_table.py::test_table_covers_every_type_the_library_emits",
    "tests/guard/test_create_only_table.py::test_a_disagreeing_schema_is_caught",
    "tests/guard/test_baseline_from_stacks.py::test_yaml_deployed_template",
    "tests/core/test_feature_flags.py::",
    "tests/core/test_properties.py::",
    "tests/doctor/test_cli_inprocess.py::",
    "tests/doctor/test_checks_moto.py::",
    "tests/doctor/test_checks_recorded.py::",
)
SLOW_DIRS = frozenset({"readme", "lab"})
_CALLED = re.compile(r"\b([A-Za-z_]\w*)\(")
_TESTS = Path(__file__).resolve().parent


def _source(function: Callable[..., Any]) -> str:
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


def _suite_function(name: str, namespace: dict[str, Any]) -> Callable[..., Any] | None:
    """``name`` in ``namespace`` when it is a function or class defined in this test suite."""
    found = namespace.get(name)
    if not (inspect.isfunction(found) or inspect.isclass(found)):
        return None
    module = inspect.getmodule(found)
    return found if module is not None and module.__name__.startswith("tests.") else None


def _does_slow_work(
    function: Callable[..., Any], depth: int = 3, seen: set[int] | None = None
) -> bool:
    seen = set() if seen is None else seen
    if id(function) in seen:
        return False
    seen.add(id(function))
    source = _source(function)
    if SLOW_CALL.search(source):
        return True
    if depth == 0:
        return False
    namespace = getattr(function, "__globals__", {})
    for name in set(_CALLED.findall(source)):
        called = _suite_function(name, namespace)
        if called is not None and _does_slow_work(called, depth - 1, seen):
            return True
    return False


def is_slow(item: pytest.Item) -> bool:
    if item.get_closest_marker("slow") is not None or item.nodeid.startswith(MEASURED_SLOW):
        return True
    path = Path(str(item.path)).resolve()
    if path.is_relative_to(_TESTS) and set(path.relative_to(_TESTS).parts[:1]) & SLOW_DIRS:
        return True
    if not isinstance(item, pytest.Function):
        return False
    if SLOW_FIXTURES & set(item.fixturenames):
        return True
    functions = [item.function]
    for name in item.fixturenames:
        for definition in item._fixtureinfo.name2fixturedefs.get(name, ()):
            functions.append(definition.func)
    return any(_verdict(function) for function in functions)


_VERDICTS: dict[Callable[..., Any], bool] = {}


def _verdict(function: Callable[..., Any]) -> bool:
    """One answer per function: parametrized tests and shared fixtures are read once."""
    if function not in _VERDICTS:
        _VERDICTS[function] = _does_slow_work(function)
    return _VERDICTS[function]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if is_slow(item):
            item.add_marker(pytest.mark.slow)
