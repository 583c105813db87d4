"""Write the recorded answers of corpus/answers/ and check them.

    python corpus/answers/make_answers.py            # write every <category>/<name>.txt, check
    python corpus/answers/make_answers.py --check    # check the files that are there

These answers are NOT real model output. They were written for tests, imitating what a strong
model answering "translate this C function to TACO index notation" at temperature 1.0 writes:
the formulas of every kernel are hand-written in specs.py (right ones and typical mistakes,
plus whole hand-written answers), and this script picks ten per kernel and dresses them the
ways models do (fences, prose, lists, spacing), seeded, so that the output is reproducible.

The check evaluates what each answer means (specs.py gives it; it is read from the formula)
on random inputs against the expected program of the kernel (its `<name>.expect.json`), with
tensorlift's TACO parser and evaluator (its extended notation: `where`, reductions, index
expressions), and writes:
- correct.json:    "<category>/<name>" -> 0-based lines that are correct as written;
- equivalent.json: lines not counted correct that still compute the same outputs (different
                   operators, extra temporaries, split statements);
and the table of counts at the end of README.md. It fails when a label disagrees with the
evaluation, and warns where the answer parser of tensorlift reads something else than the
intended formula. With --check it writes nothing and also fails when a file differs.
"""
from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from pathlib import Path

import numpy as np

sys.dont_write_bytecode = True  # keep the corpus free of __pycache__ directories
HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent
sys.path.insert(0, str(CORPUS))
sys.path.insert(0, str(CORPUS.parent))
sys.path.insert(0, str(HERE))

from benchmarks.corpus import load_corpus  # noqa: E402
from specs import HARD, SPECS, Entry  # noqa: E402
from tensorlift import carith  # noqa: E402
from tensorlift.c.affine import parse_affine  # noqa: E402
from tensorlift.taco.evaluate import evaluate  # noqa: E402
from tensorlift.taco.parse import parse_program  # noqa: E402

N_ANSWERS = 10


def kernels() -> dict[str, dict]:
    """"<category>/<name>" -> the kernel's expectation."""
    return {e.name: e.expect for e in load_corpus([CORPUS])}


# ---------------------------------------------------------------- dressing answers

FUNCS = {"min", "max", "exp", "sqrt", "abs", "select", "sum", "fmaxf", "fminf", "fmax", "fmin",
         "expf", "sqrtf", "fabs", "fabsf", "pow", "silu", "sigmoid", "clamp", "square",
         "transpose", "rsqrt", "mean", "mul_elem"}
ACCESS = re.compile(r"\b([A-Za-z_][\w.]*)\(([^()]*)\)")


def statements(core: str) -> list[str]:
    return [s.strip() for s in re.split(r"\n|;\s*(?=\S)", core) if s.strip()]


def index_vars(stmt: str) -> tuple[list[str], list[str]]:
    """(left-side indices, right-side indices) of one statement, roughly."""
    m = re.match(r"\s*([A-Za-z_][\w.]*)(?:\(([^()]*)\))?\s*(?:\+|-|\*|/|:)?=(?!=)(.*)", stmt)
    if m:
        lhs = [v.strip() for v in (m.group(2) or "").split(",") if v.strip()]
        rhs_text = m.group(3)
    else:
        lhs, rhs_text = [], stmt
    rhs = []
    for name, args in ACCESS.findall(rhs_text):
        if name in FUNCS:
            continue
        for a in args.split(","):
            a = a.strip()
            if re.fullmatch(r"[A-Za-z_]\w*", a) and a not in rhs:
                rhs.append(a)
    return lhs, rhs


def tighten(text: str) -> str:
    text = re.sub(r"\s*\*\s*(?!=)", "*", text)
    return re.sub(r",\s+", ",", text)


def widen(text: str) -> str:
    return re.sub(r",(?=\S)", ", ", text)


def bracketed(stmt: str) -> str:
    """pytaco spelling: A(i,j) -> A[i, j]."""
    def sub(m):
        if m.group(1) in FUNCS or not m.group(2).strip():
            return m.group(0)
        return f"{m.group(1)}[{', '.join(a.strip() for a in m.group(2).split(','))}]"
    return ACCESS.sub(sub, stmt)


