"""A small sentence-embedding model, run on this machine: all-MiniLM-L6-v2 as int8 ONNX.

Why: tf-idf only knows the words its training entries used; a new author says the same thing in
other words ("he was doing stuff to me while I slept"), and an embedding model trained on a
billion sentence pairs places those near each other. The safety classifier reads these vectors
beside its tf-idf features (``safety_model``).

What ships (``encoder/``): the model exported by ``scripts/export_sentence_encoder.py`` (BERT,
mean pooling, L2 norm; int8 per channel, 22 MB) and its tokenizer. Provenance and licence:
sentence-transformers/all-MiniLM-L6-v2, Apache-2.0 (``encoder/NOTICE.md``); the export checks
the weights' SHA-256 against the published value. It runs with onnxruntime and tokenizers, both
imported on first use, so nothing here slows ``safebase --help``; there is no torch, no network
and no download at run time.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

ENCODER_DIR = Path(str(resources.files("safebase.core.practice") / "encoder"))
MODEL_FILE = ENCODER_DIR / "all-MiniLM-L6-v2.int8.onnx"
TOKENIZER_FILE = ENCODER_DIR / "tokenizer.json"
DIMENSIONS = 384
MAX_TOKENS = 256  # the model's own limit (sentence-transformers' max_seq_length for it)


@cache
def _session():
    import onnxruntime as ort
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(TOKENIZER_FILE))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()
    options = ort.SessionOptions()
    # Two threads: the machines this runs on have few cores, and a web worker shares them.
    options.intra_op_num_threads = 2
    options.log_severity_level = 3
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = ort.InferenceSession(str(MODEL_FILE), options, providers=["CPUExecutionProvider"])
    return tokenizer, session


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length 384-d vectors, one row per text.

    One text per run, on purpose: the int8 model quantises its activations per run (dynamic
    quantisation), so a text's vector would depend on the texts batched with it, and training
    and the screen would see slightly different vectors for the same sentence. One at a time,
    a sentence costs 1-3 ms here."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    if not texts:
        return out
    tokenizer, session = _session()
    for row, encoded in enumerate(tokenizer.encode_batch(texts)):
        ids = np.array([encoded.ids], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        out[row] = session.run(None, feed)[0][0]
    return out
