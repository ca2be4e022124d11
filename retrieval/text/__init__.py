"""Text knowledge shared by indexing and answering: the tokenizer, stopwords, background English statistics, the
sources' vocabulary and the aliases they define."""

from retrieval.text.tokenizer import Token, Tokenizer, fold

__all__ = ["Token", "Tokenizer", "fold"]
