"""rnnshape never executes anything from a model file.

A grep over the package source for the ways Python can run or unpickle code. Every hit
must be on the allow-list below, each with the reason it is safe; a new hit fails
until someone looks at it and adds it here. Plus behaviour checks: a YAML Python tag,
a Lambda layer and a layer name crafted to break out of generated code are inert.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "rnnshape"

FORBIDDEN = {
    "eval(": re.compile(r"(?<![\w.])eval\("),
    "exec(": re.compile(r"(?<![\w.])exec\("),
    "compile(": re.compile(r"(?<![\w.])compile\(|(?<!re)\.compile\("),
    "pickle": re.compile(r"pickle", re.IGNORECASE),
    "marshal": re.compile(r"marshal"),
    "yaml.load(": re.compile(r"yaml\.(?:full_|unsafe_)?load(?:_all)?\("),
    "unsafe YAML loader": re.compile(r"unsafe_load|UnsafeLoader|FullLoader|yaml\.Loader\b"),
    "__import__": re.compile(r"__import__"),
    "exec_module": re.compile(r"exec_module"),
    "zip extraction": re.compile(r"extractall\(|\.extract\("),
    "np.load(": re.compile(r"np\.load\("),
    "shell": re.compile(r"subprocess|os\.system|os\.popen|shell=True"),
}

# (file relative to the package, the forbidden pattern's name, a substring of the line): why it is safe.
ALLOWED = {
    # `rnnshape numpy`/`check --numeric` import the module rnnshape itself just generated
    # from its own templates (names are sanitised into identifiers and string literals;
    # see test_layer_names_cannot_break_out_of_generated_code), never a user's file.
    ("numpy_gen/__init__.py", "exec_module", "spec.loader.exec_module(module)"),
    # Text of the generated module (it loads its own .npz; np.load refuses pickles by default).
    ("numpy_gen/module.py", "np.load(", '"    with np.load(path) as data:",'),
    # `numpy --input x.npy`: the user's own data, read with allow_pickle=False (object arrays
    # are refused) after the size is checked from the header (mmap_mode="r").
    ("numpy_gen/user_input.py", "np.load(", 'np.load(path, mmap_mode="r", allow_pickle=False)'),
    ("numpy_gen/user_input.py", "pickle", 'np.load(path, mmap_mode="r", allow_pickle=False)'),
}


def _hits() -> list[tuple[str, str, str, int]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for name, pattern in FORBIDDEN.items():
                if pattern.search(line):
                    found.append((rel, name, line.strip(), number))
    return found


def test_no_code_execution_outside_the_allow_list() -> None:
    unexpected = [
        f"rnnshape/{rel}:{number}: {name}: {line}"
        for rel, name, line, number in _hits()
        if not any(rel == a_rel and name == a_name and a_text in line for a_rel, a_name, a_text in ALLOWED)
    ]
    assert not unexpected, "code-execution primitives outside the allow-list:\n" + "\n".join(unexpected)


def test_allow_list_entries_are_still_needed() -> None:
    hits = _hits()
    stale = [a for a in ALLOWED if not any(h[0] == a[0] and h[1] == a[1] and a[2] in h[2] for h in hits)]
    assert not stale, f"allow-list entries that match nothing any more (remove them): {stale}"


def test_the_grep_catches_what_it_should() -> None:
    samples = {
        "eval(": "x = eval(text)",
        "exec(": "exec(code)",
        "compile(": "compile(src, 'f', 'exec')",
        "pickle": "import pickle",
        "marshal": "marshal.loads(b)",
        "yaml.load(": "yaml.load(text, Loader=yaml.Loader)",
        "unsafe YAML loader": "yaml.unsafe_load(text)",
        "__import__": "__import__('os')",
        "zip extraction": "archive.extractall(tmp)",
    }
    for name, line in samples.items():
        assert FORBIDDEN[name].search(line), name
    for harmless in ("ast.literal_eval(node)", "re.compile(r'x')", "_PATTERN = re.compile('y')", 'ast.parse(t, mode="eval")'):
        assert not any(p.search(harmless) for p in FORBIDDEN.values()), harmless


def test_yaml_python_tags_are_not_constructed(tmp_path: Path, cli) -> None:
    marker = tmp_path / "ran"
    path = tmp_path / "m.yaml"
    path.write_text(
        f"name: !!python/object/apply:os.system ['touch {marker}']\ninput_shape: [4, 3]\nlayers:\n  - Dense: 2\n",
        encoding="utf-8",
    )
    for command in ("explain", "lint"):
        result = cli(command, str(path))
        assert result.code == 1
        assert "python/object" in result.stderr + result.stdout
    assert not marker.exists()


def test_lambda_code_is_never_run(tmp_path: Path, cli) -> None:
    # A Keras 2 Lambda stores marshalled bytecode (base64); it must stay an opaque string.
    config = (
        '{"class_name": "Sequential", "config": {"name": "s", "layers": ['
        '{"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4, 3]}},'
        '{"class_name": "Lambda", "config": {"name": "evil", "function": ["4wEAAAAAAAAAAAAAAAEAAAAD", null, null],'
        ' "function_type": "lambda", "module": "os"}}]}}'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("config.json", config)
    (tmp_path / "m.json").write_text(config, encoding="utf-8")
    (tmp_path / "m.keras").write_bytes(buffer.getvalue())
    for name in ("m.json", "m.keras"):
        result = cli("explain", str(tmp_path / name))
        assert result.code == 1
        assert "Lambda" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json", "m.keras"]  # nothing extracted


def test_layer_names_cannot_break_out_of_generated_code(tmp_path: Path, cli) -> None:
    pytest.importorskip("numpy")
    marker = tmp_path / "ran"
    payload = f'\\nimport os; os.system(\\"touch {marker}\\")\\n#'
    (tmp_path / "m.yaml").write_text(
        f'name: "m{payload}"\ninput_shape: [4, 3]\nlayers:\n'
        f'  - SimpleRNN: {{units: 2, name: "r{payload}"}}\n'
        f'  - Dense: {{units: 1, name: "d\\"\\"\\"; import os; os.system(\'touch {marker}\') #"}}\n',
        encoding="utf-8",
    )
    out = tmp_path / "forward.py"
    result = cli("numpy", str(tmp_path / "m.yaml"), "-o", str(out))
    assert result.code == 0, result.stderr
    import runpy

    namespace = runpy.run_path(str(out))
    assert "forward" in namespace
    assert not marker.exists()


# ------------------------------------------------------------------ check builds only what rnnshape accepts

# Keras-building modules: every dynamic lookup on keras must be the registry's own one.
KERAS_BUILDING = ("check/keras_build.py", "check/keras_side.py", "check/keras_args.py", "check/runner.py", "check/numeric.py")
DYNAMIC_LOOKUP = re.compile(r"getattr\(\s*keras|keras[\w.]*\.__dict__|vars\(\s*keras|importlib|import_module|deserialize")
# The one lookup allowed: a registry entry's own class name, in keras_layer_class.
REGISTRY_LOOKUP = "cls = getattr(keras.layers, layer_def.class_name, None)"


def test_keras_is_looked_up_only_through_the_registry() -> None:
    found = []
    for rel in KERAS_BUILDING:
        for number, line in enumerate((PACKAGE / rel).read_text(encoding="utf-8").splitlines(), start=1):
            if DYNAMIC_LOOKUP.search(line) and line.strip() != REGISTRY_LOOKUP and "NUMPY_GEN_MODULE" not in line:
                if not line.strip().startswith(("import ", "from ", "#")):
                    found.append(f"rnnshape/{rel}:{number}: {line.strip()}")
    assert not found, "dynamic Keras lookups outside the registry:\n" + "\n".join(found)
    source = (PACKAGE / "check/keras_build.py").read_text(encoding="utf-8")
    function = source[source.index("def keras_layer_class(") :]
    function = function[: function.index("\ndef ")]
    assert REGISTRY_LOOKUP in function and "REGISTRY.get(layer_def.class_name) is not layer_def" in function
    assert DYNAMIC_LOOKUP.search("cls = getattr(keras.layers, spec.class_name)")
    assert DYNAMIC_LOOKUP.search("keras.saving.deserialize_keras_object(cfg)")


def test_the_registry_lookup_refuses_what_the_registry_lacks() -> None:
    from rnnshape.check.keras_args import NotBuilt, keras_arguments, registry_entry
    from rnnshape.check.keras_build import keras_layer_class
    from rnnshape.layers.base import LayerDef
    from rnnshape.layers import REGISTRY
    from rnnshape.spec import LayerSpec

    for name in ("TFSMLayer", "Lambda", "NotEqual", "__class__"):
        with pytest.raises(NotBuilt, match="only layer classes in rnnshape's registry"):
            registry_entry(LayerSpec(name, {}))
    # The lookup layers are entries, but a vocabulary path never reaches Keras.
    for name in ("StringLookup", "IntegerLookup", "TextVectorization"):
        with pytest.raises(NotBuilt, match="vocabulary"):
            keras_arguments(LayerSpec(name, {"vocabulary": "/etc/passwd"}))
    fake = LayerDef("TFSMLayer", (), REGISTRY["Dense"].infer, "x")
    with pytest.raises(ValueError, match="not an entry"):
        keras_layer_class(object(), fake)
    hostile = {
        "kernel_initializer": {"module": "keras.src.saving", "class_name": "Evil", "config": {}},
        "bias_initializer": {"class_name": "Constant", "config": {"value": {"class_name": "Nested"}}},
        "activation": {"module": "builtins", "class_name": "function", "config": "print", "registered_name": "function"},
        "dtype": {"class_name": "QuantizedDTypePolicy", "config": {"name": "int8"}},
        "quantization_config": {"class_name": "Int8QuantizationConfig"},
        "kernel_regularizer": {"class_name": "L2", "config": {"l2": 0.1}, "registered_name": "my>L2"},
        "units": print,
    }
    for key, value in hostile.items():
        with pytest.raises(NotBuilt):
            keras_arguments(LayerSpec("Dense", {"units": 2, key: value}))
    with pytest.raises(NotBuilt, match="no argument 'filepath'"):
        keras_arguments(LayerSpec("Dense", {"units": 2, "filepath": "/etc/shadow"}))
    plain = keras_arguments(
        LayerSpec("Dense", {
            "units": 2, "batch_size": 4,
            "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": None}, "registered_name": None},
            "activation": {"module": "keras.activations", "class_name": "function", "config": "relu", "registered_name": "function"},
        }, name="d")
    )
    assert plain == {"units": 2, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}}, "activation": "relu", "name": "d"}


def _sequential(*layers: str, shape: str = "[null, 10, 3]") -> str:
    first = '{"class_name": "InputLayer", "config": {"batch_shape": ' + shape + "}}"
    return '{"class_name": "Sequential", "config": {"name": "m", "layers": [' + ", ".join((first, *layers)) + "]}}"


# Watches real Keras: every Layer constructed leaves a file named after its class. Installed as an
# import hook before rnnshape runs, so nothing of rnnshape is replaced.
_SPY = r"""
import importlib.abc, importlib.util, os, runpy, sys
MARKS = sys.argv.pop(1)
class Spy(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "keras.src.layers.layer":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module
        def exec_and_watch(module):
            run(module)
            init = module.Layer.__init__
            def watched(self, *args, **kwargs):
                open(os.path.join(MARKS, type(self).__name__), "w").close()
                init(self, *args, **kwargs)
            module.Layer.__init__ = watched
        spec.loader.exec_module = exec_and_watch
        return spec
sys.meta_path.insert(0, Spy())
sys.argv[0] = "rnnshape"
runpy.run_module("rnnshape", run_name="__main__")
"""


def test_check_never_builds_what_rnnshape_refused_or_did_not_check(keras, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    marks = tmp_path / "marks"
    marks.mkdir()
    (tmp_path / "vocabulary").mkdir()  # named as a vocabulary file; never a real device
    files = {
        "tfsm.json": _sequential('{"class_name": "TFSMLayer", "config": {"filepath": "' + str(tmp_path / "saved") + '", "call_endpoint": "serve"}}'),
        "lookup.json": _sequential('{"class_name": "StringLookup", "config": {"vocabulary": "' + str(tmp_path / "vocabulary") + '"}}', shape="[null, 10]"),
        "big_unknown.json": _sequential('{"class_name": "Dense", "config": {"units": 250000000}}', '{"class_name": "Mystery", "config": {}}'),
        "big.json": _sequential('{"class_name": "Dense", "config": {"units": 250000000}}'),
        "initializer.json": _sequential('{"class_name": "LSTM", "config": {"units": 4, "kernel_initializer": {"module": "keras.src.saving", "class_name": "Evil", "config": {}}}}'),
        "deep.yaml": "input_shape: [3]\nlayers:\n" + "  - Dense: 3\n" * 600,
        "control.json": _sequential('{"class_name": "GRU", "config": {"units": 2}}'),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(PACKAGE.parent), TF_CPP_MIN_LOG_LEVEL="3", COLUMNS="200")
    result = subprocess.run(
        [sys.executable, "-c", _SPY, str(marks), "check", "--device", "cpu", *files],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )
    out = result.stdout
    assert result.returncode == 1, result.stderr[-3000:]
    verdicts = {line.split(" (", 1)[1].split(")")[0]: line.rsplit(" ", 1)[1] for line in out.splitlines() if line.startswith("m (") or line.startswith("sequential (")}
    assert verdicts == {
        "tfsm.json": "ERROR", "lookup.json": "ERROR", "big_unknown.json": "ERROR", "big.json": "REFUSED",
        "initializer.json": "REFUSED", "deep.yaml": "REFUSED", "control.json": "agree",
    }, out
    assert out.count("not built with Keras: check builds only models that rnnshape accepts") == 3
    assert "is too large to build: would need about" in out
    assert "'Evil' is not a serialized Keras object that check builds" in out
    assert "it has 600 layers; the limit is 500 layers per checked model (set RNNSHAPE_CHECK_MAX_LAYERS to raise it)" in out
    built = {p.name for p in marks.iterdir()}
    assert "GRU" in built  # the spy sees what Keras builds
    assert not built & {"TFSMLayer", "StringLookup", "Dense", "LSTM"}, built
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*files, "marks", "vocabulary"])
