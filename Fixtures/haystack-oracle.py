#!/usr/bin/env python3
"""An independent oracle for `arxos import haystack`, built on Python's json module and PyYAML.

    haystack-oracle.py import GRID.json DIR [GENERATED]

Reads the Haystack 3 JSON grid GRID.json itself (its own decoding of the "r:", "n:", "m:" prefixes) and compares the
YAML objects under DIR (what `arxos import haystack` wrote) with it, following the rules of docs/import.md: one object
per site, equip and point record, the type from the markers, `name` from dis (else the ref's display name),
`location` from siteRef, `partOf` from equipRef, an equip's `points` as the points naming it, `fedBy` from ahuRef,
numbers with units as "value unit", every marker kept. With GENERATED (the output of generate-from-haystack.py for the
same grid), also checks that both give every record the same id, name, location and relations.

Prints one JSON document: {"problems": [...], "counts": {...}}. Exit status 0 when it ran (problems or not), 3 when
PyYAML cannot be imported. It shares no code with arxos.
"""
import json
import os
import sys

try:
    import yaml
except ImportError:
    print("PyYAML is not installed (pip install pyyaml)", file=sys.stderr)
    sys.exit(3)

# The arxos type of each kind of record in the Carytown-style data, by marker, first match wins.
POINT_TYPES = [("sensor", "sensor"), ("sp", "setpoint"), ("cmd", "command")]
EQUIP_TYPES = [("rooftop", "rtu"), ("rtu", "rtu"), ("vav", "vav"), ("ahu", "ahu"), ("meter", "meter"),
               ("elecPanel", "elec_panel"), ("lightsGroup", "lighting"), ("chiller", "chiller"), ("boiler", "boiler"),
               ("pump", "pump")]
SPACE_TYPES = [("floor", "floor"), ("room", "room"), ("zone", "zone")]
# Haystack unit → the arxos unit symbol the import writes (docs/import.md, "Units").
UNITS = {"°F": "°F", "°C": "°C", "kW": "kW", "kWh": "kWh", "%": "%", "inH₂O": "inH₂O", "ft²": "ft²", "min": "min",
         "cfm": "cfm", "gal/min": "gpm", "tonref": "ton"}


def ref(value):
    """The id of a Haystack 3 JSON ref "r:id dis", else None."""
    if isinstance(value, str) and value.startswith("r:"):
        return value[2:].split(" ", 1)[0]
    return None


def ref_dis(value):
    parts = value[2:].split(" ", 1)
    return parts[1] if len(parts) > 1 else None


def expected_type(row):
    markers = {k for k, v in row.items() if v == "m:"}
    if "site" in markers:
        return "building"
    if "point" in markers:
        return next((t for m, t in POINT_TYPES if m in markers), "point")
    if "equip" in markers:
        return next((t for m, t in EQUIP_TYPES if m in markers), "equipment")
    if markers & {"space", "floor", "room", "zone"}:
        return next((t for m, t in SPACE_TYPES if m in markers), "space")
    return None


def load_objects(top):
    """Every object in the YAML files under `top`, by id."""
    objects = {}
    for directory, subdirs, names in os.walk(top):
        subdirs[:] = [d for d in subdirs if d != ".arxos"]
        for name in sorted(names):
            if not name.endswith(".yaml"):
                continue
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                for document in yaml.load_all(f, Loader=yaml.BaseLoader):
                    for obj in document if isinstance(document, list) else [document]:
                        objects[obj["id"]] = obj
    return objects


