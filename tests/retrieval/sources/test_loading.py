"""Loading sources: every file either loads with exact text, is skipped and listed, or fails with a SourceError
that names it and says what is wrong."""

from __future__ import annotations

import hashlib
import io
import os
import re
import threading
import time
from pathlib import Path

import pytest

from retrieval.errors import SourceError, SourceFolderMissing
from retrieval.sources.loading import decode_text, load_source, load_sources, read_meta
from tests.conftest import SEEDS

BODY = "First paragraph.\n\nSecond paragraph.\n"


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def only_source(folder: Path):
    (source,) = load_sources(folder).sources
    return source


def load_error(folder: Path, **kwargs) -> SourceError:
    """The error of the one file ``load_sources`` refuses (it refuses a bad file and loads the rest)."""
    (refusal,) = load_sources(folder, **kwargs).refused
    return refusal.error


def load_error_without_hanging(folder: Path) -> SourceError:
    """load_error in a daemon thread, so a regression that blocks on a FIFO fails instead of hanging the suite."""
    outcome: list[BaseException | object] = []

    def run() -> None:
        try:
            outcome.append(load_sources(folder))
        except BaseException as error:  # handed back to the test thread
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert outcome, "load_sources blocked reading a FIFO"
    (refusal,) = outcome[0].refused
    return refusal.error


# --- text decoding -----------------------------------------------------------------------------------------------


def test_utf8_bom_is_removed_and_offsets_count_from_the_first_character(tmp_path):
    """A UTF-8 BOM is not part of the text, so offset 0 is the first visible character."""
    write(tmp_path, "a.txt", b"\xef\xbb\xbf" + "Café opens.\n\nMore.".encode())
    source = only_source(tmp_path)
    assert source.text == "Café opens.\n\nMore."
    assert source.text.index("More") == 13


def test_crlf_and_lone_cr_become_lf(tmp_path):
    """Windows (CRLF) and old Mac (CR) line ends are normalised to LF, so paragraphs split the same way."""
    write(tmp_path, "a.txt", b"One.\r\n\r\nTwo.\rThree.\r\rFour.\r\n")
    assert only_source(tmp_path).text == "One.\n\nTwo.\nThree.\n\nFour.\n"


@pytest.mark.parametrize(
    ("raw", "offset", "byte"),
    [
        ("Café au lait".encode("latin-1"), 3, "e9"),
        ("He said \u201chi\u201d".encode("cp1252"), 8, "93"),
        (b"\xef\xbb\xbf" + "Café".encode("latin-1"), 6, "e9"),  # the BOM's 3 bytes count: offset is in the file
    ],
    ids=["latin-1", "cp1252", "bom-then-latin-1"],
)
def test_other_encoding_names_the_file_and_byte_offset(tmp_path, raw, offset, byte):
    """A file not in UTF-8 fails with the file name and the offset (in the file's bytes) of the first bad byte."""
    write(tmp_path, "legacy.txt", raw)
    error = load_error(tmp_path)
    assert error.file.name == "legacy.txt"
    assert "legacy.txt" in str(error)
    assert f"offset {offset}" in error.reason
    assert f"0x{byte}" in error.reason
    assert raw[offset : offset + 1].hex() == byte


def test_utf16_file_is_named_as_utf16(tmp_path):
    """A UTF-16 file (Notepad's "Unicode") is told to be re-saved as UTF-8 rather than called binary."""
    write(tmp_path, "wide.txt", "Hello there.".encode("utf-16"))
    error = load_error(tmp_path)
    assert error.file.name == "wide.txt"
    assert "UTF-16" in error.reason and "UTF-8" in error.reason


def test_binary_file_is_refused(tmp_path):
    """A file with NUL bytes (a PDF or image renamed .txt) is refused as binary, naming the file."""
    write(tmp_path, "scan.txt", b"%PDF-1.7\n\x00\x01\x02binary")
    error = load_error(tmp_path)
    assert error.file.name == "scan.txt"
    assert "binary" in error.reason
    assert "offset 9" in error.reason


