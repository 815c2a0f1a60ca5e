#!/usr/bin/env python3
"""The front-door probes of issue 11, against one server URL (atalaya serve
directly, or nginx in front of it over TLS). Used by tests/front_door_test.sh
and tests/nginx_front_test.sh. Prints one line per check and, last,
'N passed, N failed'; exits non-zero when a check failed.

The only timings checked are the issue's own acceptance bounds: /health
answers within 1 s while 64 clients trickle request heads, and its p95 stays
under 100 ms while 64 back-tests are asked at once. Every request loop is
bounded in count and time, and talks to loopback only."""

import argparse
import http.client
import json
import socket
import ssl
import threading
import time
import urllib.parse

failures = 0
checks = 0


def check(what, ok, detail=""):
    global failures, checks
    checks += 1
    if ok:
        print(f"ok: {what}")
    else:
        failures += 1
        print(f"FAIL: {what}" + (f": {detail}" if detail else ""))


class Target:
    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        self.tls = u.scheme == "https"
        self.host = u.hostname
        self.port = u.port or (443 if self.tls else 80)
        self.authority = u.netloc
        self.origin = f"{u.scheme}://{u.netloc}"
        self.context = None
        if self.tls:
            self.context = ssl.create_default_context()
            self.context.check_hostname = False
            self.context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate

    def connection(self, timeout):
        if self.tls:
            return http.client.HTTPSConnection(self.host, self.port, timeout=timeout, context=self.context)
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def raw_socket(self, timeout):
        s = socket.create_connection((self.host, self.port), timeout=timeout)
        if self.tls:
            s = self.context.wrap_socket(s, server_hostname=self.host)
        return s

    def request(self, method, path, body=None, headers=None, timeout=30):
        """(status, headers dict lower-case, body bytes); (None, {}, error text) when no answer came."""
        c = self.connection(timeout)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        except (OSError, http.client.HTTPException) as e:
            return None, {}, str(e).encode()
        finally:
            c.close()


def health_within(t, seconds):
    start = time.monotonic()
    status, _, body = t.request("GET", "/api/v1/health", timeout=seconds)
    return status == 200, time.monotonic() - start, status, body[:200]


def trickle(t, sockets, stop, closed_at, started):
    """Sends one byte of an endless request head on each socket every 0.5 s until stop; notes when the server closes each."""
    head = b"GET /api/v1/health HTTP/1.1\r\nHost: " + t.authority.encode() + b"\r\nX-Slow: " + b"a" * 4000
    at = 0
    while not stop.is_set() and at < len(head):
        for i, s in enumerate(sockets):
            if closed_at[i] is not None:
                continue
            try:
                s.sendall(head[at:at + 1])
            except OSError:
                closed_at[i] = time.monotonic() - started
        at += 1
        stop.wait(0.5)


def probe_slowloris(t, header_timeout):
    n = 64
    sockets = []
    for _ in range(n):
        sockets.append(t.raw_socket(5))
    closed_at = [None] * n
    stop = threading.Event()
    started = time.monotonic()
    th = threading.Thread(target=trickle, args=(t, sockets, stop, closed_at, started), daemon=True)
    th.start()
    time.sleep(0.5)
    answered = []
    for _ in range(6):
        ok, took, status, body = health_within(t, 1.0)
        answered.append((ok, took, status))
        time.sleep(0.3)
    worst = max(x[1] for x in answered)
    check(f"64 trickling connections: /health answered within 1 s each time (6 tries, slowest {worst * 1000:.0f} ms)",
          all(x[0] and x[1] < 1.0 for x in answered), str(answered))
    if header_timeout:
        # A per-read timeout would let these live as long as they trickle;
        # an absolute header deadline closes them. Wait up to 4x the deadline.
        limit = 4 * header_timeout
        while time.monotonic() - started < limit and any(c is None for c in closed_at):
            # The server's 408 or close shows on reading.
            for i, s in enumerate(sockets):
                if closed_at[i] is None:
                    s.setblocking(False)
                    try:
                        if s.recv(4096) == b"":
                            closed_at[i] = time.monotonic() - started
                        else:
                            closed_at[i] = time.monotonic() - started
                    except (BlockingIOError, ssl.SSLWantReadError):
                        pass
                    except OSError:
                        closed_at[i] = time.monotonic() - started
                    s.setblocking(True)
            time.sleep(0.2)
        still_open = sum(1 for c in closed_at if c is None)
        check(f"trickling connections closed by the {header_timeout} s header deadline however they trickle "
              f"({n - still_open} of {n} closed within {limit} s)", still_open == 0)
    stop.set()
    th.join()
    for s in sockets:
        s.close()


def probe_ranges(t, static_path, api_path):
    ranges = "bytes=" + ",".join(f"{i}-{100000 + i}" for i in range(20))
    plain = t.request("GET", static_path, headers={"Accept-Encoding": "identity"})
    size = len(plain[2])
    check(f"the static file {static_path} is served ({size} bytes)", plain[0] == 200 and size > 1000, str(plain[0]))
    status, headers, body = t.request("GET", static_path, headers={"Range": ranges, "Accept-Encoding": "identity"})
    ctype = headers.get("content-type", "")
    one = (status == 206 and "multipart" not in ctype and len(body) <= size) or status == 416 or \
          (status == 200 and len(body) == size)
    check(f"20 overlapping ranges on a file: one range, 416 or the whole file, no more ({status}, {len(body)} bytes, "
          f"{ctype})", one)
    plain = t.request("GET", api_path, headers={"Accept-Encoding": "identity"})
    status, headers, body = t.request("GET", api_path, headers={"Range": ranges, "Accept-Encoding": "identity"})
    check(f"20 overlapping ranges on an API answer: 200 and the whole answer ({status}, {len(body)} bytes, "
          f"plain {len(plain[2])})", status == 200 and body == plain[2] and len(body) > 0)