def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def main(argv):
    if len(argv) not in (3, 4) or argv[0] != "import":
        sys.exit("usage: haystack-oracle.py import GRID.json DIR [GENERATED]")
    with open(argv[1], encoding="utf-8") as f:
        grid = json.load(f)
    rows = {ref(r.get("id")): r for r in grid["rows"] if ref(r.get("id"))}
    objects = load_objects(argv[2])
    by_ref = {}
    for obj in objects.values():
        haystack = (obj.get("refs") or {}).get("haystack", "")
        if haystack.startswith("@"):
            by_ref[haystack[1:]] = obj
    problems = []
    types = {}
    for rid, row in rows.items():
        want = expected_type(row)
        obj = by_ref.get(rid)
        if want is None:
            if obj is not None:
                problems.append(f"@{rid} is not a site, space, equip or point but was imported as {obj['id']}")
            continue
        types[want] = types.get(want, 0) + 1
        if obj is None:
            problems.append(f"@{rid} ({want}) was not imported")
            continue
        oid = obj["id"]
        if obj.get("type") != want:
            problems.append(f"{oid}: type {obj.get('type')}, expected {want}")
        name = row.get("dis") or ref_dis(row["id"])
        if obj.get("name") != name:
            problems.append(f"{oid}: name {obj.get('name')!r}, expected {name!r}")
        site = ref(row.get("siteRef"))
        want_location = by_ref[site]["id"] if site in by_ref else None
        if obj.get("location") != want_location:
            problems.append(f"{oid}: location {obj.get('location')}, expected {want_location}")
        equip = ref(row.get("equipRef"))
        want_part = [by_ref[equip]["id"]] if equip in by_ref else []
        if as_list(obj.get("partOf")) != want_part:
            problems.append(f"{oid}: partOf {obj.get('partOf')}, expected {want_part}")
        ahu = ref(row.get("ahuRef"))
        want_fed = [by_ref[ahu]["id"]] if ahu in by_ref else []
        if as_list(obj.get("fedBy")) != want_fed:
            problems.append(f"{oid}: fedBy {obj.get('fedBy')}, expected {want_fed}")
        want_points = sorted(by_ref[p]["id"] for p, r in rows.items()
                             if ref(r.get("equipRef")) == rid and "point" in r and p in by_ref)
        if sorted(as_list(obj.get("points"))) != want_points:
            problems.append(f"{oid}: points {obj.get('points')}, expected {want_points}")
        properties = obj.get("properties") or {}
        markers = sorted(k for k, v in row.items() if v == "m:")
        kept = as_list(properties.get("markers"))
        if kept and sorted(kept) != markers:
            problems.append(f"{oid}: markers {kept}, expected {markers}")
        for tag, value in row.items():
            if isinstance(value, str) and value.startswith("n:") and " " in value:
                number, unit = value[2:].split(" ", 1)
                want_text = f"{number} {UNITS.get(unit, unit)}"
                if properties.get(tag) != want_text:
                    problems.append(f"{oid}: {tag} {properties.get(tag)!r}, expected {want_text!r}")
            elif isinstance(value, str) and value.startswith("r:") and tag not in ("id", "siteRef", "equipRef", "ahuRef"):
                target = ref(value)
                want_value = by_ref[target]["id"] if target in by_ref else "@" + target
                if properties.get(tag) != want_value:
                    problems.append(f"{oid}: {tag} {properties.get(tag)!r}, expected {want_value!r}")
    extra = sorted(set(o["id"] for o in objects.values()) - set(o["id"] for o in by_ref.values()))
    problems += [f"{oid} has no refs.haystack of the grid" for oid in extra]

    if len(argv) == 4:
        generated = load_objects(argv[3])
        for obj in generated.values():
            rid = (obj.get("refs") or {}).get("haystack", "@")[1:]
            mine = by_ref.get(rid)
            if mine is None:
                problems.append(f"generator's {obj['id']} (@{rid}) has no arxos counterpart")
                continue
            for field in ("id", "name", "location"):
                if obj.get(field) != mine.get(field):
                    problems.append(f"@{rid}: {field} is {mine.get(field)!r}, the generator's {obj.get(field)!r}")
            for field in ("partOf", "points", "fedBy"):
                if sorted(as_list(obj.get(field))) != sorted(as_list(mine.get(field))):
                    problems.append(f"@{rid}: {field} is {mine.get(field)}, the generator's {obj.get(field)}")

    print(json.dumps({"problems": problems, "counts": {"records": len(rows), "objects": len(objects), "types": types}},
                     indent=1, sort_keys=True, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
