"""Fine-tune all-MiniLM-L6-v2 as Lectern's attribution tagger (and check-worthiness head), then export it.

    python train.py --data ../shared/data --minilm target/tagger/minilm --rules target/tagger/rules-train.jsonl \
        --out target/tagger/run [--dev-rules target/tagger/rules-dev.jsonl]

What it does, deterministically given --seed:
1. PolNeAR train articles become windows of whole sentences (data.py); every tenth article (by sorted name) is
   held out for model selection, and so is one fifth of ClaimBuster's even (training) half.
2. The encoder (MiniLM, optionally only its first --layers layers) gets a token-type table of four rows, one per
   rules' role (nothing, source, cue, content), initialised from its own first row; a linear BIO head (7 labels)
   reads every piece and a linear check-worthiness head reads the mean of a sentence's pieces.
3. Training alternates tagging batches with check-worthiness batches (even-positioned ClaimBuster items only; the
   odd half is what `lectern eval` scores and is never read here).
4. After each epoch the tagger is scored on the held-out train articles with `lectern eval`'s overlap matching; the
   best epoch is kept, and the check-worthiness bias is shifted so that 0.5 is its best threshold on its held-out
   fold.
5. Export: one safetensors file (float16) with the config and the WordPiece vocabulary in its metadata.
   --dev-rules also scores PolNeAR dev at the very end, for the log only: nothing is chosen by it.
"""

import argparse
import json
import math
import os
import random
import time

import numpy as np
import torch
from safetensors.torch import save_file
from tokenizers import Tokenizer
from transformers import BertModel

import data as D


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--minilm", required=True)
    p.add_argument("--rules", required=True)
    p.add_argument("--dev-rules")
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--layers", type=int, default=6, help="keep only the first N of MiniLM's 6 layers")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--cw-batch", type=int, default=32)
    p.add_argument("--cw-every", type=int, default=2, help="a check-worthiness batch after every N tagging batches")
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--no-rules", action="store_true", help="token types all 0: the rules' output is not an input")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--limit-docs", type=int, help="a smoke test on the first N articles and 200 ClaimBuster items")
    return p.parse_args()


class Tagger(torch.nn.Module):
    def __init__(self, minilm, layers, types):
        super().__init__()
        self.bert = BertModel.from_pretrained(minilm, add_pooling_layer=False)
        self.bert.encoder.layer = self.bert.encoder.layer[:layers]
        self.bert.config.num_hidden_layers = layers
        old = self.bert.embeddings.token_type_embeddings.weight.data
        table = torch.nn.Embedding(types, old.shape[1])
        with torch.no_grad():
            table.weight.copy_(old[0].unsqueeze(0).repeat(types, 1))
            table.weight[1:] += 0.02 * torch.randn(types - 1, old.shape[1])
        self.bert.embeddings.token_type_embeddings = table
        self.bert.config.type_vocab_size = types
        h = self.bert.config.hidden_size
        self.drop = torch.nn.Dropout(0.1)
        self.tag = torch.nn.Linear(h, len(D.LABELS))
        self.cw = torch.nn.Linear(h, 1)

    def hidden(self, ids, types, mask):
        return self.bert(input_ids=ids, token_type_ids=types, attention_mask=mask).last_hidden_state

    def tags(self, ids, types, mask):
        return self.tag(self.drop(self.hidden(ids, types, mask)))

    def checkworthy(self, ids, mask):
        h = self.hidden(ids, torch.zeros_like(ids), mask)
        m = mask.unsqueeze(-1).float()
        pooled = (h * m).sum(1) / m.sum(1)
        return self.cw(self.drop(pooled)).squeeze(-1)


CLS, SEP = 101, 102


def batch_windows(ws, with_labels=True):
    n = max(len(w.ids) for w in ws) + 2
    ids = torch.zeros(len(ws), n, dtype=torch.long)
    types = torch.zeros(len(ws), n, dtype=torch.long)
    mask = torch.zeros(len(ws), n, dtype=torch.long)
    labels = torch.full((len(ws), n), -100, dtype=torch.long)
    for b, w in enumerate(ws):
        k = len(w.ids)
        ids[b, : k + 2] = torch.tensor([CLS] + w.ids + [SEP])
        types[b, 1 : k + 1] = torch.tensor(w.types)
        mask[b, : k + 2] = 1
        if with_labels:
            labels[b, 1 : k + 1] = torch.tensor(w.labels)
    return ids, types, mask, labels


def batch_sentences(tok, texts):
    encs = [tok.encode(t, add_special_tokens=False).ids[:254] for t in texts]
    n = max(len(e) for e in encs) + 2
    ids = torch.zeros(len(encs), n, dtype=torch.long)
    mask = torch.zeros(len(encs), n, dtype=torch.long)
    for b, e in enumerate(encs):
        ids[b, : len(e) + 2] = torch.tensor([CLS] + e + [SEP])
        mask[b, : len(e) + 2] = 1
    return ids, mask