@pytest.mark.parametrize("raw", [b"", b" \n\t\r\n  ", b"\xef\xbb\xbf", "\u00a0\u3000\n".encode()])
def test_empty_or_whitespace_only_file_is_refused(tmp_path, raw):
    """A file with no visible text is an error (it would give a source with no passages)."""
    write(tmp_path, "blank.txt", raw)
    error = load_error(tmp_path)
    assert error.file.name == "blank.txt"
    assert "empty" in error.reason


def test_decode_text_accepts_a_str_path_for_messages():
    """decode_text can be called on bytes from anywhere; the path is only used to name the file in errors."""
    assert decode_text(b"a\r\nb", "x.txt") == "a\nb"
    with pytest.raises(SourceError, match=r"^x\.txt: "):
        decode_text(b"\xff", "x.txt")


# --- what is listed, skipped or refused ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        (".hidden.txt", "hidden file"),
        (".article.txt.swp", "hidden file"),
        ("article.txt~", "editor backup"),
        ("#article.txt#", "editor backup"),
        ("article.bak", "editor backup"),
        ("ARTICLE.TXT.BAK", "editor backup"),
        ("article.txt.orig", "editor backup"),
    ],
)
def test_hidden_files_and_editor_backups_are_skipped_and_listed(tmp_path, name, reason):
    """Hidden files and editor backups (which may hold garbage or half-saved text) are skipped and reported as
    such, so a moderator sees why a file was not loaded."""
    write(tmp_path, "article.txt", BODY)
    write(tmp_path, name, b"\x00 not even text")
    result = load_sources(tmp_path)
    assert [s.id for s in result.sources] == ["article"]
    assert result.skipped == ((name, reason),)


def test_other_file_types_and_subfolders_are_skipped_and_listed(tmp_path):
    """Only .txt and .md files at the top level are sources; the rest is listed as skipped with a reason."""
    write(tmp_path, "article.md", BODY)
    write(tmp_path, "photo.jpg", b"\xff\xd8\xff\x00")
    write(tmp_path, "notes.docx", b"PK\x03\x04")
    (tmp_path / "archive").mkdir()
    write(tmp_path / "archive", "old.txt", BODY)
    result = load_sources(tmp_path)
    assert [s.id for s in result.sources] == ["article"]
    reasons = dict(result.skipped)
    assert set(reasons) == {"photo.jpg", "notes.docx", "archive"}
    assert "not a source type" in reasons["photo.jpg"]
    assert "folder" in reasons["archive"]


def test_sources_load_in_name_order_with_lower_case_ids(tmp_path):
    """Ids are the lower-cased file stem, and sources come in file-name order (so passage order is stable)."""
    write(tmp_path, "b-Second.txt", BODY)
    write(tmp_path, "A-First.md", BODY)
    result = load_sources(tmp_path)
    assert [(s.id, s.file_name) for s in result.sources] == [("a-first", "A-First.md"), ("b-second", "b-Second.txt")]


def test_file_over_the_size_cap_is_refused_naming_the_cap(tmp_path):
    """A file larger than max_bytes fails with its size and the limit, and says which setting sets it."""
    write(tmp_path, "huge.txt", "word " * 40)
    error = load_error(tmp_path, max_bytes=100)
    assert error.file.name == "huge.txt"
    assert "200 bytes" in error.reason and "100-byte limit" in error.reason
    assert "MAX_SOURCE_BYTES" in error.reason


def test_file_at_the_size_cap_loads(tmp_path):
    """The cap is inclusive: a file of exactly max_bytes loads."""
    write(tmp_path, "exact.txt", "word " * 20)
    assert len(load_sources(tmp_path, max_bytes=100).sources) == 1


