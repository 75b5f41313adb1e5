"""Sends N random bytes to a TCP listener, prints the byte count and SHA-256 of what it sent."""
import hashlib
import os
import socket
import sys

address, port, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
connection = socket.create_connection((address, port), timeout=60)
digest, sent = hashlib.sha256(), 0
while sent < total:
    chunk = os.urandom(min(1 << 20, total - sent))
    connection.sendall(chunk)
    digest.update(chunk)
    sent += len(chunk)
connection.shutdown(socket.SHUT_WR)
connection.recv(1)  # wait for the sink to close: everything arrived
print(sent, digest.hexdigest(), flush=True)
