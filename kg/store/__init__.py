"""Graph stores: the embedded Oxigraph store a build keeps under ``DIR/store``
and remote SPARQL endpoints, behind one small interface.

Why an embedded store at all: rdflib's own SPARQL engine is 10-30x slower
than Oxigraph and turns ordinary multi-pattern joins into cross products, so
``kg query`` and ``kg serve`` run on Oxigraph (``pyoxigraph``). Python users
who want rdflib objects call :func:`open_dataset`, which reads the store
into an in-memory ``rdflib.Dataset`` (a copy: fine for analysis, not a
query path for large graphs).

Public API::

    from kg.store import save_dataset, open_store, open_dataset
    save_dataset(ds, out_dir)            # what ``kg build`` calls
    store = open_store(out_dir)          # pyoxigraph.Store, read-only
    ds = open_dataset(out_dir)           # rdflib.Dataset copy of the store
"""
from __future__ import annotations

from kg.store.base import Backend, QueryOutcome
from kg.store.embedded import (
    MANIFEST_NAME,
    STORE_DIRNAME,
    EmbeddedBackend,
    SaveStats,
    StoreDamaged,
    StoreLocked,
    open_dataset,
    open_store,
    save_dataset,
    store_path,
    sync_graphs,
    sync_store,
)
from kg.store.remote import RemoteBackend

__all__ = [
    "Backend", "QueryOutcome", "EmbeddedBackend", "RemoteBackend", "SaveStats", "StoreDamaged", "StoreLocked",
    "MANIFEST_NAME", "STORE_DIRNAME", "open_dataset", "open_store", "save_dataset",
    "store_path", "sync_graphs", "sync_store",
]
