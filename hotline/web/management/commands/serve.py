"""``hotline serve``: the web server (gunicorn), optionally with the SLA worker in-process."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from gunicorn.app.base import BaseApplication

from hotline.env import env_int


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from hotline.wsgi import application

        return application


class Command(BaseCommand):
    help = "Serve the web UI and API with gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=env_int("PORT", 8000, minimum=1))
        parser.add_argument("--workers", type=int, default=env_int("WEB_WORKERS", 1, minimum=1))
        parser.add_argument("--threads", type=int, default=env_int("WEB_THREADS", 4, minimum=1))
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="run the SLA worker inside each web process (safe: workers never double up)",
        )
        parser.add_argument("--print-logins", action="store_true", help="print the demo logins")

    def handle(self, *args, **opts) -> None:
        if settings.STATIC_MANIFEST:
            # Hashed file names need the manifest: collect once per release (fast when current).
            call_command("collectstatic", interactive=False, verbosity=0)
        url = f"http://{opts['host']}:{opts['port']}/"
        banner = self._banner(url, opts["print_logins"])
        with_worker = opts["with_worker"]

        def when_ready(server: Any) -> None:
            self.stdout.write(banner)
            self.stdout.flush()

        def post_worker_init(worker: Any) -> None:
            if with_worker:
                from hotline.sla.worker import start_in_thread

                start_in_thread(settings.SLA_WORKER_INTERVAL_SECONDS)

        _Gunicorn(
            {
                "bind": f"{opts['host']}:{opts['port']}",
                "workers": opts["workers"],
                "threads": opts["threads"],
                "worker_class": "gthread",
                "accesslog": os.environ.get("ACCESS_LOG", "-"),
                # Phone numbers in searched URLs are masked in the access log.
                "logger_class": "hotline.security.gunicorn.MaskedAccessLogger",
                "graceful_timeout": 10,
                "when_ready": when_ready,
                "post_worker_init": post_worker_init,
            }
        ).run()

    def _banner(self, url: str, logins: bool) -> str:
        lines = ["", f"Hotline 12345 is running at {url}"]
        if logins:
            from hotline.org.demo import demo_logins

            lines.append("Demo logins (password for all: hotline-demo):")
            lines.extend(f"  {username:<22} {label}" for username, label in demo_logins())
        lines.append("Press Ctrl+C to stop.")
        return "\n".join(lines) + "\n"
