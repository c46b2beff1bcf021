"""Training data for Lectern's attribution tagger: PolNeAR train articles as windows of WordPiece tokens.

Everything here mirrors what the Rust side (`crates/annotate/src/tagger/`) does at run time:

- sentences are the annotator's own (dumped by `cargo run --release -p eval --example dump_rules`), each tokenized
  on its own with the encoder's WordPiece tokenizer;
- consecutive sentences are packed greedily into windows of at most MAX_PIECES pieces (a longer sentence is cut
  into pieces of that size), so each token is encoded once, with the sentences around it as context;
- each piece carries a token type from the rules' output: 0 nothing, 1 inside a source, 2 a cue, 3 a content
  (a cue wins over a source, a source over a content);
- the gold label of a piece is BIO over source/cue/content, from the role of its first character.

Offsets are character offsets (Python string indices), as PolNeAR's standoff files count them.
"""

import json
import os
import re
from dataclasses import dataclass, field

ROLES = ["source", "cue", "content"]
LABELS = ["O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content"]
# Token types given by the rules: index = 1 + ROLES.index(role); a cue wins over a source, a source over a content.
RULE_PRIORITY = {"content": 1, "source": 2, "cue": 3}
MAX_PIECES = 254  # plus [CLS] and [SEP]: 256 positions


@dataclass
class Article:
    name: str
    text: str
    sentences: list  # [(start, end)] in characters, from the Rust segmenter
    rules: list  # [(role, start, end)] from the Rust rules
    gold: dict = field(default_factory=dict)  # role -> list of spans, each a list of (start, end) fragments


@dataclass
class Window:
    doc: int  # index of the article
    ids: list
    types: list
    offsets: list  # (start, end) characters of each piece in the article
    labels: list  # label index of each piece (training); -100 where unknown


def first_annotator(files, article):
    """The `<article>_<annotator>.ann` file with the smallest annotator id (as `lectern eval` chooses)."""
    best = None
    for f in files:
        if not (f.startswith(article + "_") and f.endswith(".ann")):
            continue
        annotator = f[len(article) + 1 : -4]
        if annotator and "_" not in annotator and (best is None or annotator < best[1]):
            best = (f, annotator)
    return best[0] if best else None


def parse_brat(source):
    """Gold spans per role: the arguments of `Attribution*` events, each text bound counted once."""
    bounds = {}
    events = []
    for line in source.splitlines():
        cols = line.split("\t")
        if len(cols) < 2:
            continue
        if cols[0].startswith("T"):
            kind_and_offsets = cols[1].split(" ", 1)
            if len(kind_and_offsets) < 2:
                continue
            frags = []
            for frag in kind_and_offsets[1].split(";"):
                a, b = frag.split()
                frags.append((int(a), int(b)))
            bounds[cols[0]] = frags
        elif cols[0].startswith("E"):
            events.append(cols[1].split())
    gold = {r: [] for r in ROLES}
    seen = set()
    for ev in events:
        if not ev or not ev[0].startswith("Attribution"):
            continue
        for arg in ev[1:]:
            role, _, tid = arg.partition(":")
            role = re.sub(r"\d+$", "", role).lower()
            if role in gold and tid in bounds and tid not in seen:
                seen.add(tid)
                gold[role].append(bounds[tid])
    return gold