def reductions(stmt: str) -> list[str]:
    lhs, rhs = index_vars(stmt)
    return [v for v in rhs if v not in lhs and len(v) <= 2]


def explanation(stmts: list[str], rng: random.Random, scalar_result: bool) -> str:
    stmt = next((s for s in stmts if reductions(s)), stmts[0])
    red = reductions(stmt)
    out = re.match(r"\s*([A-Za-z_]\w*)", stmt)
    out = out.group(1) if out else "the output"
    accum = re.search(r"[-+*/]=", stmt) or re.search(rf"=.*\b{re.escape(out)}\(", stmt)
    r = " and ".join(red)
    plural = len(red) > 1
    if scalar_result and red:
        return rng.choice([
            "The result is a scalar (an order-0 tensor), so every index on the right-hand side is summed.",
            "Since the output has no indices, TACO reduces over {r}.",
            "All indices are reduction indices here, because the result is a scalar.",
        ]).format(r=r)
    if red:
        return rng.choice([
            "The {idx} {r} only {appear} on the right-hand side, so {it} {is_} summed over.",
            "{r} {is_} {a}reduction {var}: TACO implicitly sums over indices that do not appear on the left.",
            "Note that TACO sums over {r} implicitly.",
            "The reduction over {r} is implicit in index notation.",
            "Here {r} {is_} contracted, i.e. summed, because {it} {does} not appear in the output.",
        ]).format(r=r, idx="indices" if plural else "index", appear="appear" if plural else "appears",
                  it="they" if plural else "it", is_="are" if plural else "is",
                  a="" if plural else "a ", var="variables" if plural else "variable",
                  does="do" if plural else "does")
    if accum:
        return rng.choice([
            "The output is updated in place, so its previous value is read.",
            "The old values of the output are read, so it is updated in place.",
            "This is an in-place update.",
        ])
    return rng.choice([
        "This is a purely element-wise operation, no reduction is involved.",
        "Every output element is computed independently.",
        "The loop bounds follow from the tensor dimensions, so no explicit loops are needed.",
        "There is no reduction here.",
        "Each element of the result depends only on the elements at the same position.",
    ])


