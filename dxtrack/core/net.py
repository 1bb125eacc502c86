"""The client's address, read through the proxies the deployment trusts and no others."""

import ipaddress

from django.conf import settings


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address) -> bool:
    for entry in settings.DXTRACK_TRUSTED_PROXIES:
        try:
            if address in ipaddress.ip_network(entry.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(request) -> str:
    """REMOTE_ADDR, unless it is a trusted proxy: then the nearest address in X-Forwarded-For that
    is not itself a trusted proxy (read from the right, since a client can write anything on the
    left of that header)."""
    remote = _address(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None:
        return ""
    if not _trusted(remote):
        return str(remote)
    hops = (request.META.get("HTTP_X_FORWARDED_FOR", "") or "").split(",")
    for hop in reversed(hops[-20:]):  # a header of thousands of hops is read no further than 20
        address = _address(hop)
        if address is None:
            break  # a forged or broken entry: believe nothing left of it
        if not _trusted(address):
            return str(address)
    return str(remote)