def probe_writes(t):
    path = "/api/v1/alerts/999999/acknowledge"
    body = json.dumps({"by": "mallory"})
    status, _, answer = t.request("POST", path, body=body,
                                  headers={"Content-Type": "text/plain", "Origin": "http://evil.example"})
    check(f"a cross-origin text/plain POST is refused ({status})", status in (403, 415), answer[:200])
    status, _, answer = t.request("POST", path, body=body, headers={"Content-Type": "text/plain"})
    check(f"a text/plain POST is refused with 415 ({status})", status == 415, answer[:200])
    status, _, answer = t.request("POST", path, body=body,
                                  headers={"Content-Type": "application/json", "Origin": "http://evil.example"})
    check(f"a JSON POST from another origin is refused with 403 ({status})", status == 403, answer[:200])
    status, _, answer = t.request("POST", path, body=body,
                                  headers={"Content-Type": "application/json", "Host": "rebound.example"})
    check(f"a JSON POST naming another Host (DNS rebinding) is refused ({status})", status in (403, 421, 400, 404)
          and b"no alert" not in answer, answer[:200])
    status, _, answer = t.request("POST", path, body=body,
                                  headers={"Content-Type": "application/json", "Origin": t.origin})
    check(f"a same-origin JSON POST reaches the alerts (404: no such alert) ({status})",
          status == 404 and b"no alert" in answer, answer[:200])


def backtest_path(i):
    origins = 6 + i % 16
    horizon = 3 + i // 16
    return (f"/api/v1/backtest?source=pa-snm-darien&by=citizenship&top=10&origins={origins}&horizon={horizon}")


def probe_backtests(t, busy_statuses):
    n = 64
    results = [None] * n

    def one(i):
        status, headers, body = t.request("GET", backtest_path(i), timeout=60)
        results[i] = (status, headers.get("retry-after"), body[:120])

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(n)]
    for th in threads:
        th.start()
    time.sleep(0.3)
    latencies = []
    deadline = time.monotonic() + 20
    while len(latencies) < 40 and time.monotonic() < deadline:
        ok, took, status, body = health_within(t, 5.0)
        latencies.append(took if ok else 99.0)
        time.sleep(0.05)
    for th in threads:
        th.join(90)
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    check(f"64 concurrent back-tests: /health p95 {p95 * 1000:.1f} ms over {len(latencies)} requests (< 100 ms)",
          p95 < 0.1 and len(latencies) >= 20, str([round(x * 1000) for x in latencies]))
    statuses = {}
    for r in results:
        statuses[r[0] if r else None] = statuses.get(r[0] if r else None, 0) + 1
    done = statuses.get(200, 0)
    refused = [r for r in results if r and r[0] in busy_statuses]
    check(f"back-tests answered or refused as busy ({statuses})",
          done >= 1 and done + len(refused) == n, str([r for r in results if not r or r[0] not in (200,) + busy_statuses][:3]))
    check("every 503 beyond the bound says when to retry (Retry-After)",
          all(r[1] for r in refused if r[0] == 503), str([r for r in refused if r[0] == 503 and not r[1]][:3]))


def probe_disconnect(t, access_log):
    # Every model on every origin: about 0.7 s of work on an idle machine, so
    # the client is surely gone (0.1 s after asking) before the answer.
    path = ("/api/v1/backtest?source=pa-snm-darien&by=citizenship&top=10&origins=30&horizon=6&level=90"
            "&models=naive,snaive,ets,damped,theta,combination")
    s = t.raw_socket(5)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: {t.authority}\r\n\r\n".encode())
    time.sleep(0.1)
    s.close()  # gone before the answer
    query = urllib.parse.urlsplit(path).query
    found = None
    deadline = time.monotonic() + 20
    while found is None and time.monotonic() < deadline:
        time.sleep(0.3)
        with open(access_log) as f:
            for line in f:
                try:
                    r = json.loads(line)
                except ValueError:
                    continue
                if r.get("path") == "/api/v1/backtest" and "level=90" in r.get("query", ""):
                    found = r
    check("a client that disconnects has its back-test abandoned (access log: status 499, abandoned)",
          found is not None and found.get("status") == 499 and found.get("abandoned") is True, str(found))
    ok, took, status, body = health_within(t, 1.0)
    check("the server still answers after the abandoned work", ok, str(status))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--static", required=True, help="path of a static file of over 1 KB")
    p.add_argument("--access-log", required=True, help="atalaya serve's access log")
    p.add_argument("--header-timeout", type=float, default=0,
                   help="the server's header deadline in seconds, to check trickling connections are closed by it")
    p.add_argument("--busy-status", type=int, action="append", default=[503],
                   help="statuses that refuse a back-test as busy (503; 429 behind nginx's limit_req)")
    a = p.parse_args()
    t = Target(a.url)
    probe_writes(t)
    probe_ranges(t, a.static, "/api/v1/series?source=pa-snm-darien&citizenship=HTI")
    probe_slowloris(t, a.header_timeout)
    probe_backtests(t, tuple(a.busy_status))
    probe_disconnect(t, a.access_log)
    print(f"{checks - failures} passed, {failures} failed")
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
