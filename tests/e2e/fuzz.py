#!/usr/bin/env python3
# Ringset end-to-end fuzzer (issue 16): mutates real messages of the test
# suite (the requests and replies the sipp phones sent, from their -trace_msg
# logs) and sends them to Kamailio over UDP and TCP from the phones' address,
# the media server's and the gateway's (so the trusted routes get them too),
# or mutates HTTP requests to the provisioning/JSON-RPC port. After every
# batch it checks that Kamailio still answers: a fresh REGISTER gets its 401
# (SIP) or a GET gets an HTTP status (HTTP). Deterministic for one --seed.
#
#   fuzz.py sip  --host H --port P --from ADDR:PORT[,ADDR:PORT..] --logs DIR
#                --count N --batch B --seed S
#   fuzz.py http --host H --port P --from ADDR[,ADDR..] --count N --batch B
#
# Prints one line per batch and "fuzz: N sent, N batches, alive" at the end;
# exits 1 as soon as a check fails.
import argparse
import glob
import random
import re
import socket
import sys
import time

METHODS = [b"INVITE", b"ACK", b"BYE", b"CANCEL", b"REGISTER", b"OPTIONS",
           b"SUBSCRIBE", b"NOTIFY", b"PUBLISH", b"REFER", b"MESSAGE", b"INFO",
           b"UPDATE", b"PRACK", b"FOO", b"INVITE\x00", b"", b"I" * 300]
RURI_USERS = [b"200", b"300", b"600", b"1300", b"forkm600", b"*501", b"*500",
              b"*50*", b"*509", b"*400", b"*97", b"#4", b"announce", b"confirm",
              b"voicemail", b"voicemail-main", b"hotdesk-login", b"b2bua",
              b"hotdesk-0004f2000001", b"0049301234", b"", b"%00", b"a" * 500,
              b"\xff\xfe", b"600;lr", b"600@evil"]
HEADERS = [b"X-Ringset-Origin: fork2mobile;ext=600",
           b"X-Ringset-Ext: 600", b"X-Ringset-Target: 0049301234",
           b"X-Ringset-Prompt: ../../etc/passwd", b"X-Ringset-Timeout: -1",
           b"X-Ringset-Confirm: answered", b"X-Ringset-Mailbox: 600",
           b"P-Asserted-Identity: <sip:600@pbx.local>",
           b"Replaces: 1-1@127.0.0.1;to-tag=a;from-tag=b",
           b"Route: <sip:127.0.0.1;lr>", b"Refer-To: <sip:600@pbx.local>",
           b"Event: dialog", b"Event: message-summary", b"Event: check-sync",
           b"Expires: 4294967296", b"Expires: -1", b"Max-Forwards: 0",
           b"Content-Length: 99999", b"Content-Length: -5",
           b"CSeq: 99999999999999999999 INVITE", b"Via: SIP/2.0/UDP ;;;;",
           b"Contact: <sip:127.0.0.3:5100>", b"Contact: *",
           b"Authorization: Digest username=\"1300\", realm=\"pbx.local\", "
           b"nonce=\"x\", uri=\"sip:a\", response=\"" + b"0" * 32 + b"\"",
           b"Supported: " + b"x," * 2000, b"From: <sip:\xff@pbx.local>;tag=\x01"]
BIG = [b"A" * 10000, b"-1", b"0", b"4294967296", b"99999999999999999999",
       b"\xff\xfe\xfd", b"%00%0d%0a", b"\r\nX-Injected: 1", b"\x00", b""]


def harvest(logdir):
    """every message the suite's sipp processes sent"""
    out = []
    for f in sorted(glob.glob(logdir + "/*.msg")):
        data = open(f, "rb").read()
        for part in re.split(rb"\n-{20,} [^\n]*\n", data):
            m = re.match(rb"(UDP|TCP) message sent \([0-9]+ bytes\):\n\n", part)
            if not m:
                continue
            msg = part[m.end():].rstrip(b"\n") + b"\n\n"
            msg = msg.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            if len(msg) > 20:
                out.append(msg)
    return out


