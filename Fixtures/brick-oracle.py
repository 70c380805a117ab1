#!/usr/bin/env python3
"""An independent oracle for `arxos import brick` and `arxos export brick`, built on rdflib and SPARQL.

    brick-oracle.py import TTL DIR TYPES_JSON   compare the YAML objects under DIR with the graph in TTL
    brick-oracle.py roundtrip ORIGINAL EXPORTED compare the triples arxos keeps in both graphs

Prints one JSON document: {"problems": [...], "counts": {...}}. Exit status 0 when it ran (problems or not), 3 when
rdflib cannot be imported. The rules it checks are those of docs/import.md; it shares no code with arxos.
"""
import json
import os
import sys

try:
    import rdflib
    from rdflib import RDF, RDFS
except ImportError:
    print("rdflib is not installed (pip install rdflib)", file=sys.stderr)
    sys.exit(3)

BRICK_RE = r"^https?://brickschema\.org/schema/([0-9][^/#]*/)?(Brick|BrickFrame)#"
# The same pattern inside a SPARQL string literal, where a backslash must itself be escaped.
BRICK_SPARQL = BRICK_RE.replace("\\", "\\\\")
RELATIONS = ["feeds", "isFedBy", "hasPoint", "isPointOf", "hasPart", "isPartOf", "hasLocation", "isLocationOf"]
# The direction arxos keeps: (holder-side predicate, turned around?)
CANONICAL = {"feeds": ("feeds", False), "isFedBy": ("isFedBy", False), "hasPoint": ("hasPoint", False),
             "isPointOf": ("hasPoint", True), "isPartOf": ("isPartOf", False), "hasPart": ("isPartOf", True),
             "hasLocation": ("hasLocation", False), "isLocationOf": ("hasLocation", True)}


def load(path):
    graph = rdflib.Graph()
    graph.parse(path, format="turtle")
    return graph


def entities(graph):
    """IRI subjects with a Brick class, with their classes (SPARQL)."""
    rows = graph.query(f"""
        SELECT DISTINCT ?e ?c WHERE {{
            ?e a ?c .
            FILTER(isIRI(?e) && REGEX(STR(?c), "{BRICK_SPARQL}"))
        }}""")
    out = {}
    for entity, cls in rows:
        out.setdefault(str(entity), set()).add(str(cls))
    return out


def relations(graph, ents):
    """Canonical relation pairs between entities: {predicate: {(holder, target)}} (SPARQL)."""
    names = "|".join(RELATIONS)
    rows = graph.query(f"""
        SELECT ?s ?p ?o WHERE {{
            ?s ?p ?o .
            FILTER(isIRI(?s) && isIRI(?o) && REGEX(STR(?p), "{BRICK_SPARQL}({names})$"))
        }}""")
    out = {name: set() for name in set(c for c, _ in CANONICAL.values())}
    for s, p, o in rows:
        local = str(p).split("#")[-1]
        name, flip = CANONICAL[local]
        holder, target = (str(o), str(s)) if flip else (str(s), str(o))
        if holder in ents and target in ents:
            out[name].add((holder, target))
    return out


def labels(graph, ents):
    return {str(s): str(o) for s, o in graph.subject_objects(RDFS.label) if str(s) in ents}


def check_import(ttl, directory, types_path):
    graph = load(ttl)
    ents = entities(graph)
    rels = relations(graph, ents)
    names = labels(graph, ents)
    with open(types_path) as handle:
        table = {t["name"]: t["brick"].split(":")[-1] for t in json.load(handle)}

    import yaml
    objects = []
    for root, _, files in os.walk(directory):
        for name in sorted(files):
            if name.endswith(".yaml"):
                with open(os.path.join(root, name)) as handle:
                    for document in yaml.safe_load_all(handle):
                        objects += document if isinstance(document, list) else [document]
    problems = []
    iri = {o["id"]: o.get("refs", {}).get("brick") for o in objects}
    if len(set(iri.values())) != len(objects):
        problems.append("two objects share one refs.brick IRI, or one has none")
    if set(iri.values()) != set(ents):
        problems.append(f"entities differ: missing {sorted(set(ents) - set(iri.values()))[:5]}, extra {sorted(set(iri.values()) - set(ents))[:5]}")

    # Classes, as counts per class.
    def classes(o):
        value = o.get("brickClass")
        if value is None:
            return {"https://brickschema.org/schema/Brick#" + table[o["type"]]}
        return set(value) if isinstance(value, list) else {value}
    ours, theirs = {}, {}
    for o in objects:
        for c in classes(o):
            ours[c] = ours.get(c, 0) + 1
    for cs in ents.values():
        for c in cs:
            theirs[c] = theirs.get(c, 0) + 1
    for c in sorted(set(ours) | set(theirs)):
        if ours.get(c, 0) != theirs.get(c, 0):
            problems.append(f"class {c}: arxos {ours.get(c, 0)}, rdflib {theirs.get(c, 0)}")

    # Relations.
    def pairs(field):
        out = set()
        for o in objects:
            value = o.get(field) or []
            for target in (value if isinstance(value, list) else [value]):
                if target not in iri:
                    problems.append(f"{o['id']}.{field} names {target}, which is not an imported object")
                    continue
                out.add((iri[o["id"]], iri[target]))
        return out
    for field, predicate in [("feeds", "feeds"), ("fedBy", "isFedBy"), ("points", "hasPoint"), ("partOf", "isPartOf")]:
        got, want = pairs(field), rels[predicate]
        if got != want:
            problems.append(f"{field}: missing {sorted(want - got)[:3]}, extra {sorted(got - want)[:3]}")
    located = {}
    for holder, target in rels["hasLocation"]:
        located.setdefault(holder, set()).add(target)
    for o in objects:
        want = located.get(iri[o["id"]], set())
        got = o.get("location")
        if (got is None) != (not want) or (got is not None and iri.get(got) not in want):
            problems.append(f"{o['id']}: location {got}, rdflib says {sorted(want)}")
    for o in objects:
        if names.get(iri[o["id"]]) != o.get("name"):
            problems.append(f"{o['id']}: name {o.get('name')!r}, rdfs:label {names.get(iri[o['id']])!r}")
    counts = {"objects": len(objects), "entities": len(ents)}
    counts.update({name: len(pairs) for name, pairs in rels.items()})
    return problems, counts


def kept(graph):
    ents = entities(graph)
    triples = set()
    for e, cs in ents.items():
        for c in cs:
            triples.add((e, "a", c))
    for e, label in labels(graph, ents).items():
        triples.add((e, "label", label))
    for name, pairs in relations(graph, ents).items():
        for holder, target in pairs:
            triples.add((holder, name, target))
    return triples


def check_roundtrip(original, exported):
    before, after = kept(load(original)), kept(load(exported))
    problems = []
    if before != after:
        problems.append(f"kept triples differ: missing {sorted(before - after)[:3]}, extra {sorted(after - before)[:3]}")
    return problems, {"triples": len(before)}


def main():
    if sys.argv[1] == "import":
        problems, counts = check_import(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        problems, counts = check_roundtrip(sys.argv[2], sys.argv[3])
    print(json.dumps({"problems": problems, "counts": counts}, indent=1))


main()