def test_symlink_out_of_the_folder_is_refused(tmp_path):
    """A link to a file outside the sources folder is refused (it could expose any file on the host)."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    secret = write(tmp_path, "secret.txt", "Outside text.")
    (seeds / "leak.txt").symlink_to(secret)
    error = load_error(seeds)
    assert error.file.name == "leak.txt"
    assert "outside the sources folder" in error.reason


def test_symlink_inside_the_folder_loads(tmp_path):
    """A link to a file inside the sources folder (here in a skipped sub-folder) is fine."""
    (tmp_path / "drafts").mkdir()
    write(tmp_path / "drafts", "real.txt", BODY)
    (tmp_path / "linked.txt").symlink_to(Path("drafts") / "real.txt")
    result = load_sources(tmp_path)
    assert [s.id for s in result.sources] == ["linked"]
    assert result.sources[0].text == BODY


def test_sidecar_linking_out_of_the_folder_is_refused(tmp_path):
    """A sidecar that is a link out of the folder is refused like a source link, naming the sidecar."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    write(seeds, "a.txt", BODY)
    outside = write(tmp_path, "elsewhere.yaml", "title: Borrowed\n")
    (seeds / "a.meta.yaml").symlink_to(outside)
    error = load_error(seeds)
    assert error.file.name == "a.meta.yaml"
    assert "outside the sources folder" in error.reason


def test_named_pipe_is_refused_instead_of_blocking(tmp_path):
    """A FIFO named like a source would block the reload forever on open(); it is refused as not a regular file."""
    os.mkfifo(tmp_path / "pipe.txt")
    error = load_error_without_hanging(tmp_path)
    assert error.file.name == "pipe.txt"
    assert "not a regular file" in error.reason


def test_missing_folder_raises_source_folder_missing(tmp_path):
    """A folder that does not exist raises SourceFolderMissing with the folder, not a bare OSError."""
    with pytest.raises(SourceFolderMissing) as caught:
        load_sources(tmp_path / "nowhere")
    assert caught.value.folder == tmp_path / "nowhere"


def test_unreadable_folder_raises_source_folder_missing(tmp_path, monkeypatch):
    """A folder the process may not list (tests run as root, so the refusal is simulated) is reported with the
    reason, not as a PermissionError traceback."""
    folder = tmp_path / "closed"
    folder.mkdir()

    def refuse(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("retrieval.sources.loading.os.scandir", refuse)
    with pytest.raises(SourceFolderMissing) as caught:
        load_sources(folder)
    assert "cannot be read (Permission denied)" in str(caught.value)


def test_file_given_as_folder_raises_source_folder_missing(tmp_path):
    """A path to a file where the folder should be is reported like a missing folder."""
    with pytest.raises(SourceFolderMissing):
        load_sources(write(tmp_path, "a.txt", BODY))


def test_empty_folder_gives_no_sources(tmp_path):
    """An empty folder is not an error: zero sources, nothing skipped."""
    result = load_sources(tmp_path)
    assert result.sources == () and result.skipped == ()


@pytest.mark.parametrize(
    ("error", "words"),
    [(FileNotFoundError, "disappeared"), (PermissionError, "permission denied"), (OSError, "cannot be read")],
)
def test_file_that_fails_between_listing_and_reading_is_named(tmp_path, monkeypatch, error, words):
    """A file deleted or made unreadable after the folder was listed gives a SourceError naming it, not a crash."""
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "b.txt", BODY)
    real_open = Path.open

    def open_failing_for_b(self, *args, **kwargs):
        if self.name == "b.txt":
            raise error(5, "simulated")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_failing_for_b)
    caught = load_error(tmp_path)
    assert caught.file.name == "b.txt"
    assert words in caught.reason


