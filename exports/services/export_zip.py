"""The Open Event zip of an event (filled in by the next commit)."""


def write_event_zip(event, path, options, progress):
    raise NotImplementedError
