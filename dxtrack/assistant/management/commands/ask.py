"""`dxtrack ask "QUESTION" --user USERNAME [--format json]`: the assistant's answer, as that
user would get it in the panel (no user: the public)."""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from dxtrack.accounts.access import Access
from dxtrack.assistant.services.ask import ask
from dxtrack.core.management.base import ProjectCommand


class Command(ProjectCommand):
    help = "Hỏi trợ lý ảo một câu, với quyền của một người dùng."

    def add_arguments(self, parser):
        parser.add_argument("question")
        parser.add_argument("--user", default="", help="tên đăng nhập; bỏ trống: công chúng")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        actor = Access.public()
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Không có người dùng “{options['user']}”.")
            actor = Access.for_user(user)
        answer = ask(actor=actor, question=options["question"])
        if options["format"] == "json":
            data = answer.as_json()
            self.stdout.write(json.dumps({k: data[k] for k in ("answer", "intent", "sources")}, ensure_ascii=False))
            return
        self.stdout.write(answer.text)
        for s in answer.sources:
            self.stdout.write(f"- {s['title']}: {s['url']}")