def test_file_that_vanishes_before_stat_is_named(tmp_path, monkeypatch):
    """A file gone when its size is checked is reported as disappeared, naming it."""
    write(tmp_path, "a.txt", BODY)
    real_stat = Path.stat

    def stat_failing(self, *args, **kwargs):
        if self.name == "a.txt" and kwargs.get("follow_symlinks", True):
            raise FileNotFoundError(2, "simulated")
        return real_stat(self, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", stat_failing)
    with pytest.raises(SourceError, match="disappeared") as caught:
        load_source(tmp_path / "a.txt", root=tmp_path)
    assert caught.value.file.name == "a.txt"


@pytest.mark.parametrize(
    ("first", "second", "plain"),
    [("a.txt", "A.md", "a.txt"), ("a.txt", "a.md", "a.md"), ("News.txt", "news.TXT", "news.TXT")],
)
def test_files_whose_ids_clash_get_distinct_ids(tmp_path, first, second, plain):
    """Two files whose stems differ only in case or extension both load, with distinct ids: the first in name order
    with a lower-case stem keeps the plain id, the other gets a suffix from its name's hash, the same on every load."""
    write(tmp_path, first, BODY)
    write(tmp_path, second, BODY)
    result = load_sources(tmp_path)
    assert result.refused == ()
    by_file = {s.file_name: s.id for s in result.sources}
    natural = Path(plain).stem.lower()
    other = first if plain == second else second
    assert by_file[plain] == natural
    assert by_file[other].startswith(natural + "-") and len(by_file[other]) == len(natural) + 7
    assert {s.file_name: s.id for s in load_sources(tmp_path).sources} == by_file


def test_one_bad_file_does_not_stop_the_others_loading(tmp_path):
    """A folder with a good file, an empty file, a binary file and one over the size cap loads the good one and
    refuses each bad one with its reason."""
    write(tmp_path, "good.txt", BODY)
    write(tmp_path, "empty.txt", "")
    write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00")
    write(tmp_path, "huge.txt", "word " * 100)
    result = load_sources(tmp_path, max_bytes=200)
    assert [s.id for s in result.sources] == ["good"]
    reasons = {r.file_name: r.reason for r in result.refused}
    assert set(reasons) == {"empty.txt", "image.txt", "huge.txt"}
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["image.txt"] and "limit" in reasons["huge.txt"]


def test_a_file_changing_while_it_is_read_is_read_again(tmp_path, monkeypatch):
    """A file rewritten between the size check and the end of the read is read again, and its new text loads."""
    path = write(tmp_path, "a.txt", BODY)
    real_open = Path.open
    calls = []

    def open_then_rewrite(self, *args, **kwargs):
        handle = real_open(self, *args, **kwargs)
        if self.name == "a.txt" and not calls:
            calls.append(1)
            data = handle.read()
            handle.close()
            path.write_text("Rewritten while it was being read, and longer.\n", encoding="utf-8")
            os.utime(path, ns=(1, 1))
            return io.BytesIO(data)
        return handle

    monkeypatch.setattr(Path, "open", open_then_rewrite)
    (source,) = load_sources(tmp_path).sources
    assert source.text.startswith("Rewritten while")


def test_a_file_that_never_stops_changing_is_refused_not_fatal(tmp_path, monkeypatch):
    """A file that grows on every read is refused with a message saying so; the other files still load."""
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "b.txt", BODY)
    real_open = Path.open

    def open_then_append(self, *args, **kwargs):
        handle = real_open(self, *args, **kwargs)
        if self.name == "a.txt" and "r" in (args[0] if args else kwargs.get("mode", "r")):
            with real_open(self, "ab") as writer:
                writer.write(b"more\n")
        return handle

    monkeypatch.setattr(Path, "open", open_then_append)
    result = load_sources(tmp_path)
    assert [s.id for s in result.sources] == ["b"]
    (refusal,) = result.refused
    assert "kept changing" in refusal.reason


# --- sidecars ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sidecar", "expected"),
    [
        (
            "title: The raid\nurl: https://example.com/raid\npublished: 2026-02-25\nauthor: A. Writer\ncaption: true\n",
            ("The raid", "https://example.com/raid", "2026-02-25", "A. Writer", True),
        ),
        (
            "title: Yes\nauthor: 1.10\npublished: 2026-02-25T10:00:00Z\ncaption: yes\n",
            ("Yes", None, "2026-02-25T10:00:00Z", "1.10", True),
        ),
    ],
    ids=["all-fields", "kept-as-written"],
)
def test_sidecar_fields_are_read_as_written(tmp_path, sidecar, expected):
    """title, url, published, author and caption come from NAME.meta.yaml. YAML would read "Yes", "1.10" and a
    timestamp as bool/float/datetime; the moderator's text is kept exactly (no "True", "1.1")."""
    write(tmp_path, "raid.txt", BODY)
    write(tmp_path, "raid.meta.yaml", sidecar)
    source = only_source(tmp_path)
    assert (source.title, source.url, source.published, source.author, source.has_caption) == expected


