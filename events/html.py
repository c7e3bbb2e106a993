"""Sanitizing HTML written by users (descriptions, announcements, abstracts, biographies).

Services call ``sanitize_html`` on the way in, so whatever is stored may be rendered as trusted
markup afterwards. What survives is ordinary formatting and links: no scripts, no styles, no event
handlers, no ``javascript:`` URLs; links open without handing the opener to the target.
"""
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "ins", "li", "ol", "p", "pre", "s", "small", "strong", "sub", "sup", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Tags removed together with their content (the text of a script is no prose).
DROPPED_WITH_CONTENT = {"script", "style"}
LINK_REL = "noopener noreferrer nofollow"


def sanitize_html(value):
    """``value`` with everything but common formatting and safe links removed ("" for None)."""
    if not value:
        return ""
    return nh3.clean(
        str(value),
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
    )
