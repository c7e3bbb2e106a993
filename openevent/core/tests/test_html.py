"""``sanitize_html``: what the rich-text editor writes survives, nothing else does; scripts, styles
and handlers never; plain text keeps its paragraphs."""

import pytest

from openevent.core.html import sanitize_html


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        # What the editor writes.
        ("<p>Plain <strong>bold</strong> <em>em</em></p>", "<p>Plain <strong>bold</strong> <em>em</em></p>"),
        ("<p>Plain <b>bold</b> <i>it</i></p>", "<p>Plain <b>bold</b> <i>it</i></p>"),
        ("<p>one<br>two</p>", "<p>one<br>two</p>"),
        ("<ul><li><p>one</p></li></ul><ol><li>two</li></ol>", "<ul><li><p>one</p></li></ul><ol><li>two</li></ol>"),
        ("<h2>T</h2><h3>t</h3><h4>s</h4><blockquote><p>q</p></blockquote>",) * 2,
        (
            '<a href="https://example.org" target="_blank" rel="opener" class="x">x</a>',
            '<a href="https://example.org" rel="noopener noreferrer nofollow">x</a>',
        ),
        (
            '<a href="mailto:a@example.org" title="Write">mail</a>',
            '<a href="mailto:a@example.org" title="Write" rel="noopener noreferrer nofollow">mail</a>',
        ),
        (
            '<a href="https://example.org" title="">x</a>',
            '<a href="https://example.org" rel="noopener noreferrer nofollow">x</a>',
        ),
        # What it does not write keeps its text and loses its markup.
        ("<h1>Title</h1><p>x</p>", "Title<p>x</p>"),
        ("<pre><code>x</code></pre><hr><u>u</u><s>s</s><sub>1</sub><small>m</small>", "xus1m"),
        ('<ol start="3" type="a" data-type="lower-alpha"><li>x</li></ol>', "<ol><li>x</li></ol>"),
        ('<p onclick="x()" style="color:red" class="c">p</p>', "<p>p</p>"),
        ("<unknown>kept text</unknown>", "kept text"),
        # Never anything that runs.
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'),
        ("<script>alert(1)</script>after", "after"),
        ("<style>body{display:none}</style>after", "after"),
        ('<img src="x" onerror="alert(1)">', ""),
        ("<iframe src='https://evil.example'></iframe>text", "text"),
        ("<svg><script>alert(1)</script></svg>", ""),
        ("<script>\n\nalert(1)\n\n</script>after", "after"),
        ("5 < 6 & 7 > 3", "5 &lt; 6 &amp; 7 &gt; 3"),
        ("<!-- comment -->text", "text"),
    ],
)
def test_sanitize_html(dirty, clean):
    assert sanitize_html(dirty) == clean


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("First paragraph.\n\nSecond paragraph.", "<p>First paragraph.</p><p>Second paragraph.</p>"),
        ("Line one\nline two\n\nNext", "<p>Line one<br>line two</p><p>Next</p>"),
        ("Windows\r\n\r\nline ends\r\nalso", "<p>Windows</p><p>line ends<br>also</p>"),
        ("\n\nLeading and trailing\n\n\n\nblank lines \n \n", "<p>Leading and trailing</p><p>blank lines</p>"),
        ("Inline <b>marks</b>\n\nare kept", "<p>Inline <b>marks</b></p><p>are kept</p>"),
        ("5 < 6\n\nAT&T", "<p>5 &lt; 6</p><p>AT&amp;T</p>"),
        ("<script>x()</script>a\n\nb", "<p>a</p><p>b</p>"),
        ("A single line stays as it is", "A single line stays as it is"),
        # Markup with paragraphs of its own keeps its structure; its newlines are only whitespace.
        ("<p>One</p>\n\n<p>Two</p>", "<p>One</p>\n\n<p>Two</p>"),
        ("<ul>\n<li>a</li>\n</ul>", "<ul>\n<li>a</li>\n</ul>"),
    ],
)
def test_plain_text_keeps_its_paragraphs(text, html):
    assert sanitize_html(text) == html


@pytest.mark.parametrize("text", ["a\n\nb\nc", "<p>x</p>", "plain", "a < b\n\nc", "<h1>T</h1>\n\nx"])
def test_sanitizing_twice_changes_nothing(text):
    assert sanitize_html(sanitize_html(text)) == sanitize_html(text)


@pytest.mark.parametrize("empty", [None, ""])
def test_nothing_stays_nothing(empty):
    assert sanitize_html(empty) == ""


def test_a_mark_across_a_blank_line_is_closed_in_each_paragraph():
    assert sanitize_html("<b>bold\n\nstill bold</b>") == "<p><b>bold</b></p><p><b>still bold</b></p>"
