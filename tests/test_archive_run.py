"""`pagesetter archive` (issue 22) end to end: the seven sample days regenerated on a local Dask
cluster of two workers; every ALTO and METS file valid against its schema (offline: tests/schemas,
metsrw's mets.xsd); each page's ALTO text is its PDF's text in reading order; every source article
in exactly one METS article; a killed worker loses only its issue; a run stopped at half and run
again skips what it finished (by the recorded hashes) and ends byte-identical to an uninterrupted
run; one malformed article fails its issue with a located error while the others complete; the
index opens in chromium (selenium + chromium-driver) and every link resolves."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlparse

import pdfplumber
import pytest
from archive_schemas import alto_schema, errors, mets_schema
from lxml import etree

from pagesetter.archive.issue import (
    IssueJob,
    _articles,
    input_key,
    is_done,
    issue_folder,
)
from pagesetter.archive.mets import PageFiles, issue_mets
from pagesetter.archive.run import RunOptions, run_archive
from pagesetter.story.scan import scan_paths

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "archive" / "rmrb-1946-05"
PAGESETTER = Path(sys.executable).parent / "pagesetter"
METS = "{http://www.loc.gov/METS/}"
MODS = "{http://www.loc.gov/mods/v3}"
pytestmark = pytest.mark.skipif(not ARCHIVE.is_dir(), reason=f"the archive is not at {ARCHIVE}")


def subset(folder: Path, *dates: str) -> Path:
    """A source folder holding copies of the given days' articles."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(ARCHIVE.glob("*.md")):
        if path.name[:10] in dates:
            shutil.copyfile(path, folder / path.name)
    return folder


def tree(dest: Path) -> dict[str, str]:
    """Every file of a run but its summary (timings), by path: its SHA-256."""
    return {p.relative_to(dest).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(dest.rglob("*")) if p.is_file() and p.name != "summary.json"}


JUMPING = "1946-05-22"  # a day made for a jump: 05-16 again, its longest 第2版 article moved to 第1版
MOVED = "今日的_丛台"


def jumping_day(folder: Path) -> Path:
    """05-16's articles dated JUMPING, the article MOVED on 第1版: the front page runs long and a
    story of it continues on 第2版 (archive.makeup)."""
    for path in sorted(ARCHIVE.glob("1946-05-16_*.md")):
        lines = path.read_text(encoding="utf-8").split("\n")
        lines[2] = lines[2].replace("1946-05-16", JUMPING)
        if MOVED in path.name:
            lines[3] = lines[3].replace("第2版", "第1版")
        (folder / path.name.replace("1946-05-16", JUMPING)).write_text("\n".join(lines), encoding="utf-8")
    return folder


def source_of(dest: Path) -> Path:
    return dest.parent / "source"


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    """The seven sample days and JUMPING, in one run."""
    dest = tmp_path_factory.mktemp("archive") / "out"
    jumping_day(subset(source_of(dest), *{p.name[:10] for p in ARCHIVE.glob("*.md")}))
    summary = run_archive(RunOptions(source_of(dest), dest, workers=2))
    return dest, summary


def _issues(dest: Path) -> list[Path]:
    return sorted(p.parent for p in dest.glob("*/*/*/report.json"))


def test_the_week_runs_end_to_end(week):
    dest, summary = week
    assert summary["issues"] == {"made": 8, "skipped": 0, "failed": 0}
    assert summary["pages"] == 18 and summary["articles"] == 188 + 18
    # the day's make-up (archive.makeup: tighter setting, then jumps) leaves the week at most 3
    # lines overset (one pass per issue left 15), all on the last page of a day (no page to jump to)
    assert summary["overset_lines"] <= 3 and summary["jumps"] >= 1
    for over in summary["overset"]:
        report = json.loads((issue_folder(dest, over["issue"]) / "report.json").read_bytes())
        overset = [p["number"] for p in report["pages"] if any(s["overset"] for s in p["stories"])]
        assert overset == [len(report["pages"])], over
    assert len(summary["peak_rss_mb"]) >= 1 and summary["status"] == "finished"
    assert [p.relative_to(dest).as_posix() for p in _issues(dest)] == [f"1946/05/{d}" for d in range(15, 23)]
    day = dest / "1946" / "05" / "15"
    names = {p.name for p in day.iterdir()}
    assert {"rmrb-1946-05-15.pdf", "mets.xml", "report.json"} <= names
    assert {f"0{n}.{ext}" for n in range(1, 5) for ext in ("pdf", "png", "alto.xml")} <= names
    assert not (dest / ".work").exists()


