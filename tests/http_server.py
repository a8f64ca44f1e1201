#!/usr/bin/env python3
"""A local HTTP server that misbehaves on purpose, for the download tests. Serves the files of ROOT on
127.0.0.1 (never anything else) under path prefixes that choose the behaviour:
  /ok/NAME       the file, honouring Range requests (206)
  /norange/NAME  the whole file whatever the Range header says (200)
  /missing/NAME  404
  /corrupt/NAME  the file with one byte changed (a wrong checksum)
  /cut/NAME      announces the whole length, sends half, closes the connection
  /slow/NAME     announces the file, then sends nothing for 30 s
  /drip/NAME     announces the file, then sends a byte every 0.3 s (slow, but never quiet for long)
  /endless/NAME  no length, then bytes for ever (until the client hangs up)
  /huge/NAME     announces 10^12 bytes, then sends bytes for ever
A Range starting at or past the end of the file gets 416 on /ok/, as a real server answers a complete .part.
Prints "PORT <n>" once listening, then one line per request: "<path> range=<Range header or ->".
usage: http_server.py ROOT"""
import http.server
import os
import socketserver
import sys
import time

ROOT = sys.argv[1]


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        print(f"{self.path} range={self.headers.get('Range', '-')}", flush=True)
        parts = self.path.strip("/").split("/", 1)
        if len(parts) != 2:
            return self.send_error(404)
        mode, name = parts
        path = os.path.join(ROOT, os.path.basename(name))
        if mode == "missing" or not os.path.isfile(path):
            return self.send_error(404)
        if mode in ("endless", "huge"):
            self.send_response(200)
            if mode == "huge":
                self.send_header("Content-Length", str(10**12))
            self.end_headers()
            chunk = b"\0" * 65536
            try:
                while True:
                    self.wfile.write(chunk)
            except OSError:
                return  # the client hung up: the point
        data = open(path, "rb").read()
        if mode == "corrupt":
            data = data[:100] + bytes([data[100] ^ 0xFF]) + data[101:]
        start = 0
        rng = self.headers.get("Range")
        if mode == "ok" and rng and rng.startswith("bytes="):
            start = int(rng[6:].split("-")[0] or 0)
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode == "cut":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if mode == "slow":
            time.sleep(30)
            return
        if mode == "drip":
            try:
                for i in range(len(body)):
                    self.wfile.write(body[i:i + 1])
                    self.wfile.flush()
                    time.sleep(0.3)
            except OSError:
                pass
            return
        self.wfile.write(body)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client hanging up on /cut/, /slow/, /drip/, /endless/ or /huge/ is the point of those paths


with Server(("127.0.0.1", 0), Handler) as server:
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()
