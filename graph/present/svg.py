"""Small static SVG charts and a network picture for reports (no scripts, no fonts to load).

Every function returns ``markupsafe.Markup`` so a Jinja2 template with autoescape can place it
as it is; every text from the data passes ``markupsafe.escape`` on the way in. Charts are sized
for a column of an A4 page and carry an ``aria-label`` that says what they show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from graph.i18n import N_, translator
from graph.present.palette import ACTION_COLOR, CUT_POINT_COLOR, UNKNOWN_COLOR

__all__ = [
    "TEXTS",
    "NetworkPicture",
    "column_chart",
    "hbar_chart",
    "line_chart",
    "network_svg",
    "observed_expected_chart",
    "people_number",
    "stacked_hbar_chart",
]

_FONT = "font-family='system-ui,Segoe UI,Roboto,sans-serif'"
_BAR = "#0072B2"
_MUTED = "#B8C2CC"
_TEXT = "#1D2430"

TEXTS = {
    "observed": N_("ties there are"),
    "expected": N_("ties expected"),
}


def people_number(value: float, lang: str | None = None) -> str:
    """A number as people read it in ``lang`` (None: the language in force): whole numbers
    without decimals and with thousands separators, fractions with at most one decimal (two
    below 1).

    >>> [people_number(v, "en") for v in (3.0, 1618, 77.84, 0.456, 12.0, 2.5)]
    ['3', '1,618', '77.8', '0.46', '12', '2.5']
    >>> [people_number(v, "sv") for v in (1618, 77.84, 0.456)]
    ['1\xa0618', '77,8', '0,46']
    """
    t = translator(lang)
    if isinstance(value, int) or float(value).is_integer():
        return t.number(int(value), 0)
    if abs(value) < 1:
        return t.number(value, 2)
    return t.number(value, 1) if abs(value) < 100 else t.number(value, 0)


def _svg(width: int, height: int, label: str, body: str) -> Markup:
    return Markup(
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' "
        f"width='{width}' height='{height}' role='img' aria-label='{escape(label)}' {_FONT}>"
        f"<title>{escape(label)}</title>{body}</svg>"
    )


def _clip(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def hbar_chart(
    rows: Sequence[tuple[str, float]],
    *,
    label: str,
    color: str = _BAR,
    highlight: Sequence[str] = (),
    width: int = 320,
) -> Markup:
    """Horizontal bars, one per ``(name, value)``, longest first as given; names in
    ``highlight`` are drawn in the action colour."""
    row_h, name_w, pad = 18, 150, 4
    height = row_h * len(rows) + 2 * pad
    top = max((v for _, v in rows), default=0.0) or 1.0
    bar_space = width - name_w - 44
    parts = []
    for i, (name, value) in enumerate(rows):
        y = pad + i * row_h
        w = max(1.0, bar_space * value / top) if value > 0 else 0.0
        fill = ACTION_COLOR if name in highlight else color
        parts.append(
            f"<text x='{name_w - 6}' y='{y + 13}' font-size='11' text-anchor='end' "
            f"fill='{_TEXT}'>{escape(_clip(name, 22))}</text>"  # 22 × ~6.3 px fit 144 px
            f"<rect x='{name_w}' y='{y + 3}' width='{w:.1f}' height='{row_h - 6}' fill='{fill}'/>"
            f"<text x='{name_w + w + 4:.1f}' y='{y + 13}' font-size='11' fill='{_TEXT}'>"
            f"{escape(people_number(value))}</text>"
        )
    return _svg(width, height, label, "".join(parts))


def observed_expected_chart(
    observed: float,
    expected: float,
    *,
    label: str,
    ci: tuple[float, float] | None = None,
    width: int = 320,
) -> Markup:
    """Two bars: the ties there are (action colour when fewer than expected) and the ties
    expected, with the range chance alone would give (``ci``) as a whisker on the second."""
    t = translator()
    names = (t.gettext(TEXTS["observed"]), t.gettext(TEXTS["expected"]))
    # room for the longer label in the language shown (11 px text: about 6.3 px a character)
    name_w, row_h = max(110, round(6.3 * max(map(len, names))) + 10), 26
    top = max(observed, expected, ci[1] if ci else 0.0) or 1.0
    space = width - name_w - 44

    def x(v: float) -> float:
        return name_w + space * v / top

    fill = ACTION_COLOR if observed < expected else _BAR
    body = [
        f"<text x='{name_w - 6}' y='17' font-size='11' text-anchor='end'>{escape(names[0])}</text>",
        f"<rect x='{name_w}' y='5' width='{x(observed) - name_w:.1f}' height='16' fill='{fill}'/>",
        f"<text x='{x(observed) + 4:.1f}' y='17' font-size='11'>"
        f"{escape(people_number(observed))}</text>",
        f"<text x='{name_w - 6}' y='{17 + row_h}' font-size='11' text-anchor='end'>"
        f"{escape(names[1])}</text>",
        f"<rect x='{name_w}' y='{5 + row_h}' width='{x(expected) - name_w:.1f}' height='16' "
        f"fill='{_MUTED}'/>",
        f"<text x='{x(max(expected, ci[1] if ci else 0)) + 4:.1f}' y='{17 + row_h}' "
        f"font-size='11'>{escape(people_number(expected))}</text>",
    ]
    if ci is not None:
        lo, hi, y = x(ci[0]), x(ci[1]), 13 + row_h
        body.append(
            f"<path d='M{lo:.1f} {y - 5}V{y + 5}M{lo:.1f} {y}H{hi:.1f}M{hi:.1f} {y - 5}V{y + 5}' "
            f"stroke='{_TEXT}' stroke-width='1.2' fill='none'/>"
        )
    return _svg(width, 2 * row_h + 4, label, "".join(body))


def column_chart(
    rows: Sequence[tuple[str, float, str | None]],
    *,
    label: str,
    width: int = 320,
    height: int = 120,
) -> Markup:
    """Vertical bars with their value on top and their name below (a histogram when the
    names are bins); the third item of a row is its colour (None: the default)."""
    if not rows:
        return _svg(width, 20, label, "")
    base, top_pad = height - 20, 14
    top = max(v for _, v, _ in rows) or 1.0
    slot = width / len(rows)
    bar_w = min(48.0, slot * 0.7)
    parts = []
    for i, (name, value, color) in enumerate(rows):
        h = (base - top_pad) * value / top
        cx = slot * i + slot / 2
        parts.append(
            f"<rect x='{cx - bar_w / 2:.1f}' y='{base - h:.1f}' width='{bar_w:.1f}' "
            f"height='{h:.1f}' fill='{color or _BAR}'/>"
            f"<text x='{cx:.1f}' y='{base - h - 3:.1f}' font-size='11' text-anchor='middle'>"
            f"{escape(people_number(value))}</text>"
            f"<text x='{cx:.1f}' y='{height - 5}' font-size='10.5' text-anchor='middle'>"
            f"{escape(_clip(name, int(slot / 6) or 1))}</text>"
        )
    parts.append(f"<path d='M0 {base}H{width}' stroke='{_MUTED}'/>")
    return _svg(width, height, label, "".join(parts))


def line_chart(
    xs: Sequence[object],
    ys: Sequence[float],
    *,
    label: str,
    width: int = 320,
    height: int = 120,
    mark_last: bool = True,
) -> Markup:
    """A line over categories ``xs`` (years), the first, largest and last values written."""
    if len(xs) < 2:
        return _svg(width, 20, label, "")
    pad_l, pad_r, base, top_pad = 8, 30, height - 18, 14
    top = max(ys) or 1.0
    step = (width - pad_l - pad_r) / (len(xs) - 1)
    pts = [(pad_l + i * step, base - (base - top_pad) * v / top) for i, v in enumerate(ys)]
    path = "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in pts)
    parts = [
        f"<path d='M0 {base}H{width}' stroke='{_MUTED}'/>",
        f"<path d='{path}' fill='none' stroke='{_BAR}' stroke-width='2'/>",
    ]
    peak = max(range(len(ys)), key=lambda i: ys[i])
    for i in sorted({0, peak, len(ys) - 1}):
        x, y = pts[i]
        anchor = "start" if i == 0 else "end" if i == len(ys) - 1 else "middle"
        parts.append(
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='2.5' fill='{_BAR}'/>"
            f"<text x='{x:.1f}' y='{y - 5:.1f}' font-size='11' text-anchor='{anchor}'>"
            f"{escape(people_number(ys[i]))}</text>"
        )
    ticks = sorted({0, len(xs) // 2, len(xs) - 1})
    for i in ticks:
        anchor = "start" if i == 0 else "end" if i == len(xs) - 1 else "middle"
        parts.append(
            f"<text x='{pts[i][0]:.1f}' y='{height - 4}' font-size='10.5' "
            f"text-anchor='{anchor}'>{escape(str(xs[i]))}</text>"
        )
    if mark_last:
        parts.append(
            f"<circle cx='{pts[-1][0]:.1f}' cy='{pts[-1][1]:.1f}' r='4' fill='none' "
            f"stroke='{ACTION_COLOR}' stroke-width='1.5'/>"
        )
    return _svg(width, height, label, "".join(parts))


def stacked_hbar_chart(
    rows: Sequence[tuple[str, Sequence[float]]],
    parts: Sequence[tuple[str, str]],
    *,
    label: str,
    width: int = 320,
) -> Markup:
    """One horizontal bar per row, split into ``parts`` (name, colour), with a legend; bars
    share one scale so their lengths compare."""
    row_h, name_w = 18, 120
    legend_h = 16
    top = max((sum(vs) for _, vs in rows), default=0.0) or 1.0
    space = width - name_w - 36
    body = []
    x = 0.0
    for name, color in parts:
        body.append(
            f"<rect x='{x:.1f}' y='3' width='9' height='9' fill='{color}'/>"
            f"<text x='{x + 12:.1f}' y='11.5' font-size='10.5'>{escape(name)}</text>"
        )
        x += 18 + 6.2 * len(name)
    for i, (name, values) in enumerate(rows):
        y = legend_h + i * row_h
        body.append(
            f"<text x='{name_w - 6}' y='{y + 13}' font-size='11' text-anchor='end'>"
            f"{escape(_clip(name, 18))}</text>"
        )
        x = float(name_w)
        for (_, color), v in zip(parts, values, strict=True):
            w = space * v / top
            if w > 0:
                body.append(
                    f"<rect x='{x:.1f}' y='{y + 3}' width='{w:.1f}' height='{row_h - 6}' "
                    f"fill='{color}'/>"
                )
            x += w
        body.append(
            f"<text x='{x + 4:.1f}' y='{y + 13}' font-size='11'>"
            f"{escape(people_number(sum(values)))}</text>"
        )
    return _svg(width, legend_h + row_h * len(rows) + 4, label, "".join(body))


@dataclass(frozen=True)
class NetworkPicture:
    """What the static network picture draws (positions in any unit; they are fitted)."""

    positions: Mapping[str, tuple[float, float]]
    edges: Sequence[tuple[str, str]]
    colors: Mapping[str, str]  # node → fill
    sizes: Mapping[str, float]  # node → radius in px
    labels: Mapping[str, str]  # the nodes that carry a label → its text
    rings: Sequence[str] = ()  # single points of failure: drawn with a dark ring
    group_of: Mapping[str, str] | None = None  # node → group, for the gap lines
    gaps: Sequence[tuple[str, str, str]] = ()  # (group, group, caption) joined by a dashed line
    legend: Sequence[tuple[str, str]] = ()  # (text, colour)
    title: str = ""  # drawn at the top when given (exports for slides)
    subtitle: str = ""  # the filter and the date, under the title


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _spread(
    pos: Mapping[str, tuple[float, float]], spread: float
) -> dict[str, tuple[float, float]]:
    """Positions in [0, 1]², each axis a blend of the linear position and its rank: a
    force layout packs the hubs into a dense core and pushes small parts to the rim, so a
    linear fit leaves most of the frame empty; ranks fill it evenly and keep the order.

    >>> _spread({"a": (0.0, 0.0), "b": (1.0, 1.0), "c": (100.0, 2.0)}, 0.5)["b"]
    (0.255, 0.5)
    """
    nodes = list(pos)
    out: dict[str, list[float]] = {v: [0.0, 0.0] for v in nodes}
    for axis in (0, 1):
        values = [pos[v][axis] for v in nodes]
        low, high = min(values), max(values)
        span = (high - low) or 1.0
        order = sorted(range(len(nodes)), key=lambda i: values[i])
        rank = [0.0] * len(nodes)
        for r, i in enumerate(order):
            rank[i] = r / (len(nodes) - 1) if len(nodes) > 1 else 0.5
        for i, v in enumerate(nodes):
            linear = (values[i] - low) / span if high > low else 0.5
            out[v][axis] = round((1 - spread) * linear + spread * rank[i], 6)
    return {v: (x, y) for v, (x, y) in out.items()}


def network_svg(
    picture: NetworkPicture,
    *,
    label: str,
    width: int = 700,
    height: int = 520,
    spread: float = 0.6,
) -> Markup:
    """The network as a static picture that fills its frame: ties as faint lines, actors as
    circles in their helix colour, top actors labelled (with a white halo so labels stay
    readable over lines), single points of failure ringed, and each gap between two groups as
    a dashed line between the groups' centres with its caption."""
    pos = picture.positions
    head_h = (22 if picture.title else 0) + (18 if picture.subtitle else 0)
    legend_h = head_h + (22 if picture.legend else 0)
    margin = 28
    if not pos:
        return _svg(width, 40, label, "<text x='10' y='24' font-size='12'>No actors.</text>")
    inner_w, inner_h = width - 2 * margin, height - 2 * margin - legend_h
    screen = {
        v: (margin + inner_w * x, legend_h + margin + inner_h * y)
        for v, (x, y) in _spread(pos, spread).items()
    }
    body = [f"<rect width='{width}' height='{height}' fill='#ffffff'/>"]
    lines = "".join(
        f"M{screen[a][0]:.1f} {screen[a][1]:.1f}L{screen[b][0]:.1f} {screen[b][1]:.1f}"
        for a, b in picture.edges
        if a in screen and b in screen
    )
    body.append(f"<path d='{lines}' stroke='#8C96A3' stroke-opacity='0.35' stroke-width='0.6'/>")
    order = sorted(screen, key=lambda v: picture.sizes.get(v, 3.0))
    for v in order:
        x, y = screen[v]
        r = picture.sizes.get(v, 3.0)
        body.append(
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{r:.1f}' "
            f"fill='{picture.colors.get(v, UNKNOWN_COLOR)}' stroke='#ffffff' stroke-width='0.6'/>"
        )
    for v in picture.rings:
        if v in screen:
            x, y = screen[v]
            r = picture.sizes.get(v, 3.0) + 3
            body.append(
                f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{r:.1f}' fill='none' "
                f"stroke='{CUT_POINT_COLOR}' stroke-width='1.6'/>"
            )
    if picture.group_of and picture.gaps:
        sums: dict[str, list[float]] = {}
        for v, (x, y) in screen.items():
            group = picture.group_of.get(v)
            if group is not None:
                acc = sums.setdefault(group, [0.0, 0.0, 0.0])
                acc[0] += x
                acc[1] += y
                acc[2] += 1
        centre = {g: (s[0] / s[2], s[1] / s[2]) for g, s in sums.items()}
        for a, b, caption in picture.gaps:
            if a in centre and b in centre:
                (x1, y1), (x2, y2) = centre[a], centre[b]
                body.append(
                    f"<path d='M{x1:.1f} {y1:.1f}L{x2:.1f} {y2:.1f}' stroke='{ACTION_COLOR}' "
                    "stroke-width='2.5' stroke-dasharray='7 5'/>"
                    f"<text x='{(x1 + x2) / 2:.1f}' y='{(y1 + y2) / 2 - 6:.1f}' font-size='11' "
                    f"text-anchor='middle' fill='{ACTION_COLOR}' stroke='#fff' stroke-width='3' "
                    f"paint-order='stroke' font-weight='600'>{escape(caption)}</text>"
                )
    placed: list[tuple[float, float, float, float]] = []
    for v, text in picture.labels.items():
        if v not in screen:
            continue
        shown = _clip(text, 34)
        x, y = screen[v]
        r = picture.sizes.get(v, 3.0)
        w, h = 5.8 * len(shown), 12.0
        candidates = [
            (x - w / 2, y - r - 3 - h),  # above
            (x - w / 2, y + r + 2),  # below
            (x + r + 3, y - h / 2),  # right
            (x - r - 3 - w, y - h / 2),  # left
        ]
        boxes = [
            (min(max(bx, 2.0), width - w - 2), min(max(by, legend_h + 2.0), height - h - 2))
            for bx, by in candidates
        ]
        bx, by = next(
            (b for b in boxes if not any(_overlap((*b, w, h), p) for p in placed)), boxes[0]
        )
        placed.append((bx, by, w, h))
        body.append(
            f"<text x='{bx:.1f}' y='{by + h - 2:.1f}' font-size='10.5' fill='{_TEXT}' "
            f"stroke='#fff' stroke-width='3' paint-order='stroke'>{escape(shown)}</text>"
        )
    if picture.title:
        body.append(
            f"<text x='4' y='17' font-size='16' font-weight='700' fill='{_TEXT}'>"
            f"{escape(picture.title)}</text>"
        )
    if picture.subtitle:
        body.append(
            f"<text x='4' y='{head_h - 4}' font-size='11' fill='#4b5565'>"
            f"{escape(picture.subtitle)}</text>"
        )
    x = 4.0
    for text, color in picture.legend:
        body.append(
            f"<circle cx='{x + 5:.1f}' cy='{head_h + 11}' r='5' fill='{color}'/>"
            f"<text x='{x + 14:.1f}' y='{head_h + 15}' font-size='11'>{escape(text)}</text>"
        )
        x += 26 + 6.3 * len(text)
    return _svg(width, height, label, "".join(body))
