"""Extractive summaries of sources."""

from retrieval.summaries.summarizing import summarize

__all__ = ["summarize"]