def mutate(rnd, msg):
    head, sep, body = msg.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    for _ in range(rnd.randint(1, 4)):
        op = rnd.randrange(12)
        if op == 0 and lines:  # method
            first = lines[0].split(b" ", 1)
            lines[0] = rnd.choice(METHODS) + b" " + (first[1] if len(first) > 1 else b"")
        elif op == 1 and lines:  # Request-URI user
            lines[0] = re.sub(rb"sip:[^@ ]*@", b"sip:" + rnd.choice(RURI_USERS) + b"@",
                              lines[0], count=1)
        elif op == 2:  # add a header
            lines.insert(rnd.randint(1, max(1, len(lines))), rnd.choice(HEADERS))
        elif op == 3 and len(lines) > 1:  # drop a header
            del lines[rnd.randrange(1, len(lines))]
        elif op == 4 and len(lines) > 1:  # duplicate a header many times
            i = rnd.randrange(1, len(lines))
            lines[i + 1:i + 1] = [lines[i]] * rnd.choice([2, 10, 200])
        elif op == 5 and len(lines) > 1:  # a header value replaced
            i = rnd.randrange(1, len(lines))
            name = lines[i].split(b":", 1)[0]
            lines[i] = name + b": " + rnd.choice(BIG)
        elif op == 6:  # a body that disagrees with Content-Length
            body = rnd.choice([b"", b"v=0\r\n" * rnd.randint(1, 50), bytes(rnd.randrange(256) for _ in range(200))])
        else:  # byte level: flips, inserts, deletes, truncation
            raw = bytearray(b"\r\n".join(lines) + sep + body)
            k = rnd.randrange(4)
            if not raw:
                break
            if k == 0:
                for _ in range(rnd.randint(1, 8)):
                    raw[rnd.randrange(len(raw))] ^= 1 << rnd.randrange(8)
            elif k == 1:
                p = rnd.randrange(len(raw))
                raw[p:p] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 30)))
            elif k == 2:
                p = rnd.randrange(len(raw))
                del raw[p:p + rnd.randint(1, 40)]
            else:
                raw = raw[:rnd.randrange(len(raw))]
            return bytes(raw)
    return b"\r\n".join(lines) + sep + body


def sip_alive(host, port, src, seq):
    """a REGISTER with no credentials must get 401 (or 403) within 5 s"""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.settimeout(5)
    lp = s.getsockname()[1]
    msg = ("REGISTER sip:pbx.local SIP/2.0\r\n"
           f"Via: SIP/2.0/UDP {src}:{lp};branch=z9hG4bK-alive{seq}\r\n"
           "Max-Forwards: 70\r\nFrom: <sip:1300@pbx.local>;tag=alive\r\n"
           "To: <sip:1300@pbx.local>\r\n"
           f"Call-ID: alive-{seq}@fuzz\r\nCSeq: 1 REGISTER\r\n"
           f"Contact: <sip:1300@{src}:{lp}>\r\nContent-Length: 0\r\n\r\n")
    end = time.time() + 5
    try:
        s.sendto(msg.encode(), (host, port))
        while time.time() < end:
            data = s.recv(65535)
            if f"alive-{seq}@fuzz".encode() in data and data.startswith(b"SIP/2.0 "):
                return int(data[8:11]) in (401, 403)
    except OSError:
        return False
    finally:
        s.close()
    return False


def run_sip(a):
    rnd = random.Random(a.seed)
    corpus = harvest(a.logs)
    if not corpus:
        print("fuzz: no seed messages in", a.logs)
        return 1
    sources = []
    for f in a.sources.split(","):
        h, p = f.rsplit(":", 1)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((h, int(p)))
        except OSError as e:
            print(f"fuzz: {h}:{p} is taken ({e.strerror}), sending from {h}:*")
            s.bind((h, 0))
        s.setblocking(False)
        sources.append((h, s))
    print(f"fuzz: {len(corpus)} seed messages, {len(sources)} sources")
    sent = 0
    batches = 0
    while sent < a.count:
        for _ in range(min(a.batch, a.count - sent)):
            m = mutate(rnd, rnd.choice(corpus))
            h, s = rnd.choice(sources)
            if rnd.random() < 0.1:  # over TCP
                try:
                    t = socket.create_connection((a.host, a.port), timeout=1, source_address=(h, 0))
                    t.sendall(m)
                    t.close()
                except OSError:
                    pass
            else:
                try:
                    s.sendto(m[:65000], (a.host, a.port))
                except OSError:
                    pass
            for _h, r in sources:  # drain replies
                try:
                    while r.recv(65535):
                        pass
                except OSError:
                    pass
            sent += 1
            if sent % 50 == 0:
                time.sleep(0.01)  # a loaded 2-core machine: no flood, fuzz
        batches += 1
        # a slow Kamailio (ASan, a loaded machine) gets three tries
        ok = any(sip_alive(a.host, a.port, sources[0][0], batches * 10 + k)
                 for k in range(3))
        print(f"fuzz: batch {batches}: {sent} sent, Kamailio {'answers' if ok else 'DOES NOT ANSWER'}")
        sys.stdout.flush()
        if not ok:
            return 1
    print(f"fuzz: {sent} sent, {batches} batches, alive")
    return 0


