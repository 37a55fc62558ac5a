"""Ontology terms in one place.

Every IRI the package writes comes from here, so a misspelled term raises
instead of silently minting a new IRI (``DefinedNamespace`` with ``_fail``).
The ontology file ``ontology/kg.ttl`` declares each of these terms; a test
checks that the two agree.
"""
from __future__ import annotations

from pathlib import Path

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace, URIRef

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "kg.ttl"

#: Where data IRIs (entities, facts, evidence, articles) live.
DATA = Namespace("https://w3id.org/kg/id/")
GEONAMES = Namespace("https://sws.geonames.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")


class KG(DefinedNamespace):
    """The kg ontology (``ontology/kg.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/kg/ontology#")

    # classes: agents
    Organization: URIRef
    Company: URIRef
    GovernmentBody: URIRef
    ResearchInstitution: URIRef
    Incubator: URIRef
    Person: URIRef
    # classes: places
    Place: URIRef
    Country: URIRef
    Province: URIRef
    City: URIRef
    District: URIRef
    IndustrialPark: URIRef
    # classes: other things facts hang on
    Facility: URIRef
    Event: URIRef
    Sector: URIRef
    # classes: provenance and money
    Investment: URIRef
    Fact: URIRef
    Evidence: URIRef
    Article: URIRef

    # the 14 core predicates
    locatedIn: URIRef
    hosts: URIRef
    capitalOf: URIRef
    investsIn: URIRef
    operates: URIRef
    headquarteredIn: URIRef
    worksFor: URIRef
    founded: URIRef
    partnersWith: URIRef
    incubates: URIRef
    participatesIn: URIRef
    heldIn: URIRef
    subsidiaryOf: URIRef
    activeIn: URIRef

    # investments
    investor: URIRef
    target: URIRef
    amount: URIRef
    currency: URIRef
    date: URIRef
    dateSource: URIRef    # Investment -> "text" | "article": where kg:date came from
    location: URIRef

    # facts and evidence
    evidence: URIRef      # Fact|Investment -> Evidence
    article: URIRef       # Evidence -> Article
    sentence: URIRef      # Evidence -> xsd:string
    startChar: URIRef     # Evidence -> xsd:integer (offset of the sentence in the article text)
    endChar: URIRef
    extractor: URIRef     # Evidence -> xsd:string (the rule that made it)
    confidence: URIRef    # Evidence -> xsd:decimal in [0, 1]
    role: URIRef          # Evidence of worksFor -> the role title ("CEO")

    # articles
    title: URIRef
    url: URIRef
    published: URIRef
    sourceFile: URIRef
    contentHash: URIRef

    # identifiers
    geonamesId: URIRef
    isoCode: URIRef


#: Core predicate local names (SCHEMA.md), in a stable order.
CORE_PREDICATES = (
    "locatedIn", "hosts", "capitalOf", "investsIn", "operates", "headquarteredIn",
    "worksFor", "founded", "partnersWith", "incubates", "participatesIn", "heldIn",
    "subsidiaryOf", "activeIn",
)

#: Core class local names (SCHEMA.md).
CORE_CLASSES = (
    "Organization", "Company", "GovernmentBody", "ResearchInstitution", "Incubator",
    "Person", "Country", "Province", "City", "District", "IndustrialPark", "Facility",
    "Event", "Sector",
)

PLACE_CLASSES = frozenset({"Country", "Province", "City", "District"})
ORG_CLASSES = frozenset({"Organization", "Company", "GovernmentBody", "ResearchInstitution", "Incubator"})
