"""What every app may use and that uses no app: soft delete, the admin base, HTML sanitizing,
``send_after_commit`` and the service error types. Nothing here imports a domain app."""
