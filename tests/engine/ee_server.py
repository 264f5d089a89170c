"""A loopback fake of the Earth Engine REST service, for offline tests of the real `ee` client.

It serves, on 127.0.0.1 only:
- GET  /$discovery/rest          the Cloud API discovery document shipped in the earthengine-api
                                 wheel (ee/tests/cloud_api_discovery_document.json), with its
                                 rootUrl pointed at this server;
- POST /token                    an OAuth token endpoint (refresh-token and service-account JWT
                                 grants both get an access token);
- GET  /v1alpha/projects/P/algorithms        the algorithm list shipped in the wheel;
- POST /v1alpha/projects/P/value:compute     `value_handler(expression) -> value` (default: 5, an
                                 image count; AlphaEarth's question of its years: `alphaearth_years`
                                 and `alphaearth_tiles` for a year among them, see default_value);
- POST /v1alpha/projects/P/image:computePixels  NPY pixels computed from the requested grid with
                                 `pixel_value` (a function of the global pixel row/column and the
                                 band index), or a scripted error. AlphaEarth's bands A00..A63 get
                                 the unit vectors of ee_alphaearth.py, with the request's unmask
                                 value on the cells its collection masks (and, from the year
                                 `alphaearth_change_from`, a planted change in a region).

Every request is recorded (method, path, headers, parsed JSON body). Errors are scripted with
`server.script(kind, [(status, message), ...])`: each request of that kind ("pixels", "value",
"algorithms", "token") takes the next entry until the list is empty; status 0 means
"close the connection without answering" (a network failure), status -1 "never answer" (until the
server stops). `max_request_pixels` makes
computePixels answer larger requests with EE's "Total request size ... must be less than or equal
to ..." 400 error.
"""

import io
import json
import os
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
from ee_alphaearth import ALPHAEARTH_BANDS, ALPHAEARTH_ID, ALPHAEARTH_YEARS, alphaearth_pixels, answer, year_of

ACCESS_TOKEN = "ya29.fake-access-token-for-tests"
STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


def _ee_dir():
    import ee

    return os.path.dirname(os.path.realpath(ee.__file__))


def pixel_value(row, col, band):
    """The default pixel pattern: exact in float32 for |row|, |col| < 2**20 modulo 1024."""
    return (np.mod(row, 1024) * 1024 + np.mod(col, 1024) + band * 2**20).astype(np.float32)


def global_indices(transform, width, height):
    """Global grid (row, col) indices of a north-up grid's pixels, from its affine transform
    (scaleX, shearX, translateX, shearY, scaleY, translateY) -- the same for a chunk and for
    the stitched mosaic, so tests compare a mosaic with pixel_value on its own grid."""
    sx, _, tx, _, sy, ty = transform
    cols = np.floor((tx + (np.arange(width) + 0.5) * sx) / abs(sx)).astype(np.int64)
    rows = np.floor(-(ty + (np.arange(height) + 0.5) * sy) / abs(sy)).astype(np.int64)
    return rows[:, None], cols[None, :]


def expected_pixels(transform, width, height, nbands):
    rows, cols = global_indices(transform, width, height)
    return np.stack([pixel_value(rows, cols, b) for b in range(nbands)])


def walk(node):
    """Yield every dict in a JSON tree (to search serialised EE expressions)."""
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)


def function_names(expression):
    return [d["functionName"] for d in walk(expression) if "functionName" in d]


def constants(expression):
    return [d["constantValue"] for d in walk(expression) if "constantValue" in d]


def resolve(node, values):
    """A serialised value with references, constants and arrays/dicts of them resolved to plain
    Python values (other nodes are returned as they are)."""
    if isinstance(node, dict):
        if "valueReference" in node and node["valueReference"] in values:
            return resolve(values[node["valueReference"]], values)
        if "constantValue" in node:
            return node["constantValue"]
        if "arrayValue" in node:
            return [resolve(v, values) for v in node["arrayValue"].get("values", [])]
        if "dictionaryValue" in node:
            return {k: resolve(v, values) for k, v in node["dictionaryValue"].get("values", {}).items()}
    return node


