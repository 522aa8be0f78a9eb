"""onewindow token create USERNAME | revoke TOKEN_OR_PREFIX | list USERNAME"""

from django.core.management.base import CommandError

from onewindow.core import services
from onewindow.core.commands import OnewindowCommand
from onewindow.core.models import User


class Command(OnewindowCommand):
    help = "API 令牌：create 打印一次新令牌；revoke 吊销；list 列出某用户的令牌。"

    def add_arguments(self, parser):
        sub = self.add_subparsers(parser)
        create = sub.add_parser("create")
        create.add_argument("username")
        create.add_argument("--name", default="")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("token", help="完整令牌或其前 8 个字符")
        show = sub.add_parser("list")
        show.add_argument("username")

    def _user(self, username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"用户不存在：{username}", returncode=2) from None

    def handle(self, *args, action: str, **options):
        if action == "create":
            _token, value = services.create_token(self._user(options["username"]), name=options["name"])
            self.stdout.write(value)
        elif action == "revoke":
            count = services.revoke_token(options["token"])
            self.stdout.write(f"已吊销 {count} 个令牌")
        else:
            for token in self._user(options["username"]).api_tokens.order_by("created_at"):
                state = "已吊销" if token.revoked_at else "有效"
                self.stdout.write(f"{token.prefix}…  {token.name or '-'}  {token.created_at:%Y-%m-%d %H:%M}  {state}")
