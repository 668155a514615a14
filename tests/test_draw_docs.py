"""The README's pictures are what `rnnshape draw` makes today (docs/pictures/make.py --check)."""

from __future__ import annotations

import importlib.util

from draw_cases import ROOT


def test_readme_pictures_are_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("make_pictures", ROOT / "docs" / "pictures" / "make.py")
    assert spec is not None and spec.loader is not None
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    assert make.main(["--check"]) == 0, "run: python docs/pictures/make.py"


def test_the_readme_shows_every_picture() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("graph", "unrolled", "boxes", "cell"):
        assert f"docs/pictures/{name}.svg" in readme
