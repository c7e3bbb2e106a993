"""The shared plumbing of serializers: field sets built once, shared by readers of one request."""
import pytest

from events.api.serializers import RoleSerializer
from events.models import Role

pytestmark = pytest.mark.django_db


def test_readers_of_one_request_share_fields_and_writers_do_not():
    context = {}
    role = Role.objects.first()
    first, second = RoleSerializer(role, context=context), RoleSerializer(role, context=context)
    assert first.fields is second.fields
    assert RoleSerializer(role, context={}).fields is not first.fields
    writer = RoleSerializer(data={"name": "x"}, context=context)
    assert writer.fields is not first.fields
    assert writer.fields["name"].parent is writer


def test_shared_fields_give_the_same_representation():
    context = {}
    roles = list(Role.objects.all())
    shared = [RoleSerializer(role, context=context).data for role in roles]
    alone = [RoleSerializer(role).data for role in roles]
    assert shared == alone
