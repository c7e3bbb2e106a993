"""``GET /v1/sessions/mails``: the mails speakers get when their session changes state, as Open
Event serves them (public, plain JSON): ``{"recipient": "Speaker", "<state>": {"subject": …,
"message": …}, …}``. Subject and message are the platform's wording with ``{placeholder}`` where
values go (our placeholder names: ``actions.SESSION``); the message is the mail's HTML content."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from openevent.api.permissions import Anyone
from openevent.api.renderers import PlainJsonAsJsonApiRenderer
from openevent.api.schema import PlainAutoSchema

from .. import actions, organizer

STATE_PREFIX = "session_"


def state_change_mails():
    mails = {"recipient": "Speaker"}
    for key, action in actions.ACTIONS.items():
        # The state-change mails only (the co-speaker invitation shares their switch, not their shape).
        if action.switch == "session_state_change" and key.startswith(STATE_PREFIX):
            subject, _ = organizer.default_wording(key)
            mails[key.removeprefix(STATE_PREFIX)] = {
                "subject": subject,
                "message": organizer.default_html_message(key),
            }
    return mails


@extend_schema(responses={200: OpenApiTypes.OBJECT}, tags=["session"])
class SessionMailsView(APIView):
    authentication_classes = []
    permission_classes = [Anyone]
    renderer_classes = [JSONRenderer, PlainJsonAsJsonApiRenderer]
    schema = PlainAutoSchema()

    def get(self, request):
        return Response(state_change_mails())