def load_articles(data, part, rules_jsonl):
    """PolNeAR articles of `part` with their first annotator's gold and the rules' dump."""
    root = os.path.join(data, "polnear", part)
    files = sorted(os.listdir(os.path.join(root, "attributions")))
    out = []
    with open(rules_jsonl, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            with open(os.path.join(root, "text", d["name"] + ".txt"), encoding="utf-8") as t:
                text = t.read()
            ann = first_annotator(files, d["name"])
            if ann is None:
                continue
            with open(os.path.join(root, "attributions", ann), encoding="utf-8") as a:
                gold = parse_brat(a.read())
            rules = [(r, s, e) for r, s, e in d["spans"]]
            out.append(Article(d["name"], text, [tuple(s) for s in d["sentences"]], rules, gold))
    return out


def char_roles(n, spans_by_role, priority):
    """Per character: (role index + 1, span id), the higher-priority role winning where spans overlap."""
    role = [0] * n
    span = [-1] * n
    rank = [0] * n
    sid = 0
    for r, spans in spans_by_role.items():
        for frags in spans:
            for a, b in frags:
                for k in range(max(0, a), min(n, b)):
                    if priority[r] >= rank[k]:
                        role[k], span[k], rank[k] = ROLES.index(r) + 1, sid, priority[r]
            sid += 1
    return role, span


def windows(articles, tokenizer, with_labels=True):
    """Every article as windows of whole sentences, at most MAX_PIECES pieces each (see the module doc)."""
    out = []
    for d, art in enumerate(articles):
        n = len(art.text)
        rule_spans = {r: [] for r in ROLES}
        for r, s, e in art.rules:
            rule_spans[r].append([(s, e)])
        rule_role, _ = char_roles(n, rule_spans, RULE_PRIORITY)
        gold_role, gold_span = char_roles(n, art.gold, RULE_PRIORITY) if with_labels else (None, None)
        sentences = []
        for s, e in art.sentences:
            enc = tokenizer.encode(art.text[s:e], add_special_tokens=False)
            pieces = [(i, (s + a, s + b)) for i, (a, b) in zip(enc.ids, enc.offsets)]
            for k in range(0, len(pieces), MAX_PIECES):
                sentences.append(pieces[k : k + MAX_PIECES])
        current = []
        for sent in sentences:
            if current and len(current) + len(sent) > MAX_PIECES:
                out.append(make_window(d, current, rule_role, gold_role, gold_span))
                current = []
            current = current + sent
        if current:
            out.append(make_window(d, current, rule_role, gold_role, gold_span))
    return out


def make_window(d, pieces, rule_role, gold_role, gold_span):
    ids = [i for i, _ in pieces]
    offsets = [o for _, o in pieces]
    types = [rule_role[a] if a < len(rule_role) else 0 for _, (a, _) in pieces]
    labels = []
    if gold_role is not None:
        prev = (0, -1)
        for a, _ in offsets:
            r, sid = gold_role[a], gold_span[a]
            if r == 0:
                labels.append(0)
            elif prev == (r, sid):
                labels.append(2 * r)
            else:
                labels.append(2 * r - 1)
            prev = (r, sid)
    return Window(d, ids, types, offsets, labels)


# ----- decoding and scoring, as `crates/annotate/src/tagger/decode.rs` and `lectern eval` do -----

def allowed(prev, cur):
    """Constrained BIO: an I-X only continues a B-X or an I-X."""
    if cur in (2, 4, 6):
        return prev in (cur - 1, cur)
    return True


def viterbi(logp):
    """The best label sequence under the BIO constraint, from per-piece log-probabilities (list of 7-lists)."""
    n = len(logp)
    if n == 0:
        return []
    neg = -1e9
    score = [logp[0][j] if allowed(0, j) else neg for j in range(7)]
    back = []
    for t in range(1, n):
        new, bp = [], []
        for j in range(7):
            best, arg = neg * 2, 0
            for i in range(7):
                if allowed(i, j) and score[i] > best:
                    best, arg = score[i], i
            new.append(best + logp[t][j])
            bp.append(arg)
        back.append(bp)
        score = new
    j = max(range(7), key=lambda k: score[k])
    path = [j]
    for bp in reversed(back):
        j = bp[j]
        path.append(j)
    return path[::-1]


def spans_of(labels, offsets, probs=None):
    """(role, start, end, confidence) of each B/I run."""
    out = []
    cur = None
    for k, lab in enumerate(labels):
        conf = probs[k] if probs is not None else 1.0
        if lab in (1, 3, 5):
            if cur:
                out.append(cur)
            cur = [ROLES[(lab - 1) // 2], offsets[k][0], offsets[k][1], [conf]]
        elif lab in (2, 4, 6) and cur and cur[0] == ROLES[(lab - 2) // 2]:
            cur[2] = offsets[k][1]
            cur[3].append(conf)
        else:
            if cur:
                out.append(cur)
            cur = None
    if cur:
        out.append(cur)
    return [(r, a, b, sum(c) / len(c)) for r, a, b, c in out]


def match_count(pred, gold):
    """Maximum one-to-one matching of predicted spans (start, end) with gold spans (fragment lists) sharing a
    character: (tp, fp, fn), as `eval::metrics::match_one_to_one`."""
    edges = [[g for g, frags in enumerate(gold) if any(a < pe and ps < b for a, b in frags)] for ps, pe in pred]
    owner = [None] * len(gold)

    def augment(p, seen):
        for g in edges[p]:
            if g in seen:
                continue
            seen.add(g)
            if owner[g] is None or augment(owner[g], seen):
                owner[g] = p
                return True
        return False

    tp = sum(1 for p in range(len(pred)) if augment(p, set()))
    return tp, len(pred) - tp, len(gold) - tp


def prf(c):
    tp, fp, fn = c
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
