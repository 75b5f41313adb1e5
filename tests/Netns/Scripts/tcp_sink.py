"""Accepts one TCP connection, reads it to the end, prints the byte count and SHA-256 of what came."""
import hashlib
import socket
import sys

address, port = sys.argv[1], int(sys.argv[2])
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((address, port))
server.listen(1)
print("listening", flush=True)
connection, _ = server.accept()
digest, total = hashlib.sha256(), 0
while True:
    chunk = connection.recv(1 << 16)
    if not chunk:
        break
    digest.update(chunk)
    total += len(chunk)
print(total, digest.hexdigest(), flush=True)
