"""A disk cache of Tesseract's ``image_to_data`` for measurements that read the same
scans again and again (bench/measure_marks.py): keyed by the image's bytes and the
options. For benches only; the product never caches OCR."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path


def install(folder: Path) -> None:
    """Route ``pytesseract.image_to_data`` through a cache in ``folder``."""
    import pytesseract

    folder.mkdir(parents=True, exist_ok=True)
    real = pytesseract.image_to_data

    def cached(image, lang=None, config="", nice=0, output_type=pytesseract.Output.STRING, timeout=0, pandas_config=None):  # type: ignore[no-untyped-def]
        h = hashlib.sha256(image.tobytes() + f"{image.size}{image.mode}{lang}{config}{output_type}".encode()).hexdigest()
        f = folder / f"{h}.json"
        if f.exists():
            return json.loads(f.read_text())
        out = real(image, lang=lang, config=config, nice=nice, output_type=output_type, timeout=timeout)
        tmp = f.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(out))
        tmp.replace(f)
        return out

    pytesseract.image_to_data = cached
