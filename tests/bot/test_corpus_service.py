"""CorpusService: a reload is a transaction (all or nothing), serialised, built off the event loop, and readers
always see one whole corpus."""

from __future__ import annotations

import asyncio
import shutil
import threading
import time
from pathlib import Path

import pytest

import retrieval.sources.loading
from bot.corpus_service import CorpusService
from retrieval.corpus import Corpus
from retrieval.errors import SourceFolderMissing
from tests.conftest import SEEDS

SEED_ID = "trump-sheinbaum-call-after-el-mencho-raid"
NEW_ARTICLE = "A new article about the Jalisco cartel.\n\nIt has a second paragraph about Guadalajara.\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A writable copy of the seeds folder."""
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, copy)
    return copy


@pytest.fixture
async def service(folder: Path) -> CorpusService:
    """A service that has loaded the seeds copy."""
    service = CorpusService(folder, max_source_bytes=2_000_000)
    await service.load_initial()
    assert [s.id for s in service.corpus.sources] == [SEED_ID]
    return service


def ids(corpus: Corpus) -> set[str]:
    return {s.id for s in corpus.sources}


async def test_successful_reload_swaps_in_the_new_corpus_and_reports_the_change(service, folder):
    """A reload after adding a file serves the new corpus and reports the added id."""
    (folder / "new-article.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    report = await service.reload()
    assert report.corpus is service.corpus
    assert report.change.added == ("new-article",) and report.change.changed == report.change.removed == ()
    assert ids(service.corpus) == {SEED_ID, "new-article"}


async def test_a_bad_file_is_refused_and_every_good_one_is_served(service, folder):
    """A bad file beside a new good one: the reload serves the good one, lists the bad one with its reason, and is
    not a failed reload."""
    (folder / "broken.txt").write_bytes("caf\xe9".encode("latin-1"))
    (folder / "new-article.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    report = await service.reload()
    assert report.change.added == ("new-article",)
    assert ids(service.corpus) == {SEED_ID, "new-article"}
    assert [(r.file_name, "not valid UTF-8" in r.reason) for r in service.corpus.refused] == [("broken.txt", True)]
    assert service.last_error is None


async def test_missing_folder_fails_the_reload_and_a_later_one_clears_the_error(service, folder):
    """A sources folder that vanished fails the reload (the old corpus keeps serving, last_error says why); once it
    is back, the next reload succeeds and last_error is cleared."""
    before = service.corpus
    folder.rename(folder.with_name("away"))
    with pytest.raises(SourceFolderMissing):
        await service.reload()
    assert service.corpus is before and "does not exist" in service.last_error
    folder.with_name("away").rename(folder)
    await service.reload()
    assert service.last_error is None


async def test_file_disappearing_mid_build_is_refused_and_the_rest_served(service, folder, monkeypatch):
    """A source deleted after the folder was listed is refused as disappeared, naming it; the others load."""
    (folder / "a-first.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    (folder / "z-last.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    real_load_source = retrieval.sources.loading.load_source

    def load_source_deleting_z(path: Path, **kwargs):
        if path.name == "z-last.txt":
            path.unlink()  # gone between listing and reading
        return real_load_source(path, **kwargs)

    monkeypatch.setattr(retrieval.sources.loading, "load_source", load_source_deleting_z)
    await service.reload()
    assert ids(service.corpus) == {SEED_ID, "a-first"}
    (refusal,) = service.corpus.refused
    assert refusal.file_name == "z-last.txt" and "disappeared" in refusal.reason


async def test_a_source_that_now_fails_keeps_its_last_good_version_marked_stale(service, folder):
    """A source that loaded and is then broken keeps serving its last good text, marked stale and listed as
    refused; fixing the file serves the new text and clears the mark; deleting it removes the source."""
    (folder / "story.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    await service.reload()
    good = service.corpus.source("story")
    (folder / "story.txt").write_bytes(b"\x00 broken by a bad copy")
    report = await service.reload()
    assert service.corpus.source("story") == good and service.corpus.stale == {"story"}
    assert [r.source_id for r in service.corpus.refused] == ["story"]
    assert "story" not in report.change.removed + report.change.changed
    (folder / "story.txt").write_text("Fixed text about the harbour.\n", encoding="utf-8")
    await service.reload()
    assert service.corpus.source("story").text == "Fixed text about the harbour.\n" and not service.corpus.stale
    (folder / "story.txt").write_bytes(b"\x00 broken again")
    await service.reload()
    (folder / "story.txt").unlink()
    report = await service.reload()
    assert "story" not in ids(service.corpus) and report.change.removed == ("story",)


async def test_unexpected_build_error_keeps_the_old_corpus(service, monkeypatch):
    """Even a bug in the build (not a RetrievalError) never leaves a partial or empty corpus serving."""
    before = service.corpus

    def broken_build(self):
        raise RuntimeError("bug")

    monkeypatch.setattr(CorpusService, "_build", broken_build)
    with pytest.raises(RuntimeError):
        await service.reload()
    assert service.corpus is before


async def test_concurrent_reloads_never_interleave(service, monkeypatch):
    """Two reloads at once run one after the other: the second build starts only after the first ended."""
    events: list[str] = []
    real_build = CorpusService._build

    def slow_build(self):
        events.append("start")
        time.sleep(0.05)  # long enough for the second reload to try to start
        corpus = real_build(self)
        events.append("end")
        return corpus

    monkeypatch.setattr(CorpusService, "_build", slow_build)
    await asyncio.gather(service.reload(), service.reload(), service.reload())
    assert events == ["start", "end"] * 3


async def test_reload_builds_off_the_event_loop(service, monkeypatch):
    """The build runs in a worker thread: a coroutine on the loop gets to run while the build is in progress."""
    build_started, loop_ran = threading.Event(), threading.Event()
    waited: list[bool] = []
    real_build = CorpusService._build

    def build_waiting_for_the_loop(self):
        build_started.set()
        waited.append(loop_ran.wait(timeout=2))  # on the loop this could only time out: nothing else would run
        return real_build(self)

    async def answer_from_the_loop():
        while not build_started.is_set():
            await asyncio.sleep(0.001)
        loop_ran.set()

    monkeypatch.setattr(CorpusService, "_build", build_waiting_for_the_loop)
    await asyncio.gather(service.reload(), answer_from_the_loop())
    assert waited == [True]


async def test_readers_during_a_reload_see_a_whole_old_or_whole_new_corpus(service, folder, monkeypatch):
    """Every read of service.corpus during a slow reload is one consistent Corpus: its index covers exactly its
    passages, and its sources are all the old set or all the new set, never a mix or an empty stand-in."""
    old_ids = ids(service.corpus)
    (folder / "new-article.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    (folder / f"{SEED_ID}.meta.yaml").write_text("title: Renamed\ncaption: true\n", encoding="utf-8")
    new_ids = old_ids | {"new-article"}
    real_build = CorpusService._build

    def slow_build(self):
        time.sleep(0.02)
        corpus = real_build(self)
        time.sleep(0.02)
        return corpus

    monkeypatch.setattr(CorpusService, "_build", slow_build)
    reload = asyncio.create_task(service.reload())
    seen: list[set[str]] = []
    while not reload.done():
        snapshot = service.corpus
        assert isinstance(snapshot, Corpus)
        assert len(snapshot.index) == len(snapshot.passages)
        assert snapshot.index.passages == snapshot.passages
        assert {p.source_id for p in snapshot.passages} == ids(snapshot)
        assert ids(snapshot) in (old_ids, new_ids)
        seen.append(ids(snapshot))
        # A poll that never blocks would keep the reload's worker thread from the GIL (every poll wakes it, then
        # takes the GIL back first); a reader waiting a millisecond is still far more often than a real bot's.
        await asyncio.sleep(0.001)
    await reload
    assert seen and seen[0] == old_ids
    assert ids(service.corpus) == new_ids
    assert service.corpus.source(SEED_ID).title == "Renamed"


async def test_load_initial_with_a_missing_folder_starts_empty(tmp_path):
    """A missing sources folder at start-up is not fatal: the bot starts with no sources and says why."""
    service = CorpusService(tmp_path / "missing", max_source_bytes=2_000_000)
    await service.load_initial()
    assert service.corpus.sources == () and service.corpus.passages == ()
    assert service.last_error is not None and "missing" in service.last_error


async def test_load_initial_with_bad_files_serves_what_loads(folder):
    """At start-up an empty file, a binary file and a case-only name clash do not stop the bot serving: the good
    files load (the clashing pair with distinct ids) and the bad ones are listed."""
    (folder / "broken.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\x00")
    (folder / "upper.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    (folder / "UPPER.TXT").write_text(NEW_ARTICLE, encoding="utf-8")
    service = CorpusService(folder, max_source_bytes=2_000_000)
    await service.load_initial()
    loaded = ids(service.corpus)
    assert SEED_ID in loaded and "upper" in loaded and len(loaded) == 3
    assert {r.file_name for r in service.corpus.refused} == {"broken.txt", "image.txt"}
    assert service.last_error is None


async def test_load_initial_survives_an_unexpected_error(folder, monkeypatch):
    """Start-up loading is never fatal, even for an error the loader did not foresee: the file it hit is refused
    with a message pointing at the log, and the bot starts."""

    def explode(*args, **kwargs):
        raise TypeError("a bug in the loader")

    monkeypatch.setattr(retrieval.sources.loading, "decode_text", explode)
    service = CorpusService(folder, max_source_bytes=2_000_000)
    await service.load_initial()
    assert service.corpus.sources == ()
    (refusal,) = service.corpus.refused
    assert "unexpected error" in refusal.reason


async def test_a_large_folder_is_built_in_a_worker_process_then_loaded_from_its_snapshot(folder, monkeypatch):
    """Past process_build_bytes, a worker process builds and saves the snapshot and the unit cache, and the service
    loads the snapshot (this process reads no source); after one more article and a broken file, the worker reads
    only that article (the others' units come from the cache), and the service loads the new snapshot with the
    worker's source list and refusals, without listing the folder itself."""
    import retrieval.corpus
    import retrieval.library

    service = CorpusService(folder, max_source_bytes=2_000_000, process_build_bytes=0)
    read_here: list[str] = []
    real_analyse = retrieval.corpus.analyse_source

    def counting(source, tokenizer):
        read_here.append(source.id)
        return real_analyse(source, tokenizer)

    monkeypatch.setattr(retrieval.corpus, "analyse_source", counting)
    (folder / "new-article.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    report = await service.reload()
    assert set(report.change.added) == {SEED_ID, "new-article"}
    snapshot = retrieval.corpus.snapshot_path(folder)
    assert snapshot.is_file() and (snapshot.parent / retrieval.corpus.UNITS_FILE).is_file()
    assert service.corpus.index.document_frequency("guadalajara") == 1
    (folder / "third.txt").write_text("The harbour in Bendigo reopened.", encoding="utf-8")
    (folder / "broken.txt").write_bytes("caf\xe9".encode("latin-1"))
    monkeypatch.setattr(  # the worker answers with the source list: this process neither lists nor reads the folder
        retrieval.library, "load_sources", lambda *a, **k: pytest.fail("the serving process read the folder")
    )
    report = await service.reload()
    assert report.change.added == ("third",) and service.corpus.index.document_frequency("bendigo") == 1
    assert read_here == []
    (refusal,) = service.corpus.refused  # sent over from the worker, with its reason
    assert refusal.file_name == "broken.txt" and "UTF-8" in refusal.reason
    service.close()


async def test_a_warm_worker_no_reload_uses_is_let_go(folder, monkeypatch):
    """The worker process holds a whole library: once no reload has used it for WORKER_IDLE_SECONDS it is shut
    down, and the next large reload starts another and still serves the folder."""
    from bot import corpus_service

    monkeypatch.setattr(corpus_service, "WORKER_IDLE_SECONDS", 0.2)
    service = CorpusService(folder, max_source_bytes=2_000_000, process_build_bytes=0)
    await service.reload()
    worker = service._worker
    assert worker is not None
    await asyncio.sleep(0.5)
    assert service._worker is None
    (folder / "third.txt").write_text("The harbour in Bendigo reopened.", encoding="utf-8")
    await service.reload()
    assert service._worker is not None and service._worker is not worker
    assert service.corpus.index.document_frequency("bendigo") == 1
    service.close()
    assert service._worker is None and service._worker_release is None


def test_a_warm_worker_reads_only_the_changed_source_and_builds_what_a_cold_build_gives(folder, monkeypatch):
    """The worker process keeps the library it built: its next reload reads neither the unit cache nor any file
    whose size and modification time are unchanged, reads again only the changed source, and saves the library a
    cold build of the folder gives (run here in this process, as the worker runs it)."""
    import os

    import bot.corpus_service as service_module
    import retrieval.corpus
    from retrieval.corpus import load_corpus
    from tests.retrieval.test_incremental import state

    (folder / "new-article.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    past = time.time_ns() - 60_000_000_000
    for path in folder.iterdir():
        os.utime(path, ns=(past, past))
    monkeypatch.setattr(service_module, "_kept", {})
    assert service_module._ensure_snapshot(str(folder), None, 2_000_000) is None  # the first load: no answer
    (folder / "new-article.txt").write_text(NEW_ARTICLE + "\nA third paragraph about Bendigo.\n", encoding="utf-8")
    analysed: list[str] = []
    real_analyse = retrieval.corpus.analyse_source
    monkeypatch.setattr(
        retrieval.corpus, "analyse_source", lambda source, tok: analysed.append(source.id) or real_analyse(source, tok)
    )
    monkeypatch.setattr(retrieval.corpus, "load_units", lambda *a: pytest.fail("the unit cache was read"))
    read: list[str] = []
    real_read = retrieval.sources.loading._read_once
    monkeypatch.setattr(
        retrieval.sources.loading, "_read_once", lambda path, limit: read.append(path.name) or real_read(path, limit)
    )
    assert service_module._ensure_snapshot(str(folder), None, 2_000_000, held=[]).sources[0].id == "new-article"
    with service_module._saving:  # the unit cache, written after the worker answered
        pass
    assert analysed == ["new-article"] and read == ["new-article.txt"]
    monkeypatch.undo()
    saved = load_corpus(folder)
    assert not saved.units  # served from the worker's snapshot
    assert state(saved) == state(load_corpus(folder, use_snapshot=False))


async def test_the_old_corpus_is_released_once_the_new_one_serves(service, folder):
    """After a reload the previous corpus is freed (nothing keeps the old library alive)."""
    import weakref

    old = weakref.ref(service.corpus)
    (folder / "new-article.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    await service.reload()
    assert old() is None


async def test_after_a_reload_the_answer_paths_tables_are_made_beside_the_loop(service, folder):
    """The per-library tables the first question would make (the sources' title terms, ...) are made by a thread
    after the swap, so the first question after a reload does not pay for them."""
    from retrieval.answers import answering

    (folder / "new-article.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    await service.reload()
    index = service.corpus.index
    for thread in threading.enumerate():
        if thread.name == "qabot-prepare":
            thread.join(timeout=30)
    assert index in answering._TITLES and index in answering._LINE_LENGTHS
