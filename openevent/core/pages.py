"""What the server-rendered pages of every app share when they call a service."""

from django.contrib import messages

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
