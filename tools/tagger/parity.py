"""Write the fixture that checks Rust's tagger against PyTorch: `crates/annotate/tests/data/tagger-parity.json`.

    python parity.py WEIGHTS.safetensors TOKENIZER.json OUT.json

For a handful of sentences written for Lectern (no corpus text), it records the training tokenizer's pieces (ids and
character offsets), then runs the exported weights (float16, computed in float32 as Rust does) through
`transformers`' BertModel with every token type 0 and with a few set, and records each piece's most likely label
and its log-probability, and each sentence's check-worthiness logit. `crates/annotate/tests/tagger.rs` feeds the
same inputs to the Rust encoder and requires the same labels and numbers within a small tolerance.
"""

import json
import sys

import torch
from safetensors import safe_open
from tokenizers import Tokenizer
from transformers import BertConfig, BertModel

SENTENCES = [
    "The mayor said the bridge would reopen on Friday.",
    "“We are not going anywhere,” Ana Ruiz told reporters in Oslo.",
    "According to two officials familiar with the talks, the deal is close.",
    "Critics warn that the plan could cost the city millions.",
    "Café owners in Zürich — naïvely, some say — expect a boom 🚀.",
    "The council meets at 6 p.m. in City Hall.",
    "Unemployment fell to 3.9 percent last year, the lowest rate since 2000.",
]


def main():
    weights, tokenizer_json, out = sys.argv[1:4]
    with safe_open(weights, "pt") as f:
        meta = f.metadata()
        tensors = {k: f.get_tensor(k).float() for k in f.keys()}
    cfg = BertConfig(
        vocab_size=tensors["encoder.embeddings.word_embeddings.weight"].shape[0],
        hidden_size=int(meta["hidden"]),
        num_hidden_layers=int(meta["layers"]),
        num_attention_heads=int(meta["heads"]),
        intermediate_size=int(meta["intermediate"]),
        type_vocab_size=int(meta["types"]),
        max_position_embeddings=tensors["encoder.embeddings.position_embeddings.weight"].shape[0],
        layer_norm_eps=float(meta["layer_norm_eps"]),
        hidden_act="gelu",
    )
    bert = BertModel(cfg, add_pooling_layer=False).eval()
    state = {k[len("encoder.") :]: v for k, v in tensors.items() if k.startswith("encoder.")}
    missing, unexpected = bert.load_state_dict(state, strict=False)
    assert not [m for m in missing if "position_ids" not in m], missing
    assert not unexpected, unexpected
    tok = Tokenizer.from_file(tokenizer_json)
    tok.no_truncation()
    tok.no_padding()
    cases = []
    for text in SENTENCES:
        enc = tok.encode(text, add_special_tokens=False)
        ids = [101] + enc.ids + [102]
        for typed in (False, True):
            # Every third piece marked as a cue of the rules, to exercise the token-type table.
            types = [0] + [(2 if typed and k % 3 == 0 else 0) for k in range(len(enc.ids))] + [0]
            with torch.no_grad():
                h = bert(input_ids=torch.tensor([ids]), token_type_ids=torch.tensor([types])).last_hidden_state[0]
                logp = torch.log_softmax(h @ tensors["tag.weight"].T + tensors["tag.bias"], -1)
                cw = (h.mean(0) @ tensors["cw.weight"].T + tensors["cw.bias"]).item()
            best = logp.max(-1)
            cases.append(
                {
                    "text": text,
                    "ids": enc.ids,
                    "offsets": [list(o) for o in enc.offsets],
                    "types": types[1:-1],
                    "labels": best.indices[1:-1].tolist(),
                    "log_probs": [round(x, 5) for x in best.values[1:-1].tolist()],
                    "checkworthy_logit": round(cw, 5) if not typed else None,
                }
            )
    with open(out, "w", encoding="utf-8") as f:
        f.write('{"note": "written by tools/tagger/parity.py from the weights of models/tagger.sha256", "cases": [\n')
        f.write(",\n".join(json.dumps(c, ensure_ascii=False) for c in cases))
        f.write("\n]}\n")
    print(f"wrote {len(cases)} cases to {out}")


if __name__ == "__main__":
    main()
