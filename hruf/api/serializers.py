from django.utils.translation import gettext as _
from rest_framework import serializers

from hruf.ids import MAX_ID


class StrictSerializer(serializers.Serializer):
    # Refuses fields it does not know, so a misspelt field is an error and not silently lost.
    # (A comment, not a docstring: the schema would repeat a docstring on every component.)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - {name for name, f in self.fields.items() if not f.read_only})
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    pass


def validated(serializer_class, request) -> dict:
    """The request body checked by `serializer_class`; a 400 in the one error format otherwise."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ObjectsField(serializers.ListField):
    """A list of ids of objects in `queryset`, looked up in one query (not one per id, as a
    PrimaryKeyRelatedField(many=True) would); an id outside the queryset is refused like a
    nonexistent one. Gives the objects, each once, in the order first given."""

    def __init__(self, *, queryset, **kwargs):
        self.queryset = queryset
        super().__init__(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), **kwargs)

    def to_internal_value(self, data):
        ids = list(dict.fromkeys(super().to_internal_value(data)))
        found = self.queryset.in_bulk(ids)
        missing = [pk for pk in ids if pk not in found]
        if missing:
            message = serializers.PrimaryKeyRelatedField.default_error_messages["does_not_exist"]
            raise serializers.ValidationError(message.format(pk_value=missing[0]))
        return [found[pk] for pk in ids]