def dress(core: str, ctx: dict, rng: random.Random) -> str:
    """One answer around the formula `core` (statements separated by newlines)."""
    stmts = statements(core)
    space = rng.choices(["asis", "tight", "wide"], [6, 2, 2])[0]
    if space == "tight":
        stmts = [tighten(s) for s in stmts]
    elif space == "wide":
        stmts = [widen(s) for s in stmts]
    multi = len(stmts) > 1
    descs = ctx["desc"]
    if ctx["ok"]:  # a formula in the prose would be a second program, usually a wrong one
        descs = [d for d in descs if not re.search(r"[=*^]", d)] or ["this operation"]
    desc = rng.choice(descs)
    one_line = "; ".join(stmts)
    block = "\n".join(stmts)
    plain = all(not re.search(r"=>|\bsum\(|select|\bmax\(|\bmin\(|:=", s) for s in stmts) and all(
        re.match(r"\s*[A-Za-z_][\w.]*\([^()]*\)\s*(\+|\*)?=", s) for s in stmts)

    def bare():
        return rng.choice([block, one_line]) if multi else stmts[0]

    def fence_taco():
        return f"```taco\n{block}\n```"

    def fence_plain():
        return f"```\n{block}\n```"

    def inline_code():
        return f"`{one_line}`"

    def prose_colon():
        lead = rng.choice(["The kernel computes {d}", "This is {d}", "This computes {d}",
                           "The function computes {d}", "It's {d}"]).format(d=desc)
        return f"{lead}: {one_line}" if not multi else f"{lead}:\n{block}"

    def prose_fence():
        intro = rng.choice([
            "This function computes {d}. In TACO index notation:",
            "The loop nest computes {d}. The equivalent TACO expression is:",
            "Here is the TACO index notation for this kernel:",
            "In TACO, this is:",
            "This is {d}, which in TACO index notation is written as:",
            "Looking at the loops, this is {d}. Translated to TACO:",
            "The C code computes {d}. In tensor index notation:",
            "TACO index notation:",
            "Sure! The kernel computes {d}.",
        ]).format(d=desc)
        tag = rng.choice(["", "taco", "", "text"])
        return f"{intro}\n\n```{tag}\n{block}\n```"

    def fence_explain():
        return f"```\n{block}\n```\n\n{explanation(stmts, rng, ctx['scalar'])}"

    def labelled():
        label = rng.choice(["TACO:", "Answer:", "Index notation:", "**TACO index notation:**",
                            "TACO expression:", "Result:", "TACO index notation:"])
        return f"{label} {one_line}" if not multi else f"{label}\n{block}"

    def sentence():
        return rng.choice([
            "In TACO index notation this is {f}.",
            "So the TACO expression is `{f}`.",
            "The TACO equivalent is `{f}`",
            "This translates to {f}",
            "In index notation: {f}",
        ]).format(f=one_line)

    def cpp_api():
        seen: list[str] = []
        for s in stmts:
            lhs, rhs = index_vars(s)
            for v in lhs + rhs:
                if v not in seen and re.fullmatch(r"[a-z]\w?", v):
                    seen.append(v)
        decl = f"IndexVar {', '.join(seen)};\n" if seen else ""
        body = "\n".join(s.rstrip(";") + ";" for s in stmts)
        return f"```cpp\n{decl}{body}\n```"

    def pytaco():
        body = "\n".join(bracketed(s) for s in stmts)
        return rng.choice(["Using the Python API:\n\n", "In pytaco:\n", ""]) + f"```python\n{body}\n```"

    def latexish():
        return f"${one_line}$"

    def numbered():
        marks = rng.choice([["1.", "2.", "3.", "4."], ["-", "-", "-", "-"], ["1)", "2)", "3)", "4)"]])
        intro = rng.choice(["The kernel has {n} steps:\n", "Two index expressions:\n", "",
                            "In TACO this needs {n} statements:\n"]).format(n=len(stmts))
        return intro + "\n".join(f"{marks[k]} {s}" for k, s in enumerate(stmts))

    def heading():
        return rng.choice(["**Translation**\n\n`{f}`\n\n{e}", "### TACO\n\n```\n{b}\n```\n\n{e}",
                           "{f}\n\n{e}"]).format(f=one_line, b=block,
                                                 e=explanation(stmts, rng, ctx["scalar"]))

    def structured():
        outs, idx, red = [], [], []
        for st in stmts:
            m = re.match(r"\s*([A-Za-z_][\w.]*)", st)
            if m and "=" in st and m.group(1) not in outs:
                outs.append(m.group(1))
            lhs, rhs = index_vars(st)
            for v in lhs + rhs:
                if v not in idx and len(v) <= 2:
                    idx.append(v)
            red += [v for v in reductions(st) if v not in red]
        lines = [rng.choice(["**Analysis**", "Breaking it down:", "Let me analyze the loops:"])]
        lines.append(f"- Output: {', '.join(outs) or 'a scalar'}")
        if idx:
            lines.append(f"- Loop indices: {', '.join(idx)}")
        lines.append(f"- Reduction: {', '.join(red) if red else 'none'}")
        if multi:
            return "\n".join(lines) + f"\n\n**TACO:**\n```\n{block}\n```"
        return "\n".join(lines) + f"\n\n**TACO:** `{one_line}`"

    def indented():
        return "The TACO index notation is:\n\n" + "\n".join("    " + s for s in stmts)

    styles = [(bare, 14), (fence_taco, 6), (fence_plain, 5), (prose_colon, 5), (prose_fence, 8),
              (fence_explain, 4), (labelled, 4), (sentence, 3), (heading, 3), (indented, 1),
              (structured, 3)]
    if not multi:
        styles += [(inline_code, 3), (latexish, 1)]
    else:
        styles += [(numbered, 6)]
    if plain:
        styles += [(cpp_api, 2)]
        if not re.search(r"\.|\b(?:from|in|to|lambda|is)\(", block):
            styles += [(pytaco, 1)]
    fns, weights = zip(*styles)
    return rng.choices(fns, weights)[0]()


def escape(text: str) -> str:
    assert "\\n" not in text, text
    return text.strip().replace("\r", "").replace("\n", "\\n")


def unescape(line: str) -> str:
    return line.replace("\\n", "\n")


def seed_of(key: str) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest()[:12], 16)


