from django.apps import AppConfig


class FollowConfig(AppConfig):
    name = "follow"
    verbose_name = "Follow by email"

    def ready(self):
        from core import audience
        from follow import receivers
        from follow.models import followers_of

        receivers.connect()
        audience.register(followers_of)
