"""Sanitizing HTML written by users (descriptions, announcements, abstracts, biographies).

Models name their HTML fields in ``HTML_FIELDS``; services (and the admin) sanitize those on the
way in, so whatever is stored may be rendered as trusted markup afterwards. What survives is
ordinary formatting and links: no scripts, no styles, no event handlers, no ``javascript:`` URLs;
links open without handing the opener to the target.
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
