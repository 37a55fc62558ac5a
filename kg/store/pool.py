"""Queries in worker processes that are killed at their deadline.

Why processes: pyoxigraph cannot be interrupted. A thread that runs a query
past its time bound keeps a core and its memory until the query ends on its
own (one query held 2.16 GB for over 100 s after its 503, and four of them
took both cores until restart). A process can be killed: at the deadline
the worker is sent SIGKILL, so CPU and memory come back at once, and a fresh
worker takes its place. Each worker caps its own address space
(``resource.setrlimit(RLIMIT_AS)``), so one query cannot take the machine's
memory either; a worker that dies that way is reported and replaced.

Workers open the store read-only (no lock, any number of them) and reopen
it when a build rewrites it or, with ``--allow-update``, when the server
says an update was committed (``generation``).
"""
from __future__ import annotations

import multiprocessing as mp
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import QueryError, StoreError
from kg.store.base import QueryOutcome, QueryTimeout

#: Address space per worker; a query that needs more ends with a clear message.
DEFAULT_MEMORY_MB = 2048


class QueryBusy(QueryTimeout):
    """No worker became free before the query's deadline."""


class QueryKilled(StoreError):
    """The worker running a query died (memory cap, crash) and was replaced."""


_ERRORS = {"QueryError": QueryError, "StoreError": StoreError, "QueryTimeout": QueryTimeout}


def _address_space() -> int:
    """This process's virtual memory size in bytes (0 when /proc is not there)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _limit_memory(memory_mb: int | None) -> None:
    """Cap the address space at what the worker already maps plus ``memory_mb``:
    an idle worker maps ~400 MB (thread stacks, RocksDB), which a query cannot use."""
    if not memory_mb:
        return
    import resource

    cap = _address_space() + memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ValueError, OSError):     # a lower hard limit already: keep it
        pass


def _worker_main(conn: Any, out_dir: str, in_memory: bool, memory_mb: int | None) -> None:
    """Serve queries from ``conn`` until it closes: (sparql, kwargs, generation) in,
    ("ok", outcome) or ("error", class name, message) out."""
    from kg.store.embedded import EmbeddedBackend

    backend: EmbeddedBackend | None = None
    generation = None
    try:
        backend = EmbeddedBackend.open(out_dir, in_memory=in_memory)
        backend.query("ASK { ?s ?p ?o }")       # the first query maps what every query needs
        generation = 0
    except (QueryError, StoreError):
        backend = None                          # reported on the first query
    _limit_memory(memory_mb)
    try:
        conn.send(("ready",))
    except (OSError, ValueError):
        return
    while True:
        try:
            sparql, kwargs, gen = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if backend is not None and (gen != generation or backend.stale()):
                backend.close()           # let go of the old copy before the new one is made:
                backend = None            # two in-memory copies may not fit under the cap
            if backend is None:
                backend = EmbeddedBackend.open(out_dir, in_memory=in_memory)
                generation = gen
            try:
                outcome = backend.query(sparql, **kwargs)
            except StoreError:
                # a build may have swapped the store directory: reopen once and retry
                if not backend.refresh(force=True):
                    raise
                outcome = backend.query(sparql, **kwargs)
            reply: tuple = ("ok", outcome)
        except MemoryError:
            backend = None
            reply = ("error", "StoreError", f"the query needed more than the {memory_mb} MB a query may use; "
                                            f"add LIMIT or narrow the patterns")
        except (QueryError, StoreError) as err:
            name = next((n for n, cls in _ERRORS.items() if type(err) is cls), None)
            if name is None:
                name = "QueryError" if isinstance(err, QueryError) else "StoreError"
            reply = ("error", name, str(err))
        except Exception as err:     # noqa: BLE001 - reported to the client, the worker lives on
            reply = ("error", "StoreError", f"the query failed: {type(err).__name__}: {err}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


def _context() -> Any:
    """Workers come from a fork server that has imported pyoxigraph and kg already, so a
    replacement starts in milliseconds and at almost no CPU (plain fork would copy the
    server's threads and locks; spawn would import everything again for each worker)."""
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["pyoxigraph", "kg.store.embedded", "kg.store.pool"])
        return ctx
    return mp.get_context("spawn")


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Any


