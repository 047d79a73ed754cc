"""The deploy/ files rendered for a test on this machine: loopback ports and a temporary folder
instead of a city's names and paths. Each substitution must find what it replaces, so a change
to a deploy/ file that the test no longer understands fails the test instead of being skipped."""

import re
import shlex
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
DEPLOY = BASE_DIR / "deploy"
INSTALLED_AT = "/srv/cope"
ENV_FILE_AT = "/etc/cope/cope.env"
SETTING_READ = re.compile(
    r"""(?:environ\.get|environ\[|env_bool|env_list)\(?\s*["']([A-Z_0-9]+)["']"""
)


class RenderError(Exception):
    pass


def replaced(text: str, old: str, new: str, *, where: str) -> str:
    if old not in text:
        raise RenderError(f"{where}: {old!r} not found")
    return text.replace(old, new)


# The environment file


ENV_LINE = re.compile(r"^(#?)([A-Z][A-Z0-9_]*)=(.*)$")


def unquoted(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def template_variables(text: str) -> dict[str, tuple[bool, str]]:
    """Every variable the template names: {name: (set, value)}; commented lines are defaults."""
    found = {}
    for line in text.splitlines():
        match = ENV_LINE.match(line.strip())
        if match:
            commented, name, value = match.groups()
            found[name] = (not commented, unquoted(value))
    return found


def render_env(values: dict[str, str]) -> str:
    """deploy/cope.env with `values` filled in: a named variable is set (uncommented) to the
    value given; the rest stays as the template has it."""
    text = (DEPLOY / "cope.env").read_text()
    unknown = set(values) - set(template_variables(text))
    if unknown:
        raise RenderError(f"cope.env does not name {', '.join(sorted(unknown))}")
    lines = []
    for line in text.splitlines():
        match = ENV_LINE.match(line.strip())
        if match and match.group(2) in values:
            value = values[match.group(2)]
            line = f'{match.group(2)}="{value}"' if " " in value else f"{match.group(2)}={value}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines, as systemd's EnvironmentFile= reads them (comments and blanks skipped)."""
    env = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, _, value = line.partition("=")
        env[name.strip()] = unquoted(value)
    return env


def settings_variables() -> set[str]:
    """Every environment variable portal/settings.py reads."""
    return set(SETTING_READ.findall((BASE_DIR / "portal" / "settings.py").read_text())) | {
        "DATABASE_URL"  # read by dj_database_url.config()
    }


# systemd units


def parse_unit(text: str) -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
        elif current is not None and "=" in line:
            key, _, value = line.partition("=")
            current.setdefault(key.strip(), []).append(value.strip())
    return sections


class Unit:
    """A unit file of deploy/systemd rendered for this machine: what systemd would start."""

    def __init__(self, name: str, *, env_file: Path, instance: str = ""):
        self.name = name
        path = DEPLOY / "systemd" / name
        text = path.read_text()
        text = replaced(text, INSTALLED_AT, str(BASE_DIR), where=name)
        if "EnvironmentFile=" in text:
            text = replaced(text, ENV_FILE_AT, str(env_file), where=name)
        text = text.replace("%i", instance).replace("%I", instance)
        self.sections = parse_unit(text)

    def value(self, section: str, key: str, default: str = "") -> str:
        return self.sections.get(section, {}).get(key, [default])[-1]

    def commands(self) -> list[list[str]]:
        """Each ExecStart= line as argv (systemd's quoting is the shell's for these lines)."""
        return [shlex.split(line) for line in self.sections["Service"]["ExecStart"]]

    def environment(self, base: dict[str, str]) -> dict[str, str]:
        env = dict(base)
        for path in self.sections["Service"].get("EnvironmentFile", []):
            env |= read_env_file(Path(path.lstrip("-")))
        for assignment in self.sections["Service"].get("Environment", []):
            for word in shlex.split(assignment):
                name, _, value = word.partition("=")
                env[name] = value
        return env

    @property
    def working_directory(self) -> Path:
        return Path(self.value("Service", "WorkingDirectory", str(BASE_DIR)))


def timers() -> list[tuple[str, str, str]]:
    """Every timer of deploy/systemd: (timer, the service it starts, its OnCalendar)."""
    found = []
    for path in sorted((DEPLOY / "systemd").glob("*.timer")):
        sections = parse_unit(path.read_text())
        service = sections.get("Timer", {}).get("Unit", [path.stem + ".service"])[-1]
        found.append((path.name, service, sections["Timer"]["OnCalendar"][-1]))
    return found


# nginx


def render_nginx_site(
    *, https_port: int, http_port: int, nodes: list[int], workdir: Path, cert: Path, key: Path
) -> str:
    where = "nginx/cope.conf"
    text = (DEPLOY / "nginx" / "cope.conf").read_text()
    text = replaced(
        text, "listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;", where=where
    )
    text = replaced(text, "listen 80;", f"listen 127.0.0.1:{http_port};", where=where)
    text = "\n".join(line for line in text.splitlines() if "listen [::]" not in line) + "\n"
    text = replaced(text, "server_name cope.example.gov;", "server_name localhost;", where=where)
    text = replaced(
        text, "/etc/letsencrypt/live/cope.example.gov/fullchain.pem", str(cert), where=where
    )
    text = replaced(
        text, "/etc/letsencrypt/live/cope.example.gov/privkey.pem", str(key), where=where
    )
    text = replaced(
        text, "/var/log/nginx/cope.access.log", str(workdir / "access.log"), where=where
    )
    text = replaced(text, INSTALLED_AT + "/", str(BASE_DIR) + "/", where=where)
    servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+ ", text, flags=re.M)
    if len(servers) != len(nodes):
        raise RenderError(f"{where}: {len(servers)} upstream servers, the test runs {len(nodes)}")
    ports = iter(nodes)
    return re.sub(
        r"^(\s*server 127\.0\.0\.1:)\d+ ", lambda m: f"{m.group(1)}{next(ports)} ", text, flags=re.M
    )


def nginx_main_config(*, site: Path, workdir: Path, user: str | None) -> str:
    """What Debian's /etc/nginx/nginx.conf gives the site, with every path in `workdir`."""
    temp = workdir / "nginx-temp"
    return f"""{f"user {user};" if user else ""}
worker_processes 2;
pid {workdir / "nginx.pid"};
error_log {workdir / "nginx-error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {site};
}}
"""
