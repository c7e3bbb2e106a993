"""What every app may use and that uses no app: soft delete, the admin base, HTML sanitizing,
``send_after_commit``, the service error types, and the platform settings (``models``,
``site``, ``services``: one row over the environment's defaults, its secrets sealed by
``crypto``). Nothing here imports a domain app."""
