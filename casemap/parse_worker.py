"""Parsing an upload in a worker process, so that a large file never holds up the server's other sessions.

Parsing is CPU-bound Python: in a thread of the server it would hold the
interpreter lock, and every other visitor's page would wait for it. So each
upload is parsed in a process of its own, forked from multiprocessing's fork
server (a small clean process with the importer loaded once), never from the
server itself. The caller waits without holding the lock, calling ``tick``
between short waits; whatever ``tick`` raises (the page's run being stopped
because its visitor left, or rerun because the file was removed) ends the
wait, and the worker is killed on the way out. A worker's memory is that of
one import, bounded by the reader's limits (:mod:`casemap.workbook`).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection

from casemap.importer import ImportFileError, ImportResult, import_file

__all__ = ["parse_upload"]

WAIT_SECONDS = 0.25  # between two ticks: how soon a visitor leaving stops the worker

_WORKERS = multiprocessing.get_context("forkserver")
_WORKERS.set_forkserver_preload(["casemap.importer"])


def parse_upload(data: bytes, file_name: str, tick: Callable[[], None]) -> ImportResult | ImportFileError:
    """``import_file(data, file_name)`` in a worker process: its result, or the ``ImportFileError`` it raised.

    ``tick()`` is called every :data:`WAIT_SECONDS` while the worker runs;
    an exception from it ends the wait and the worker.
    """
    receive, send = _WORKERS.Pipe(duplex=False)
    worker = _WORKERS.Process(target=_parse, args=(send, data, file_name), name=f"casemap-parse {file_name[:40]}",
                              daemon=True)
    try:
        worker.start()
        send.close()  # the worker holds the other end: its exit is seen as the end of the pipe
        while not receive.poll(WAIT_SECONDS):
            tick()
        try:
            return receive.recv()
        except EOFError:  # the worker died without an answer (killed, or out of memory)
            return ImportFileError("worker_died")
    finally:
        receive.close()
        if worker.is_alive():
            worker.kill()
        if worker.pid is not None:
            worker.join()


def _parse(send: Connection, data: bytes, file_name: str) -> None:
    try:
        outcome = import_file(data, file_name)
    except ImportFileError as error:
        outcome = error
    send.send(outcome)
    send.close()
