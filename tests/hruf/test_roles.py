import pytest
from django.db import IntegrityError

from hruf.models import Role, RoleAssignment


def test_a_role_carries_exactly_its_scope(officer_a, country_a, region_a):
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(user=officer_a, role=Role.OFFICER, region=region_a)


@pytest.mark.parametrize("role, scope", [(Role.OFFICER, "country_a"), (Role.CHAIR, "region_a"), (Role.EOSG, None)])
def test_the_same_role_cannot_be_given_twice(request, outsider, role, scope):
    field = {"country_a": "country", "region_a": "region"}.get(scope)
    kwargs = {field: request.getfixturevalue(scope)} if field else {}
    RoleAssignment.objects.create(user=outsider, role=role, **kwargs)
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(user=outsider, role=role, **kwargs)
