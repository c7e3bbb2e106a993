"""``sanitize_html``: formatting and safe links survive; scripts, styles and handlers do not."""
import pytest

from openevent.core.html import sanitize_html


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>Plain <b>bold</b> <em>em</em></p>", "<p>Plain <b>bold</b> <em>em</em></p>"),
        ("<ul><li>one</li></ul><ol><li>two</li></ol>", "<ul><li>one</li></ul><ol><li>two</li></ol>"),
        (
            "<h2>Title</h2><blockquote>q</blockquote><pre><code>x</code></pre>",
            "<h2>Title</h2><blockquote>q</blockquote><pre><code>x</code></pre>",
        ),
        (
            '<a href="https://example.org" target="_blank">x</a>',
            '<a href="https://example.org" rel="noopener noreferrer nofollow">x</a>',
        ),
        (
            '<a href="mailto:a@example.org">mail</a>',
            '<a href="mailto:a@example.org" rel="noopener noreferrer nofollow">mail</a>',
        ),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'),
        ("<script>alert(1)</script>after", "after"),
        ("<style>body{display:none}</style>after", "after"),
        ('<p onclick="x()" style="color:red" class="c">p</p>', "<p>p</p>"),
        ('<img src="x" onerror="alert(1)">', ""),
        ("<iframe src='https://evil.example'></iframe>text", "text"),
        ("<svg><script>alert(1)</script></svg>", ""),
        ("<unknown>kept text</unknown>", "kept text"),
        ("5 < 6 & 7 > 3", "5 &lt; 6 &amp; 7 &gt; 3"),
        ("<!-- comment -->text", "text"),
    ],
)
def test_sanitize_html(dirty, clean):
    assert sanitize_html(dirty) == clean


@pytest.mark.parametrize("empty", [None, ""])
def test_nothing_stays_nothing(empty):
    assert sanitize_html(empty) == ""
