"""Shared helpers for the users tests."""


def user_doc(attributes, id=None):
    data = {"type": "user", "attributes": attributes}
    if id is not None:
        data["id"] = str(id)
    return {"data": data}