def pick(entries: list[Entry], n: int, rng: random.Random) -> list[Entry]:
    """n entries: every one once while they last (the first ones more often), then repeats."""
    if n <= 0 or not entries:
        return []
    weights = [3.0 if k == 0 else 1.5 if k == 1 else 1.0 for k in range(len(entries))]
    out: list[Entry] = []
    pool = list(range(len(entries)))
    while len(out) < n:
        if pool and rng.random() < 0.7:
            k = rng.choices(pool, [weights[p] for p in pool])[0]
            pool.remove(k)
        else:
            k = rng.choices(range(len(entries)), weights)[0]
        out.append(entries[k])
    return out


def generate(key: str, meta: dict) -> list[tuple[str, Entry]]:
    spec = SPECS[key]
    rng = random.Random(seed_of(key))
    fixed = list(spec.verbatim)
    n_ok_fixed = sum(e.ok for e in fixed)
    n_bad_fixed = len(fixed) - n_ok_fixed
    chosen = fixed + pick(spec.ok, spec.n_ok - n_ok_fixed, rng) + pick(
        spec.bad, N_ANSWERS - spec.n_ok - n_bad_fixed, rng)
    rng.shuffle(chosen)
    out = []
    for e in chosen:
        ctx = {"desc": spec.desc, "scalar": meta["returns"] is not None, "ok": e.ok}
        text = e.text if e.verbatim else dress(e.text, ctx, rng)
        out.append((escape(text), e))
    return out


# ---------------------------------------------------------------- meaning of an answer

ALIASES = {"select": "where", "fmaxf": "max", "fmax": "max", "fminf": "min", "fmin": "min", "expf": "exp",
           "sqrtf": "sqrt", "fabs": "abs", "fabsf": "abs"}