class QueryPool:
    """``size`` worker processes over the store of ``out_dir``.

    ``query`` blocks until a worker is free (at most until the deadline),
    then until the answer comes or the deadline passes, when the worker is
    killed and replaced.
    """

    def __init__(self, out_dir: str | Path, *, size: int = 2, in_memory: bool = False,
                 memory_mb: int | None = DEFAULT_MEMORY_MB) -> None:
        if size < 1:
            raise StoreError(f"a query pool needs at least one worker, not {size}")
        self.out_dir = str(out_dir)
        self.in_memory = in_memory
        self.memory_mb = memory_mb
        self.generation = 0
        self._ctx = _context()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        started = [self._spawn() for _ in range(size)]
        try:
            for worker in started:
                self._idle.put(self._ready(worker))
        except StoreError:
            self.close()
            raise

    #: seconds a new worker may take to import pyoxigraph and open the store
    START_TIMEOUT = 120.0

    def _ready(self, worker: _Worker) -> _Worker:
        """Wait for a new worker's "ready": only then may a query's deadline start counting."""
        try:
            if worker.conn.poll(self.START_TIMEOUT) and worker.conn.recv() == ("ready",):
                return worker
        except (EOFError, OSError):
            pass
        code = worker.process.exitcode
        self._kill(worker)
        raise StoreError(f"a query worker did not start (exit status {code}); run `kg query DIR "
                         f"'ASK {{ ?s ?p ?o }}'` to see whether the store opens")

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker_main, name="kg-query-worker", daemon=True,
                                 args=(child, self.out_dir, self.in_memory, self.memory_mb))
        proc.start()
        child.close()
        worker = _Worker(proc, parent)
        with self._lock:
            self._all.add(worker)
        return worker

    def _kill(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        try:
            worker.process.kill()
        except (OSError, ValueError):
            pass
        worker.process.join(5)
        worker.conn.close()

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and put a fresh one in the idle queue (in the background,
        so the client gets its answer without waiting for the new process)."""
        self._kill(worker)

        def respawn() -> None:
            if self._closed:
                return
            try:
                self._idle.put(self._ready(self._spawn()))
            except StoreError:
                pass      # the store is gone or broken: later queries wait and time out

        threading.Thread(target=respawn, name="kg-respawn", daemon=True).start()

    def worker_pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._all if w.process.pid]

    def query(self, sparql: str, *, timeout: float, **kwargs: Any) -> QueryOutcome:
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryBusy(f"every query worker stayed busy for {timeout:g} s; retry later") from None
        if not worker.process.is_alive():
            self._replace(worker)
            raise QueryKilled("a query worker had stopped; it was replaced, retry the query")
        try:
            worker.conn.send((sparql, kwargs, self.generation))
            remaining = max(deadline - time.monotonic(), 0.0)
            if not worker.conn.poll(remaining):
                self._replace(worker)
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped; "
                                   f"add LIMIT or narrow the patterns")
            reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            code = worker.process.exitcode
            worker.process.join(1)
            code = worker.process.exitcode if code is None else code
            self._replace(worker)
            raise QueryKilled(f"the query stopped its worker (exit status {code}), most likely by needing "
                              f"more than the {self.memory_mb} MB a query may use; add LIMIT or narrow "
                              f"the patterns") from None
        except QueryTimeout:
            raise
        except BaseException:
            self._replace(worker)
            raise
        self._idle.put(worker)
        if reply[0] == "ok":
            return reply[1]
        raise _ERRORS.get(reply[1], StoreError)(reply[2])

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._kill(worker)