def test_blank_sidecar_fields_count_as_not_given(tmp_path):
    """Fields left blank (as the seed template does) fall back to defaults instead of failing validation."""
    write(tmp_path, "my_first-article.txt", BODY)
    write(tmp_path, "my_first-article.meta.yaml", "title:\nurl:\npublished:\nauthor:\ncaption:\n")
    source = only_source(tmp_path)
    assert source.title == "My first article"
    assert (source.url, source.published, source.author, source.has_caption) == (None, None, None, False)


def test_missing_or_empty_sidecar_gives_defaults(tmp_path):
    """Without a sidecar (or with an empty one) the title comes from the file name and nothing else is set."""
    path = write(tmp_path, "el-mencho_raid.txt", BODY)
    assert read_meta(path).title == ""
    write(tmp_path, "el-mencho_raid.meta.yaml", "# nothing yet\n")
    source = only_source(tmp_path)
    assert source.title == "El mencho raid"
    assert source.has_caption is False


@pytest.mark.parametrize(
    ("sidecar", "words"),
    [
        ("title: [unclosed\n", "not valid"),
        ("titel: Typo\n", "titel"),
        ("- title\n- url\n", "mapping"),
        ("just a string\n", "mapping"),
        ("caption: maybe\n", "caption"),
        ("title: [a, b]\n", "title"),
        ("title: First\nurl:\ntitle: Second\n", "line 3, column 1: the field 'title' is given twice"),
        ("? [a]\n: b\n", "a field name must be a word"),
        ("title: " + "[" * 3000 + "]" * 3000 + "\n", "nested too deeply"),
    ],
    ids=[
        "invalid-yaml",
        "unknown-field",
        "list",
        "scalar",
        "bad-bool",
        "list-title",
        "repeated-field",
        "list-key",
        "deep-nesting",
    ],
)
def test_bad_sidecar_is_an_error_naming_the_sidecar(tmp_path, sidecar, words):
    """A sidecar that is not YAML, not a mapping, or has unknown or mistyped fields fails, naming the sidecar."""
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "a.meta.yaml", sidecar)
    error = load_error(tmp_path)
    assert error.file.name == "a.meta.yaml"
    assert words in error.reason


def test_sidecar_not_utf8_is_an_error_naming_the_sidecar(tmp_path):
    """A sidecar saved in Latin-1 fails naming the sidecar, not the source."""
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "a.meta.yaml", "title: Café".encode("latin-1"))
    assert load_error(tmp_path).file.name == "a.meta.yaml"


def test_sidecar_that_is_a_folder_or_pipe_is_an_error(tmp_path):
    """A sidecar that is not a plain file fails naming it (a FIFO would otherwise block the reload forever)."""
    write(tmp_path, "a.txt", BODY)
    os.mkfifo(tmp_path / "a.meta.yaml")
    error = load_error_without_hanging(tmp_path)
    assert error.file.name == "a.meta.yaml"
    assert "not a regular file" in error.reason


def test_sidecar_without_a_source_is_listed_as_skipped(tmp_path):
    """A sidecar whose source is missing (a typo in its name) is reported, not silently ignored."""
    write(tmp_path, "raid.txt", BODY)
    write(tmp_path, "raid.meta.yaml", "title: Raid\n")
    write(tmp_path, "riad.meta.yaml", "title: Typo\n")
    result = load_sources(tmp_path)
    assert [s.title for s in result.sources] == ["Raid"]
    assert [name for name, _ in result.skipped] == ["riad.meta.yaml"]
    assert "no source" in result.skipped[0][1]


def test_sha256_is_the_file_hash_without_a_sidecar(tmp_path):
    """Without a sidecar a source's sha256 is the plain SHA-256 of its file, as the model documents."""
    raw = b"\xef\xbb\xbfSome text.\r\n"
    write(tmp_path, "a.txt", raw)
    assert only_source(tmp_path).sha256 == hashlib.sha256(raw).hexdigest()


# --- the project's seeds -----------------------------------------------------------------------------------------


def test_seed_folder_loads_one_captioned_source_titled_by_its_sidecar():
    """The shipped seeds/ folder loads cleanly: one source, titled from its sidecar, first paragraph a caption."""
    result = load_sources(SEEDS)
    (source,) = result.sources
    assert source.id == "trump-sheinbaum-call-after-el-mencho-raid"
    assert source.title == 'Trump and Sheinbaum talk after the raid that killed "El Mencho"'
    assert source.has_caption is True
    assert source.url is None and source.published is None
    assert result.skipped == ()


