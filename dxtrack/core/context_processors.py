from django.conf import settings


def site(request):
    return {"province_name": settings.DXTRACK_PROVINCE_NAME}