def merge_spans(spans, text, gap_chars):
    """Join consecutive spans of one role whose gap holds no letter or digit and at most `gap_chars` characters."""
    out = []
    for s in sorted(spans, key=lambda x: (x[1], x[0])):
        if out and out[-1][0] == s[0] and s[1] >= out[-1][2] and s[1] - out[-1][2] <= gap_chars:
            gap = text[out[-1][2] : s[1]]
            if not any(c.isalnum() for c in gap):
                r, a, _, c = out[-1]
                out[-1] = (r, a, s[2], min(c, s[3]))
                continue
        out.append(s)
    return out


def predict(model, articles, windows):
    """Spans per article: (role, start, end, confidence), by constrained decoding of each window."""
    model.eval()
    per_doc = [[] for _ in articles]
    with torch.no_grad():
        for k in range(0, len(windows), 16):
            ws = windows[k : k + 16]
            ids, types, mask, _ = batch_windows(ws, with_labels=False)
            logp = torch.log_softmax(model.tags(ids, types, mask), -1)
            for b, w in enumerate(ws):
                lp = logp[b, 1 : len(w.ids) + 1]
                path = D.viterbi(lp.tolist())
                probs = [math.exp(lp[t, j].item()) for t, j in enumerate(path)]
                per_doc[w.doc].extend(D.spans_of(path, w.offsets, probs))
    model.train()
    return per_doc


def score(articles, per_doc, gap_chars):
    counts = {r: [0, 0, 0] for r in D.ROLES}
    for art, spans in zip(articles, per_doc):
        if gap_chars is not None:
            spans = merge_spans(spans, art.text, gap_chars)
        for r in D.ROLES:
            pred = sorted({(a, b) for role, a, b, _ in spans if role == r})
            tp, fp, fn = D.match_count(pred, art.gold[r])
            counts[r][0] += tp
            counts[r][1] += fp
            counts[r][2] += fn
    return {r: D.prf(c) for r, c in counts.items()}


def show(scores):
    return " ".join(f"{r} P {p:.3f} R {rc:.3f} F1 {f:.3f}" for r, (p, rc, f) in scores.items())


def cw_logits(model, tok, items):
    model.eval()
    out = []
    with torch.no_grad():
        for k in range(0, len(items), 64):
            ids, mask = batch_sentences(tok, [i["text"] for i in items[k : k + 64]])
            out.extend(model.checkworthy(ids, mask).tolist())
    model.train()
    return out


