"""How long text written by users may be.

Long text fields (descriptions, abstracts, biographies, comments, details) declare
``max_length=LONG_TEXT_MAX_LENGTH``: the database does not care, but every way in checks it — the
API's serializers (422 pointing at the attribute), the pages' and the admin's forms (a form error)
— so nobody stores megabytes in a description. The longest text of the real events we import is
about half of it.
"""

LONG_TEXT_MAX_LENGTH = 20_000
