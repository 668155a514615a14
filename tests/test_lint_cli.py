"""``rnnshape lint`` and ``rnnshape rules`` end to end: exit codes, selection, config, output formats."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rnnshape.lint import RULES

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "lint_fixtures"
BAD_RANK = str(FIX / "RS101" / "bad.yaml")
WARN_ONLY = str(FIX / "RS204" / "bad.yaml")
GOOD = str(FIX / "RS101" / "good.yaml")

TEXT_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>RS\d{3}) \[(?P<level>error|warning|info)\] .+$")


# ------------------------------------------------------------------ exit codes


def test_clean_file_exits_0_and_prints_nothing(cli) -> None:
    result = cli("lint", GOOD)
    assert (result.code, result.stdout) == (0, "")


def test_error_exits_1_with_parsable_line(cli) -> None:
    result = cli("lint", BAD_RANK)
    assert result.code == 1
    first = result.stdout.splitlines()[0]
    match = TEXT_LINE.match(first)
    assert match and match["code"] == "RS101" and (match["line"], match["col"]) == ("4", "5")
    assert "fix: Set return_sequences=True on 'lstm'" in result.stdout
    assert "1 error in 1 file" in result.stderr


def test_warnings_pass_unless_strict(cli) -> None:
    assert cli("lint", WARN_ONLY).code == 0
    assert cli("lint", "--strict", WARN_ONLY).code == 1


def test_info_never_fails_even_strict(cli) -> None:
    result = cli("lint", "--strict", str(FIX / "RS208" / "bad.yaml"))
    assert result.code == 0 and "RS208 [info]" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["lint", "--select", "RS999", GOOD],  # no such rule
        ["lint", "--ignore", "XY1", GOOD],
        ["lint", "--format", "xml", GOOD],  # Typer's own usage error
        ["lint", "does/not/exist.yaml"],
        ["lint"],
        ["rules", "RS100"],
    ],
)
def test_usage_errors_exit_2(cli, args: list[str]) -> None:
    assert cli(*args).code == 2


# ------------------------------------------------------------------ selection


def test_select_and_ignore_by_code_and_prefix(cli) -> None:
    assert cli("lint", "--select", "RS2", BAD_RANK).code == 0
    assert cli("lint", "--ignore", "RS101", BAD_RANK).code == 0
    assert cli("lint", "--ignore", "RS1", BAD_RANK).stdout == ""
    both = cli("lint", "--select", "RS1,RS204", "--strict", BAD_RANK, WARN_ONLY)
    assert {m["code"] for m in map(TEXT_LINE.match, both.stdout.splitlines()) if m} == {"RS101", "RS204"}


def test_pyproject_settings_nearest_to_cwd(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(WARN_ONLY, tmp_path / "model.yaml")
    (tmp_path / "pyproject.toml").write_text('[tool.rnnshape]\nstrict = true\n', encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)  # found by walking up
    assert cli("lint", "../model.yaml").code == 1
    (tmp_path / "pyproject.toml").write_text('[tool.rnnshape]\nstrict = true\nignore = ["RS204"]\n', encoding="utf-8")
    result = cli("lint", "../model.yaml")
    assert (result.code, result.stdout) == (0, "")
    # --select on the command line replaces the file's selection; ignore still applies.
    (tmp_path / "pyproject.toml").write_text('[tool.rnnshape]\nselect = ["RS1"]\n', encoding="utf-8")
    assert cli("lint", "--strict", "../model.yaml").code == 0
    assert cli("lint", "--strict", "--select", "RS2", "../model.yaml").code == 1
    (tmp_path / "pyproject.toml").write_text('[tool.rnnshape]\nignore = ["RS77"]\n', encoding="utf-8")
    assert cli("lint", "../model.yaml").code == 2


def test_inline_ignore_on_the_layer_line(cli, tmp_path: Path) -> None:
    text = Path(WARN_ONLY).read_text(encoding="utf-8")
    model = tmp_path / "m.yaml"
    model.write_text(text.replace("  - Dense: 1", "  - Dense: 1   # rnnshape: ignore[RS204]"), encoding="utf-8")
    assert cli("lint", "--strict", str(model)).stdout == ""
    model.write_text(text.replace("  - Dense: 1", "  - Dense: 1   # rnnshape: ignore[RS101]"), encoding="utf-8")
    assert "RS204" in cli("lint", str(model)).stdout
    # A multi-line layer: the comment on the class-name line covers its arguments.
    model.write_text(
        "input_shape: [10, 8]\nlayers:\n  - LSTM:   # rnnshape: ignore[RS208]\n"
        "      units: 8\n      recurrent_dropout: 0.1\n",
        encoding="utf-8",
    )
    assert cli("lint", str(model)).stdout == ""


# ------------------------------------------------------------------ walking


def test_directory_walk_skips_non_models_and_hidden(cli, tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    shutil.copy(BAD_RANK, tmp_path / "models" / "stacked.yaml")
    shutil.copy(GOOD, tmp_path / "models" / "ok.yml")
    (tmp_path / "ci.yaml").write_text("on: push\njobs: {}\n", encoding="utf-8")
    (tmp_path / ".cache").mkdir()
    shutil.copy(BAD_RANK, tmp_path / ".cache" / "old.yaml")
    (tmp_path / "notes.txt").write_text("layers: no\n", encoding="utf-8")
    result = cli("lint", str(tmp_path))
    assert result.code == 1
    assert [m["path"] for m in map(TEXT_LINE.match, result.stdout.splitlines()) if m] == [
        str(tmp_path / "models" / "stacked.yaml")
    ]
    verbose = cli("lint", "--verbose", str(tmp_path))
    assert f"{tmp_path / 'ci.yaml'}: skipped: no top-level 'layers:' key" in verbose.stdout
    assert f"{tmp_path / 'models' / 'ok.yml'}: ok" in verbose.stdout
    assert "(1 skipped: not model files)" in verbose.stderr
    # The non-model YAML named explicitly is skipped too, not flagged.
    assert cli("lint", str(tmp_path / "ci.yaml")).code == 0


# ------------------------------------------------------------------ formats


def test_json_output(cli) -> None:
    result = cli("lint", "--format", "json", BAD_RANK, GOOD)
    data = json.loads(result.stdout)
    assert result.code == 1 and data["version"] == 1 and data["summary"] == {"error": 1}
    (problem,) = data["files"][0]["problems"]
    assert problem | {"message": "", "fix": ""} == {
        "path": BAD_RANK, "cell": None, "line": 4, "column": 5, "code": "RS101", "name": "wrong-input-rank",
        "level": "error", "message": "", "fix": "", "layer": "lstm_1",
    }
    assert data["files"][1] == {"path": GOOD, "skipped": None, "problems": []}


def test_github_annotations(cli) -> None:
    result = cli("lint", "--format", "github", BAD_RANK, WARN_ONLY, str(FIX / "RS208" / "bad.yaml"))
    lines = result.stdout.splitlines()
    pattern = re.compile(r"^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,title=RS\d{3} [a-z0-9-]+::[^\n]+$")
    assert lines and all(pattern.match(line) for line in lines), lines
    assert lines[0].startswith(f"::error file={BAD_RANK},line=4,col=5,title=RS101 wrong-input-rank::")
    assert {line.split(" ")[0] for line in lines} == {"::error", "::warning", "::notice"}


def test_sarif_has_the_schema_required_fields(cli) -> None:
    result = cli("lint", "--format", "sarif", BAD_RANK, WARN_ONLY)
    log = json.loads(result.stdout)
    # Required by the SARIF 2.1.0 schema: sarifLog.version/runs, run.tool, tool.driver,
    # toolComponent.name, reportingDescriptor.id, result.message, message.text|id.
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "rnnshape"
    assert [r["id"] for r in driver["rules"]] == list(RULES)
    assert all(r["defaultConfiguration"]["level"] in ("error", "warning", "note") for r in driver["rules"])
    assert [r["ruleId"] for r in run["results"]] == ["RS101", "RS204"]
    for res in run["results"]:
        assert res["message"]["text"]
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
        region = res["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert res["level"] in ("error", "warning", "note")


def test_sarif_validates_against_a_schema_subset(cli) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    text_obj = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}
    schema = {
        "type": "object",
        "required": ["version", "runs"],
        "properties": {
            "version": {"enum": ["2.1.0"]},
            "runs": {"type": "array", "items": {
                "type": "object", "required": ["tool"],
                "properties": {
                    "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                        "type": "object", "required": ["name"],
                        "properties": {"rules": {"type": "array", "items": {"type": "object", "required": ["id"]}}},
                    }}},
                    "results": {"type": "array", "items": {
                        "type": "object", "required": ["message"],
                        "properties": {"message": text_obj, "level": {"enum": ["none", "note", "warning", "error"]}},
                    }},
                },
            }},
        },
    }
    jsonschema.validate(json.loads(cli("lint", "--format", "sarif", BAD_RANK).stdout), schema)


# ------------------------------------------------------------------ rules command


def test_rules_lists_every_code_and_prints_one(cli) -> None:
    listing = cli("rules")
    assert listing.code == 0 and all(code in listing.stdout for code in RULES)
    one = cli("rules", "rs204")
    assert one.code == 0 and one.stdout.startswith("RS204 dense-per-timestep [warning]")
    for section in ("What it does", "Why is this bad?", "Example", "Fix"):
        assert section in one.stdout


# ------------------------------------------------------------------ no heavy imports


def test_lint_never_imports_numpy_or_tensorflow() -> None:
    # Every example but the legacy .h5 files: reading HDF5 needs h5py, and h5py needs NumPy.
    NO_H5 = sorted(str(p) for p in (ROOT / "examples").rglob("*.*") if p.suffix not in (".h5", ".hdf5"))
    code = (
        "import sys\n"
        "from rnnshape.cli import main\n"
        f"sys.argv = ['rnnshape', 'lint', *{NO_H5!r}, {str(FIX)!r}, '--format', 'sarif']\n"
        "rc = main()\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'tensorflow', 'keras'))\n"
        "sys.stderr.write('RC=%d HEAVY=%r\\n' % (rc, heavy))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert "RC=1 HEAVY=[]" in proc.stderr, proc.stderr[-2000:]


def test_python_sources_without_models_are_skipped(cli, tmp_path: Path) -> None:
    (tmp_path / "util.py").write_text("import keras\n\ndef f():\n    return keras.__version__\n", encoding="utf-8")
    (tmp_path / "plain.py").write_text("print('no deep learning here')\n", encoding="utf-8")
    result = cli("lint", str(tmp_path), "--verbose")
    assert result.code == 0
    assert "util.py: skipped: defines no Keras model" in result.output
    assert "plain.py: skipped: does not mention keras" in result.output