def best_shift(logits, labels):
    """The bias shift (log-odds, -2..2 in steps of 0.05) giving the best F1 at 0.5, and that F1."""
    best = (0.0, -1.0)
    for step in range(-40, 41):
        s = step * 0.05
        tp = sum(1 for z, y in zip(logits, labels) if z + s >= 0 and y)
        fp = sum(1 for z, y in zip(logits, labels) if z + s >= 0 and not y)
        fn = sum(1 for z, y in zip(logits, labels) if z + s < 0 and y)
        f = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f > best[1] + 1e-9:
            best = (s, f)
    return best


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    os.makedirs(args.out, exist_ok=True)
    log = open(os.path.join(args.out, "log.txt"), "a", encoding="utf-8")

    def say(*parts):
        line = " ".join(str(p) for p in parts)
        print(line, flush=True)
        log.write(line + "\n")
        log.flush()

    say("args", json.dumps(vars(args)))
    tok = Tokenizer.from_file(os.path.join(args.minilm, "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    articles = D.load_articles(args.data, "train", args.rules)
    if args.no_rules:
        for a in articles:
            a.rules = []
    articles.sort(key=lambda a: a.name)
    if args.limit_docs:
        articles = articles[: args.limit_docs]
    val_docs = [a for k, a in enumerate(articles) if k % 10 == 0]
    train_docs = [a for k, a in enumerate(articles) if k % 10 != 0]
    train_w = D.windows(train_docs, tok)
    val_w = D.windows(val_docs, tok)
    say(f"{len(train_docs)} training articles ({len(train_w)} windows), {len(val_docs)} held out ({len(val_w)})")

    with open(os.path.join(args.data, "claimbuster", "train.json"), encoding="utf-8") as f:
        cb = json.load(f)
    if args.limit_docs:
        cb = cb[:200]
    # Even positions only (the training half of `lectern eval`); one fifth of them held out for selection.
    cb_train = [it for i, it in enumerate(cb) if i % 2 == 0 and (i // 2) % 5 != 0]
    cb_val = [it for i, it in enumerate(cb) if i % 2 == 0 and (i // 2) % 5 == 0]
    pos = sum(it["label"] for it in cb_train)
    cw_weight = torch.tensor((len(cb_train) - pos) / max(pos, 1))
    say(f"ClaimBuster: {len(cb_train)} training sentences ({pos} check-worthy), {len(cb_val)} held out")

    model = Tagger(args.minilm, args.layers, 4)
    steps_per_epoch = math.ceil(len(train_w) / args.batch)
    total = steps_per_epoch * args.epochs
    decay = [p for n, p in model.named_parameters() if not any(k in n for k in ("bias", "LayerNorm"))]
    rest = [p for n, p in model.named_parameters() if any(k in n for k in ("bias", "LayerNorm"))]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}], lr=args.lr)
    warm = max(1, total // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / (total - warm))))
    rng = random.Random(args.seed)
    best = None
    step = 0
    started = time.time()
    for epoch in range(args.epochs):
        order = list(range(len(train_w)))
        rng.shuffle(order)
        cb_order = list(range(len(cb_train)))
        rng.shuffle(cb_order)
        cb_pos = 0
        for k in range(0, len(order), args.batch):
            ws = [train_w[i] for i in order[k : k + args.batch]]
            ids, types, mask, labels = batch_windows(ws)
            logits = model.tags(ids, types, mask)
            loss = torch.nn.functional.cross_entropy(logits.view(-1, len(D.LABELS)), labels.view(-1), ignore_index=-100)
            if step % args.cw_every == 0:
                if cb_pos + args.cw_batch > len(cb_order):
                    rng.shuffle(cb_order)
                    cb_pos = 0
                items = [cb_train[i] for i in cb_order[cb_pos : cb_pos + args.cw_batch]]
                cb_pos += args.cw_batch
                cids, cmask = batch_sentences(tok, [i["text"] for i in items])
                y = torch.tensor([float(i["label"]) for i in items])
                z = model.checkworthy(cids, cmask)
                loss = loss + torch.nn.functional.binary_cross_entropy_with_logits(z, y, pos_weight=cw_weight)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            if step % 50 == 0:
                say(f"epoch {epoch + 1} step {step}/{total} loss {loss.item():.4f} {time.time() - started:.0f}s")
        per_doc = predict(model, val_docs, val_w)
        plain = score(val_docs, per_doc, None)
        merged = {g: score(val_docs, per_doc, g) for g in (2, 4, 12)}
        z = cw_logits(model, tok, cb_val)
        shift, cw_f1 = best_shift(z, [it["label"] == 1 for it in cb_val])
        mean = sum(f for _, _, f in plain.values()) / 3
        say(f"epoch {epoch + 1} held-out train articles: {show(plain)} (mean F1 {mean:.4f}) {time.time() - started:.0f}s")
        for g, s in merged.items():
            say(f"  with spans merged across gaps of <= {g} non-word characters: {show(s)}")
        say(f"  check-worthiness on its held-out fold: best F1 {cw_f1:.3f} with bias shift {shift:+.2f}")
        if best is None or mean > best[0]:
            best = (mean, epoch + 1, {k: v.detach().clone() for k, v in model.state_dict().items()}, shift, cw_f1)
    mean, epoch, state, shift, cw_f1 = best
    model.load_state_dict(state)
    say(f"chosen: epoch {epoch} (held-out mean F1 {mean:.4f}); check-worthiness bias shift {shift:+.2f} (F1 {cw_f1:.3f})")
    say(f"training took {time.time() - started:.0f}s")
    export(model, args, tok, shift, say)
    if args.dev_rules:
        dev = D.load_articles(args.data, "dev", args.dev_rules)
        if args.limit_docs:
            dev = dev[: args.limit_docs]
        if args.no_rules:
            for a in dev:
                a.rules = []
        per_doc = predict(model, dev, D.windows(dev, tok, with_labels=False))
        say(f"PolNeAR dev (log only): {show(score(dev, per_doc, None))}")
        for g in (2, 4, 12):
            say(f"  merged <= {g}: {show(score(dev, per_doc, g))}")


def export(model, args, tok, shift, say):
    """float16 tensors under the names `crates/annotate/src/tagger/encoder.rs` reads; config and vocabulary in the
    metadata."""
    sd = model.state_dict()
    tensors = {}
    for k, v in sd.items():
        name = k.replace("bert.", "encoder.")
        tensors[name] = v.detach().to(torch.float16).contiguous()
    cfg = model.bert.config
    vocab = tok.get_vocab()
    words = [w for w, _ in sorted(vocab.items(), key=lambda x: x[1])]
    meta = {
        "format": "lectern-tagger-1",
        "layers": str(cfg.num_hidden_layers),
        "hidden": str(cfg.hidden_size),
        "heads": str(cfg.num_attention_heads),
        "intermediate": str(cfg.intermediate_size),
        "types": str(cfg.type_vocab_size),
        "max_pieces": str(D.MAX_PIECES),
        "layer_norm_eps": str(cfg.layer_norm_eps),
        "labels": " ".join(D.LABELS),
        "checkworthy_shift": f"{shift:.4f}",
        "rules_as_input": "false" if args.no_rules else "true",
        "vocab": "\n".join(words),
        "trained": json.dumps({k: v for k, v in vars(args).items() if k not in ("data", "out")}),
    }
    path = os.path.join(args.out, "tagger.safetensors")
    save_file(tensors, path, metadata=meta)
    say(f"wrote {path} ({os.path.getsize(path) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
