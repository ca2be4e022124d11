"""Search over passages: the BM25 index."""

from retrieval.search.index import Bm25Index, Bm25Params

__all__ = ["Bm25Index", "Bm25Params"]