def test_every_alto_and_mets_file_validates(week):
    dest, _ = week
    altos = sorted(dest.rglob("*.alto.xml"))
    assert len(altos) == 18
    for path in altos:
        assert errors(alto_schema(), path.read_bytes()) == [], path
    for day in _issues(dest):
        assert errors(mets_schema(), (day / "mets.xml").read_bytes()) == [], day


def test_the_schemas_reject_what_they_should(week):
    """The validation is real: a String without CONTENT, an area without FILEID fail."""
    dest, _ = week
    day = dest / "1946" / "05" / "16"
    alto = (day / "01.alto.xml").read_bytes().replace(b' CONTENT="', b' CONTENTS="', 1)
    assert errors(alto_schema(), alto)
    mets = (day / "mets.xml").read_bytes().replace(b'<mets:area FILEID=', b'<mets:area FILEX=', 1)
    assert errors(mets_schema(), mets)


def test_the_alto_text_of_each_page_is_its_pdf_text_in_reading_order(week):
    """The Strings' contents, in document order, are the characters pdfplumber reads from the
    page's PDF in content order (its reading order), spaces aside."""
    dest, _ = week
    for alto in sorted(dest.rglob("*.alto.xml")):
        doc = etree.parse(str(alto))
        text = "".join(s.get("CONTENT") for s in doc.iter("{*}String"))
        with pdfplumber.open(alto.with_name(alto.name.replace(".alto.xml", ".pdf"))) as pdf:
            read = "".join(c["text"] for c in pdf.pages[0].chars if not c["text"].isspace())
        assert len(text) > 5000 and text == "".join(text.split()) == read, alto


def test_alto_declares_its_unit_and_every_string_sits_inside_its_line(week):
    dest, _ = week
    doc = etree.parse(str(dest / "1946" / "05" / "17" / "02.alto.xml"))
    assert doc.findtext("{*}Description/{*}MeasurementUnit") == "inch1200"
    page = doc.find(".//{*}Page")
    assert float(page.get("WIDTH")) == pytest.approx(390 / 25.4 * 1200, abs=1)
    for line in doc.iter("{*}TextLine"):
        x0, w = float(line.get("HPOS")), float(line.get("WIDTH"))
        for s in line.iter("{*}String"):
            assert x0 - 1 <= float(s.get("HPOS")) <= x0 + w + 1


def test_every_source_article_is_one_mets_article_pointing_at_its_blocks(week):
    dest, _ = week
    seen: dict[str, int] = {}
    for day in _issues(dest):
        mets = etree.parse(str(day / "mets.xml"))
        sources = {d.getparent().getparent().getparent().getparent().get("ID"): d.text
                   for d in mets.iter(f"{MODS}identifier") if d.get("type") == "source-file"}
        blocks = {}
        for f in mets.iter(f"{METS}file"):
            href = f.find(f"{METS}FLocat").get("{http://www.w3.org/1999/xlink}href")
            if href.endswith(".alto.xml"):
                blocks[f.get("ID")] = {b.get("ID") for b in etree.parse(str(day / href)).iter("{*}TextBlock")}
        for div in mets.iter(f"{METS}div"):
            if div.get("TYPE") != "ARTICLE":
                continue
            source = sources[div.get("DMDID")]
            seen[source] = seen.get(source, 0) + 1
            areas = list(div.iter(f"{METS}area"))
            assert areas, source
            for area in areas:
                assert area.get("BETYPE") == "IDREF" and area.get("BEGIN") in blocks[area.get("FILEID")]
    assert sorted(seen) == sorted(p.name for p in source_of(dest).glob("*.md"))
    assert set(seen.values()) == {1}


