"""Statistics resources: one object each (admin ones have id "1", the event's has the event id).
The views counting the program's rows are in ``sessions_app.api.statistics``, the mail log's in
``mailing.api.statistics``."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_json_api.utils import format_field_names

from events import statistics
from openevent.api.permissions import Admin
from openevent.api.schema import PlainAutoSchema


class StatisticsView(APIView):
    resource_type = None
    compute = None
    # The statistics document is built here, not by a serializer.
    resource_name = False
    schema = PlainAutoSchema()
    schema_tags = ["statistics"]

    def document(self, resource_id, counts):
        return Response(
            {"data": {"type": self.resource_type, "id": str(resource_id), "attributes": format_field_names(counts)}}
        )


def described(view):
    """One JSON:API document with a single resource (built by hand, so described by hand)."""
    return extend_schema(responses={200: OpenApiTypes.OBJECT})(view)


def admin_statistics(resource_type, compute):
    class AdminStatisticsView(StatisticsView):
        permission_classes = [Admin]

        def get(self, request):
            return self.document(1, compute())

    AdminStatisticsView.resource_type = resource_type
    AdminStatisticsView.__name__ = f"AdminStatistics{resource_type.title().replace('-', '')}View"
    return described(AdminStatisticsView)


AdminEventStatistics = admin_statistics("admin-statistics-event", statistics.event_counts)
AdminUserStatistics = admin_statistics("admin-statistics-user", statistics.user_counts)
