"""What a source passes through first: file -> :class:`~retrieval.models.Source` -> passages and sentences."""

from retrieval.sources.loading import LoadResult, load_sources, source_id_for
from retrieval.sources.sentences import sentence_spans
from retrieval.sources.splitting import split_passages

__all__ = ["LoadResult", "load_sources", "sentence_spans", "source_id_for", "split_passages"]
