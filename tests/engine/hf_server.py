"""A loopback fake of the Hugging Face hub, for offline tests of the REAL huggingface_hub client.

It serves, on 127.0.0.1 only, the two requests the weights code makes:
- HEAD/GET /<org>/<name>/resolve/<revision>/<file>   404 with the hub's `X-Error-Code: EntryNotFound`
  when the repository lacks the file (unknown repository: 401 with `X-Error-Code: RepoNotFound`, as the
  hub answers for missing or private repositories); files it has are listed, not served (501);
- GET /api/models/<org>/<name>/tree/<revision>?recursive=...   the repository's file listing as the
  hub's tree API returns it (one page, no `Link` header).

huggingface_hub reads HF_ENDPOINT (and HF_HUB_OFFLINE, HF_HUB_CACHE) once, when it is imported: run the
client in a process started with HF_ENDPOINT=server.endpoint in its environment (as the worker is).
Every request is recorded as (method, path).

    with FakeHub({"MBZUAI/TerraFM": {"README.md": 1200, "TerraFM-B.pth": 451_900_000}}) as hub:
        env["HF_ENDPOINT"] = hub.endpoint
"""

import hashlib
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COMMIT = "0123456789abcdef0123456789abcdef01234567"


class FakeHub:
    def __init__(self, repos, silent_listing=False):
        """repos: {"org/name": {path_in_repo: size in bytes}}. silent_listing: the tree API never answers
        (until the hub stops)."""
        self.repos = {repo: dict(files) for repo, files in repos.items()}
        self.silent_listing = silent_listing
        self.stopped = threading.Event()
        self.requests = []
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_HEAD(self):
                hub._answer(self, body=False)

            def do_GET(self):
                hub._answer(self, body=True)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.server.shutdown()
        self.server.server_close()

    # -- routing ---------------------------------------------------------------------------------
    def _answer(self, handler, body):
        url = urllib.parse.urlsplit(handler.path)
        path = urllib.parse.unquote(url.path)
        self.requests.append((handler.command, path))
        parts = path.strip("/").split("/")
        if len(parts) >= 6 and parts[:2] == ["api", "models"] and parts[4] == "tree":
            self._tree(handler, "/".join(parts[2:4]), body)
        elif len(parts) >= 5 and parts[2] == "resolve":
            self._resolve(handler, "/".join(parts[:2]), "/".join(parts[4:]), body)
        else:
            self._send(handler, 404, b"Not Found", body)

    def _tree(self, handler, repo, body):
        files = self.repos.get(repo)
        if files is None:
            return self._repo_not_found(handler, body)
        if self.silent_listing:
            self.stopped.wait()
            return
        listing = [
            {"type": "file", "oid": hashlib.sha1(name.encode()).hexdigest(), "size": size, "path": name}
            for name, size in sorted(files.items())
        ]
        self._send(handler, 200, json.dumps(listing).encode(), body, content_type="application/json")

    def _resolve(self, handler, repo, filename, body):
        files = self.repos.get(repo)
        if files is None:
            return self._repo_not_found(handler, body)
        if filename not in files:
            return self._send(
                handler,
                404,
                b"Entry not found",
                body,
                headers={
                    "X-Error-Code": "EntryNotFound",
                    "X-Error-Message": "Entry not found",
                    "X-Repo-Commit": COMMIT,
                },
            )
        self._send(handler, 501, b"this fake hub lists files but does not serve them", body)

    def _repo_not_found(self, handler, body):
        self._send(
            handler,
            401,
            b"Repository not found",
            body,
            headers={"X-Error-Code": "RepoNotFound", "X-Error-Message": "Repository not found"},
        )

    @staticmethod
    def _send(handler, status, data, body, content_type="text/plain", headers=None):
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        if body:
            handler.wfile.write(data)
