"""Sanitizing HTML written by users (descriptions, announcements, abstracts, biographies).

Models name their HTML fields in ``HTML_FIELDS``; services (and the admin) sanitize those on the
way in, so whatever is stored may be rendered as trusted markup afterwards. What survives is what
the pages' rich-text editor writes (``static/js/rich-text.js``): paragraphs and line breaks,
headings, lists, block quotes, bold and italic, and links; no scripts, no styles, no event
handlers, no ``javascript:`` URLs; links open without handing the opener to the target.

Text that arrives without any block markup — typed into a plain textarea (no JavaScript), sent
by an API client, imported — keeps its paragraphs: blank-line-separated paragraphs become
``<p>``s and single line breaks ``<br>``, here, so every way in stores the same thing.
"""

import re

import nh3

# Keep in step with the editor's extensions in static/js/rich-text.js. The editor writes
# <strong>/<em>; <b>/<i> from other clients mean the same and are kept.
ALLOWED_TAGS = {
    "a", "b", "blockquote", "br", "em", "h2", "h3", "h4", "i", "li", "ol", "p", "strong", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Tags removed together with their content (the text of a script is no prose).
DROPPED_WITH_CONTENT = {"script", "style"}
LINK_REL = "noopener noreferrer nofollow"

# An element that makes a paragraph of its own: text holding one already has its structure.
BLOCK_TAG = re.compile(r"<(p|h[1-6]|ul|ol|li|blockquote|br)\b")
BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


def paragraphs(text):
    """Line breaks of ``text`` as markup: ``"a\\n\\nb\\nc"`` -> ``"<p>a</p><p>b<br>c</p>"``.

    Text with block markup of its own, and text of a single line, come back unchanged.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\n" not in lines or BLOCK_TAG.search(lines):
        return text
    return "".join(f"<p>{part.strip().replace(chr(10), '<br>')}</p>" for part in BLANK_LINE.split(lines))


def no_empty_attributes(tag, attribute, value):
    """Drop attributes without a value (the editor writes ``title=""`` on a link without one)."""
    return value or None


def clean(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attribute_filter=no_empty_attributes,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
    )


def sanitize_html(value):
    """``value`` with everything but the editor's formatting and safe links removed, and the
    paragraphs of plain text kept (see ``paragraphs``); "" for None.

    Paragraphs are found in the sanitized text (a stripped ``<h1>`` or a script with blank lines
    inside make none), and the result is cleaned once more so an inline mark spanning a blank
    line is closed in each paragraph.
    """
    if not value:
        return ""
    html = clean(str(value))
    with_paragraphs = paragraphs(html)
    return html if with_paragraphs == html else clean(with_paragraphs)


def sanitize_fields(data, names):
    """``data`` (a dict of field values) with the fields ``names`` sanitized, in place."""
    for name in names:
        if name in data:
            data[name] = sanitize_html(data[name])
    return data


def sanitize_instance(obj):
    """Sanitize the HTML fields a model declares in ``HTML_FIELDS`` on an instance (admin saves)."""
    for name in getattr(obj, "HTML_FIELDS", ()):
        setattr(obj, name, sanitize_html(getattr(obj, name)))
    return obj
