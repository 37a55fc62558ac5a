"""Benchmark: the embedded store (pyoxigraph) against plain rdflib on a synthetic graph.

Builds a synthetic dataset shaped like a kg build (entities graph, one named
graph per article holding plain fact triples, reified ``kg:Fact`` nodes with
``kg:evidence``, and ``kg:Investment`` nodes), then prints, side by side, the
load time and, for every canned query in ``ontology/queries``, the latency of

* the default run: a listing's first page (``kg query DIR --named NAME``),
* one entity: the query with its selecting parameter bound to a busy entity,
* the full listing (``--param limit=0``).

The embedded store gets the full graph (1,000,000 triples by default) on
disk, opened read-only as ``kg query`` opens it; the default and one-entity
figures are marked against the 100 ms target ("ok"/"SLOW"). rdflib gets a
smaller graph (100,000 triples by default) and a per-query time cap; each
rdflib query runs in a forked child that is killed at the cap, because
rdflib's SPARQL engine cannot be interrupted. The output says so.

Run::

    .venv/bin/python benchmarks/bench_store.py                # 1M / 100k triples, about 2 minutes
    .venv/bin/python benchmarks/bench_store.py --triples 200000 --rdflib-triples 20000 --cap 10

Latency is the median of ``--repeat`` runs after one warm-up, and includes
turning results into Python rows (what ``kg query`` and ``kg serve`` do); the
default run goes through ``kg.query.run_query``, so it includes asking for one
row more than the page (to tell whether there are more) and, when a page
comes back short, the rerun. Turning a label into an IRI for ``--param`` is
timed apart.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import shutil
import statistics
from collections import Counter
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.query import _set_limits, bind_params, canned_queries, run_query  # noqa: E402
from kg.rdf import PREFIXES  # noqa: E402
from kg.store.embedded import EmbeddedBackend  # noqa: E402

KG = "https://w3id.org/kg/ontology#"
D = "https://w3id.org/kg/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"

#: Entity classes and their share of the entities.
CLASS_SHARE = {"Province": 34, "City": 600, "District": 1500, "IndustrialPark": 1000, "Company": 8000,
               "Organization": 1200, "GovernmentBody": 800, "ResearchInstitution": 600, "Incubator": 200,
               "Person": 4000, "Facility": 1000, "Event": 300, "Sector": 100}
TRIPLES_PER_FACT = 15       # plain triple + Fact node (5) + kg:evidence + Evidence node (8)
TRIPLES_PER_INVESTMENT = 17


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def synthetic_nquads(target: int, seed: int = 7) -> tuple[bytes, dict[str, str]]:
    """About ``target`` quads shaped like a kg build; also returns sample parameter values."""
    rnd = random.Random(seed)
    scale = target / 1_000_000
    counts = {c: max(3, int(n * max(scale, 0.02))) for c, n in CLASS_SHARE.items()}
    counts["Province"] = min(34, counts["Province"])
    ents: dict[str, list[str]] = {c: [f"{D}{c.lower()}/{c.lower()}-{i}" for i in range(n)] for c, n in counts.items()}
    labels: dict[str, str] = {}
    out: list[str] = []
    eg = f"<{D}graph/entities>"
    for cls, iris in ents.items():
        for i, iri in enumerate(iris):
            label = f"{cls} {i}"
            labels[iri] = label
            out.append(f"<{iri}> <{RDF}type> <{KG}{cls}> {eg} .")
            out.append(f"<{iri}> <{RDFS}label> {_lit(label)} {eg} .")
            if i % 3 == 0:
                out.append(f"<{iri}> <{SKOS}altLabel> {_lit(label + ' Ltd')} {eg} .")
            if cls in ("City", "Province"):
                out.append(f"<{iri}> <{KG}geonamesId> {_lit(str(1_000_000 + i))} {eg} .")

    orgs = ents["Company"] + ents["Organization"] + ents["ResearchInstitution"] + ents["Incubator"]
    places = ents["City"] + ents["District"] + ents["IndustrialPark"]
    parent: dict[str, str] = {}
    for c in ents["City"]:
        parent[c] = rnd.choice(ents["Province"])
    for d in ents["District"]:
        parent[d] = rnd.choice(ents["City"])
    for p in ents["IndustrialPark"]:
        parent[p] = rnd.choice(ents["District"] + ents["City"])

    def fact_kinds() -> tuple[str, str, str]:
        r = rnd.random()
        if r < 0.30:
            return rnd.choice(orgs + ents["Facility"]), "locatedIn", rnd.choice(places)
        if r < 0.38:
            x = rnd.choice(places)
            return x, "locatedIn", parent.get(x) or rnd.choice(ents["Province"])
        if r < 0.48:
            return rnd.choice(ents["IndustrialPark"] + ents["District"]), "hosts", rnd.choice(orgs)
        if r < 0.62:
            return rnd.choice(ents["Person"]), "worksFor", rnd.choice(orgs + ents["GovernmentBody"])
        if r < 0.72:
            return rnd.choice(orgs), "investsIn", rnd.choice(places + orgs)
        if r < 0.80:
            return rnd.choice(orgs), "partnersWith", rnd.choice(orgs)
        if r < 0.87:
            return rnd.choice(orgs), "operates", rnd.choice(ents["Facility"])
        if r < 0.94:
            return rnd.choice(orgs), "activeIn", rnd.choice(ents["Sector"])
        return rnd.choice(orgs), "participatesIn", rnd.choice(ents["Event"])

    facts_per_article = 9
    invest_per_article = 0.5
    roles = ["CEO", "chairman", "president", "director", "founder", "mayor", "secretary"]
    currencies = ["CNY", "USD", "EUR"]
    f_no = ev_no = inv_no = 0
    busy: Counter = Counter()
    investors: list[str] = []
    a = -1
    while len(out) < target:         # articles until the graph reaches the target size
        a += 1
        art = f"{D}article/a{a}"
        g = f"<{D}graph/article/a{a}>"
        out += [f"<{art}> <{RDF}type> <{KG}Article> {g} .",
                f"<{art}> <{RDFS}label> {_lit(f'Article {a}')} {g} .",
                f"<{art}> <{KG}title> {_lit(f'Article {a}')} {g} .",
                f"<{art}> <{KG}url> \"https://news.example/{a}\"^^<{XSD}anyURI> {g} .",
                f"<{art}> <{KG}published> {_lit('2024-01-%02d' % (a % 28 + 1))} {g} .",
                f"<{art}> <{KG}sourceFile> {_lit(f'corpus/{a}.txt')} {g} .",
                f"<{art}> <{KG}contentHash> {_lit('%064x' % a)} {g} ."]

        def evidence(target_iri: str, extractor: str, role: str | None = None) -> None:
            nonlocal ev_no
            ev = f"<{D}evidence/e{ev_no}>"
            ev_no += 1
            start = rnd.randrange(0, 5000)
            sentence = f"Sentence {ev_no} of article {a} says {labels.get(target_iri, 'something')} did something."
            out.extend([f"<{target_iri}> <{KG}evidence> {ev} {g} .",
                        f"{ev} <{RDF}type> <{KG}Evidence> {g} .",
                        f"{ev} <{KG}article> <{art}> {g} .",
                        f"{ev} <{KG}sentence> {_lit(sentence)} {g} .",
                        f"{ev} <{KG}startChar> \"{start}\"^^<{XSD}integer> {g} .",
                        f"{ev} <{KG}endChar> \"{start + 120}\"^^<{XSD}integer> {g} .",
                        f"{ev} <{KG}extractor> {_lit(extractor)} {g} .",
                        f"{ev} <{KG}confidence> \"0.{rnd.randrange(50, 99)}\"^^<{XSD}decimal> {g} ."])
            if role:
                out.append(f"{ev} <{KG}role> {_lit(role)} {g} .")

        for _ in range(facts_per_article):
            s, p, o = fact_kinds()
            busy[(p, s)] += 1
            fact = f"{D}fact/f{f_no}"
            f_no += 1
            out += [f"<{s}> <{KG}{p}> <{o}> {g} .",
                    f"<{fact}> <{RDF}type> <{KG}Fact> {g} .",
                    f"<{fact}> <{RDF}type> <{RDF}Statement> {g} .",
                    f"<{fact}> <{RDF}subject> <{s}> {g} .",
                    f"<{fact}> <{RDF}predicate> <{KG}{p}> {g} .",
                    f"<{fact}> <{RDF}object> <{o}> {g} ."]
            evidence(fact, f"rule:{p}", rnd.choice(roles) if p == "worksFor" else None)
        while inv_no < (a + 1) * invest_per_article:
            inv = f"{D}investment/i{inv_no}"
            inv_no += 1
            investor, tgt, loc = rnd.choice(orgs), rnd.choice(orgs + places), rnd.choice(places)
            investors.append(investor)
            amount = rnd.randrange(1, 5000) * 1_000_000
            out += [f"<{inv}> <{RDF}type> <{KG}Investment> {g} .",
                    f"<{inv}> <{RDFS}label> {_lit(f'{labels[investor]}: {amount}')} {g} .",
                    f"<{inv}> <{KG}investor> <{investor}> {g} .",
                    f"<{inv}> <{KG}target> <{tgt}> {g} .",
                    f"<{inv}> <{KG}amount> \"{amount}\"^^<{XSD}decimal> {g} .",
                    f"<{inv}> <{KG}currency> {_lit(rnd.choice(currencies))} {g} .",
                    f"<{inv}> <{KG}date> {_lit('2024')} {g} .",
                    f"<{inv}> <{KG}location> <{loc}> {g} ."]
            evidence(inv, "rule:amount")
    # sample parameter values: the busiest subject of each kind of fact
    def top(pred: str, pool: list[str]) -> str:
        pool_set = set(pool)
        best = max((n, s) for (p, s), n in busy.items() if p == pred and s in pool_set)
        return labels[best[1]]

    params = {"entity": top("locatedIn", orgs), "investor": labels[investors[0]],
              "person": top("worksFor", ents["Person"]), "place": top("hosts", ents["IndustrialPark"]),
              "province": labels[max(ents["Province"], key=lambda p: sum(1 for v in parent.values() if v == p))]}
    return ("\n".join(out) + "\n").encode("utf-8"), params


# ----------------------------------------------------------------- runs

TARGET_MS = 100.0
KINDS = ("default", "one", "full")
KIND_TEXT = {"default": "default (first page)", "one": "{param}={value!r}", "full": "full listing (limit=0)"}


def _median_ms(fn, repeat: int) -> tuple[float, int]:
    n = fn()                     # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        n = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), n


def _selecting(q) -> str | None:
    return next((p.name for p in q.params.values() if p.kind != "limit"), None)


def _runs(backend, params: dict[str, str]) -> dict[tuple[str, str], tuple[str, object]]:
    """(query, kind) -> (label, how to run it): a callable on the embedded
    backend for the default page, else the SPARQL text (bound in the store)."""
    out: dict[tuple[str, str], tuple[str, object]] = {}
    for name, q in canned_queries().items():
        pname = _selecting(q)
        if q.paged:
            out[(name, "default")] = (KIND_TEXT["default"], None)
            out[(name, "full")] = (KIND_TEXT["full"], bind_params(q, {}, backend, PREFIXES, page=None))
        if pname:
            text = bind_params(q, {pname: [params[pname]]}, backend, PREFIXES)
            out[(name, "one")] = (KIND_TEXT["one"].format(param=pname, value=params[pname]), text)
    return dict(sorted(out.items(), key=lambda kv: (kv[0][0], KINDS.index(kv[0][1]))))


def bench_oxigraph(data: bytes, params: dict[str, str], repeat: int, full_repeat: int):
    """Bulk-load into an on-disk store, then time every run in the store
    reopened read-only (what ``kg query`` and ``kg serve`` use)."""
    import pyoxigraph as ox

    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        t = time.perf_counter()
        store = ox.Store(str(tmp / "store"))
        store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        store.flush()
        load = time.perf_counter() - t
        del store
        backend = EmbeddedBackend(ox.Store.read_only(str(tmp / "store")))
        t = time.perf_counter()
        runs = _runs(backend, params)
        n_bound = sum(1 for (_, kind) in runs if kind == "one")
        resolve_ms = (time.perf_counter() - t) * 1000 / max(1, n_bound)
        results: dict[tuple[str, str], tuple[float, int]] = {}
        for (name, kind), (_, text) in runs.items():
            if text is None:
                results[(name, kind)] = _median_ms(lambda: len(run_query(backend, named=name).rows), repeat)
            else:
                results[(name, kind)] = _median_ms(lambda: len(backend.query(text).rows),
                                                   full_repeat if kind == "full" else repeat)
        # honesty check: the default page is the first rows of the full listing
        pages_ok = all(run_query(backend, named=name).rows ==
                       run_query(backend, named=name, params={"limit": ["0"]}).rows[:q.page_size]
                       for name, q in canned_queries().items() if q.paged)
        labels = {key: label for key, (label, _) in runs.items()}
        del backend
        return load, results, labels, resolve_ms, pages_ok
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


_RDFLIB_DS = None


def _rdflib_child(text: str, conn) -> None:
    t = time.perf_counter()
    n = len(list(_RDFLIB_DS.query(text)))
    conn.send(((time.perf_counter() - t) * 1000, n))


def bench_rdflib(data: bytes, queries: dict, cap: float) -> tuple[float, dict]:
    """Load in this process, then run each query in a forked child killed at ``cap`` seconds."""
    global _RDFLIB_DS
    from rdflib import Dataset

    t = time.perf_counter()
    ds = Dataset(default_union=True)
    for p, ns in PREFIXES.items():
        ds.bind(p, ns)
    ds.parse(data=data, format="nquads")
    load = time.perf_counter() - t
    _RDFLIB_DS = ds
    ctx = mp.get_context("fork")
    results: dict = {}
    for key, text in queries.items():
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_rdflib_child, args=(text, child), daemon=True)
        proc.start()
        if parent.poll(cap):
            results[key] = parent.recv()
        else:
            results[key] = (None, -1)
        proc.kill()
        proc.join(5)
    return load, results


def _rdflib_texts(small: bytes, params: dict[str, str]) -> dict[tuple[str, str], str]:
    """The same runs as SPARQL text for rdflib: the default page as the query
    ``kg query`` sends first (LIMIT = page size), bound in a store of the small graph."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(small, format=ox.RdfFormat.N_QUADS)
    backend = EmbeddedBackend(store)
    # rdflib has no default prefixes: add the declarations the queries rely on
    decl = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    out = {}
    for (name, kind), (_, text) in _runs(backend, params).items():
        if text is None:     # what run_query sends: the page, rerun without the inner bounds when short
            q = canned_queries()[name]
            text = bind_params(q, {}, backend, PREFIXES, page=q.page_size)
            if len(backend.query(text).rows) < q.page_size and text.count("LIMIT") > 1:
                text = _set_limits(q, text, q.page_size, inner=False)
        out[(name, kind)] = text if "PREFIX kg:" in text else decl + text
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="size of the embedded store's graph")
    ap.add_argument("--rdflib-triples", type=int, default=100_000, help="size of rdflib's (smaller) graph")
    ap.add_argument("--cap", type=float, default=20.0, help="rdflib per-query time cap, seconds")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per query (median)")
    ap.add_argument("--full-repeat", type=int, default=2, help="timed runs per full listing (median)")
    ap.add_argument("--no-rdflib", action="store_true", help="skip the rdflib side")
    args = ap.parse_args(argv)

    started = time.perf_counter()
    big, params = synthetic_nquads(args.triples)
    n_big = big.count(b"\n")
    print(f"synthetic graph: {n_big:,} quads generated in {time.perf_counter() - started:.1f} s")
    ox_load, ox_res, labels, resolve_ms, pages_ok = bench_oxigraph(big, params, args.repeat, args.full_repeat)
    del big

    rl_load = None
    rl_res: dict = {}
    n_small = 0
    if not args.no_rdflib:
        small, small_params = synthetic_nquads(args.rdflib_triples)
        n_small = small.count(b"\n")
        rl_load, rl_res = bench_rdflib(small, _rdflib_texts(small, small_params), args.cap)

    print()
    print(f"embedded store: pyoxigraph with {n_big:,} triples, on disk, opened read-only (as kg query does)")
    if not args.no_rdflib:
        print(f"rdflib: plain rdflib Dataset (Memory store) with a SMALLER graph of {n_small:,} triples "
              f"(its own sample entities); each query capped at {args.cap:g} s (run in a forked child, "
              f"killed at the cap)")
    print(f"load:  pyoxigraph bulk_load {ox_load:6.2f} s ({n_big / ox_load:,.0f} triples/s)" +
          (f"   |   rdflib parse {rl_load:6.2f} s ({n_small / rl_load:,.0f} triples/s)" if rl_load else ""))
    print()
    w = max(len(v) for v in labels.values())
    print(f"{'query':<12} {'run':<{w}}  {'embedded ms':>11} {'rows':>7}  {'<100 ms':<7}  |  "
          f"{'rdflib ms':>9} {'rows':>6}")
    last = None
    for (name, kind), (ms, n) in ox_res.items():
        flag = "" if kind == "full" else ("ok" if ms < TARGET_MS else "SLOW")
        rl = rl_res.get((name, kind))
        rl_txt = "" if rl is None else (f"{'> cap':>9} {'-':>6}" if rl[0] is None else f"{rl[0]:9.1f} {rl[1]:6d}")
        shown = name if name != last else ""
        last = name
        print(f"{shown:<12} {labels[(name, kind)]:<{w}}  {ms:11.1f} {n:7d}  {flag:<7}  |  {rl_txt}")
    print()
    slow = [k for k, (ms, _) in ox_res.items() if k[1] != "full" and ms >= TARGET_MS]
    print(f"target: every default and one-entity run under {TARGET_MS:g} ms in the embedded store: "
          + ("met" if not slow else f"NOT met ({', '.join(f'{n} {k}' for n, k in slow)})"))
    print(f"each default page equals the first rows of its full listing: {'yes' if pages_ok else 'NO'}")
    print(f"label -> IRI lookup for --param (exact label, index lookup): {resolve_ms:.1f} ms each, "
          f"not in the figures above")
    print("latency = median of --repeat runs (--full-repeat for full listings) after a warm-up, including "
          "conversion of every row to Python")
    print(f"benchmark wall time: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