HTTP_SEEDS = [
    b"GET /provision/snom/0004f2000001.xml HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /provision/yealink/0004f2000001.cfg HTTP/1.1\r\nHost: x\r\n"
    b"Authorization: Digest username=\"0004f2000001\", realm=\"ringset\", nonce=\"1\", "
    b"uri=\"/provision/yealink/0004f2000001.cfg\", response=\"00\"\r\n\r\n",
    b"POST /RPC HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b"Content-Length: 84\r\n\r\n"
    b"{\"jsonrpc\":\"2.0\",\"method\":\"hotdesk.login\",\"params\":[\"hotdesk-0004f2000001\",\"600\",\"1\"],\"id\":1}",
    b"POST /RPC HTTP/1.1\r\nHost: x\r\nContent-Length: 60\r\n\r\n"
    b"{\"jsonrpc\":\"2.0\",\"method\":\"core.psx\",\"params\":[],\"id\":1}",
    b"GET /RPC HTTP/1.1\r\n\r\n",
]
JSON_BITS = [b"{", b"}", b"[", b"]", b"\"", b"\\u0000", b"\xff", b"null", b"1e999",
             b"\"params\":" + b"[" * 500, b"\"" + b"A" * 20000 + b"\""]


def http_once(host, port, src, req, timeout=3):
    try:
        t = socket.create_connection((host, port), timeout=timeout, source_address=(src, 0))
        t.sendall(req)
        t.shutdown(socket.SHUT_WR)
        data = b""
        while len(data) < 100000:
            d = t.recv(65535)
            if not d:
                break
            data += d
        t.close()
        return data
    except OSError:
        return b""


def run_http(a):
    rnd = random.Random(a.seed)
    sources = a.sources.split(",")
    sent = 0
    batches = 0
    while sent < a.count:
        for _ in range(min(a.batch, a.count - sent)):
            m = bytearray(rnd.choice(HTTP_SEEDS))
            for _k in range(rnd.randint(1, 4)):
                op = rnd.randrange(5)
                p = rnd.randrange(len(m)) if m else 0
                if op == 0 and m:
                    m[p] ^= 1 << rnd.randrange(8)
                elif op == 1:
                    m[p:p] = rnd.choice(JSON_BITS)
                elif op == 2:
                    del m[p:p + rnd.randint(1, 30)]
                elif op == 3:
                    m[p:p] = rnd.choice(BIG)
                else:
                    m = m[:p]
            http_once(a.host, a.port, rnd.choice(sources), bytes(m), timeout=1)
            sent += 1
        batches += 1
        r = http_once(a.host, a.port, sources[0],
                      b"GET /provision/snom/zz.xml HTTP/1.1\r\nHost: x\r\n\r\n")
        ok = r.startswith(b"HTTP/1.")
        print(f"fuzz: batch {batches}: {sent} sent, HTTP {'answers' if ok else 'DOES NOT ANSWER'}")
        sys.stdout.flush()
        if not ok:
            return 1
    print(f"fuzz: {sent} sent, {batches} batches, alive")
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["sip", "http"])
    ap.add_argument("--host", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--from", dest="sources", required=True)
    ap.add_argument("--logs", default=".")
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--seed", type=int, default=16)
    a = ap.parse_args()
    return run_sip(a) if a.mode == "sip" else run_http(a)


if __name__ == "__main__":
    sys.exit(main())
