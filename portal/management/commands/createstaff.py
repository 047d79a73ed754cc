"""Create a staff account in one role: COPE editor, volunteer coordinator or superuser."""

import getpass
import sys

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.roles import COORDINATOR, EDITOR

ROLES = {"editor": EDITOR, "coordinator": COORDINATOR, "superuser": None}


class Command(BaseCommand):
    help = "Create a staff account in a role (editor, coordinator or superuser)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLES), required=True)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from standard input instead of asking for it.",
        )

    def handle(self, *args, username, role, email, password_stdin, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists.")
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        user = User(username=username, email=email, is_staff=True, is_superuser=role == "superuser")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with transaction.atomic():
            user.set_password(password)
            user.save()
            if ROLES[role]:
                user.groups.add(Group.objects.get(name=ROLES[role]))
        self.stdout.write(f"Created {username} ({role}).")
