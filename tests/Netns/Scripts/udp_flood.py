"""Floods a server's UDP session ports with junk, bounded in count and time, and says what it sent.

usage: udp_flood.py ADDRESS SECONDS MAX_DATAGRAMS RATE SEED TARGET...
TARGET is PORT:SESSION_ID_HEX for a port that holds that session, or PORT alone for a port that holds none.

Round-robin over the targets, RATE datagrams a second at most, until MAX_DATAGRAMS are sent, SECONDS
have passed or SIGTERM arrives, whichever comes first. Each datagram is one kind (docs/protocol.md §5):
  short      random bytes, 0..31 long                                  -> DatagramTooShort
  truncated  a real-looking IV (the port's session id), cut to 16..31   -> DatagramTooShort
  random     random bytes, 32..1500 long                               -> WrongSession
  other      the IV of another port's session, 32..1500 long           -> WrongSession
  forged     the port's session id, a counter in [2^21, 2^23), 32..1500 -> AuthenticationFailed
  oversized  as forged, 1501..8000 long (more than the receiver's buffer) -> AuthenticationFailed
  stale      the port's session id, a counter >= 2^60 (past the 2^23 limit) -> Replayed
Ports without a session get random bytes, 0..1500 long. Prints "flooding" once started, and at the end
one JSON line: datagrams sent, those to session ports, and the drops each reason should count.
"""
import json
import random
import signal
import socket
import sys
import time

address, seconds, maximum, rate, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
targets = []
for spec in sys.argv[6:]:
    port, _, session = spec.partition(":")
    targets.append((int(port), int(session, 16) if session else None))
sessions = [s for _, s in targets if s is not None]

rng = random.Random(seed)
stop = False


def on_term(signum, frame):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_term)

REASON = {
    "short": "DatagramTooShort", "truncated": "DatagramTooShort",
    "random": "WrongSession", "other": "WrongSession",
    "forged": "AuthenticationFailed", "oversized": "AuthenticationFailed",
    "stale": "Replayed",
}
KINDS = list(REASON)
# ahead of any counter a real sender reaches in a test, below the limit a receiver accepts (2^23)
FORGED = (1 << 21, 1 << 23)


def iv(session, counter):
    return session.to_bytes(4, "big") + counter.to_bytes(8, "big") + bytes(4)


def datagram(session):
    kind = rng.choice(KINDS)
    if kind == "short":
        return kind, rng.randbytes(rng.randint(0, 31))
    if kind == "truncated":
        return kind, (iv(session, rng.randrange(*FORGED)) + rng.randbytes(16))[: rng.randint(16, 31)]
    if kind == "random":
        body = rng.randbytes(rng.randint(32, 1500))
        if body[12:16] == bytes(4):  # one in 2^32: make sure it is not by chance a zero-reserved IV
            body = body[:15] + b"\x01" + body[16:]
        return kind, body
    if kind == "other":
        others = [s for s in sessions if s != session]
        if not others:
            return datagram(session)
        return kind, iv(rng.choice(others), rng.randrange(1 << 60)) + rng.randbytes(rng.randint(16, 1484))
    if kind == "forged":
        return kind, iv(session, rng.randrange(*FORGED)) + rng.randbytes(rng.randint(16, 1484))
    if kind == "oversized":
        return kind, iv(session, rng.randrange(*FORGED)) + rng.randbytes(rng.randint(1485, 7984))
    return kind, iv(session, rng.randrange(1 << 60, 1 << 64)) + rng.randbytes(rng.randint(16, 1484))


sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 22)
expect = {}
kinds = {}
sent = to_sessions = unused = send_errors = 0
print("flooding", flush=True)
start = time.monotonic()
burst = 32
while not stop and sent < maximum and time.monotonic() - start < seconds:
    for _ in range(burst):
        port, session = targets[sent % len(targets)]
        if session is None:
            kind, data = "unused", rng.randbytes(rng.randint(0, 1500))
        else:
            kind, data = datagram(session)
        try:
            sock.sendto(data, (address, port))
        except OSError:
            send_errors += 1  # not sent (e.g. a full send buffer): counted nowhere else
            continue
        sent += 1
        kinds[kind] = kinds.get(kind, 0) + 1
        if session is None:
            unused += 1
        else:
            to_sessions += 1
            expect[REASON[kind]] = expect.get(REASON[kind], 0) + 1
        if sent >= maximum:
            break
    # pace: never ahead of RATE datagrams a second
    ahead = sent / rate - (time.monotonic() - start)
    if ahead > 0:
        time.sleep(ahead)
print(json.dumps({"sent": sent, "to_sessions": to_sessions, "unused": unused, "send_errors": send_errors,
                  "seconds": round(time.monotonic() - start, 2), "kinds": kinds, "expect": expect}), flush=True)
