"""`make deploy-test`: production's shape on this one machine, from the files of deploy/.

Debian's nginx, with a throw-away certificate, in front of two gunicorn app nodes and a task
worker, each started with the ExecStart of its deploy/systemd unit and the environment of
deploy/cope.env, all rendered for loopback ports and a temporary folder; PostgreSQL's
`cope_deploytest` database and Redis database 14, emptied first. Then one line per check, and
a non-zero exit if any failed. Everything it started is stopped on the way out.
"""

import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

from tools.deploytest.mailsink import MailSink
from tools.deploytest.rendering import (
    BASE_DIR,
    DEPLOY,
    Unit,
    nginx_main_config,
    render_env,
    render_nginx_site,
    settings_variables,
    template_variables,
    timers,
)
from tools.servers import free_port

DATABASE = "cope_deploytest"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS_DB = 14
STAFF = ("editor", "a long passphrase for the deploy test 31")
FOLLOWERS = 30
NOTE = "Deploy test: posted through node A at {}."
LOAD_CONNECTIONS = 8


class CheckFailed(Exception):
    pass


def expect(condition, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


# Processes, started as systemd would start the units (no systemd here)


class Process:
    started: list["Process"] = []

    def __init__(self, name: str, argv: list[str], *, cwd: Path, env: dict, log: Path):
        self.name, self.argv, self.cwd, self.env, self.log = name, argv, cwd, env, log
        self.popen = None

    def start(self) -> "Process":
        with open(self.log, "ab") as log:
            self.popen = subprocess.Popen(
                self.argv,
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        Process.started.append(self)
        return self

    # The main process is never reaped before its group is killed: while it is unreaped its
    # id cannot be given to another process, so the group signalled is always ours.

    def exited(self, timeout: float = 0) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            flags = os.WEXITED | os.WNOHANG | os.WNOWAIT
            if os.waitid(os.P_PID, self.popen.pid, flags) is not None:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)

    def alive(self) -> bool:
        return self.popen is not None and self.popen.returncode is None and not self.exited()

    def kill(self) -> None:
        """The node or worker dies at once, with every process of it (a crash, an OOM kill)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()

    def stop(self, sig=signal.SIGTERM, timeout: float = 30) -> None:
        """As systemd's KillMode=mixed: the signal to the main process, then SIGKILL to all."""
        if self.popen is None or self.popen.returncode is not None:
            return
        if not self.exited():
            self.popen.send_signal(sig)
            self.exited(timeout)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()


def unit_process(unit: Unit, name: str, log: Path, base_env: dict) -> Process:
    (argv,) = unit.commands()
    return Process(name, argv, cwd=unit.working_directory, env=unit.environment(base_env), log=log)


# HTTP: through nginx over TLS from a chosen loopback address, or straight to one node


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body
        self.text = body.decode("utf-8", "replace")

    def csrf(self) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.text)
        expect(match, "no CSRF token in the form")
        return match.group(1)


class Client:
    """One visitor: a source address, a cookie jar, and where it connects."""

    def __init__(self, port: int, *, tls=None, source="127.0.0.1", headers=None, origin=""):
        self.port, self.tls, self.source = port, tls, source
        self.extra = headers or {}
        self.origin = origin
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data=None, headers=None) -> Response:
        if self.tls:
            connection = http.client.HTTPSConnection(
                "localhost",
                self.port,
                context=self.tls,
                timeout=30,
                source_address=(self.source, 0),
            )
        else:
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=30, source_address=(self.source, 0)
            )
        sent = {"Host": f"localhost:{self.port}" if self.tls else "localhost"} | self.extra
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = self.origin
        sent |= headers or {}
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            result = Response(response.status, response.headers, response.read())
        finally:
            connection.close()
        for header in result.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return result

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data, **kwargs) -> Response:
        return self.request("POST", path, data=data, **kwargs)


# The run


