"""``safebase --help`` stays quick: the heavy libraries load inside the commands that use them.

Checked in a fresh interpreter through ``sys.modules``, which is deterministic, unlike a timing
(benchmarks/cli_startup.py measures the time).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = [
    "numpy",
    "pandas",
    "pyarrow",
    "pyreadstat",
    "polars",
    "dask",
    "distributed",
    "django",
    "matplotlib",
    "pydantic",
    "rich.progress",
    "safebase.core.instrument",  # parses every instrument file on first use
    "onnxruntime",  # the safety screen's encoder loads on the first entry it screens
    "tokenizers",
    "safebase.tables",
]

PROBE = """
import json, sys
{action}
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def loaded_after(action: str) -> list[str]:
    code = PROBE.format(action=action, heavy=HEAVY)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_importing_the_cli_loads_no_heavy_library():
    assert loaded_after("import safebase.cli.app") == []


def run_main(argv: list[str]) -> str:
    return (
        f"from safebase.cli.app import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass"
    )


def test_help_loads_no_heavy_library():
    assert loaded_after(run_main(["--help"])) == []


@pytest.mark.parametrize(
    "argv", [["score", "--help"], ["instruments", "--help"], ["fhir", "export", "--help"]]
)
def test_a_command_help_loads_only_what_typer_needs(argv):
    # Typer itself imports pydantic to build a subcommand's parameter converters (typer
    # _coercion.build_runtime_param), even for --help; nothing else heavy may come with it.
    assert loaded_after(run_main(argv)) in ([], ["pydantic"])


def test_the_probe_sees_a_heavy_import():
    # The check above could pass by mistake if the probe never saw anything.
    assert loaded_after("import safebase.core.scoring") == [
        "numpy",
        "pydantic",
        "safebase.core.instrument",
    ]
