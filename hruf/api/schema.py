"""The OpenAPI schema documents the one error format on every operation, with the statuses
that operation can really answer, so clients (and the fuzzer) can rely on it."""

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class _ErrorDetail(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.JSONField(), required=False, help_text="Only for 400: messages per field."
    )


class ErrorSerializer(serializers.Serializer):
    error = _ErrorDetail()


# Declared on every operation that answers 201 (hruf.api.viewsets.created).
LOCATION = OpenApiParameter(
    "Location", OpenApiTypes.URI, OpenApiParameter.HEADER, response=[201], description="The new object's address."
)


_DESCRIPTIONS = {
    "400": "Invalid input: `fields` says what is wrong with which field. Nothing was written.",
    "401": "Not signed in: send a session cookie or `Authorization: Token <key>`.",
    "403": "Signed in, but not allowed to do this to an object you may see (or a missing CSRF token).",
    "404": "No such object, or one outside your scope: the two look the same.",
    "409": "Conflict: the object moved on (saved elsewhere since you read it, already exists, already "
    "submitted). Nothing was written.",
    "429": "Too many requests: wait and retry.",
}


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in sorted(self._error_codes()):
            if code not in responses:
                error = OpenApiResponse(ErrorSerializer, _DESCRIPTIONS[code])
                responses[code] = self._get_response_for_code(error, code)
        for code, response in responses.items():
            if not response.get("description") and code in _DESCRIPTIONS:
                response["description"] = _DESCRIPTIONS[code]
        return responses

    def _get_request_for_media_type(self, serializer, direction="request"):
        # A PATCH body is documented as all-optional, but some have a field of their own that
        # is always required (a draft's lock_version): those are documented as they are sent.
        if self.method == "PATCH" and getattr(serializer, "required_on_patch", False):
            self.method = "POST"
            try:
                return super()._get_request_for_media_type(serializer, direction)
            finally:
                self.method = "PATCH"
        return super()._get_request_for_media_type(serializer, direction)

    def _error_codes(self) -> list[str]:
        codes = ["429"]
        if not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes += ["401", "403"]
        # A list answers 404 for a page number past the end.
        if "{" in self.path or self._get_pagination_parameters():
            codes.append("404")
        if self.method != "GET" or self._get_filter_parameters() or self._get_pagination_parameters():
            codes.append("400")
        return codes