def test_a_continued_story_is_one_article_over_two_pages():
    """A story jumped to the next page (转版: its continuation c03 on page 2 continues page 1's
    a03, as the layout's story_keys say) is one METS article with areas on both pages' ALTO."""
    def article(rank: int, name: str):
        return SimpleNamespace(rank=rank, path=Path(name), head=SimpleNamespace(title=(name,)))

    issue = SimpleNamespace(pages=[SimpleNamespace(articles=[article(1, "lead.md"), article(3, "jumps.md")]),
                                   SimpleNamespace(articles=[article(1, "second.md")])])
    pages = [SimpleNamespace(spec=SimpleNamespace(name=f"p{n}"), layout=SimpleNamespace(
        stories=[SimpleNamespace(id=s) for s in ids], story_keys=keys))
        for n, ids, keys in ((1, ("a01", "a03"), {}), (2, ("a01", "c03"), {"c03": "p1/a03"}))]
    found = _articles(issue, SimpleNamespace(pages=pages))  # type: ignore[arg-type]
    assert [(a.source, a.parts) for a in found] == [
        ("lead.md", ((1, "a01"),)), ("jumps.md", ((1, "a03"), (2, "c03"))), ("second.md", ((2, "a01"),))]
    xml = issue_mets("人民日报", "1946-05-16", ("e.pdf", b"%PDF"), [
        PageFiles(1, "第1版", {"alto": ("01.alto.xml", b"x")}, {"a01": ["P1_TB2"], "a03": ["P1_TB4"]}),
        PageFiles(2, "第2版", {"alto": ("02.alto.xml", b"y")}, {"a01": ["P2_TB1"], "c03": ["P2_TB9", "P2_TB10"]})],
        found, "pagesetter test")
    assert errors(mets_schema(), xml) == []
    divs = [d for d in etree.fromstring(xml).iter(f"{METS}div") if d.get("TYPE") == "ARTICLE"]
    areas = [[(a.get("FILEID"), a.get("BEGIN")) for a in d.iter(f"{METS}area")] for d in divs]
    assert areas == [[("F_ALTO_01", "P1_TB2")], [("F_ALTO_01", "P1_TB4"), ("F_ALTO_02", "P2_TB9"), ("F_ALTO_02", "P2_TB10")],
                     [("F_ALTO_02", "P2_TB1")]]


def _blocks_text(alto: Path) -> dict[str, str]:
    doc = etree.parse(str(alto))
    return {b.get("ID"): "".join(s.get("CONTENT") for s in b.iter("{*}String")) for b in doc.iter("{*}TextBlock")}


def test_a_jumped_story_is_one_mets_article_over_two_pages_in_the_run(week):
    """JUMPING's front page runs long: make-up jumps a story to 第2版 (转版), and the run's METS
    has it as one article with areas on both pages' ALTO; its text begins in its blocks on 第1版
    and goes on, whole and in order, in its blocks on 第2版."""
    dest, _ = week
    day = issue_folder(dest, JUMPING)
    report = json.loads((day / "report.json").read_bytes())
    assert [(j["from_page"], j["to_page"]) for j in report["jumps"]] == [(1, 2)] * len(report["jumps"]) != []
    assert report["archive"]["makeup"]["jumps"] == {"1": [j["from"].rsplit("/", 1)[1] for j in report["jumps"]]}
    mets = etree.parse(str(day / "mets.xml"))
    sources = {d.getparent().getparent().getparent().getparent().get("ID"): d.text
               for d in mets.iter(f"{MODS}identifier") if d.get("type") == "source-file"}
    blocks = {n: _blocks_text(day / f"0{n}.alto.xml") for n in (1, 2)}
    issue = scan_paths(sorted(source_of(dest).glob(f"{JUMPING}_*.md")))[0]
    bodies = {a.path.name: "".join("".join(p.text for p in a.story.paragraphs).split())
              for page in issue.pages for a in page.articles}
    across = [d for d in mets.iter(f"{METS}div") if d.get("TYPE") == "ARTICLE"
              and {a.get("FILEID") for a in d.iter(f"{METS}area")} == {"F_ALTO_01", "F_ALTO_02"}]
    assert len(across) == len(report["jumps"])
    for div in across:
        areas = [(a.get("FILEID"), a.get("BEGIN")) for a in div.iter(f"{METS}area")]
        assert [f for f, _ in areas] == sorted(f for f, _ in areas)  # 第1版's part first
        here, there = ("".join(blocks[n][b] for f, b in areas if f == f"F_ALTO_0{n}") for n in (1, 2))
        body = bodies[sources[div.get("DMDID")]]
        start = max(k for k in range(len(body) + 1) if body[:k] in here)
        assert 0 < start < len(body) and body[start:] in there, sources[div.get("DMDID")]


