"""Notifications' use cases. Other apps call `notify` (see services/send.py for how)."""

from ..models import Delivery, Kind
from .send import notify

__all__ = ["Delivery", "Kind", "notify"]
