"""Running the same request twice at once, as a retrying gateway or app does.

On PostgreSQL the calls run in threads released together by a barrier, each on its own
connection, so the unique constraints really decide. SQLite serialises writers (and its
test database is one shared in-memory connection), so there they run one after the other.
"""
import threading

from django.db import connection


def concurrently(fn, times: int = 2) -> list:
    if connection.vendor != "postgresql":
        return [fn() for _ in range(times)]
    barrier = threading.Barrier(times)
    results, errors = [None] * times, []

    def run(index):
        try:
            barrier.wait(timeout=10)
            results[index] = fn()
        except Exception as error:  # reported by the caller's assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
