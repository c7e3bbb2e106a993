"""What the server-rendered pages of every app share when they call a service."""

from django.contrib import messages
from django.core.paginator import Paginator

from .errors import ServiceError


def attempt(request, call, success):
    """Run the service ``call`` for a page and tell the user how it went.

    A refusal (``ServiceError``) becomes an error message and ``(False, None)`` comes back.
    Otherwise ``success`` — a text, or a function of the call's result giving one — becomes a
    success message and ``(True, result)`` comes back.
    """
    try:
        result = call()
    except ServiceError as error:
        messages.error(request, error.message)
        return False, None
    messages.success(request, success(result) if callable(success) else success)
    return True, result


#: Page links shown on each side of the current page, and at each end (the rest elided).
PAGE_LINKS_AROUND, PAGE_LINKS_AT_ENDS = 2, 1


def paged(request, rows, size):
    """``{"page", "page_links"}`` for a history paged by ``?page=`` (templates/includes/pagination.html)."""
    page = Paginator(rows, size).get_page(request.GET.get("page"))
    links = page.paginator.get_elided_page_range(
        page.number, on_each_side=PAGE_LINKS_AROUND, on_ends=PAGE_LINKS_AT_ENDS
    )
    return {"page": page, "page_links": links}