def test_source_ids_hold_nothing_markdown_or_mentions_act_on(tmp_path):
    """A file name with backticks, @, spaces or < > gets an id of letters, digits, _ . - only."""
    from retrieval.sources.loading import source_id_for

    (tmp_path / "x` @everyone <y>.txt").write_text("Text.\n", encoding="utf-8")
    (source,) = load_sources(tmp_path).sources
    assert source.id == "x-everyone-y" == source_id_for(tmp_path / "x` @everyone <y>.txt")
    assert source_id_for(tmp_path / "000_309c.txt") == "000_309c"
    assert source_id_for(tmp_path / "Rubén.txt") == "rubén"


def test_whitespace_only_sidecar_values_count_as_not_given(tmp_path):
    """A quoted blank value ("  ") is not a URL or an author."""
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "a.meta.yaml", 'url: "  "\nauthor: " "\n')
    source = only_source(tmp_path)
    assert (source.url, source.author) == (None, None)


def test_a_loop_of_links_is_a_clear_error(tmp_path):
    """A symlink that points at itself is refused with a message, not a RuntimeError."""
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")
    assert "loop of links" in load_error(tmp_path).reason


def test_a_sidecar_that_is_a_loop_of_links_is_a_clear_error(tmp_path):
    """A sidecar link pointing at itself is refused as a loop, on every Python (3.13's resolve() no longer raises)."""
    write(tmp_path, "a.txt", BODY)
    (tmp_path / "a.meta.yaml").symlink_to(tmp_path / "a.meta.yaml")
    assert re.search(r"a\.meta\.yaml.*loop of links", str(load_error(tmp_path)))


@pytest.mark.parametrize("url", ["@everyone", "javascript:alert(1)", "https://e.x/a>@everyone<b", "http://a b"])
def test_a_sidecar_url_must_be_an_http_link(tmp_path, url):
    """Only http(s) URLs without spaces or angle brackets are accepted, so a citation link can't be hijacked."""
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "a.meta.yaml", f"url: '{url}'\n")
    assert re.search(r"a\.meta\.yaml.*url", str(load_error(tmp_path)))


def test_sidecar_field_errors_are_in_plain_words(tmp_path):
    """A bad url, an unknown field and a caption that is not true/false are explained without pydantic's jargon or
    the URL's regular expression."""
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "a.meta.yaml", "url: ftp://example.com/a\ncaption: maybe\ntitel: Typo\n")
    message = str(load_error(tmp_path))
    assert "url: must be one web link starting with http:// or https://" in message
    assert "caption: must be true or false" in message
    assert "titel: not a known field (the fields are title, url, published, author, caption" in message
    assert "^" not in message and "[" not in message and "Extra inputs" not in message


@pytest.mark.parametrize("escaped", ["\\u202egnp.exe", "\\e[2J", "\\a", "\\N"])
def test_a_sidecar_url_with_control_or_bidi_characters_is_refused(tmp_path, escaped):
    """A URL with a right-to-left override (shown reversed), a terminal escape or another control character (written
    as a YAML escape) is refused, naming the sidecar and the field."""
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "a.meta.yaml", f'url: "https://example.com/{escaped}"\n')
    assert re.search(r"a\.meta\.yaml.*url", str(load_error(tmp_path)))


def test_file_names_of_symbols_only_get_distinct_ids(tmp_path):
    """Two names that slug to nothing still load as two sources."""
    write(tmp_path, "!!!.txt", BODY)
    write(tmp_path, "???.txt", BODY)
    ids = [s.id for s in load_sources(tmp_path).sources]
    assert len(set(ids)) == 2 and all(i.startswith("source-") for i in ids)


def test_a_file_name_that_is_not_utf8_is_skipped_and_shown_printably(tmp_path):
    """A name with bytes that are not UTF-8 is skipped with its bytes shown as \\xff, not a crash that names no
    file; the other sources still load."""
    (tmp_path / "good.txt").write_text(BODY, encoding="utf-8")
    bad = os.fsdecode(b"\xff\xfe.txt")
    (tmp_path / bad).write_bytes(b"Text.\n")
    result = load_sources(tmp_path)
    assert [s.id for s in result.sources] == ["good"]
    assert result.skipped == (("\\xff\\xfe.txt", "its name is not valid UTF-8; rename the file"),)


