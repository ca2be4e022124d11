"""Retrieval engine: load sources, split passages, tokenize, BM25-index, answer and summarize. No Discord here."""

from retrieval.answers.answering import answer_question
from retrieval.corpus import Corpus, CorpusChange, compare, load_corpus
from retrieval.errors import EmptyQuestion, RetrievalError, SourceError, SourceFolderMissing, UnknownSource
from retrieval.models import Answer, Hit, Passage, Source, SourceMeta, Summary, SummarySentence
from retrieval.search.index import Bm25Index, Bm25Params
from retrieval.sources.loading import LoadResult, load_sources
from retrieval.summaries.summarizing import summarize
from retrieval.text.tokenizer import Tokenizer

__all__ = [
    "Answer",
    "Bm25Index",
    "Bm25Params",
    "Corpus",
    "CorpusChange",
    "EmptyQuestion",
    "Hit",
    "LoadResult",
    "Passage",
    "RetrievalError",
    "Source",
    "SourceError",
    "SourceFolderMissing",
    "SourceMeta",
    "Summary",
    "SummarySentence",
    "Tokenizer",
    "UnknownSource",
    "answer_question",
    "compare",
    "load_corpus",
    "load_sources",
    "summarize",
]
