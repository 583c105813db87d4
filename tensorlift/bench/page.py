"""The HTML batch report: one self-contained page (inline CSS, JS and SVG, nothing fetched).

- a summary (counts, median / 95th percentile seconds, wall clock vs sum of kernel times);
- a table of kernels, sortable by clicking a header (click again to reverse); the page can
  also be opened sorted with `#sort=COLUMN` or `#sort=-COLUMN` (e.g. `report.html#sort=-seconds`);
- under each kernel a <details> row with its C source (escaped) beside its lifted program;
- a cactus plot (svg#cactus): kernels solved against the time each took, log time axis.
"""
from __future__ import annotations

import html
import math
from typing import Optional

from .records import SourceCache, field_names, proof_scope, scope_counts, summarize, verdict, verdict_detail

COLUMNS = (  # (key, header, numeric)
    ("index", "#", True),
    ("file", "file", False),
    ("function", "function", False),
    ("status", "status", False),
    ("verification", "verification", False),
    ("seconds", "seconds", True),
    ("candidates", "candidates", True),
    ("program", "program", False),
    ("error", "why not lifted or not proved", False),
)


def esc(x) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def _num(x) -> Optional[float]:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


# ---------------------------------------------------------------- cactus plot


def _nice_step(span: float, target: int = 8) -> int:
    raw = max(1.0, span / target)
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return int(m * mag)
    return int(10 * mag)


def _fmt_time(t: float) -> str:
    if t >= 1:
        return f"{t:g} s"
    if t >= 0.001:
        return f"{t * 1000:g} ms"
    return f"{t * 1e6:g} µs"


