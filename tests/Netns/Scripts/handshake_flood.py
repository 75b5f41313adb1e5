"""Floods a MyVpn handshake port from one host, bounded in time and in connections, then prints counts.

  handshake_flood.py ADDRESS PORT MODE SECONDS MAX_CONNECTIONS CONCURRENCY [HELLO_HEX]

MODE idle:   keeps CONCURRENCY connections open and silent; each one the server closes is opened again.
MODE replay: keeps CONCURRENCY connections busy sending the same recorded ClientHello (HELLO_HEX); as
             soon as the server answers (ServerHello or Reject) or closes, that connection is dropped
             (with a reset) and a new one sends the hello again.
Stops by itself after SECONDS or once MAX_CONNECTIONS were opened, whichever comes first. Prints
"flooding" once the first CONCURRENCY connections are under way and the server has answered or
closed one of them, and at the end one line:
"opened N answered N closed-by-server N".
"""
import errno
import selectors
import socket
import struct
import sys
import time

address, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
seconds, limit, concurrency = float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
hello = bytes.fromhex(sys.argv[7]) if mode == "replay" else b""
if mode not in ("idle", "replay"):
    sys.exit(f"unknown mode {mode}")

selector = selectors.DefaultSelector()
opened = answered = closed_by_server = 0
deadline = time.monotonic() + seconds
announced = False


def drop(sock):
    selector.unregister(sock)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset: no TIME_WAIT here
    sock.close()


def open_one():
    global opened
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    code = sock.connect_ex((address, port))
    if code not in (0, errno.EINPROGRESS):
        sock.close()
        return False
    opened += 1
    selector.register(sock, selectors.EVENT_WRITE, "connecting")
    return True


while time.monotonic() < deadline:
    while len(selector.get_map()) < concurrency and opened < limit:
        if not open_one():
            break
    if not announced and opened >= concurrency and answered + closed_by_server > 0:
        print("flooding", flush=True)
        announced = True
    if opened >= limit and not selector.get_map():
        break
    for key, _ in selector.select(timeout=0.05):
        sock = key.fileobj
        if key.data == "connecting":
            if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
                drop(sock)
                continue
            if mode == "replay":
                try:
                    sock.send(hello)
                except OSError:
                    drop(sock)
                    continue
            selector.modify(sock, selectors.EVENT_READ, "open")
            continue
        try:
            data = sock.recv(4096)
        except OSError:
            data = b""
        if data:
            answered += 1
            if mode == "idle":
                continue  # a Reject: wait for the close
        else:
            closed_by_server += 1
        drop(sock)

for key in list(selector.get_map().values()):
    drop(key.fileobj)
print(f"opened {opened} answered {answered} closed-by-server {closed_by_server}", flush=True)
