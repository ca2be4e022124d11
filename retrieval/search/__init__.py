"""Search over passages: the BM25 index, behind the small interface a backend implements."""

from retrieval.search.backend import SearchBackend
from retrieval.search.index import Bm25Index, Bm25Params

__all__ = ["Bm25Index", "Bm25Params", "SearchBackend"]
