"""JWT authentication: ``Authorization: JWT <token>`` (``Bearer`` accepted too)."""
from django.utils import timezone
from rest_framework_simplejwt.authentication import JWTAuthentication as _JWTAuthentication

LAST_ACCESS_RESOLUTION_SECONDS = 300


class JWTAuthentication(_JWTAuthentication):
    """simplejwt refuses inactive users; ours are inactive when blocked or deleted.

    It also keeps ``last_accessed_at`` current, writing at most once per few minutes per user.
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            user = result[0]
            now = timezone.now()
            last = user.last_accessed_at
            if last is None or (now - last).total_seconds() > LAST_ACCESS_RESOLUTION_SECONDS:
                type(user).all_objects.filter(pk=user.pk).update(last_accessed_at=now)
                user.last_accessed_at = now
        return result
