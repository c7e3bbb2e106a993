import factory

from events.tests.factories import EventFactory
from sessions_app.models import Session, Speaker


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    short_abstract = "A short abstract."
    state = Session.State.ACCEPTED


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Speaker {n}")
    email = factory.Sequence(lambda n: f"speaker{n}@example.org")
    mobile = "+65 5555 0000"
    short_biography = "Speaks about things."
    complex_field_values = factory.LazyFunction(lambda: {"tshirt": "L"})

    @factory.post_generation
    def sessions(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.sessions.add(*extracted)