def invocations(expression, name):
    """The argument dicts of every invocation of `name`, with constant arguments resolved."""
    values = expression.get("values", {})
    return [
        {k: resolve(v, values) for k, v in d.get("arguments", {}).items()}
        for d in walk(expression)
        if d.get("functionName") == name
    ]


class FakeEarthEngine:
    def __init__(self, bands=None, pixel_fn=pixel_value):
        self.stopped = threading.Event()  # releases the requests scripted never to be answered
        self.bands = bands  # None: the bands the request's expression selects (guessed), see below
        self.pixel_fn = pixel_fn
        self.requests = []
        self.value_handler = self.default_value
        self.alphaearth_years = list(ALPHAEARTH_YEARS)
        self.alphaearth_tiles = 2  # the tiles of a year the collection has, over any area
        self.alphaearth_change_from = None  # a year: the planted change of ee_alphaearth.yearly_vectors from then
        self.max_request_pixels = None
        self.pixel_delay_s = 0.0  # seconds each pixel request takes (a slow network)
        self._scripts = {}
        self._lock = threading.Lock()
        with open(os.path.join(_ee_dir(), "tests", "cloud_api_discovery_document.json"), encoding="utf-8") as f:
            self._discovery = json.load(f)
        with open(os.path.join(_ee_dir(), "tests", "algorithms.json"), encoding="utf-8") as f:
            self._algorithms = f.read().encode("utf-8")
        self.httpd = None
        self.thread = None

    # -- lifecycle ----------------------------------------------------------------------------------
    def start(self):
        server = self

        class Handler(_Handler):
            fake = server

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.stopped.set()
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.thread.join(5)
            self.httpd = None

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.httpd.server_address[1]

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- scripting and inspection -------------------------------------------------------------------
    def script(self, kind, answers):
        with self._lock:
            self._scripts.setdefault(kind, []).extend(answers)

    def _next_scripted(self, kind):
        with self._lock:
            queue = self._scripts.get(kind)
            if queue:
                return queue.pop(0)
        return None

    def of_kind(self, kind):
        with self._lock:
            return [r for r in self.requests if r["kind"] == kind]

    def clear(self):
        with self._lock:
            self.requests.clear()

    def discovery_document(self):
        doc = dict(self._discovery)
        doc["rootUrl"] = self.url + "/"
        doc["baseUrl"] = self.url + "/"
        return doc

    def default_value(self, expression):
        """5 (an image count), or the answer to AlphaEarth's question (ee_alphaearth.answer)."""
        if ALPHAEARTH_ID not in [a.get("id") for a in invocations(expression, "ImageCollection.load")]:
            return 5
        return answer(constants(expression), self.alphaearth_years, self.alphaearth_tiles)

    def pixels_npy(self, body):
        grid = body["grid"]
        width, height = grid["dimensions"]["width"], grid["dimensions"]["height"]
        a = grid["affineTransform"]
        transform = (
            a.get("scaleX", 0),
            a.get("shearX", 0),
            a.get("translateX", 0),
            a.get("shearY", 0),
            a.get("scaleY", 0),
            a.get("translateY", 0),
        )
        names = self.bands or band_names_of(body["expression"])
        rows, cols = global_indices(transform, width, height)
        arr = np.zeros((height, width), dtype=[(n, "<f4") for n in names])
        if names == ALPHAEARTH_BANDS and self.pixel_fn is pixel_value:
            fills = [a["value"] for a in invocations(body["expression"], "Image.constant")]  # unmask(value)
            year = year_of(constants(body["expression"]))
            alphaearth_pixels(arr, rows, cols, fills[0] if fills else 0.0, year, self.alphaearth_change_from)
        else:
            for i, n in enumerate(names):
                arr[n] = self.pixel_fn(rows, cols, i)
        buf = io.BytesIO()
        np.save(buf, arr, allow_pickle=False)
        return buf.getvalue()


def band_names_of(expression):
    """The band list of the outermost Image.select in a serialised expression (the fake's guess of
    which bands the request wants)."""
    for args in invocations(expression, "Image.select"):
        sel = args.get("bandSelectors")
        if isinstance(sel, list) and all(isinstance(s, str) for s in sel):
            return sel
    return ["B1"]


