"""Extractive summaries of sources: one source (:func:`summarize`) or a topic across sources
(:func:`summarize_topic`), and the order of sources by recency."""

from retrieval.summaries.recency import most_recent_first, published_date
from retrieval.summaries.summarizing import summarize
from retrieval.summaries.topics import EmptyTopic, TopicTooLong, summarize_topic

__all__ = ["EmptyTopic", "TopicTooLong", "most_recent_first", "published_date", "summarize", "summarize_topic"]
