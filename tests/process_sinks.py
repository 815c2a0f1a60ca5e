"""A webhook receiver and an SMTP sink on 127.0.0.1 for the emergency-session
scenario test (process_emergency_test.sh).

Usage: process_sinks.py DIR SECRET. Writes DIR/http_port and DIR/smtp_port once
both listen. Each webhook POST is checked against SECRET
(X-Atalaya-Signature: sha256=HMAC) and saved as DIR/hooks/N.json with a line
"N DELIVERY_ID VALID" in DIR/hooks.log. Each e-mail is saved as
DIR/mail/N.eml with a line "N FROM TO" in DIR/mail.log. RCPT TO an address
starting with "unknown" is refused with 550 (no such mailbox).
"""
import hashlib
import hmac
import http.server
import os
import socketserver
import sys
import threading

DIR, SECRET = sys.argv[1], sys.argv[2].encode()
lock = threading.Lock()
os.makedirs(os.path.join(DIR, "hooks"), exist_ok=True)
os.makedirs(os.path.join(DIR, "mail"), exist_ok=True)
counts = {"hooks": 0, "mail": 0}


def save(kind, data, line):
    with lock:
        counts[kind] += 1
        n = counts[kind]
        ext = "json" if kind == "hooks" else "eml"
        with open(os.path.join(DIR, kind, f"{n}.{ext}"), "wb") as f:
            f.write(data)
        with open(os.path.join(DIR, kind + ".log"), "a") as f:
            f.write(f"{n} {line}\n")


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        expected = "sha256=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest()
        valid = hmac.compare_digest(expected, self.headers.get("X-Atalaya-Signature", ""))
        save("hooks", body, f"{self.headers.get('X-Atalaya-Delivery', '')} {'valid' if valid else 'invalid'}")
        self.send_response(200 if valid else 401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class Smtp(socketserver.StreamRequestHandler):
    def say(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.say("220 process_sinks SMTP")
        sender, rcpts = "", []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            text = line.decode("utf-8", "replace").rstrip("\r\n")
            verb = text[:4].upper()
            address = text[text.find("<") + 1:text.find(">")] if "<" in text else ""
            if verb == "EHLO":
                self.say("250-process_sinks")
                self.say("250 8BITMIME")
            elif verb == "HELO":
                self.say("250 process_sinks")
            elif verb == "MAIL":
                sender, rcpts = address, []
                self.say("250 ok")
            elif verb == "RCPT":
                if address.startswith("unknown"):
                    self.say("550 no such mailbox")
                else:
                    rcpts.append(address)
                    self.say("250 ok")
            elif verb == "DATA":
                self.say("354 go ahead")
                data = b""
                while True:
                    l = self.rfile.readline()
                    if not l or l in (b".\r\n", b".\n"):
                        break
                    data += l[1:] if l.startswith(b"..") else l
                save("mail", data, f"{sender} {','.join(rcpts)}")
                self.say("250 queued")
            elif verb == "QUIT":
                self.say("221 bye")
                return
            else:
                self.say("250 ok")


class SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


hooks = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
hooks.daemon_threads = True
smtp = SmtpServer(("127.0.0.1", 0), Smtp)
threading.Thread(target=smtp.serve_forever, daemon=True).start()
for name, port in (("smtp_port", smtp.server_address[1]), ("http_port", hooks.server_address[1])):
    with open(os.path.join(DIR, name + ".tmp"), "w") as f:
        f.write(str(port))
    os.rename(os.path.join(DIR, name + ".tmp"), os.path.join(DIR, name))
hooks.serve_forever()
