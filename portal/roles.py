"""Staff roles as groups with least privilege, kept in step with the models on every migrate.

A role lists the models it may work with and how; a model that does not exist (yet) is skipped,
so adding an app later only needs a line here and a `migrate`.
"""

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

EDITOR = "COPE editor"
COORDINATOR = "Volunteer coordinator"
ALL = ("view", "add", "change", "delete")

ROLES = {
    EDITOR: {
        "portal.sitesettings": ("view", "change"),
        "core.glossaryterm": ALL,
        "programs.programkind": ALL,
        "programs.program": ALL,
        "precincts.precinct": ("view", "add", "change"),
        "precincts.servicearea": ALL,
        "precincts.precinctboundary": ("view", "add", "delete"),
        "recommendations.focusarea": ALL,
        "recommendations.recommendation": ("view", "change"),
        "recommendations.statusupdate": ("view", "add"),
        "events.event": ALL,
        "events.newspost": ALL,
        "follow.followercount": ("view",),
    },
    COORDINATOR: {
        "programs.volunteersignup": ("view", "change", "delete", "export"),
        "programs.decisionemail": ("view", "change"),
        "ask.request": ("view", "change", "delete"),
        "ask.registration": ("view", "change", "delete"),
        "ask.requestdecisionemail": ALL,
    },
}


def permissions_for(grants: dict) -> list[Permission]:
    wanted = []
    for label, actions in grants.items():
        app_label, model_name = label.split(".")
        try:
            model = global_apps.get_model(app_label, model_name)
        except LookupError:
            continue
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        codenames = [f"{action}_{model_name}" for action in actions]
        wanted += Permission.objects.filter(content_type=content_type, codename__in=codenames)
    return wanted


def sync_roles(**kwargs):
    """Create each role's group and give it exactly its permissions (post_migrate)."""
    for name, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions_for(grants))
