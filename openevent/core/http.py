"""What a request says about its client, read the same way by every throttle."""
from django.conf import settings


def client_address(request):
    """The address of the client that sent ``request``.

    Behind ``settings.TRUSTED_PROXY_COUNT`` reverse proxies (each appending the address it got the
    request from to ``X-Forwarded-For``) the client is the Nth entry from the right of that header;
    whatever stands further left was written by the client and proves nothing. With no trusted
    proxy (the default) the header is ignored and the address is ``REMOTE_ADDR``. A request that
    did not pass through all the proxies (too few entries) is taken at its ``REMOTE_ADDR``.
    """
    remote = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0 or request is None:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]
