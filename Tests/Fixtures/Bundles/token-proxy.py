"""A bearer-token front for a loopback registry, for the Bundles tests.

Every /v2/ request without `Authorization: Bearer <token>` gets a 401 with a Bearer challenge
pointing at /token on this server (anonymous tokens, as public registries hand out); with it,
the request is forwarded to the registry. Usage: token-proxy.py PORT REGISTRY_HOST:PORT
"""
import http.client
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])
UPSTREAM = sys.argv[2]
TOKEN = "anonymous-token-42"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/token"):
            self.reply(200, json.dumps({"token": TOKEN}).encode(), [("Content-Type", "application/json")])
            return
        if self.headers.get("Authorization") != "Bearer " + TOKEN:
            challenge = 'Bearer realm="http://127.0.0.1:%d/token",service="bosun-test"' % PORT
            self.reply(401, b'{"errors":[{"code":"UNAUTHORIZED","message":"token required"}]}',
                       [("WWW-Authenticate", challenge), ("Content-Type", "application/json")])
            return
        conn = http.client.HTTPConnection(UPSTREAM)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("authorization", "host")}
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        out = []
        for key, value in resp.getheaders():
            if key.lower() in ("content-length", "transfer-encoding", "connection"):
                continue
            if key.lower() == "location":
                value = value.replace("http://" + UPSTREAM, "http://127.0.0.1:%d" % PORT)
            out.append((key, value))
        self.reply(resp.status, data, out)

    do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = handle_any


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
