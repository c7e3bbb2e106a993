"""One day's scheduler grid drawn as a PNG with Pillow, from the plain geometry of ``day_grid``.

The font is Roboto from the ``fontpkg-roboto`` package the project already ships (ReDoc uses
it), so no system font is needed; without it, Pillow's own scalable default font.
"""
import io

import fontpkg_roboto
from PIL import Image, ImageDraw, ImageFont

from .day_grid import day_grid

FONT_FILE = fontpkg_roboto.ROOT / "files" / "Roboto[wdth,wght].ttf"
TITLE_SIZE = 13
SMALL_SIZE = 11
HEADER_SIZE = 13
LINE = 15
PAD = 5
BACKGROUND = (255, 255, 255)
GRID = (234, 238, 242)
HEADER_FILL = (246, 248, 250)
INK = (36, 41, 47)
MUTED = (87, 96, 106)
ELLIPSIS = "…"
#: Darken a box's fill by this much for its outline.
OUTLINE_SHADE = 0.75


def _font(size):
    try:
        return ImageFont.truetype(str(FONT_FILE), size)
    except OSError:
        return ImageFont.load_default(size=size)


def _fit(text, font, width):
    """``text`` cut to ``width`` pixels, with an ellipsis when cut (a binary search on its length:
    titles run to 500 characters)."""
    if font.getlength(text) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if font.getlength(text[:middle].rstrip() + ELLIPSIS) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS


def wrap(text, font, width, lines):
    """``text`` in at most ``lines`` lines of at most ``width`` pixels, the last holding the rest,
    ellipsized."""
    words, result = text.split(), []
    while words and len(result) < lines - 1:
        count = 1
        while count < len(words) and font.getlength(" ".join(words[: count + 1])) <= width:
            count += 1
        result.append(" ".join(words[:count]))
        words = words[count:]
    if words and lines >= 1:
        result.append(" ".join(words))
    return [_fit(line, font, width) for line in result]


def _shade(color):
    return tuple(int(channel * OUTLINE_SHADE) for channel in color)


def _draw_frame(draw, grid, fonts):
    width, height = grid["size"]
    draw.rectangle((0, 0, width - 1, grid["hours"][0]["y"] - 1), fill=HEADER_FILL)
    for hour in grid["hours"]:
        draw.line((0, hour["y"], width, hour["y"]), fill=GRID)
        draw.text((PAD, hour["y"] + 2), hour["label"], font=fonts["small"], fill=MUTED)
    for room in grid["rooms"]:
        draw.line((room["x"], 0, room["x"], height), fill=GRID)
        name = _fit(room["name"], fonts["header"], grid["column"] - 2 * PAD)
        draw.text((room["x"] + PAD, PAD * 2), name, font=fonts["header"], fill=INK)


def _draw_bands(draw, grid, fonts):
    for band in grid["bands"]:
        left, top, right, bottom = band["rect"]
        draw.rectangle(band["rect"], fill=grid["break_fill"])
        if bottom - top >= LINE:
            title = _fit(band["title"], fonts["small"], right - left - 2 * PAD)
            draw.text((left + PAD, top + 1), title, font=fonts["small"], fill=grid["break_text"])


def _draw_boxes(draw, grid, fonts):
    for box in grid["boxes"]:
        left, top, right, bottom = box["rect"]
        draw.rectangle(box["rect"], fill=box["fill"], outline=_shade(box["fill"]))
        inner = right - left - 2 * PAD
        room_for = (bottom - top - PAD) // LINE
        if room_for < 1:
            continue
        draw.text((left + PAD, top + 2), _fit(box["time"], fonts["small"], inner), font=fonts["small"],
                  fill=box["text"])  # fmt: skip
        for number, line in enumerate(wrap(box["title"], fonts["title"], inner, room_for - 1), start=1):
            draw.text((left + PAD, top + 2 + number * LINE), line, font=fonts["title"], fill=box["text"])


def render_grid(grid):
    """PNG bytes of a ``day_grid`` geometry."""
    fonts = {"title": _font(TITLE_SIZE), "small": _font(SMALL_SIZE), "header": _font(HEADER_SIZE)}
    image = Image.new("RGB", grid["size"], BACKGROUND)
    draw = ImageDraw.Draw(image)
    _draw_frame(draw, grid, fonts)
    _draw_bands(draw, grid, fonts)
    _draw_boxes(draw, grid, fonts)
    output = io.BytesIO()
    image.save(output, format="PNG", compress_level=3)
    return output.getvalue()


def day_png(event, day):
    """PNG bytes of local ``day`` of the event's work-in-progress grid (``day_grid``'s errors pass
    through)."""
    return render_grid(day_grid(event, day))