def test_a_source_refused_for_its_sidecar_says_so(tmp_path):
    """The refusal of a.txt for a broken a.meta.yaml names the sidecar, so the moderator opens the right file."""
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "a.meta.yaml", "title: [unclosed\n")
    (refusal,) = load_sources(tmp_path).refused
    assert refusal.file_name == "a.txt" and refusal.reason.startswith("its sidecar a.meta.yaml is not valid YAML")


def _age(path: Path, seconds_ago: float, *, nudge_ns: int = 0) -> None:
    """Set ``path``'s modification time ``seconds_ago`` into the past (plus ``nudge_ns``)."""
    when = int((time.time() - seconds_ago) * 1e9) + nudge_ns
    os.utime(path, ns=(when, when))


def test_an_unchanged_file_is_taken_from_known_without_being_read(tmp_path, monkeypatch):
    """A source whose file and sidecar keep their size and modification time comes back as it was, without its
    bytes being read or hashed again."""
    path = write(tmp_path, "one.txt", BODY)
    sidecar = write(tmp_path, "one.meta.yaml", "title: One\n")
    _age(path, 60)
    _age(sidecar, 60)
    first = only_source(tmp_path)
    assert first.file_state is not None and first.file_state[2] == sidecar.stat().st_size
    monkeypatch.setattr(
        "retrieval.sources.loading._read_once", lambda *a: pytest.fail("an unchanged file was read again")
    )
    (again,) = load_sources(tmp_path, known={first.file_name: first}).sources
    assert again is first


@pytest.mark.parametrize("edited", ["file", "sidecar"])
def test_an_edit_of_the_same_size_is_seen_when_the_modification_time_moves(tmp_path, edited):
    """An edit that keeps the file's (or the sidecar's) size is still read again: its modification time moved, so
    the recorded state no longer matches and the new bytes are hashed."""
    path = write(tmp_path, "one.txt", BODY)
    sidecar = write(tmp_path, "one.meta.yaml", "title: One\n")
    _age(path, 60)
    _age(sidecar, 60)
    first = only_source(tmp_path)
    target, content = (path, BODY.replace("First", "Fresh")) if edited == "file" else (sidecar, "title: Two\n")
    before = target.stat().st_mtime_ns
    target.write_text(content, encoding="utf-8")
    os.utime(target, ns=(before + 1, before + 1))  # one nanosecond later, the same size
    (again,) = load_sources(tmp_path, known={first.file_name: first}).sources
    assert again.sha256 != first.sha256
    assert (again.text, again.title) == ((content, "One") if edited == "file" else (BODY, "Two"))


def test_a_file_modified_just_before_it_was_read_is_hashed_again_next_time(tmp_path, monkeypatch):
    """A file read within RACY_NS of its last modification records no state: a second edit in the same clock tick
    (same size, same time) would otherwise go unseen, so the next load reads and hashes it."""
    write(tmp_path, "one.txt", BODY)
    first = only_source(tmp_path)
    assert first.file_state is None
    reads: list[Path] = []
    import retrieval.sources.loading as loading

    real = loading._read_once
    monkeypatch.setattr(loading, "_read_once", lambda path, limit: reads.append(path) or real(path, limit))
    (again,) = load_sources(tmp_path, known={first.file_name: first}).sources
    assert again is first and len(reads) == 1  # read and hashed; the same bytes, so the same source


@pytest.mark.parametrize(
    "name", ["a.txt", "a.tar.gz", ".hidden", "a.", "..", "a..txt", "no suffix", ".txt", "x.TXT", "é.md", "a.b."]
)
def test_stem_and_suffix_of_a_name_are_pathlibs(name):
    """The listing reads stems and suffixes from names without making a path each; they are pathlib's."""
    from retrieval.sources.loading import _stem

    assert _stem(name) == Path(name).stem
    assert name[len(_stem(name)) :] == Path(name).suffix
