import factory

from dxtrack.accounts.models import PROVINCE_WIDE_ROLES, Role, User
from dxtrack.org.models import Agency

PASSWORD = "mat-khau-thu-nghiem-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    role = Role.REPORTER
    # A unit role needs an organisation; tests that care pass their own.
    agency = factory.LazyAttribute(
        lambda o: (
            None
            if o.role in PROVINCE_WIDE_ROLES or o.role == Role.ENTERPRISE or o.admin_unit
            else Agency.objects.get(code="SO_KHCN")
        )
    )
    admin_unit = None
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