class _Handler(BaseHTTPRequestHandler):
    fake = None
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, status, body, content_type="application/json"):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status, message):
        self._send(
            status, {"error": {"code": status, "message": message, "status": STATUS_NAMES.get(status, "UNKNOWN")}}
        )

    def _record(self, kind, body):
        parsed = urllib.parse.urlsplit(self.path)
        entry = {
            "kind": kind,
            "method": self.command,
            "path": urllib.parse.unquote(parsed.path),
            "query": urllib.parse.parse_qs(parsed.query),
            "headers": dict(self.headers.items()),
            "body": body,
        }
        with self.fake._lock:
            self.fake.requests.append(entry)
        return entry

    def _read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        ctype = self.headers.get("Content-Type", "")
        if "json" in ctype:
            return json.loads(raw.decode("utf-8") or "null")
        if "x-www-form-urlencoded" in ctype:
            return {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode("utf-8")).items()}
        return raw.decode("utf-8", "replace")

    def _kind(self):
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith("/$discovery/"):
            return "discovery"
        if path == "/token":
            return "token"
        if path.endswith("/algorithms"):
            return "algorithms"
        if path.endswith("/value:compute"):
            return "value"
        if path.endswith("/image:computePixels"):
            return "pixels"
        return "unknown"

    def do_GET(self):
        self._dispatch(None)

    def do_POST(self):
        self._dispatch(self._read_body())

    def _dispatch(self, body):
        kind = self._kind()
        self._record(kind, body)
        scripted = self.fake._next_scripted(kind)
        if scripted is not None:
            status, message = scripted
            if status == 0:  # a dropped connection: no answer at all
                self.close_connection = True
                return
            if status == -1:  # a service that hangs
                self.fake.stopped.wait()
                self.close_connection = True
                return
            return self._error(status, message)
        if kind == "discovery":
            return self._send(200, self.fake.discovery_document())
        if kind == "token":
            return self._send(200, {"access_token": ACCESS_TOKEN, "expires_in": 3600, "token_type": "Bearer"})
        if kind == "algorithms":
            return self._send(200, self.fake._algorithms)
        if kind == "value":
            return self._send(200, {"result": self.fake.value_handler(body["expression"])})
        if kind == "pixels":
            time.sleep(self.fake.pixel_delay_s)
            dims = body["grid"]["dimensions"]
            limit = self.fake.max_request_pixels
            if limit is not None and dims["width"] * dims["height"] > limit:
                nbytes = dims["width"] * dims["height"] * 4 * len(self.fake.bands or band_names_of(body["expression"]))
                return self._error(
                    400, "Total request size (%d bytes) must be less than or equal to %d bytes." % (nbytes, limit * 4)
                )
            return self._send(200, self.fake.pixels_npy(body), "application/octet-stream")
        return self._error(404, "no such endpoint in the fake: %s" % self.path)


__all__ = [
    "FakeEarthEngine",
    "ACCESS_TOKEN",
    "write_service_account_key",
    "pixel_value",
    "expected_pixels",
    "global_indices",
    "walk",
    "function_names",
    "constants",
    "invocations",
]


def write_service_account_key(path, token_uri, project_id="key-project"):
    """A real (freshly generated) service-account key file whose token_uri is the fake's /token."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    info = {
        "type": "service_account",
        "project_id": project_id,
        "private_key_id": "test-key-id",
        "private_key": pem,
        "client_email": "fetcher@%s.iam.gserviceaccount.com" % project_id,
        "client_id": "1234567890",
        "token_uri": token_uri,
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(info, f)
    return info


def serve_until_stdin_closes(key_path, pixel_delay_s=0.0):
    """For tests in another process (QGIS's Python): serve, write a key file for the fake, print
    the URL; when stdin closes, print the number of pixel requests served and stop."""
    import sys

    fake = FakeEarthEngine()
    fake.pixel_delay_s = float(pixel_delay_s)
    fake.start()
    write_service_account_key(key_path, fake.url + "/token")
    print(fake.url, flush=True)
    sys.stdin.read()
    print("PIXEL_REQUESTS", len(fake.of_kind("pixels")), flush=True)
    fake.stop()


if __name__ == "__main__":  # python ee_server.py KEY_FILE [PIXEL_DELAY_S] (see serve_until_stdin_closes)
    import sys

    serve_until_stdin_closes(*sys.argv[1:3])