def test_the_index_opens_in_chromium_and_every_link_resolves(week):
    dest, _ = week
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files"):
        options.add_argument(arg)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"))
    try:
        pages, checked, images = [(dest / "index.html").as_uri()], set(), 0
        while pages:
            url = pages.pop()
            if url in checked:
                continue
            checked.add(url)
            driver.get(url)
            assert driver.find_element(By.TAG_NAME, "h1").text
            for img in driver.find_elements(By.TAG_NAME, "img"):  # loaded by the browser: a real width
                driver.execute_script("arguments[0].scrollIntoView()", img)  # (thumbnails load lazily:
                # wait for the browser to finish loading it, as a reader scrolling to it would)
                WebDriverWait(driver, 30).until(lambda d, i=img: d.execute_script("return arguments[0].complete", i))
                assert driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img) > 100
                images += 1
            for link in driver.find_elements(By.TAG_NAME, "a"):
                href = link.get_attribute("href")
                target = Path(unquote(urlparse(href).path))
                assert target.is_file(), (url, href)
                if target.suffix == ".html":
                    pages.append(target.as_uri())
        assert images == 18 and len(checked) == 3  # the root, 1946, 1946/05
    finally:
        driver.quit()


def test_a_rerun_skips_every_issue_and_changes_nothing(week, tmp_path):
    dest, first = week
    before = tree(dest)
    again = run_archive(RunOptions(source_of(dest), dest, workers=1))
    assert again["issues"] == {"made": 0, "skipped": 8, "failed": 0} and again["pages"] == 18
    assert again["jumps"] == first["jumps"]
    # what was overset is told again, from the reports (a build names its overset every time)
    assert again["overset_lines"] == first["overset_lines"] == sum(o["lines"] for o in first["overset"])
    assert sorted(map(str, again["overset"])) == sorted(map(str, first["overset"]))
    assert again["exit"] == first["exit"] == (1 if first["overset"] else 0)
    assert tree(dest) == before


def test_an_edited_article_or_file_makes_its_issue_again(tmp_path):
    src = subset(tmp_path / "src", "1946-05-16")
    dest = tmp_path / "out"
    assert run_archive(RunOptions(src, dest, workers=1))["issues"]["made"] == 1
    day = issue_folder(dest, "1946-05-16")
    job = IssueJob("1946-05-16", tuple(str(p) for p in sorted(src.glob("*.md"))), str(dest), 100)
    key = input_key(job)[0]
    assert is_done(day, key)
    (day / "02.png").write_bytes(b"not the page")  # an output changed since: not done
    assert not is_done(day, key)
    art = min(src.glob("*.md"))
    art.write_bytes(art.read_bytes() + "    补一句。\n".encode())  # an input changed: a new key
    assert input_key(job)[0] != key
    again = run_archive(RunOptions(src, dest, workers=1))
    assert again["issues"]["made"] == 1 and is_done(day, input_key(job)[0])


def test_the_output_folder_must_be_the_archives_own(tmp_path):
    from pagesetter.errors import PagesetterError

    dest = tmp_path / "out"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine")
    with pytest.raises(PagesetterError, match="did not write"):
        run_archive(RunOptions(ARCHIVE, dest, workers=1))
    with pytest.raises(PagesetterError, match="overlap"):
        run_archive(RunOptions(ARCHIVE, ARCHIVE / "out", workers=1))
    assert (dest / "notes.txt").read_text() == "mine"


def test_a_malformed_article_fails_its_issue_with_a_located_error(tmp_path):
    """05-17: a body line indented with a tab (found by the worker reading the issue); 05-18: a
    line 3 that is no date (found by the client reading the header). Both issues fail, each
    naming the file and line; 05-16 is made; exit 2."""
    src = subset(tmp_path / "src", "1946-05-16", "1946-05-17", "1946-05-18")
    bad = sorted(src.glob("1946-05-17_*.md"))[3]
    lines = bad.read_text(encoding="utf-8").split("\n")
    lines[8] = "\t" + lines[8].lstrip()
    bad.write_text("\n".join(lines), encoding="utf-8")
    worse = min(src.glob("1946-05-18_*.md"))
    lines = worse.read_text(encoding="utf-8").split("\n")
    lines[2] = "1946-05-1x\r"
    worse.write_text("\n".join(lines), encoding="utf-8")
    dest = tmp_path / "out"
    run = subprocess.run([str(PAGESETTER), "archive", str(src), "-o", str(dest), "--workers", "2"],
                         check=False, capture_output=True, text=True, timeout=600)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert f"{bad}:9:" in run.stderr and "tab" in run.stderr
    assert f"{worse}:3:" in run.stderr and "date" in run.stderr
    summary = json.loads((dest / "summary.json").read_text(encoding="utf-8"))
    assert summary["issues"] == {"made": 1, "skipped": 0, "failed": 2}
    assert sorted(f["issue"] for f in summary["failures"]) == ["1946-05-17", "1946-05-18"]
    assert (issue_folder(dest, "1946-05-16") / "report.json").is_file()
    assert not issue_folder(dest, "1946-05-17").exists() and not issue_folder(dest, "1946-05-18").exists()


