"""The YAML fields of a sidecar or of Markdown front matter, read the same way in both places.

Values are kept as written (YAML's implicit bool, number and date types are not applied), a key given twice is an
error, and nothing but plain data is built (a ``SafeLoader``).
"""

from __future__ import annotations

import yaml


class FieldsError(ValueError):
    """The YAML cannot be read as fields; ``str(error)`` says where and why."""


class _TextLoader(yaml.SafeLoader):
    """Safe YAML where every plain scalar but null stays text: ``published: 2026-02-25`` is "2026-02-25", not a
    date, and ``title: No`` is "No", not False. pydantic then parses ``caption`` as a bool."""


def _mapping_without_repeats(loader: _TextLoader, node: yaml.MappingNode) -> dict:
    """A mapping, refusing a key given twice: YAML would silently keep the last ``title:``, and the moderator would
    not know which one the bot uses."""
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if not isinstance(key, str | None):
            raise yaml.constructor.ConstructorError(
                None, None, "a field name must be a word, not a list or a mapping", key_node.start_mark
            )
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the field {key!r} is given twice; keep one", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_TextLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_repeats)
_TextLoader.yaml_implicit_resolvers = {
    first: kept
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    if (kept := [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"])
}


def read_fields(text: str, *, line_offset: int = 0) -> dict | None:
    """The mapping in ``text``, or None when it holds nothing. ``line_offset`` is added to line numbers in messages
    (front matter starts on line 2 of its file).

    Raises
    ------
    FieldsError
        Not valid YAML (with line and column), nested too deeply, or not a mapping.
    """
    try:
        data = yaml.load(text, Loader=_TextLoader)  # a SafeLoader: builds no Python objects
    except RecursionError:
        raise FieldsError("is nested too deeply to read; fields are a flat list") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1 + line_offset}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "syntax error"
        raise FieldsError(f"is not valid YAML{where}: {problem}") from None
    if data is None:
        return None
    if not isinstance(data, dict):
        raise FieldsError("must be a mapping of fields (title, url, published, author, caption)")
    return data


def given(data: dict) -> dict:
    """``data`` without blank values: a blank field counts as not given."""
    return {k: v for k, v in data.items() if not (v is None or (isinstance(v, str) and not v.strip()))}
