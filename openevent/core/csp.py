"""Content-Security-Policy on every response.

Our pages load scripts only from our own static files (ES modules, no inline scripts or event
handlers), so ``script-src 'self'`` holds: injected markup cannot run script even if it slipped
past the sanitizer. ``settings.CONTENT_SECURITY_POLICY`` (directive -> sources) is the policy;
a view whose page needs more (a third-party page such as Swagger UI with its inline styles) is
wrapped with ``with_policy`` and answers with a policy of its own, which the middleware leaves
alone. (Django 6 brings this built in; Django 5.2 does not.)
"""
from functools import wraps

from django.conf import settings

HEADER = "Content-Security-Policy"


def render(policy):
    """``{"default-src": ["'self'"], …}`` as the header value."""
    return "; ".join(f"{directive} {' '.join(sources)}".strip() for directive, sources in policy.items())


def policy_with(**overrides):
    """The site's policy with some directives replaced (``style_src=[…]`` for ``style-src``)."""
    policy = dict(settings.CONTENT_SECURITY_POLICY)
    for name, sources in overrides.items():
        policy[name.replace("_", "-")] = sources
    return policy


def with_policy(view, **overrides):
    """``view`` answering with the site's policy changed by ``overrides``."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response[HEADER] = render(policy_with(**overrides))
        return response

    return wrapped


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = render(settings.CONTENT_SECURITY_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = self.header
        return response
