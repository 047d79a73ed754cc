from django.apps import AppConfig


class FollowConfig(AppConfig):
    name = "follow"
    verbose_name = "Follow by email"

    def ready(self):
        from follow import receivers

        receivers.connect()