def cactus_svg(records: list[dict], width: int = 680, height: int = 380) -> str:
    """Kernels solved (x) against seconds per kernel (y, log scale): for each series the
    k-th point is the k-th fastest solved kernel. Series: lifted, and proved."""
    series = [
        ("lifted", "#2b7bb9", sorted(max(_num(r.get("seconds")) or 0.0, 1e-3)
                                     for r in records if r.get("status") == "lifted")),
        ("proved", "#2a9d5c", sorted(max(_num(r.get("seconds")) or 0.0, 1e-3)
                                     for r in records if r.get("status") == "lifted"
                                     and r.get("verification") == "proved")),
    ]
    left, right, top, bottom = 70, 20, 34, 52
    pw, ph = width - left - right, height - top - bottom
    total = max(len(records), 1)
    times = [t for _, _, ts in series for t in ts]
    lo_e = math.floor(math.log10(min(times))) if times else -1
    hi_e = math.ceil(math.log10(max(times))) if times else 1
    if hi_e <= lo_e:
        hi_e = lo_e + 1

    def sx(k: float) -> float:
        return left + pw * k / total

    def sy(t: float) -> float:
        return top + ph * (1 - (math.log10(t) - lo_e) / (hi_e - lo_e))

    out = [f'<svg id="cactus" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="cactus-title">',
           '<title id="cactus-title">Cactus plot: kernels solved against seconds per kernel</title>',
           f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="#fafafa" stroke="#999"/>']
    # y axis: decades, with minor ticks at 2..9
    for e in range(lo_e, hi_e + 1):
        y = sy(10.0 ** e)
        out.append(f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{esc(_fmt_time(10.0 ** e))}</text>')
        if e < hi_e:
            for m in range(2, 10):
                ym = sy(m * 10.0 ** e)
                out.append(f'<line x1="{left - 3}" y1="{ym:.1f}" x2="{left}" y2="{ym:.1f}" stroke="#999"/>')
    # x axis: kernel counts
    step = _nice_step(total)
    for k in range(0, total + 1, step):
        x = sx(k)
        out.append(f'<line x1="{x:.1f}" y1="{top + ph}" x2="{x:.1f}" y2="{top + ph + 4}" stroke="#555"/>')
        out.append(f'<text x="{x:.1f}" y="{top + ph + 17}" text-anchor="middle" font-size="11">{k}</text>')
    out.append(f'<text x="{left + pw / 2:.1f}" y="{height - 10}" text-anchor="middle" font-size="13">'
               f'kernels solved (of {len(records)})</text>')
    out.append(f'<text x="16" y="{top + ph / 2:.1f}" text-anchor="middle" font-size="13" '
               f'transform="rotate(-90 16 {top + ph / 2:.1f})">seconds per kernel (log scale)</text>')
    out.append(f'<text x="{left + pw / 2:.1f}" y="20" text-anchor="middle" font-size="14" font-weight="bold">'
               f'Cactus plot</text>')
    for name, color, ts in series:
        if not ts:
            continue
        pts = " ".join(f"{sx(k + 1):.1f},{sy(t):.1f}" for k, t in enumerate(ts))
        out.append(f'<polyline class="series series-{name}" fill="none" stroke="{color}" stroke-width="2" points="{pts}"/>')
        for k, t in enumerate(ts):
            out.append(f'<circle cx="{sx(k + 1):.1f}" cy="{sy(t):.1f}" r="3" fill="{color}">'
                       f'<title>{name} #{k + 1}: {t:.3f} s</title></circle>')
    if not times:
        out.append(f'<text x="{left + pw / 2:.1f}" y="{top + ph / 2:.1f}" text-anchor="middle" '
                   f'font-size="13" fill="#777">no kernel lifted yet</text>')
    # legend
    lx, ly = left + 12, top + 14
    for i, (name, color, ts) in enumerate(series):
        y = ly + 16 * i
        out.append(f'<line x1="{lx}" y1="{y - 4}" x2="{lx + 18}" y2="{y - 4}" stroke="{color}" stroke-width="2"/>')
        out.append(f'<text x="{lx + 24}" y="{y}" font-size="11">{name} ({len(ts)})</text>')
    out.append("</svg>")
    return "\n".join(out)


# ---------------------------------------------------------------- page

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; margin-bottom: .2em; }
.meta { color: #666; margin-top: 0; }
.summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: .5em; max-width: 1000px; }
.summary div { background: #f3f5f8; border-radius: 6px; padding: .5em .8em; }
.summary b { display: block; font-size: 1.3em; }
table#kernels { border-collapse: collapse; margin-top: 1em; font-size: .9em; width: 100%; }
#kernels th { background: #e8ecf1; cursor: pointer; user-select: none; text-align: left; padding: .35em .5em; position: sticky; top: 0; }
#kernels th.asc::after { content: " \\25B2"; } #kernels th.desc::after { content: " \\25BC"; }
#kernels td { padding: .3em .5em; border-top: 1px solid #ddd; vertical-align: top; overflow-wrap: anywhere; }
#kernels td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
#kernels td.file { min-width: 8em; overflow-wrap: normal; }
#kernels tr.detail td { border-top: none; padding-top: 0; }
#kernels td.program { min-width: 16em; }
#kernels td.verification { white-space: nowrap; }
#kernels code { font-size: .95em; white-space: pre-wrap; }
.status { border-radius: 4px; padding: 0 .4em; font-weight: 600; white-space: nowrap; }
.status-proved { background: #d8f0df; color: #1d6b39; } .status-unproved { background: #fff3c4; color: #6b5200; }
.status-failed { background: #fbe8c8; color: #8a5300; }
.status-error, .status-interrupted { background: #f8d7d7; color: #9b1c1c; }
.error { color: #9b1c1c; min-width: 14em; }
.unproved { color: #6b5200; }
details summary { cursor: pointer; color: #2b5fa0; font-size: .9em; }
.pair { display: flex; gap: 1em; flex-wrap: wrap; margin: .4em 0 .8em; }
.pair > div { flex: 1 1 30em; min-width: 0; }
.pair h3 { font-size: .85em; margin: .2em 0; color: #555; }
pre { background: #f6f8fa; border: 1px solid #e1e4e8; border-radius: 4px; padding: .5em; overflow: auto; max-height: 30em; margin: 0; }
"""

JS = r"""
(function () {
  var table = document.getElementById("kernels");
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  function key(row, col, numeric) {
    var cell = row.cells[col];
    var v = cell.getAttribute("data-v");
    if (v === null) v = cell.textContent;
    if (numeric) { var f = parseFloat(v); return isNaN(f) ? -Infinity : f; }
    return v;
  }
  function sortBy(col, dir) {
    var numeric = heads[col].getAttribute("data-type") === "num";
    var rows = Array.prototype.slice.call(body.querySelectorAll("tr.kernel"));
    rows.sort(function (a, b) {
      var x = key(a, col, numeric), y = key(b, col, numeric), c;
      if (numeric) c = x < y ? -1 : x > y ? 1 : 0;
      else c = String(x).localeCompare(String(y), undefined, {numeric: true});
      if (c === 0) c = parseInt(a.getAttribute("data-index")) - parseInt(b.getAttribute("data-index"));
      return dir * c;
    });
    rows.forEach(function (r) {
      var d = document.getElementById("detail-" + r.getAttribute("data-index"));
      body.appendChild(r);
      if (d) body.appendChild(d);
    });
    for (var i = 0; i < heads.length; i++) heads[i].classList.remove("asc", "desc");
    heads[col].classList.add(dir > 0 ? "asc" : "desc");
    table.setAttribute("data-sorted", heads[col].getAttribute("data-key") + (dir > 0 ? "" : ":desc"));
  }
  for (var i = 0; i < heads.length; i++) {
    (function (col) {
      heads[col].addEventListener("click", function () {
        sortBy(col, heads[col].classList.contains("asc") ? -1 : 1);
      });
    })(i);
  }
  var m = /sort=(-?)([a-z_]+)/.exec(location.hash || "");
  if (m) {
    for (var j = 0; j < heads.length; j++)
      if (heads[j].getAttribute("data-key") === m[2]) sortBy(j, m[1] ? -1 : 1);
  }
})();
"""


STATUS_CLASS = {"lifted, proved": "proved", "lifted, not proved": "unproved"}


def why_not(rec: dict) -> str:
    """Why a kernel was not lifted (its error, or what the search did), or why a lifted
    one is not proved."""
    return "" if verdict(rec) == "lifted, proved" else verdict_detail(rec)


def _verification(rec: dict) -> str:
    if rec.get("verification") == "proved":
        return f"proved ({proof_scope(rec).replace('<=', '≤')})"
    return {"not-run": "not run"}.get(rec.get("verification"), rec.get("verification") or "")


def _cell(key: str, rec: dict, index: int) -> str:
    v = rec.get(key)
    if key == "index":
        return f'<td class="num" data-v="{index}">{index}</td>'
    if key == "seconds":
        f = _num(v)
        return f'<td class="num" data-v="{"" if f is None else f}">{"" if f is None else f"{f:.2f}"}</td>'
    if key == "candidates":
        f = _num(v)
        return f'<td class="num" data-v="{"" if f is None else f}">{esc(v)}</td>'
    if key == "status":
        s = verdict(rec)
        return (f'<td data-v="{esc(s)}"><span class="status status-{STATUS_CLASS.get(s, esc(s))}">'
                f'{esc(s)}</span></td>')
    if key == "program":
        return f'<td class="program"><code>{esc(v)}</code></td>' if v else '<td class="program"></td>'
    if key == "error":
        cls = "unproved" if rec.get("status") == "lifted" else "error"
        return f'<td class="{cls}">{esc(why_not(rec))}</td>'
    if key == "verification":
        return f'<td class="verification">{esc(_verification(rec))}</td>'
    if key == "function":        # a region as `function:START-END`
        v = f"{v}:{rec['region']}" if v is not None and rec.get("region") else v
        return f'<td><code>{esc(v)}</code></td>' if v is not None else '<td data-v=""><i>(file)</i></td>'
    if key == "file":       # long paths wrap after a slash
        return f'<td class="file" data-v="{esc(v)}">{esc(v).replace("/", "/<wbr>")}</td>'
    return f"<td>{esc(v)}</td>"


def _detail(rec: dict, index: int, sources: SourceCache) -> str:
    src = sources.function_text(str(rec.get("file", "")), rec.get("function"), rec.get("region"))
    if rec.get("program"):
        right = f'<pre class="program">{esc(rec["program"])}</pre>'
    else:
        why = why_not(rec) or rec.get("status") or ""
        right = f'<pre class="program none">(not lifted) {esc(why)}</pre>'
    extra = [k for k in field_names([rec]) if k not in {c for c, _, _ in COLUMNS} | {"code"}
             and rec.get(k) is not None]
    more = "".join(f"<div>{esc(k)}: {esc(rec[k])}</div>" for k in extra)
    more += "".join(f'<h3>{esc(t)} code (checked on the examples)</h3><pre class="code">{esc(c)}</pre>'
                    for t, c in (rec.get("code") or {}).items())
    return (f'<tr class="detail" id="detail-{index}"><td colspan="{len(COLUMNS)}"><details>'
            f'<summary>C source and lifted program</summary><div class="pair">'
            f'<div><h3>C source: {esc(rec.get("file"))}</h3><pre class="source">'
            f'{esc(src) if src is not None else "(source file not readable)"}</pre></div>'
            f'<div><h3>lifted program</h3>{right}<div class="fields">{more}</div></div>'
            f'</div></details></td></tr>')


def render_html(records: list[dict], meta: dict, sources: SourceCache) -> str:
    s = summarize(records)
    n = s["kernels"]
    total = meta.get("total")
    done = n - s["interrupted"]
    state = ("complete" if meta.get("complete") else
             f"interrupted after {done} of {n} kernels (--resume continues)" if meta.get("interrupted") else
             f"in progress: {n} of {total} kernels" if total else "in progress")

    def box(label, value):
        return f"<div>{esc(label)}<b>{esc(value)}</b></div>"

    def pct(k):
        return f"{s[k]}" + (f" ({100.0 * s[k] / n:.0f}%)" if n else "")

    def secs(x):
        return "-" if x is None else f"{x:.2f} s"

    scopes = scope_counts(s)
    boxes = [box("kernels", n), box("lifted", pct("lifted")),
             box("verified (proved)" + (f": {scopes}" if scopes else ""), pct("verified")),
             box("lifted, not proved", pct("unproved")), box("failed", pct("failed")), box("errors", pct("errors")),
             *([box("interrupted", pct("interrupted"))] if s["interrupted"] else []),
             box("median per kernel", secs(s["median_seconds"])),
             box("95th percentile", secs(s["p95_seconds"])),
             box("sum of kernel times", secs(s["total_kernel_seconds"]))]
    wall = meta.get("wall_seconds")
    if wall is not None:
        boxes.append(box("wall clock", secs(wall)))
        busy = meta.get("busy_seconds")
        if busy and wall > 0:
            boxes.append(box("workers busy", secs(busy)))
            boxes.append(box("parallel speed-up", f"{busy / wall:.1f}x"))
    opts = ", ".join(f"{k} {meta[k]}" for k in ("jobs", "timeout", "guide") if meta.get(k) is not None)
    heads = "".join(f'<th data-key="{k}" data-type="{"num" if num else "text"}" title="sort by {esc(h)}">{esc(h)}</th>'
                    for k, h, num in COLUMNS)
    rows = []
    for i, rec in enumerate(records, 1):
        rows.append(f'<tr class="kernel" data-index="{i}" data-status="{esc(rec.get("status"))}">'
                    + "".join(_cell(k, rec, i) for k, _, _ in COLUMNS) + "</tr>")
        rows.append(_detail(rec, i, sources))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tensorlift bench report</title>
<style>{CSS}</style>
</head>
<body>
<h1>tensorlift bench report</h1>
<p class="meta" id="state">{esc(state)}{esc(" · " + meta["generated"]) if meta.get("generated") else ""}{esc(" · " + opts) if opts else ""}</p>
<section class="summary" id="summary">
{"".join(boxes)}
</section>
<h2>Cactus plot</h2>
<figure>
{cactus_svg(records)}
<figcaption>Each point is a kernel; the k-th point of a line is the k-th fastest kernel solved.</figcaption>
</figure>
<h2>Kernels</h2>
<p class="meta">Click a column header to sort (again to reverse); open a row's details for its C source and lifted program.</p>
<table id="kernels">
<thead><tr>{heads}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<script>{JS}</script>
</body>
</html>
"""
