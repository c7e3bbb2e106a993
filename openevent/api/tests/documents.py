"""Building JSON:API request documents and reading responses, for the tests of every app."""


def rel(type_, pk):
    """A to-one relationship member (``data`` null when ``pk`` is None)."""
    return {"data": None if pk is None else {"type": type_, "id": str(pk)}}


def resource_doc(type_, attributes=None, id=None, event=None, relationships=None):
    """``{"data": {"type", "id"?, "attributes", "relationships"?}}``; ``event`` sets the event
    relationship."""
    data = {"type": type_, "attributes": dict(attributes or {})}
    relationships = dict(relationships or {})
    if event is not None:
        relationships["event"] = rel("event", event.pk)
    if relationships:
        data["relationships"] = relationships
    if id is not None:
        data["id"] = str(id)
    return {"data": data}


def ids(response):
    """The ids of the primary data: a set (empty for null data)."""
    data = response.json_body["data"]
    if data is None:
        return set()
    if isinstance(data, dict):
        return {data["id"]}
    return {row["id"] for row in data}


def pointers(response):
    """The ``source.pointer`` of every error."""
    return [error.get("source", {}).get("pointer") for error in response.json_body["errors"]]


def assert_error(response, status):
    """The response is one JSON:API error document with ``status``; its first error object."""
    assert response.status_code == status, response.json_body
    body = response.json_body
    assert body["jsonapi"] == {"version": "1.0"}
    error = body["errors"][0]
    assert error["status"] == str(status)
    assert error["title"]
    assert error["detail"]
    return error
