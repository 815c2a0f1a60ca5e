"""A webhook receiver for the delivery scenario test (delivery_test.sh).

Usage: webhook_receiver.py DIR. Writes its port to DIR/port and answers each
POST as DIR/mode says when the request arrives:
  ok        200; the delivery key (X-Atalaya-Delivery) is counted in DIR/accepted
  hang      no answer while the mode stays "hang" (the client must give up);
            the request is then dropped, never counted
  redirect  302 to http://127.0.0.1:9/elsewhere
Every request is logged to DIR/requests as "KEY MODE".
"""
import http.server
import os
import sys
import threading
import time

DIR = sys.argv[1]
lock = threading.Lock()


def mode():
    with open(os.path.join(DIR, "mode")) as f:
        return f.read().strip()


def log(name, line):
    with lock, open(os.path.join(DIR, name), "a") as f:
        f.write(line + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        key = self.headers.get("X-Atalaya-Delivery", "")
        m = mode()
        log("requests", key + " " + m)
        if m == "hang":
            deadline = time.time() + 120  # never longer than the test's own guard
            while mode() == "hang" and time.time() < deadline:
                time.sleep(0.05)
            self.close_connection = True
            return  # dropped unanswered
        if m == "redirect":
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        log("accepted", key)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(os.path.join(DIR, "port.tmp"), "w") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(DIR, "port.tmp"), os.path.join(DIR, "port"))
server.serve_forever()