def _split_top(s: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in s:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts


def _drop_sums(s: str) -> str:
    """`sum(j, e)` and `sum(e)` -> `(e)`; `sum(r,q,p)` (all plain names) is an access."""
    out = ""
    i = 0
    while i < len(s):
        m = re.compile(r"\bsum\(").search(s, i)
        if not m:
            out += s[i:]
            break
        out += s[i:m.start()]
        depth, j = 0, m.end() - 1
        while True:
            if s[j] == "(":
                depth += 1
            elif s[j] == ")":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        args = _split_top(s[m.end():j])
        if all(re.fullmatch(r"\s*[A-Za-z_]\w*\s*", a) for a in args):
            out += s[m.start():j + 1]
        else:
            out += "(" + _drop_sums(args[-1]) + ")"
        i = j + 1
    return out


def normalise(core: str) -> list[str]:
    """The statements of a formula in tensorlift's notation (`select` read as `where`)."""
    out = []
    for s in statements(core):
        s = s.rstrip(";").strip()
        s = re.sub(r"\b(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)[fF]\b", r"\1", s)
        for a, b in ALIASES.items():
            s = re.sub(rf"\b{a}\(", f"{b}(", s)
        s = re.sub(r"\b([A-Za-z_]\w*)\(\)", r"\1", s)
        if "=>" in s:
            s = "_ = " + s.split("=>")[0].strip()
        s = s.replace(":=", "=")
        m = re.match(r"(.*?)\s*([-*/])=(?!=)\s*(.*)", s)
        if m and not re.search(r"[<>!=]$", m.group(1)):
            s = f"{m.group(1)} = {m.group(1)} {m.group(2)} ({m.group(3)})"
        if not re.search(r"(?<![=<>!+])=(?!=)|\+=", s):
            s = "_ = " + s
        out.append(_drop_sums(s))
    return out


def make_env(meta: dict, rng: np.random.Generator) -> dict:
    params = meta["params"]
    dims = [p["name"] for p in params if p["kind"] == "scalar" and p.get("role") == "dimension"]
    sizes: dict[str, int] = {}
    free = list(rng.permutation(np.arange(3, 3 + max(len(dims), 1) + 5)))
    for group in meta.get("tied_sizes", []):
        v = int(free.pop())
        for d in group:
            sizes[d] = v
    for d in dims:
        if d not in sizes:
            sizes[d] = int(free.pop())
    env: dict = {}
    for p in params:
        name, dt = p["name"], p["dtype"]
        if p["kind"] == "scalar":
            if p.get("role") == "dimension":
                env[name] = np.int64(sizes[name])
            elif p.get("role") == "stride":
                env[name] = np.int64(1)
            elif carith.is_int(dt):
                env[name] = np.int64(rng.integers(-64, 256))
            else:
                env[name] = np.float64(rng.uniform(-2, 2))
            continue
        shape = tuple(parse_affine(s).eval(sizes) for s in p["shape"])
        if carith.is_int(dt):
            vals = rng.integers(-64, 256, size=shape)
            vals = np.where(rng.random(shape) < 0.12, 0, vals)
            env[name] = np.array(vals, dtype=np.int64)
        else:
            env[name] = rng.uniform(-2, 2, size=shape)
    return env


def run(stmts_text: list[str], meta: dict, env: dict):
    """Final env after the statements, and the names they wrote (renamed to the kernel's)."""
    params = {p["name"] for p in meta["params"]}
    ret = meta["function"] if meta["returns"] is not None else None
    rename = {}
    for p in params:
        if p.endswith(".vals"):
            base = p[:-5]
            rename[base] = p
            rename[base + "_vals"] = p
    text = "; ".join(stmts_text)
    if ret:
        for s in stmts_text:
            m = re.match(r"\s*([A-Za-z_]\w*)\s*(\+=|=)", s)
            if m and m.group(1) not in params:
                rename[m.group(1)] = ret
        rename["_"] = ret
    text = re.sub(r"(?<![\w.])([A-Za-z_]\w*)(?![\w.\[])",
                  lambda m: rename.get(m.group(1), m.group(1)), text)
    program = parse_program(text)
    defined = set(env)
    for st in program.statements:
        if st.accumulate and st.lhs.name not in defined:   # tensorlift would start from 0
            raise ValueError(f"{st} adds to {st.lhs.name}, which has no value yet")
        defined.add(st.lhs.name)
    dtypes = {p["name"]: p["dtype"] for p in meta["params"]}
    if ret:
        dtypes[ret] = meta["returns"]["dtype"]
    return {**env, **evaluate(program, env, dtypes)}, [st.lhs.name for st in program.statements]


def outputs_equal(a: dict, b: dict, names) -> bool:
    for n in names:
        if n not in a or n not in b:
            return False
        x, y = np.asarray(a[n], dtype=np.float64), np.asarray(b[n], dtype=np.float64)
        if x.shape != y.shape or not np.allclose(x, y, rtol=1e-7, atol=1e-9, equal_nan=True):
            return False
    return True


def judge(stmts_text: list[str], meta: dict, trials: int = 6) -> str:
    """'same' (same outputs, only the kernel's tensors written), 'equivalent' (same outputs,
    temporaries of its own), or 'different' (anything else, errors included)."""
    params = [p["name"] for p in meta["params"]]
    arrays = [p["name"] for p in meta["params"] if p["kind"] == "array"]
    ret = meta["function"] if meta["returns"] is not None else None
    compared = arrays + ([ret] if ret else [])
    verdict = "same"
    for t in range(trials):
        rng = np.random.default_rng(1000 + t)
        env = make_env(meta, rng)
        with np.errstate(all="ignore"):
            want, _ = run(normalise(meta["program"]), meta, env)
            try:
                got, written = run(stmts_text, meta, env)
            except Exception:
                return "different"
        if not outputs_equal(want, got, compared):
            return "different"
        if any(w not in params and w != ret for w in written):
            verdict = "equivalent"
    return verdict


def tool_reading(line: str, meta: dict) -> list[str]:
    """What tensorlift's answer parser reads, each program judged."""
    from tensorlift.llm.answers import parse_answer
    verdicts = []
    for prog in parse_answer(unescape(line)):
        verdicts.append(judge([str(s) for s in prog.statements], meta))
    return verdicts


# ---------------------------------------------------------------- main

def _tool_can_read(sem: str) -> bool:
    from tensorlift.taco.parse import parse_program
    try:
        parse_program("; ".join(normalise(sem)))
        return True
    except Exception:
        return False


def check(write_files: bool) -> int:
    metas = kernels()
    missing = sorted(set(metas) - set(SPECS))
    extra = sorted(set(SPECS) - set(metas))
    if missing or extra:
        print("no spec for", missing, "; spec without kernel", extra)
        return 1
    problems, warnings = [], []
    correct: dict[str, list[int]] = {}
    equivalent: dict[str, list[int]] = {}
    for key, meta in metas.items():
        answers = generate(key, meta)
        path = HERE / f"{key}.txt"
        text = "".join(a + "\n" for a, _ in answers)
        if write_files:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        if not path.exists() or path.read_text() != text:
            problems.append(f"{key}: the file differs from what specs.py gives")
            continue
        lines = path.read_text().split("\n")[:-1]
        if len(lines) != N_ANSWERS or any(not ln.strip() for ln in lines):
            problems.append(f"{key}: {len(lines)} lines, or an empty one")
            continue
        spec = SPECS[key]
        ok_lines, eq_lines = [], []
        for n, (line, e) in enumerate(answers):
            verdict = judge(normalise(e.sem), meta) if e.sem is not None else "different"
            if e.ok:
                ok_lines.append(n)
                if verdict != "same":
                    problems.append(f"{key}:{n}: marked correct but {verdict}: {e.sem!r}")
            elif verdict == "same" and not e.alt:
                problems.append(f"{key}:{n}: marked wrong but computes the same: {e.sem!r}")
            elif verdict == "different" and e.alt:
                problems.append(f"{key}:{n}: marked equivalent but differs: {e.sem!r}")
            if not e.ok and verdict in ("same", "equivalent"):
                eq_lines.append(n)
            tool = tool_reading(line, meta)
            readable = e.sem is not None and _tool_can_read(e.sem)
            if e.ok and readable and (not tool or any(v != "same" for v in tool)):
                warnings.append(f"{key}:{n}: correct, but the parser reads {tool}: {line[:100]}")
            if not e.ok and "same" in tool and not e.alt and not e.hedge:
                warnings.append(f"{key}:{n}: wrong, but the parser reads a right program: {line[:100]}")
        lo, hi = (1, 3) if key in HARD else (4, 7)
        if not lo <= len(ok_lines) <= hi:
            problems.append(f"{key}: {len(ok_lines)} correct, want {lo}..{hi}")
        if len(ok_lines) != spec.n_ok:
            problems.append(f"{key}: {len(ok_lines)} correct, spec says {spec.n_ok}")
        correct[key] = ok_lines
        if eq_lines:
            equivalent[key] = eq_lines
    for w in warnings:
        print("warning:", w)
    for p in problems:
        print("PROBLEM:", p)
    readme = HERE / "README.md"
    text = readme.read_text()
    start, end = text.index("<!-- counts -->"), text.index("<!-- /counts -->")
    rows = ["<!-- counts -->", "", "| file | correct | correct lines (0-based) | equivalent lines |",
            "| --- | --- | --- | --- |"]
    for key in sorted(correct):
        mark = " *" if key in HARD else ""
        rows.append(f"| {key}{mark} | {len(correct[key])} | {', '.join(map(str, correct[key]))} | "
                    f"{', '.join(map(str, equivalent.get(key, []))) or '-'} |")
    total = sum(len(v) for v in correct.values())
    rows += ["", f"Total: {len(correct)} files, {total} correct answers of {len(correct) * N_ANSWERS}, "
             f"{sum(len(v) for v in equivalent.values())} equivalent; hard files: {len(HARD)}.", ""]
    new_readme = text[:start] + "\n".join(rows) + text[end:]
    if write_files:
        readme.write_text(new_readme)
    elif new_readme != text:
        problems.append("the counts in README.md differ from the check")
        print("PROBLEM:", problems[-1])
    for name, data in (("correct.json", correct), ("equivalent.json", equivalent)):
        text = json.dumps(data, indent=1, sort_keys=True) + "\n"
        if write_files:
            (HERE / name).write_text(text)
        elif not (HERE / name).exists() or (HERE / name).read_text() != text:
            problems.append(f"{name} differs from the check")
            print("PROBLEM:", problems[-1])
    total = sum(len(v) for v in correct.values())
    print(f"{len(correct)} files, {total} correct answers of {len(correct) * N_ANSWERS}, "
          f"{sum(len(v) for v in equivalent.values())} equivalent, {len(problems)} problems, "
          f"{len(warnings)} warnings")
    return 1 if problems else 0


def main(argv: list[str]) -> int:
    return check(write_files="--check" not in argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
