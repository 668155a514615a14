"""Regenerate docs/img/notebook-html.png: Report._repr_html_() of a live Keras model, shown
in a light and a dark notebook theme, photographed by headless Chromium.

    python docs/screenshot.py            # needs keras and `chromium` (Debian: apt-get install chromium)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import keras  # noqa: E402

import rnnshape  # noqa: E402

PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; font: 14px -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }}
.cell {{ padding: 14px 18px; }}
.light {{ background: #ffffff; color: #1f1f1f; }}
.dark {{ background: #1e1e1e; color: #d4d4d4; }}
.prompt {{ font-family: monospace; opacity: 0.6; margin-bottom: 6px; }}
</style></head><body>
<div class="cell light"><div class="prompt">In [3]: rnnshape.explain(model, symbols=True)</div>{html}</div>
<div class="cell dark"><div class="prompt">(the same table in a dark theme)</div>{html}</div>
</body></html>"""


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        print("needs chromium (apt-get install chromium)", file=sys.stderr)
        return 1
    model = keras.Sequential(
        [keras.Input((20, 8)), keras.layers.LSTM(32, return_sequences=True),
         keras.layers.Bidirectional(keras.layers.GRU(16)), keras.layers.Dense(4, activation="softmax")],
        name="tagger",
    )
    html = rnnshape.explain(model, symbols=True)._repr_html_()
    out = ROOT / "docs" / "img" / "notebook-html.png"
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(PAGE.format(html=html), encoding="utf-8")
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--user-data-dir={tmp}/profile",
             f"--screenshot={out}", "--window-size=1000,720", page.as_uri()],
            check=True, capture_output=True,
        )
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
