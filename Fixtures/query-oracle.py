#!/usr/bin/env python3
"""An independent oracle for `arxos query`: the answer to a query, computed from the source data arxos imported.

    query-oracle.py brick TTL DIR WHERE...   run each SPARQL WHERE body (selecting ?x) with rdflib over TTL
    query-oracle.py haystack JSON DIR NAME...  evaluate each named check over the Haystack JSON grid

Both print one JSON document: {"results": [[id, ...], ...], "problems": [...]}, one sorted list of arxos ids per query,
in argument order. Source entities are turned into arxos ids through the objects arxos wrote under DIR (their
`refs.brick` or `refs.haystack`), so the answer itself comes from rdflib or from the grid, never from arxos. An entity
the query selects that has no object is reported as a problem. Exit status 0 when it ran, 3 when rdflib or PyYAML
cannot be imported. It shares no code with arxos.

In a WHERE body, `CLASS(?v, Name)` stands for "?v has a Brick class whose local name is Name or ends with _Name" in
any Brick namespace version, and `ENTITY(?v)` for "?v is an IRI with a Brick class" (an imported entity).

Haystack checks (the rows of the grid, numbers as `n:VALUE UNIT`):
    curVal-above-20C      points whose curVal is a temperature above 20 °C
    curVal-at-least-800kW points whose curVal is a power of at least 800 kW
    points-of-ahu         points whose equipRef is an equip with the `ahu` marker
"""
import json
import os
import re
import sys

try:
    import rdflib
    import yaml
except ImportError as error:
    print(f"{error.name} is not installed (pip install rdflib pyyaml)", file=sys.stderr)
    sys.exit(3)

BRICK = r"^https?://brickschema\\.org/schema/([0-9][^/#]*/)?(Brick|BrickFrame)#"
PREFIXES = """
PREFIX brick: <https://brickschema.org/schema/Brick#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX unit: <http://qudt.org/vocab/unit/>
"""


def objects_under(directory):
    out = []
    for root, _, files in os.walk(directory):
        if "/.arxos" in root + "/":
            continue
        for name in sorted(files):
            if name.endswith(".yaml"):
                with open(os.path.join(root, name), encoding="utf-8") as handle:
                    for document in yaml.safe_load_all(handle):
                        if document is None:
                            continue
                        out += document if isinstance(document, list) else [document]
    return out


def expand(where):
    where = re.sub(r"CLASS\((\?\w+),\s*(\w+)\)",
                   lambda m: f'{m[1]} a ?class_{m[1][1:]} . FILTER(REGEX(STR(?class_{m[1][1:]}), "{BRICK}(.*_)?{m[2]}$"))',
                   where)
    return re.sub(r"ENTITY\((\?\w+)\)",
                  lambda m: f'{m[1]} a ?entity_{m[1][1:]} . FILTER(isIRI({m[1]}) && REGEX(STR(?entity_{m[1][1:]}), "{BRICK}"))',
                  where)


def brick(ttl, directory, bodies):
    graph = rdflib.Graph()
    graph.parse(ttl, format="turtle")
    ids = {}
    for o in objects_under(directory):
        iri = (o.get("refs") or {}).get("brick")
        if iri:
            ids[iri] = o["id"]
    results, problems = [], []
    for body in bodies:
        found = set()
        for row in graph.query(PREFIXES + "SELECT DISTINCT ?x WHERE { " + expand(body) + " }"):
            iri = str(row[0])
            if iri in ids:
                found.add(ids[iri])
            else:
                problems.append(f"{body}: {iri} has no arxos object")
        results.append(sorted(found))
    return results, problems


def haystack(path, directory, names):
    with open(path, encoding="utf-8") as handle:
        rows = json.load(handle)["rows"]
    ids = {}
    for o in objects_under(directory):
        ref = (o.get("refs") or {}).get("haystack")
        if ref:
            ids[ref.lstrip("@")] = o["id"]

    def ref(value):
        return value[2:].split(" ")[0] if isinstance(value, str) and value.startswith("r:") else None

    def number(value):
        match = re.match(r"^n:(-?[0-9.]+)(?:\s+(.*))?$", value) if isinstance(value, str) else None
        return (float(match[1]), match[2]) if match else (None, None)

    kelvin = {"°F": lambda v: (v - 32) * 5 / 9 + 273.15, "°C": lambda v: v + 273.15, "K": lambda v: v}
    watts = {"W": 1.0, "kW": 1000.0, "MW": 1e6}
    equips = {ref(r["id"]): r for r in rows if "equip" in r}
    checks = {
        "curVal-above-20C": lambda r: number(r.get("curVal"))[1] in kelvin
        and kelvin[number(r["curVal"])[1]](number(r["curVal"])[0]) > 20 + 273.15,
        "curVal-at-least-800kW": lambda r: number(r.get("curVal"))[1] in watts
        and number(r["curVal"])[0] * watts[number(r["curVal"])[1]] >= 800_000,
        "points-of-ahu": lambda r: "point" in r and "ahu" in equips.get(ref(r.get("equipRef")), {}),
    }
    results, problems = [], []
    for name in names:
        found = set()
        for r in rows:
            if checks[name](r):
                key = ref(r["id"])
                if key in ids:
                    found.add(ids[key])
                else:
                    problems.append(f"{name}: {key} has no arxos object")
        results.append(sorted(found))
    return results, problems


def main():
    mode, source, directory, *queries = sys.argv[1:]
    if mode == "brick":
        results, problems = brick(source, directory, queries)
    else:
        results, problems = haystack(source, directory, queries)
    print(json.dumps({"results": results, "problems": problems}, indent=1))


main()
