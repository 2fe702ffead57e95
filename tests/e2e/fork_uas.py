#!/usr/bin/env python3
# Ringset e2e: a phone that takes every forked branch sent to it, even
# several with one Call-ID (sipp matches calls by Call-ID and cannot):
# answers each INVITE with 180, a CANCEL with 200 and the INVITE with 487,
# and logs one line per request, "<ms since the epoch> <METHOD> <Via
# branch> <Expires or ->", to the output file, until SECS have passed.
#   fork_uas.py IP PORT SECS OUTFILE
import socket
import sys
import time


def hdr(lines, name):
    name = name.lower() + ":"
    for line in lines:
        if line.lower().startswith(name):
            return line.split(":", 1)[1].strip()
    return None


def reply(lines, code, reason, tag):
    out = ["SIP/2.0 %d %s" % (code, reason)]
    for line in lines[1:]:
        low = line.lower()
        if low.startswith(("via:", "from:", "call-id:", "cseq:")):
            out.append(line)
        elif low.startswith("to:"):
            out.append(line if ";tag=" in line or code == 100 else line + ";tag=" + tag)
    out += ["Content-Length: 0", "", ""]
    return "\r\n".join(out).encode()


def main():
    ip, port, secs, path = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((ip, port))
    end = time.time() + secs
    seen = set()
    with open(path, "w") as log:
        while True:
            left = end - time.time()
            if left <= 0:
                break
            s.settimeout(left)
            try:
                data, peer = s.recvfrom(65535)
            except socket.timeout:
                break
            lines = data.decode("utf-8", "replace").split("\r\n")
            parts = lines[0].split(" ")
            if len(parts) < 3 or parts[0].startswith("SIP/"):
                continue
            method = parts[0]
            via = hdr(lines, "Via") or ""
            branch = via.split("branch=", 1)[1].split(";")[0] if "branch=" in via else "-"
            tag = "t" + branch[-12:]
            key = (method, branch)
            if key not in seen:
                seen.add(key)
                log.write("%d %s %s %s\n" % (time.time() * 1000, method, branch,
                                             hdr(lines, "Expires") or "-"))
                log.flush()
            if method == "INVITE":
                s.sendto(reply(lines, 180, "Ringing", tag), peer)
            elif method == "CANCEL":
                s.sendto(reply(lines, 200, "OK", tag), peer)
                lines[0] = "INVITE " + " ".join(parts[1:])
                cseq = hdr(lines, "CSeq").split()[0]
                lines = [l if not l.lower().startswith("cseq:") else "CSeq: %s INVITE" % cseq
                         for l in lines]
                s.sendto(reply(lines, 487, "Request Terminated", tag), peer)


if __name__ == "__main__":
    main()
