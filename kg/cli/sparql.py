"""``kg query``, ``kg serve`` and ``kg push``: the SPARQL commands.

Arguments are parsed here and handed to ``kg.query``, ``kg.server`` and
``kg.push``; those raise ``KGError`` and ``kg.cli.main`` prints it.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.cli.options import add_format, add_output
from kg.errors import QueryError
from kg.query import FORMATS

QUERY_EPILOG = """\
examples:
  kg query out/ 'SELECT ?city WHERE { ?city a kg:City }'      (kg:, kgd:, rdf:, rdfs:, skos:... are predeclared)
  kg query out/ --file my.rq -f csv -o result.csv
  kg query out/ --named entity --param entity=Changchun
  kg query out/ --named hosts                    (a listing: the first 100 rows)
  kg query out/ --named hosts --param limit=0    (all rows; --limit 500 for the first 500)
  kg query --list
  kg query --endpoint http://127.0.0.1:7879/sparql --named investments --format json
"""


def register(sub: argparse._SubParsersAction) -> None:
    q = sub.add_parser("query", help="run a SPARQL query on a built graph or an endpoint",
                       description="Run SPARQL on the store of a build directory (or a remote endpoint). "
                                   "SELECT/ASK print a table (or CSV, TSV, SPARQL JSON); "
                                   "CONSTRUCT/DESCRIBE print Turtle.",
                       epilog=QUERY_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    q.add_argument("dir", nargs="?", metavar="DIR", help="build directory (`kg build ... --out DIR`)")
    q.add_argument("query", nargs="?", metavar="QUERY", help="SPARQL text, or - to read it from stdin")
    src = q.add_mutually_exclusive_group()
    src.add_argument("--file", metavar="FILE", help="read the query from FILE (.rq)")
    src.add_argument("--named", "-n", metavar="NAME", help="run the canned query NAME (see --list)")
    src.add_argument("--list", action="store_true", help="list the canned queries and their parameters")
    q.add_argument("--param", "-p", action="append", metavar="NAME=VALUE",
                   help="bind a canned query parameter; repeat for several values "
                        "(an entity may be an IRI or a label)")
    add_format(q, FORMATS, default="table",
               help="output for SELECT/ASK (CONSTRUCT/DESCRIBE always print Turtle)")
    add_output(q, help="write the result to FILE instead of standard output")
    q.add_argument("--endpoint", metavar="URL", help="query this SPARQL endpoint instead of DIR")
    q.add_argument("--auth", metavar="ENVVAR",
                   help="HTTP basic auth for --endpoint from environment variable ENVVAR=user:password")
    q.add_argument("--limit", type=int, metavar="N",
                   help="print at most N rows (0: no cap); for a canned listing, the page size")
    q.add_argument("--timeout", type=float, metavar="SECONDS", help="give up after SECONDS")
    q.set_defaults(func=cmd_query)

    s = sub.add_parser("serve", help="serve a built graph as a SPARQL endpoint with the HTML viewer",
                       description="Serve DIR as a SPARQL 1.1 Protocol endpoint at /sparql (GET and POST; "
                                   "JSON, XML, CSV, TSV results by content negotiation) and the HTML "
                                   "viewer at /. Read-only unless --allow-update.")
    s.add_argument("dir", metavar="DIR", help="build directory")
    s.add_argument("--host", default=None, help="interface to listen on (default: 127.0.0.1, this machine only)")
    s.add_argument("--port", type=int, default=None, help="port (default: 7879; 0 picks a free one)")
    s.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="abandon queries running longer than this (default: 30)")
    s.add_argument("--max-rows", type=int, default=None, metavar="N",
                   help="cut results after N rows (default: 100000)")
    s.add_argument("--allow-update", action="store_true",
                   help="accept SPARQL updates (locks the store: builds into DIR wait until you stop)")
    s.add_argument("--in-memory", action="store_true",
                   help="copy the store into RAM at start: queries run 3-5x faster (not with --allow-update)")
    s.add_argument("--cors", action="append", default=[], metavar="ORIGIN",
                   help="let web pages from ORIGIN (e.g. http://localhost:8000, or *) read answers; repeatable")
    s.add_argument("--allow-service", nargs="+", default=[], metavar="HOST",
                   help="let SERVICE federation reach these hosts (default: none)")
    s.add_argument("--allow-load", nargs="+", default=[], metavar="HOST",
                   help="with --allow-update, let LOAD fetch from these hosts (default: none)")
    s.add_argument("--token-env", metavar="ENVVAR",
                   help="with --allow-update, the bearer token updates need, from ENVVAR "
                        "(default: a fresh token, printed at start)")
    s.add_argument("--workers", type=int, default=None, metavar="N",
                   help="query worker processes, each killed at --timeout (default: cores, at least 2)")
    s.add_argument("--max-memory", type=int, default=None, metavar="MB",
                   help="memory one query may use, in MB (default: 2048)")
    s.add_argument("--quiet", "-q", action="store_true", help="do not log requests")
    s.set_defaults(func=cmd_serve)

    p = sub.add_parser("push", help="load a built graph into a triple store (Graph Store Protocol)",
                       description="PUT each named graph of DIR (one per article, plus entities and "
                                   "ontology) to a SPARQL 1.1 Graph Store endpoint, replacing what a "
                                   "previous push put there and deleting graphs of removed articles.",
                       epilog="Graph Store endpoints: Oxigraph http://HOST:7878/store, Fuseki "
                              "http://HOST:3030/DATASET/data, GraphDB "
                              "http://HOST:7200/repositories/REPO/rdf-graphs/service, Virtuoso "
                              "http://HOST:8890/sparql-graph-crud-auth")
    p.add_argument("dir", metavar="DIR", help="build directory")
    p.add_argument("--endpoint", required=True, metavar="URL", help="the Graph Store Protocol endpoint")
    p.add_argument("--auth", metavar="ENVVAR",
                   help="HTTP basic auth from environment variable ENVVAR=user:password "
                        "(never a password on the command line)")
    p.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS", help="per request (default: 60)")
    p.set_defaults(func=cmd_push)


# ----------------------------------------------------------------- query


def _query_text(args: argparse.Namespace) -> str | None:
    if args.file:
        try:
            return Path(args.file).read_text(encoding="utf-8")
        except OSError as err:
            raise QueryError(f"cannot read query file {args.file}: {err.strerror or err}") from err
    if args.query == "-":
        return sys.stdin.read()
    return args.query


def _warn_unknown_terms(sparql: str) -> None:
    """A misspelt term (``rdfs:lable``) is valid SPARQL that matches nothing: say so on stderr."""
    from kg.rdf import PREFIXES
    from kg.sparqlcheck import unknown_terms

    for warning in unknown_terms(sparql, PREFIXES):
        print(f"kg query: warning: {warning}", file=sys.stderr)


def cmd_query(args: argparse.Namespace) -> int:
    from kg.push import credentials_from_env
    from kg.query import (canned_queries, canned_query, format_outcome, open_backend, page_rows, parse_params,
                          run_query)

    if args.list:
        for name, cq in canned_queries().items():
            print(f"{name:<14} {cq.description}")
            for param in cq.params.values():
                need = " (required)" if param.required else ""
                print(f"{'':<14}   --param {param.name}=...  {param.help}{need}")
            if cq.paged:
                print(f"{'':<14}   a listing: without a selecting --param it prints the first {cq.page_size} rows; "
                      f"--param limit=0 (or --limit 0) for all, --limit N for N")
        return 0
    # with --endpoint, DIR may be left out: `kg query --endpoint URL 'SELECT ...'`
    if args.endpoint and args.query is None and args.dir is not None and not Path(args.dir).is_dir():
        args.dir, args.query = None, args.dir
    if args.output in FORMATS:
        raise QueryError(f"-o is --output FILE in every kg command now; for the format give -f {args.output} "
                         f"(or --format {args.output}); for a file named {args.output}, give ./{args.output}")
    if args.dir is None and not args.endpoint:
        raise QueryError("give the build directory DIR (or --endpoint URL)")
    sparql = _query_text(args)
    if args.named and sparql is not None:
        raise QueryError("give either QUERY text, --file or --named, not two of them")
    if sparql is None and not args.named:
        raise QueryError("give the query: SPARQL text, --file FILE or --named NAME (see kg query --list)")
    if args.limit is not None and args.limit < 0:
        raise QueryError(f"--limit must be 0 or more, not {args.limit}")
    params = parse_params(args.param)
    # a canned listing takes --limit as its page size; anything else as a cap on the rows printed (0: none)
    paged = bool(args.named) and canned_query(args.named).paged
    page = page_rows(canned_query(args.named), params, args.limit) if paged else None
    max_rows = None if paged else (args.limit or None)
    limit = args.limit if paged else None
    if sparql is not None:
        _warn_unknown_terms(sparql)
    backend = open_backend(args.dir, endpoint=args.endpoint, credentials=credentials_from_env(args.auth))
    try:
        outcome = run_query(backend, sparql, named=args.named, params=params,
                            max_rows=max_rows, timeout=args.timeout, limit=limit)
    finally:
        backend.close()
    text = format_outcome(outcome, args.format)
    text = text if text.endswith("\n") else text + "\n"
    if args.output:
        from kg.io import atomic_write_text

        atomic_write_text(args.output, text)
        print(f"kg query: wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    if page is not None and outcome.truncated:
        sys.stdout.flush()
        print(f"kg query: first {page} rows of the {args.named} listing (there are more); "
              f"pass --param limit=0 (or --limit 0) for all, or --limit N for the first N",
              file=sys.stderr)
    return 0


# ----------------------------------------------------------------- serve


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    from kg.errors import StoreError
    from kg.server import DEFAULT_HOST, DEFAULT_MAX_ROWS, DEFAULT_PORT, DEFAULT_TIMEOUT, ServerConfig, serve

    token = None
    if args.token_env:
        token = os.environ.get(args.token_env)
        if not token:
            raise StoreError(f"environment variable {args.token_env} is not set; export it with the token "
                             f"update clients will send, or leave out --token-env")
    extra = {"workers": args.workers} if args.workers is not None else {}
    if args.max_memory is not None:
        extra["max_memory_mb"] = args.max_memory or None
    config = ServerConfig(
        out_dir=Path(args.dir),
        host=args.host or DEFAULT_HOST,
        port=DEFAULT_PORT if args.port is None else args.port,
        timeout=args.timeout or DEFAULT_TIMEOUT,
        max_rows=args.max_rows or DEFAULT_MAX_ROWS,
        allow_update=args.allow_update,
        in_memory=args.in_memory,
        cors=tuple(args.cors),
        allow_service=tuple(args.allow_service),
        allow_load=tuple(args.allow_load),
        token=token,
        **extra,
    )

    def ready(url: str) -> None:
        mode = "read-write" if config.allow_update else "read-only"
        print(f"kg serve: SPARQL endpoint {url} ({mode}); viewer {url.rsplit('/', 1)[0]}/ ; Ctrl-C stops",
              file=sys.stderr, flush=True)
        if config.allow_update and not args.token_env:
            print(f"kg serve: updates need the header `Authorization: Bearer {config.token}`",
                  file=sys.stderr, flush=True)

    try:
        serve(config, ready=ready, quiet=args.quiet)
    except KeyboardInterrupt:
        print("kg serve: stopped", file=sys.stderr)
    return 0


# ----------------------------------------------------------------- push


def cmd_push(args: argparse.Namespace) -> int:
    from kg.push import credentials_from_env, push

    report = push(args.dir, args.endpoint, credentials=credentials_from_env(args.auth), timeout=args.timeout,
                  progress=lambda m: print(f"kg push: {m}", file=sys.stderr))
    gone = f", deleted {len(report.deleted)} stale graph(s)" if report.deleted else ""
    print(f"pushed {report.graphs} graph(s), {report.triples} triples to {report.endpoint}{gone} "
          f"in {report.elapsed:.1f} s")
    return 0