def _kill_a_busy_worker(client, killed: list) -> None:
    """Wait until a worker is running an issue, then SIGKILL its process (once)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not killed:
        busy = [w for w, keys in client.processing().items() if keys]
        if busy:
            time.sleep(1.0)  # well inside the task (a 1946 issue takes seconds)
            pid = client.run(os.getpid, workers=busy[:1]).get(busy[0])
            if pid:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return
        time.sleep(0.2)


def test_a_killed_worker_loses_only_its_issue(tmp_path):
    """A worker of a running archive is killed (SIGKILL) inside a task: its issue is run again on
    another worker; every issue is made exactly once, whole."""
    from dask.distributed import Client, LocalCluster

    src = subset(tmp_path / "src", "1946-05-16", "1946-05-18", "1946-05-19")
    dest = tmp_path / "out"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        killed: list[int] = []
        killer = threading.Thread(target=_kill_a_busy_worker, args=(client, killed))
        killer.start()
        summary = run_archive(RunOptions(src, dest, scheduler=cluster.scheduler_address))
        killer.join()
    assert killed, "no worker was killed"
    assert summary["issues"] == {"made": 3, "skipped": 0, "failed": 0}
    assert killed[0] not in map(int, summary["peak_rss_mb"])  # no result came from the dead worker
    for date in ("1946-05-16", "1946-05-18", "1946-05-19"):
        job = IssueJob(date, tuple(str(p) for p in sorted(src.glob(f"{date}_*.md"))), str(dest), 100)
        assert is_done(issue_folder(dest, date), input_key(job)[0]), date


def test_a_run_stopped_at_half_resumes_and_ends_byte_identical(tmp_path):
    """An uninterrupted run, and a second run into another folder killed (the whole process
    group, SIGKILL) once half its issues are written, then run again: the finished issues are
    skipped by their recorded hashes and every file ends byte-identical to the first run's."""
    src = subset(tmp_path / "src", "1946-05-16", "1946-05-18", "1946-05-19", "1946-05-17")
    whole = tmp_path / "whole"
    assert run_archive(RunOptions(src, whole, workers=2))["issues"]["made"] == 4
    cut = tmp_path / "cut"
    proc = subprocess.Popen([str(PAGESETTER), "archive", str(src), "-o", str(cut), "--workers", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while len(list(cut.glob("*/*/*/report.json"))) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    finished = len(list(cut.glob("*/*/*/report.json")))
    assert 2 <= finished < 4
    again = run_archive(RunOptions(src, cut, workers=2))
    assert again["issues"] == {"made": 4 - finished, "skipped": finished, "failed": 0}
    assert tree(cut) == tree(whole)


def test_progress_tells_issues_pages_rate_and_estimate():
    from pagesetter.archive.issue import IssueResult
    from pagesetter.archive.run import Progress

    lines: list[str] = []
    progress = Progress(total_articles=40, echo=lines.append)
    progress.update(IssueResult("1946-05-16", "made", pages=2, articles=10))
    progress.update(IssueResult("1946-05-17", "skipped", pages=2, articles=10))
    assert lines[0].startswith("[ 25%] 1 issues, 2 pages · ") and "pages/min · ETA " in lines[0]
    assert lines[1].startswith("[ 50%] 2 issues, 4 pages") and lines[1].endswith("1946-05-17 (skipped)")


def test_the_sources_are_found_folder_by_folder(tmp_path):
    """A tree: issues by date in each folder, a bad header fails the issue its file name dates,
    an issue met again in a later folder fails (its articles must share a folder)."""
    from pagesetter.archive.sources import source_issues

    subset(tmp_path / "a", "1946-05-16")
    subset(tmp_path / "b", "1946-05-16", "1946-05-17")
    bad = min((tmp_path / "b").glob("1946-05-17_*.md"))
    bad.write_text(bad.read_text(encoding="utf-8").replace("第", "弟", 1), encoding="utf-8")
    found = list(source_issues(tmp_path))
    assert [(i.date, len(i.paths), bool(i.problems)) for i in found] == [
        ("1946-05-16", 18, False), ("1946-05-16", 0, True), ("1946-05-17", 25, True)]
    assert "two folders" in found[1].problems[0]
    assert f"{bad}:4:" in found[2].problems[0]
