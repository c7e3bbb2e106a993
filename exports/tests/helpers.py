"""An event with every part an export writes, and a way to run an export and open its zip."""
import datetime
import io
import json
import zipfile

from django.core.files.storage import storages
from django.utils import timezone

from events.models import EventCopyright, SocialLink, Sponsor
from events.tests.factories import MicrolocationFactory, SessionTypeFactory, TrackFactory, event_with_owner
from exports.models import ExportJob
from openevent.uploads.services import store_upload
from openevent.uploads.tests import files
from sessions_app.tests.factories import SessionFactory, SpeakerFactory

EXTERNAL_PHOTO = "https://photos.example.com/ada.jpg"


def stored(content, kind):
    return store_upload(io.BytesIO(content), kind=kind).url


def full_event(sessions=2):
    """An event with a track, a room, a type, ``sessions`` sessions sharing two speakers (one photo
    ours, one external), a sponsor with our logo, a social link, a copyright, our logo and slides."""
    event, owner = event_with_owner(timezone="Asia/Singapore", logo_url=stored(files.png(), "image"))
    track = TrackFactory(event=event, name="Open Hardware", color="#112233")
    room = MicrolocationFactory(event=event, name="Hall A", floor=2)
    kind = SessionTypeFactory(event=event, name="Talk", length="00:45")
    ada = SpeakerFactory(event=event, name="Ada Lovelace", photo_url=stored(files.image("JPEG"), "image"))
    bob = SpeakerFactory(event=event, name="Bob", photo_url=EXTERNAL_PHOTO)
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=30)
    made = []
    for number in range(sessions):
        session = SessionFactory(
            event=event, track=track, microlocation=room, session_type=kind,
            starts_at=start + datetime.timedelta(hours=number),
            ends_at=start + datetime.timedelta(hours=number, minutes=45),
            slides_url=stored(files.pdf(), "document") if number == 0 else "",
        )
        session.speakers.add(ada, bob)
        made.append(session)
    Sponsor.objects.create(event=event, name="Acme Corp", level=1, logo_url=stored(files.png(), "image"))
    SocialLink.objects.create(event=event, name="Twitter", link="https://twitter.com/example")
    EventCopyright.objects.create(event=event, holder="Us", licence="CC-BY 4.0")
    return event, owner, made, (ada, bob)


def open_zip(job):
    job.refresh_from_db()
    with storages["jobs"].open(job.file_name, "rb") as stored_file:
        return zipfile.ZipFile(io.BytesIO(stored_file.read()))


def read_json(archive, name):
    return json.loads(archive.read(name))


def last_export(event):
    return ExportJob.objects.filter(event=event).latest("created_at")
