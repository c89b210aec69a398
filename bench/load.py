"""Server load: many clients posting one captured request body (a callback, or a page's view route) on loopback, for
a fixed time.

Each client is a thread with its own keep-alive HTTP connection that sends the next request as soon as the previous
answer has been read (a closed loop, like a browser waiting for its callback). Latency is measured per request;
throughput is answered requests per second; an error is any answer other than HTTP 200 or a failed connection.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from urllib.parse import urlsplit

CALLBACK_PATH = "/_dash-update-component"
HEADERS = {"Content-Type": "application/json", "Accept-Encoding": "gzip, deflate"}


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def summary(latencies_ms: list[float]) -> dict:
    return {
        "n": len(latencies_ms),
        "p50_ms": round(statistics.median(latencies_ms), 2) if latencies_ms else None,
        "p95_ms": round(percentile(latencies_ms, 0.95), 2) if latencies_ms else None,
        "p99_ms": round(percentile(latencies_ms, 0.99), 2) if latencies_ms else None,
    }


def _post(connection: http.client.HTTPConnection, body: bytes, path: str) -> int:
    connection.request("POST", path, body=body, headers=HEADERS)
    response = connection.getresponse()
    response.read()
    return response.status


def hammer(
    base_url: str, body: bytes, clients: int, seconds: float, warmup_s: float = 1.0, path: str = CALLBACK_PATH
) -> dict:
    """``clients`` closed-loop clients for ``seconds`` (after ``warmup_s`` not counted); latency and throughput."""
    address = urlsplit(base_url)
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    start_at = time.monotonic() + warmup_s
    stop_at = start_at + seconds

    def client() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        mine, my_errors = [], 0
        while True:
            begin = time.monotonic()
            if begin >= stop_at:
                break
            try:
                ok = _post(connection, body, path) == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
            end = time.monotonic()
            if begin >= start_at:
                if ok:
                    mine.append((end - begin) * 1000)
                else:
                    my_errors += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            errors += my_errors

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"clients": clients, "seconds": seconds, "errors": errors, "rps": round(len(latencies) / seconds, 1)} | (
        summary(latencies)
    )


def sequential(base_url: str, bodies: list[bytes], path: str = CALLBACK_PATH) -> dict:
    """One client, each body once (for distinct bodies: every request is computed, none served from a cache)."""
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    latencies, errors = [], 0
    for body in bodies:
        begin = time.monotonic()
        try:
            ok = _post(connection, body, path) == 200
        except (OSError, http.client.HTTPException):
            ok = False
            connection.close()
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        if ok:
            latencies.append((time.monotonic() - begin) * 1000)
        else:
            errors += 1
    connection.close()
    return {"errors": errors} | summary(latencies)