class DeployTest:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.https_port, self.http_port = free_port(), free_port()
        self.node_ports = [free_port(), free_port()]
        self.site_url = f"https://localhost:{self.https_port}"
        self.sink = MailSink()
        self.results: list[tuple[bool, str, str]] = []
        self.base_env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": str(workdir),
        }
        self.tls = None
        self.nodes: list[Process] = []
        self.worker: Process | None = None
        self.nginx: Process | None = None
        self.mark = None  # where the sink's messages stood when the staff change was posted

    # Set-up

    def render(self) -> None:
        self.env_values = {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "localhost",
            "CSRF_TRUSTED_ORIGINS": self.site_url,
            "SITE_URL": self.site_url,
            "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
            "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
            "CACHE_KEY_PREFIX": "cope-deploytest",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.sink.port),
            "EMAIL_USER": "",
            "EMAIL_PASSWORD": "",
            "EMAIL_USE_TLS": "off",
            "WEB_CONCURRENCY": "2",
            "VAR_DIR": str(self.workdir / "var"),
            "STATIC_ROOT": str(BASE_DIR / "var" / "static"),
            "FOLLOW_NOTICE_DELAY": "2",
            "FOLLOW_RESUME_AFTER": "4",
            # an invented licence, for the test only: the city chooses the real one
            "OPEN_DATA_LICENSE": "Example Open Licence 1.0 https://licences.example.org/open/1.0/",
        }
        self.env_file = self.workdir / "cope.env"
        self.env_file.write_text(render_env(self.env_values))
        self.worker_unit = Unit("cope-worker@.service", env_file=self.env_file, instance="1")
        self.env = self.worker_unit.environment(self.base_env)

        self.cert, self.key = self.workdir / "cert.pem", self.workdir / "key.pem"
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
                *("-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"),
                *("-keyout", str(self.key), "-out", str(self.cert)),
            ],
            check=True,
            capture_output=True,
        )
        self.tls = ssl.create_default_context(cafile=str(self.cert))
        site = self.site = self.workdir / "cope.conf"
        site.write_text(
            render_nginx_site(
                https_port=self.https_port,
                http_port=self.http_port,
                nodes=self.node_ports,
                workdir=self.workdir,
                cert=self.cert,
                key=self.key,
            )
        )
        for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.workdir / "nginx-temp" / name).mkdir(parents=True, exist_ok=True)
        user = None
        if os.geteuid() == 0:  # nginx's workers would otherwise be `nobody`, who cannot read here
            user = "root"
        self.nginx_conf = self.workdir / "nginx.conf"
        self.nginx_conf.write_text(nginx_main_config(site=site, workdir=self.workdir, user=user))

    def manage(self, *arguments: str, stdin: str | None = None, timeout: float = 300) -> str:
        python = self.worker_unit.commands()[0][0]
        result = subprocess.run(
            [python, "manage.py", *arguments],
            cwd=self.worker_unit.working_directory,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode:
            raise CheckFailed(f"manage.py {' '.join(arguments)}: {result.stderr.strip()[-800:]}")
        return result.stdout

    def psql(self, sql: str, database: str = "postgres") -> str:
        return subprocess.run(
            ["psql", f"{POSTGRES}/{database}", "-qAtc", sql],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    def prepare(self) -> None:
        self.psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        self.psql(f"CREATE DATABASE {DATABASE}")
        subprocess.run(
            ["redis-cli", "-n", str(REDIS_DB), "flushdb"], check=True, capture_output=True
        )
        self.manage("migrate", "--noinput", "-v0")
        self.manage("load_cope_content")
        self.manage("createstaff", STAFF[0], "--role", "editor", "--password-stdin", stdin=STAFF[1])
        self.recommendation = self.manage(
            "shell",
            "--no-imports",
            "-c",
            "from follow.models import Follower, Subscription\n"
            "from recommendations.models import Recommendation\n"
            f"for i in range({FOLLOWERS}):\n"
            "    f = Follower.objects.create(email=f'follower{i}@example.org')\n"
            "    Subscription.objects.create(follower=f, topic='plan', frequency='each')\n"
            "print(Recommendation.objects.get(number=13).pk)",
        ).strip()

    def start_node(self, index: int) -> Process:
        port = self.node_ports[index]
        unit = Unit("cope-web@.service", env_file=self.env_file, instance=str(port))
        node = unit_process(
            unit, f"node {'AB'[index]}", self.workdir / f"node{index}.log", self.base_env
        )
        if index < len(self.nodes):
            self.nodes[index] = node
        else:
            self.nodes.append(node)
        return node.start()

    def node_client(self, index: int, source="127.0.0.1") -> Client:
        """Straight to one node, with the headers nginx would add."""
        return Client(
            self.node_ports[index],
            source=source,
            headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": source},
            origin=self.site_url,
        )

    def wait_healthy(self, index: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.node_client(index).get("/healthz").status == 200:
                    return
            except OSError:
                pass
            expect(
                self.nodes[index].alive(), f"node {'AB'[index]} exited: see {self.nodes[index].log}"
            )
            time.sleep(0.2)
        raise CheckFailed(f"node {'AB'[index]} did not answer /healthz in {timeout:.0f} s")

    def start_worker(self) -> None:
        self.worker = unit_process(
            self.worker_unit, "worker", self.workdir / "worker.log", self.base_env
        ).start()

    def start(self) -> None:
        for index in range(len(self.node_ports)):
            self.start_node(index)
        self.start_worker()
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        base = [nginx, "-p", str(self.workdir), "-c", str(self.nginx_conf)]
        base += ["-e", str(self.workdir / "nginx-error.log")]
        test = subprocess.run([*base, "-t"], capture_output=True, text=True)
        expect(test.returncode == 0, f"nginx -t: {test.stderr.strip()}")
        self.nginx = Process(
            "nginx",
            [*base, "-g", "daemon off;"],
            cwd=self.workdir,
            env=self.base_env,
            log=self.workdir / "nginx.log",
        ).start()
        for index in range(len(self.nodes)):
            self.wait_healthy(index)
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)

    def stop_all(self) -> None:
        for process in reversed(Process.started):
            process.stop(signal.SIGQUIT if process.name == "nginx" else signal.SIGTERM, timeout=20)
        self.sink.shutdown()

    # Helpers of the checks

    def visitor(self, source="127.0.0.1") -> Client:
        return Client(self.https_port, tls=self.tls, source=source, origin=self.site_url)

    def upstreams_of(self, method: str, path_prefix: str, since: int) -> set[str]:
        lines = (self.workdir / "access.log").read_text().splitlines()[since:]
        return {
            line.split()[-2]
            for line in lines
            if f'"{method} {path_prefix}' in line and line.split()[-2] != "-"
        }

    def access_log_length(self) -> int:
        path = self.workdir / "access.log"
        return len(path.read_text().splitlines()) if path.exists() else 0

    def load(self, seconds: int, paths: list[str], during=None) -> dict:
        """wrk through nginx while `during` runs: {status: count} and wrk's socket errors."""
        script = self.workdir / "load.lua"
        script.write_text(
            LOAD_SCRIPT.replace("PATHS", ", ".join(json.dumps(p) for p in paths)).replace(
                "SEED", str(secrets.randbelow(10**6) * 10)
            )
        )
        wrk = subprocess.Popen(
            [
                *("wrk", "-t2", f"-c{LOAD_CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s"),
                *("-s", str(script), self.site_url + "/"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        Process.started.append(Process("wrk", [], cwd=self.workdir, env={}, log=Path("/dev/null")))
        Process.started[-1].popen = wrk
        try:
            if during:
                during()
                time.sleep(2)  # load on the repaired shape too, then stop
        finally:
            if during:
                wrk.send_signal(signal.SIGINT)  # wrk stops and reports
            output, _ = wrk.communicate(timeout=seconds + 60)
        statuses = re.search(r"^STATUSES (.*)$", output, re.M)
        errors = re.search(r"^ERRORS (.*)$", output, re.M)
        expect(statuses and errors, f"wrk said: {output[-500:]}")
        return {
            "statuses": {int(k): v for k, v in json.loads(statuses.group(1)).items()},
            "errors": json.loads(errors.group(1)),
        }

    @staticmethod
    def load_summary(result: dict) -> str:
        statuses = ", ".join(f"{n} × {s}" for s, n in sorted(result["statuses"].items()))
        errors = {k: v for k, v in result["errors"].items() if v}
        return f"{statuses}; socket errors: {errors or 'none'}"

    # The checks

    def check(self, name: str, function) -> None:
        try:
            detail = function()
            ok = True
        except CheckFailed as failure:
            ok, detail = False, str(failure)
        except Exception as error:  # a check that breaks is a failed check, and the next run
            ok, detail = False, f"{type(error).__name__}: {error}"
            traceback.print_exc(file=sys.stderr)
        self.results.append((ok, name, detail))
        print(f"{'ok  ' if ok else 'FAIL'}  {name}: {detail}", flush=True)

    def check_tls(self) -> str:
        visitor = self.visitor()
        home = visitor.get("/")
        expect(home.status == 200, f"/ over HTTPS: {home.status}")
        with (
            socket.create_connection(("127.0.0.1", self.https_port)) as raw,
            self.tls.wrap_socket(raw, server_hostname="localhost") as tls,
        ):
            version = tls.version()
        old = ssl.create_default_context(cafile=str(self.cert))
        old.maximum_version = ssl.TLSVersion.TLSv1_2
        with (
            socket.create_connection(("127.0.0.1", self.https_port)) as raw,
            old.wrap_socket(raw, server_hostname="localhost") as tls,
        ):
            expect(tls.version() == "TLSv1.2", "TLS 1.2 refused")
        curl = subprocess.run(
            [
                *("curl", "-sS", "--http2", "--cacert", str(self.cert), "-o", "/dev/null"),
                *("-w", "%{http_version}", self.site_url + "/"),
            ],
            capture_output=True,
            text=True,
        )
        expect(curl.stdout.strip() == "2", f"curl --http2 got HTTP/{curl.stdout.strip()}")
        plain = Client(self.http_port, source="127.0.0.1").get("/safety-plan/?status=completed")
        location = plain.headers.get("Location", "")
        expect(
            plain.status == 301 and location == "https://localhost/safety-plan/?status=completed",
            f"http:// answered {plain.status} {location}",
        )
        hsts = home.headers.get("Strict-Transport-Security", "")
        expect("max-age=31536000" in hsts, f"no HSTS from the app: {hsts!r}")
        return f"{version} (1.2 accepted), HTTP/2, http:// → 301 https://, HSTS from the app"

    def check_static(self) -> str:
        visitor = self.visitor()
        page = visitor.get("/")
        css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page.text)
        expect(css, "the home page links no hashed site.css")
        hashed = visitor.get(css.group(1), headers={"Accept-Encoding": "gzip"})
        expect(hashed.status == 200, f"{css.group(1)}: {hashed.status}")
        expect(
            hashed.headers.get("Cache-Control") == "public, max-age=31536000, immutable",
            f"hashed file's Cache-Control: {hashed.headers.get('Cache-Control')}",
        )
        expect(hashed.headers.get("Content-Encoding") == "gzip", "not served gzipped")
        plain = visitor.get("/static/css/site.css")
        expect(plain.headers.get("Cache-Control") == "public, max-age=3600", "unhashed name")
        app = self.node_client(0).get("/static/css/site.css")
        different = [
            name
            for name in (
                "Content-Security-Policy",
                "X-Content-Type-Options",
                "Referrer-Policy",
                "Cross-Origin-Opener-Policy",
                "X-Frame-Options",
                "Permissions-Policy",
            )
            if hashed.headers.get(name) != app.headers.get(name)
        ]
        expect(not different, f"nginx's static headers differ from the app's: {different}")
        log = (self.workdir / "access.log").read_text()
        expect(f"GET {css.group(1)} " in log, "not in nginx's log")
        return (
            "nginx serves them: hashed names a year (immutable), gzip, the app's security headers"
        )

    def check_journey(self) -> str:
        resident = self.visitor()
        for path in ("/", "/programs/", "/precincts/", "/safety-plan/", "/safety-plan/13/", "/es/"):
            page = resident.get(path)
            expect(page.status == 200, f"{path}: {page.status}")
        programs = resident.get("/programs/").text
        program = re.search(r'href="(/programs/[a-z0-9-]+/)"', programs)
        expect(program and resident.get(program.group(1)).status == 200, "a program page")
        found = resident.get("/precincts/find/?q=35203")
        expect(found.status == 200 and "tel:" in found.text, f"finder: {found.status}")

        form = resident.get("/volunteer/")
        sign_up = resident.post("/volunteer/", signup(form, "volunteer@example.org"))
        thanks = sign_up.headers.get("Location", "")
        expect(
            sign_up.status == 302 and thanks.startswith("/volunteer/thanks/"),
            f"sign-up: {sign_up.status} {thanks}",
        )
        expect(resident.get(thanks).status == 200, "the thank-you page")
        told = self.sink.wait_for(lambda s: s.to("cope-volunteers@example.gov"), 30)
        expect(told, "the coordinator was not told of the sign-up (worker, SMTP)")

        asked = resident.post(
            "/follow/",
            {"topic": "plan", "frequency": "each", "email": "resident@example.org", "website": ""},
        )
        expect(asked.status == 302, f"follow: {asked.status}")
        expect(self.sink.wait_for(lambda s: s.to("resident@example.org"), 30), "no confirmation")
        (message,) = self.sink.to("resident@example.org")
        body = message.get_body(("plain",)).get_content()
        link = re.search(re.escape(self.site_url) + r"(/follow/confirm/[^/\s]+/)", body)
        expect(link, "no confirmation link in the email")
        confirm = resident.get(link.group(1))
        expect(confirm.status == 200, f"confirmation page: {confirm.status}")
        done = resident.post(link.group(1), {"csrfmiddlewaretoken": confirm.csrf()})
        expect(done.status == 302 and "confirmed=1" in done.headers["Location"], "confirm")
        managed = resident.get(
            urllib.parse.urlsplit(done.headers["Location"]).path + "?confirmed=1"
        )
        expect(managed.status == 200, f"manage page: {managed.status}")
        return "pages, a program, the finder, a sign-up (coordinator emailed), follow + confirm"

    def check_deploy_command(self) -> str:
        output = self.manage("check", "--deploy", "--fail-level", "WARNING")
        expect("no issues" in output, output.strip())
        template = template_variables((DEPLOY / "cope.env").read_text())
        missing = settings_variables() - set(template)
        extra = set(template) - settings_variables() - {"WEB_CONCURRENCY"}
        expect(not missing, f"cope.env lacks {sorted(missing)}")
        expect(not extra, f"cope.env names variables nothing reads: {sorted(extra)}")
        return f"no issues; cope.env names all {len(template)} variables the portal reads"

    def check_invalidation(self) -> str:
        node_a, node_b = self.node_client(0, "127.0.0.9"), self.node_client(1, "127.0.0.9")
        node_b.get("/safety-plan/13/")
        before = node_b.get("/safety-plan/13/")
        expect(before.headers.get("X-Cache") == "hit", "node B did not cache the page")
        note = NOTE.format(time.strftime("%H:%M:%S"))
        login = node_a.get("/staff/login/")
        signed_in = node_a.post(
            "/staff/login/",
            {"csrfmiddlewaretoken": login.csrf(), "username": STAFF[0], "password": STAFF[1]}
            | {"next": "/staff/"},
        )
        expect(signed_in.status == 302, f"staff sign-in on node A: {signed_in.status}")
        post_url = f"/staff/recommendations/recommendation/{self.recommendation}/post/"
        form = node_a.get(post_url)
        status = re.search(r'<option value="([^"]+)" selected', form.text)
        expect(form.status == 200 and status, f"the post form: {form.status}")
        self.sink.delay = 0.25  # the worker's batch, next, is slow enough to be cut
        self.mark = len(self.sink.messages)
        response = node_a.post(
            post_url,
            {"csrfmiddlewaretoken": form.csrf(), "status": status.group(1)}
            | {"note": note, "date": "", "public": "on"},
        )
        saved = time.monotonic()
        expect(response.status == 302, f"posting the update: {response.status}")
        while True:
            fresh = note in node_b.get("/safety-plan/13/").text
            waited = time.monotonic() - saved
            if fresh or waited > 1:
                break
            time.sleep(0.02)
        expect(fresh, "node B still served the old page after 1 s")
        expect(note in self.visitor().get("/safety-plan/13/").text, "nginx served it stale")
        return f"node B served it {waited * 1000:.0f} ms after node A saved it (cached before)"

    def check_worker(self) -> str:
        mark = self.mark
        expect(mark is not None, "no staff change was posted")
        expected = set(self.psql("SELECT email FROM follow_follower", DATABASE).split())

        def notices(sink):
            return [m for m in sink.messages[mark:] if str(m["To"]) in expected]

        reached = self.sink.wait_for(lambda s: len(notices(s)) >= 8 and s.holding, 60)
        expect(reached, f"the batch did not start: {len(notices(self.sink))} sent")
        self.worker.kill()
        killed_after = len(notices(self.sink))
        time.sleep(2)  # the unit's RestartSec
        self.start_worker()
        everyone = self.sink.wait_for(lambda s: {str(m["To"]) for m in notices(s)} >= expected, 60)
        time.sleep(3)
        self.sink.delay = 0
        sent = [str(m["To"]) for m in notices(self.sink)]
        twice = sorted({a for a in sent if sent.count(a) > 1})
        expect(everyone, f"{len(expected - set(sent))} of {len(expected)} never got the notice")
        expect(not twice, f"sent twice to {len(twice)}: {twice[:3]}")
        expect(killed_after < len(expected), "the worker was killed after the batch")
        return f"killed after {killed_after} of {len(expected)}; all {len(sent)} sent once"

    def check_rate_limits(self) -> str:
        since = self.access_log_length()
        one, other = self.visitor("127.0.0.2"), self.visitor("127.0.0.3")
        form = one.get("/volunteer/")
        answers = [
            one.post("/volunteer/", signup(form, f"limit{i}@example.org")).status for i in range(6)
        ]
        expect(answers == [302] * 5 + [429], f"sign-ups from one address: {answers}")
        forged = one.post(
            "/volunteer/",
            signup(form, "forged@example.org"),
            headers={"X-Forwarded-For": "203.0.113.7"},
        )
        expect(forged.status == 429, f"with a forged X-Forwarded-For: {forged.status}")
        other_form = other.get("/volunteer/")
        expect(
            other.post("/volunteer/", signup(other_form, "other@example.org")).status == 302,
            "another address was limited too",
        )
        nodes = self.upstreams_of("POST", "/volunteer/", since)
        expect(len(nodes) == 2, f"the sign-ups reached {sorted(nodes)} only")

        since = self.access_log_length()
        guesser, staff = self.visitor("127.0.0.4"), self.visitor("127.0.0.5")
        login = guesser.get("/staff/login/")
        for i in range(5):
            guesser.post(
                "/staff/login/",
                {"csrfmiddlewaretoken": login.csrf(), "username": f"guess{i}", "password": "no"},
            )
        locked = guesser.post(
            "/staff/login/",
            {"csrfmiddlewaretoken": login.csrf(), "username": STAFF[0], "password": STAFF[1]},
            headers={"X-Forwarded-For": "203.0.113.8"},
        )
        expect(
            locked.status in (403, 429) and "locked" in locked.text,
            f"after 5 failures, with a forged X-Forwarded-For: {locked.status}",
        )
        page = staff.get("/staff/login/")
        allowed = staff.post(
            "/staff/login/",
            {"csrfmiddlewaretoken": page.csrf(), "username": STAFF[0], "password": STAFF[1]},
        )
        expect(allowed.status == 302, f"staff from another address: {allowed.status}")
        nodes = self.upstreams_of("POST", "/staff/login/", since)
        expect(len(nodes) == 2, f"the sign-ins reached {sorted(nodes)} only")
        return (
            "5 sign-ups then 429, and 5 failed sign-ins then locked, across both nodes, "
            "for the client's address only; a forged X-Forwarded-For changes nothing"
        )

    def check_node_killed(self) -> str:
        """A crash: every request node A had not begun to answer is retried on node B. One whose
        response A had begun to send (nginx passes the headers on as they come) is cut: nginx
        cannot replay what the client already has, so those are counted, and must be all."""
        error_log = self.workdir / "nginx-error.log"
        since = len(error_log.read_text().splitlines())

        def kill_node_a():
            time.sleep(3)
            self.nodes[0].kill()
            time.sleep(2)  # the unit's RestartSec
            self.start_node(0)
            self.wait_healthy(0)

        result = self.load(60, APP_PATHS, during=kill_node_a)
        lines = error_log.read_text().splitlines()[since:]
        retried = sum(
            "while reading response header from upstream" in line or "connect() failed" in line
            for line in lines
        )
        cut = sum("prematurely closed connection while reading upstream" in line for line in lines)
        failed = {s: n for s, n in result["statuses"].items() if not 200 <= s < 400}
        errors = {k: v for k, v in result["errors"].items() if v}
        expect(not failed, f"failed: {failed}")
        expect(
            sum(errors.values()) <= cut and set(errors) <= {"read"}, f"failed: {errors}, {cut} cut"
        )
        expect(retried, "nginx retried nothing: the kill came between requests")
        return (
            f"node A killed (SIGKILL) at 3 s and started again: {self.load_summary(result)}; "
            f"{retried} requests A had not answered retried on B; {cut} cut mid-response"
        )

    def check_rolling_restart(self) -> str:
        # nginx sends nothing to a node that failed for fail_timeout: the README's rolling
        # restart waits that long after a node answers again before restarting the next.
        fail_timeout = int(re.search(r"fail_timeout=(\d+)s", self.site.read_text()).group(1))

        def rolling():
            time.sleep(2)
            for index in range(len(self.nodes)):
                self.nodes[index].stop()  # systemctl restart: SIGTERM, gunicorn finishes requests
                self.start_node(index)
                self.wait_healthy(index)
                time.sleep(fail_timeout + 1)

        result = self.load(90, APP_PATHS, during=rolling)
        self.expect_no_failure(result)
        return (
            f"each node restarted in turn, the next {fail_timeout + 1} s after it answered: "
            f"{self.load_summary(result)}"
        )

    @staticmethod
    def expect_no_failure(result: dict) -> None:
        failed = {s: n for s, n in result["statuses"].items() if not 200 <= s < 400}
        errors = {k: v for k, v in result["errors"].items() if v}
        expect(sum(result["statuses"].values()) > 100, f"too few requests: {result}")
        expect(not failed and not errors, f"failed: {failed} {errors}")

    def check_database_restart(self) -> str:
        probe = {}

        def restart():
            time.sleep(2)
            # A restart as the portal sees it: every connection ended by the server, and new
            # ones refused until it is back; only this test's database is touched.
            self.psql(f"ALTER DATABASE {DATABASE} WITH ALLOW_CONNECTIONS false")
            self.psql(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                f"WHERE datname = '{DATABASE}'"
            )
            seen = time.monotonic()
            while time.monotonic() - seen < 3 and probe.get("status") != 503:
                page = self.visitor().get(f"/precincts/find/?q=352{secrets.randbelow(90) + 10}")
                probe["status"], probe["text"] = page.status, page.text
            time.sleep(3)
            self.psql(f"ALTER DATABASE {DATABASE} WITH ALLOW_CONNECTIONS true")

        try:
            result = self.load(60, ["/safety-plan/", "FINDER"], during=restart)
        finally:
            self.psql(f"ALTER DATABASE {DATABASE} WITH ALLOW_CONNECTIONS true")
        statuses = result["statuses"]
        expect(
            probe.get("status") == 503 and "briefly unavailable" in probe.get("text", ""),
            f"during the outage a page answered {probe.get('status')}",
        )
        expect(set(statuses) <= {200, 503}, f"statuses: {statuses}")
        expect(statuses.get(503), "no 503 under load: the outage was not seen")
        expect(not any(result["errors"].values()), f"socket errors: {result['errors']}")
        started = time.monotonic()
        while (
            self.visitor().get(f"/precincts/find/?q=35{secrets.randbelow(900) + 100}").status != 200
        ):
            expect(time.monotonic() - started < 15, "no recovery within 15 s")
            time.sleep(0.2)
        recovered = time.monotonic() - started
        return (
            f"{self.load_summary(result)}; the 503 page, never a 500; recovered in "
            f"{recovered:.1f} s; {self.worker_after_outage()}"
        )

    def worker_after_outage(self) -> str:
        """The worker's unit restarts it if the outage ended it (Restart=); either way it must
        deliver again."""
        if self.worker.alive():
            said = "the worker kept running"
        else:
            self.worker.stop()  # reaps it, and anything it left behind
            code = self.worker.popen.returncode
            expect(
                self.worker_unit.value("Service", "Restart") in ("always", "on-failure"),
                f"the worker exited ({code}) and its unit does not restart it",
            )
            time.sleep(float(self.worker_unit.value("Service", "RestartSec", "0.1")))
            self.start_worker()
            said = f"the worker exited ({code}) and was restarted as its unit says"
        address = "after-outage@example.org"
        asked = self.visitor("127.0.0.6").post(
            "/follow/", {"topic": "plan", "frequency": "each", "email": address, "website": ""}
        )
        expect(asked.status == 302, f"a follow request after the outage: {asked.status}")
        expect(self.sink.wait_for(lambda s: s.to(address), 30), f"{said}, but sends nothing")
        return f"{said}, and delivers"

    def check_timer(self, timer: str, service: str, calendar: str) -> str:
        unit = Unit(service, env_file=self.env_file)
        expect(unit.value("Service", "Type") == "oneshot", f"{service} is not Type=oneshot")
        spent = []
        for argv in unit.commands():
            started = time.monotonic()
            result = subprocess.run(
                argv,
                cwd=unit.working_directory,
                env=unit.environment(self.base_env),
                capture_output=True,
                text=True,
                timeout=300,
            )
            expect(result.returncode == 0, f"{' '.join(argv[1:])}: {result.stderr.strip()[-300:]}")
            spent.append(f"{' '.join(argv[2:])} ({time.monotonic() - started:.1f} s)")
        analyze = shutil.which("systemd-analyze")
        if analyze:
            parsed = subprocess.run([analyze, "calendar", calendar], capture_output=True)
            expect(parsed.returncode == 0, f"systemd-analyze refuses OnCalendar={calendar}")
        return f"{', '.join(spent)} ran; OnCalendar={calendar}"

    def check_backup_restore(self) -> str:
        """cope-backup.timer's dump (its check ran just before), a change after it, then `manage.py
        restore`: the site through nginx shows the backed-up contents again, at once."""
        (dump,) = sorted((self.workdir / "var" / "backups").glob("cope-*.dump"))[-1:] or [None]
        expect(dump, "cope-backup.service left no dump in VAR_DIR/backups")
        downloads = "/safety-plan/status-updates.json"
        before = self.visitor().get(downloads).text
        expect("Deploy test: posted through node A" in before, "the staff change is not public")
        changed = "Changed after the backup."
        self.psql(
            f"UPDATE recommendations_statusupdate SET note = '{changed}' "
            "WHERE note LIKE 'Deploy test: posted through node A%'",
            DATABASE,
        )
        self.manage(  # as a change through the admin would (the SQL above sends no signal)
            "shell",
            "-c",
            "from core.downloads import renew; from portal.pagecache import bump_generation; "
            "renew('recommendations'); bump_generation()",
        )
        expect(changed in self.visitor().get(downloads).text, "the change is not served")
        self.worker.stop()  # the README's restore stops it (the nodes, here, keep answering)
        started = time.monotonic()
        self.manage("restore", str(dump), "--noinput")
        took = time.monotonic() - started
        self.start_worker()
        after = self.visitor().get(downloads).text
        expect(changed not in after and after == before, "the restored site differs from before")
        page = self.visitor().get("/safety-plan/13/").text
        expect("Deploy test: posted through node A" in page, "the page is not restored")
        size = dump.stat().st_size
        return f"{dump.name} ({size // 1024} KB) restored in {took:.1f} s: the downloads as before"

    def check_logs(self) -> str:
        access = (self.workdir / "access.log").read_text()
        nodes = "".join((self.workdir / f"node{i}.log").read_text() for i in range(2))
        for name, text in (("nginx's access log", access), ("the nodes' logs", nodes)):
            expect(
                not re.search(r"127\.0\.0\.[2-9]|203\.0\.113", text), f"{name}: client addresses"
            )
            expect("?q=" not in text and "?status=" not in text, f"{name}: query strings")
            for address in ("resident@example.org", "volunteer@example.org"):
                expect(address not in text, f"{name}: an email address")
        tokens = re.findall(r"/follow/(?:confirm|manage)/([^ \"/]+)", access + nodes)
        expect(tokens, "no follow link in the logs")
        expect(set(tokens) <= {"-", "…"}, f"follow tokens in the logs: {set(tokens) - {'-', '…'}}")
        return f"{len(access.splitlines())} nginx lines: no client address, query or follow token"

    def run(self) -> int:
        self.render()
        self.prepare()
        self.start()
        print(
            f"nginx https://localhost:{self.https_port}/ in front of app nodes on ports "
            f"{self.node_ports} and a worker; logs in {self.workdir}",
            flush=True,
        )
        self.check("HTTPS through nginx", self.check_tls)
        self.check("static files", self.check_static)
        self.check("a resident's journey over HTTPS through nginx", self.check_journey)
        self.check("check --deploy with deploy/cope.env", self.check_deploy_command)
        self.check(
            "a staff change through node A is fresh on node B within 1 s", self.check_invalidation
        )
        self.check(
            "the worker killed mid-batch, then started again: each email sent once",
            self.check_worker,
        )
        self.check(
            "rate limits and lock-outs shared, by the real client address", self.check_rate_limits
        )
        self.check(
            "node A killed mid-load: every request it had not begun to answer is retried",
            self.check_node_killed,
        )
        self.check(
            "node A, then node B, stopped and started under load: no request fails",
            self.check_rolling_restart,
        )
        self.check("PostgreSQL restarted during load", self.check_database_restart)
        for timer, service, calendar in timers():
            self.check(
                f"timer {timer}", lambda t=timer, s=service, c=calendar: self.check_timer(t, s, c)
            )
        self.check("a backup restores, the nodes running", self.check_backup_restore)
        self.check("logs", self.check_logs)
        failed = [name for ok, name, _ in self.results if not ok]
        print(
            f"{len(self.results) - len(failed)} of {len(self.results)} checks passed"
            + (f"; failed: {', '.join(failed)}" if failed else ""),
            flush=True,
        )
        return 1 if failed else 0


def signup(form: Response, address: str) -> dict:
    program = re.search(r'name="programs" value="(\d+)"', form.text)
    expect(program, "the sign-up form lists no program")
    return {
        "csrfmiddlewaretoken": form.csrf(),
        "full_name": "Deploy Test",
        "email": address,
        "phone": "(205) 555-0142",
        "zip_code": "35203",
        "availability": ["weekends"],
        "age_band": "18-or-over",
        "message": "",
        "accept_privacy_notice": "on",
        "consent_to_contact": "on",
        "website": "",
        "programs": [program.group(1)],
    }


APP_PATHS = [
    "/",
    "/safety-plan/",
    "/programs/",
    "/precincts/",
    "/es/",
    "/safety-plan/13/",
    "FINDER",
]

# wrk's Lua: the paths in turn (FINDER is a finder query of a random ZIP code, seeded anew for
# each run so that it is hardly ever cached),
# and every status counted across threads.
LOAD_SCRIPT = """
local paths = {PATHS}
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
function init(args)
  math.randomseed(SEED + id)
  statuses = {}
  n = math.random(#paths)
end
function request()
  n = n + 1
  local path = paths[(n % #paths) + 1]
  if path == "FINDER" then path = "/precincts/find/?q=" .. math.random(10000, 99999) end
  return wrk.format("GET", path)
end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for s, c in pairs(t:get("statuses")) do total[s] = (total[s] or 0) + c end
  end
  local parts = {}
  for s, c in pairs(total) do table.insert(parts, string.format('"%d": %d', s, c)) end
  io.write("STATUSES {" .. table.concat(parts, ", ") .. "}\\n")
  local e = summary.errors
  io.write(string.format('ERRORS {"connect": %d, "read": %d, "write": %d, "timeout": %d}\\n',
    e.connect, e.read, e.write, e.timeout))
end
"""


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="cope-deploytest-"))
    test = DeployTest(workdir)

    def interrupted(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)
    code = 1
    try:
        code = test.run()
    except CheckFailed as failure:
        print(f"FAIL  set-up: {failure}", flush=True)
    except (SystemExit, KeyboardInterrupt):
        print("interrupted: stopping everything it started", flush=True)
        raise
    finally:
        test.stop_all()
        if code == 0:
            test.psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"logs kept in {workdir}", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
