#!/usr/bin/env python3
"""Convert a Project Haystack JSON grid into an arxos working tree of YAML files.

Usage:
    python3 Fixtures/generate-from-haystack.py OUTDIR [--input GRID.json]

The input is a Haystack 3 JSON grid ({"meta", "cols", "rows"}) whose values use the
Haystack 3 JSON string encoding ("m:" marker, "r:<id> <dis>" ref, "n:<num> <unit>"
number, "s:" string, "t:" date-time, "d:" date, "h:" time, "c:<lat>,<lng>" coordinate,
"u:" uri, "x:" xstr, "b:" bin, "z:" NA, "-:" remove). By default it reads the Carytown
demo site (Fixtures/shared-data/haystack/carytown.json, a copy of shared/data, or $ARXOS_HAYSTACK_JSON).

Output, for every site with slug S (from its display name):
    OUTDIR/S/building.yaml          the site, as an object of type `building`
    OUTDIR/S/equip/<equip>.yaml     a list: the equip, then each of its points
    OUTDIR/S/points.yaml            points that name no equip (if any)
    OUTDIR/other.yaml               records under no site (if any)

Mapping:
    id          S/building, S/<equip-slug>, S/<equip-slug>/<point-slug>
    type        from markers: site→building, ahu/rtu→ahu, vav→vav, meter→meter, chiller, boiler,
                pump, fan, elecPanel→elec_panel, circuit, lightsGroup→lighting, floor, room/space,
                zone; points: sensor→sensor, sp→setpoint, cmd→command, else point; other equip→equip
    name        dis, else the display text of the record's id
    location    spaceRef / floorRef / siteRef (the most specific one)
    partOf      equipRef;   fedBy: ahuRef;   points: the equip's points (inverse of equipRef)
    properties  every other tag: numbers with units as "72 °F", markers as a sorted `markers`
                list, refs to records in the grid as arxos ids, other refs as "@<haystack id>"
    refs        haystack: "@<original id>"
Tags dropped: id, dis, disMacro, mod (display macro and modification stamp are not configuration).

Standard library only; YAML is written by hand, quoting any string a YAML reader could
misread. Output is deterministic (sorted), and re-running overwrites the same files.
"""

import json
import os
import re
import sys

DEFAULT_INPUTS = [
    os.environ.get("ARXOS_HAYSTACK_JSON", ""),
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "shared-data", "haystack", "carytown.json"),
    "/work/shared/data/haystack/carytown.json",
]

DROPPED_TAGS = {"id", "dis", "disMacro", "mod"}
# Relation tags, handled outside `properties`.
RELATION_TAGS = {"siteRef", "equipRef", "ahuRef", "spaceRef", "floorRef"}

# Equip marker → arxos type, first match wins.
EQUIP_TYPES = [
    ("vav", "vav"), ("ahu", "ahu"), ("rtu", "ahu"), ("rooftop", "ahu"), ("chiller", "chiller"),
    ("boiler", "boiler"), ("pump", "pump"), ("fan", "fan"), ("elecPanel", "elec_panel"),
    ("circuit", "circuit"), ("meter", "meter"), ("lightsGroup", "lighting"), ("lights", "lighting"),
    ("camera", "camera"), ("door", "door"),
]


# ---------------------------------------------------------------- Haystack decoding

class Marker:
    pass


MARKER = Marker()


class Ref:
    def __init__(self, hid, dis):
        self.id, self.dis = hid, dis


class Coord:
    def __init__(self, lat, lng):
        self.lat, self.lng = lat, lng


class Date:
    def __init__(self, text):
        self.text = text


class Number:
    def __init__(self, value, unit):
        self.value, self.unit = value, unit


NA = object()


def decode(v):
    """Decode one Haystack 3 JSON value into Python values and the small classes above."""
    if isinstance(v, (bool, int, float)) or v is None:
        return v
    if isinstance(v, list):
        return [decode(x) for x in v]
    if isinstance(v, dict):
        return {k: decode(x) for k, x in v.items()}
    if not isinstance(v, str):
        return str(v)
    if len(v) < 2 or v[1] != ":":
        return v
    code, body = v[0], v[2:]
    if code == "m":
        return MARKER
    if code == "s":
        return body
    if code == "r":
        hid, _, dis = body.partition(" ")
        return Ref(hid, dis or None)
    if code == "n":
        num, _, unit = body.partition(" ")
        if num in ("INF", "-INF", "NaN"):
            return num if not unit else f"{num} {unit}"
        try:
            value = float(num)
        except ValueError:
            return body
        if value.is_integer() and "e" not in num.lower() and abs(value) < 1e15:
            value = int(value)
        return Number(value, unit or None)
    if code == "c":
        lat, _, lng = body.partition(",")
        try:
            return Coord(float(lat), float(lng))
        except ValueError:
            return body
    if code == "d":
        return Date(body)
    if code in ("t", "h", "u", "x", "b"):
        return body
    if code in ("z", "-"):
        return NA
    return v  # an ordinary string that happens to have ':' second


# ---------------------------------------------------------------- names and slugs

def slugify(text):
    """'ZoneTempSp' → 'zone-temp-sp', 'ElecMeter-Main' → 'elec-meter-main', 'kWh' → 'kwh'."""
    # Split camelCase only where a word of at least two lowercase letters meets a capitalised word.
    text = re.sub(r"(?<=[a-z0-9][a-z])(?=[A-Z][a-z])", "-", text)
    text = re.sub(r"[^A-Za-z0-9]+", "-", text.lower()).strip("-")
    return text or "x"


def display(row):
    """The record's display name: dis, else the text after the id in its own ref."""
    dis = row.get("dis")
    if isinstance(dis, str) and dis:
        return dis
    rid = row.get("id")
    if isinstance(rid, Ref) and rid.dis:
        return rid.dis
    return rid.id if isinstance(rid, Ref) else "unnamed"


def short_name(row, parent_display):
    """A record's own short name: navName, else its display name without the parent's prefix."""
    nav = row.get("navName")
    if isinstance(nav, str) and nav:
        return nav
    name = display(row)
    if parent_display and name.startswith(parent_display + " "):
        return name[len(parent_display) + 1:]
    return name


# ---------------------------------------------------------------- YAML emission

YAML_RESERVED = {
    "y", "yes", "n", "no", "true", "false", "on", "off", "null", "~",
}
PLAIN_SAFE = re.compile(r"[A-Za-z][A-Za-z0-9 _./()@-]*")
QUANTITY = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)? [A-Za-z0-9°²³₂µμΩ/%$·._-]+")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def quote(s):
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif o < 0x20 or o == 0x7F:
            out.append("\\x%02x" % o)
        elif o in (0x85, 0xA0, 0x2028, 0x2029, 0xFEFF) or 0xD800 <= o <= 0xDFFF:
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def scalar_str(s):
    """A string as a YAML scalar: plain when no reader can misread it, else double-quoted."""
    if (PLAIN_SAFE.fullmatch(s) and not s.endswith(" ") and s.lower() not in YAML_RESERVED
            and "  " not in s):
        return s
    if QUANTITY.fullmatch(s):
        return s
    return quote(s)


def scalar_num(x):
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        return str(x)
    if x != x or x in (float("inf"), float("-inf")):
        return quote(str(x))
    r = repr(x)
    if "." not in r:  # YAML 1.1 readers need the dot: 1e+16 → 1.0e+16
        r = r.replace("e", ".0e") if "e" in r else r + ".0"
    return r


def emit_value(v, indent, lines, key_prefix):
    """Append `key_prefix` + value; nested maps and lists continue on following lines."""
    pad = "  " * indent
    if isinstance(v, dict):
        if not v:
            lines.append(key_prefix + "{}")
            return
        lines.append(key_prefix.rstrip())
        for k in sorted(v):
            emit_value(v[k], indent + 1, lines, f"{pad}  {scalar_str(k)}: ")
    elif isinstance(v, list):
        if all(not isinstance(x, (dict, list)) for x in v):
            lines.append(key_prefix + "[" + ", ".join(inline(x) for x in v) + "]")
        else:
            lines.append(key_prefix.rstrip())
            for x in v:
                emit_value(x, indent + 1, lines, f"{pad}  - ")
    else:
        lines.append(key_prefix + inline(v))


def inline(v):
    if v is None:
        return "null"
    if isinstance(v, (bool, int, float)):
        return scalar_num(v)
    if isinstance(v, Date):
        return v.text if DATE.fullmatch(v.text) else quote(v.text)
    s = str(v)
    # Inside a flow sequence commas and brackets matter too.
    if any(c in s for c in ",[]{}"):
        return quote(s)
    return scalar_str(s)


def emit_object(obj, as_list_item):
    """One object as YAML lines: a mapping, or a list item ('- ' before the first key)."""
    lines = []
    for key, value in obj.items():
        emit_value(value, 1 if as_list_item else 0, lines, f"{'  ' if as_list_item else ''}{key}: ")
    if as_list_item:
        lines[0] = "- " + lines[0][2:]
    return lines


# ---------------------------------------------------------------- conversion

def kind_of(row):
    if "site" in row:
        return "site"
    if "point" in row:
        return "point"
    if "equip" in row:
        return "equip"
    for k in ("floor", "room", "space", "zone"):
        if k in row:
            return "space"
    return "other"


def arxos_type(row):
    kind = kind_of(row)
    if kind == "site":
        return "building"
    if kind == "point":
        for marker, t in (("sensor", "sensor"), ("sp", "setpoint"), ("cmd", "command")):
            if marker in row:
                return t
        return "point"
    if kind == "space":
        for marker, t in (("floor", "floor"), ("zone", "zone"), ("room", "room"), ("space", "room")):
            if marker in row:
                return t
    for marker, t in EQUIP_TYPES:
        if marker in row:
            return t
    return "equip" if kind == "equip" else "record"


def ref_id(v):
    return v.id if isinstance(v, Ref) else None


def convert(grid):
    rows = []
    for raw in grid.get("rows", []):
        row = {k: decode(v) for k, v in raw.items()}
        if not isinstance(row.get("id"), Ref):
            continue
        rows.append(row)
    by_id = {r["id"].id: r for r in rows}

    # Assign arxos ids: sites first, then spaces/equips, then points, each in a stable order.
    arxos = {}
    site_slug = {}
    taken = set()

    def claim(candidate):
        unique, n = candidate, 2
        while unique in taken:
            unique, n = f"{candidate}-{n}", n + 1
        taken.add(unique)
        return unique

    def site_of(row):
        s = ref_id(row.get("siteRef"))
        return s if s in by_id else None

    order = {"site": 0, "space": 1, "equip": 2, "other": 3, "point": 4}
    rows.sort(key=lambda r: (order[kind_of(r)], display(r), r["id"].id))
    for r in rows:
        hid = r["id"].id
        kind = kind_of(r)
        if kind == "site":
            slug = slugify(display(r))
            while any(v == slug for v in site_slug.values()):
                slug += "-2"
            site_slug[hid] = slug
            arxos[hid] = claim(f"{slug}/building")
            continue
        site = site_of(r)
        prefix = site_slug.get(site, "haystack")
        equip = ref_id(r.get("equipRef"))
        if kind == "point" and equip in arxos:
            parent = by_id[equip]
            arxos[hid] = claim(f"{arxos[equip]}/{slugify(short_name(r, display(parent)))}")
        else:
            parent_dis = display(by_id[site]) if site else None
            name = short_name(r, parent_dis)
            arxos[hid] = claim(f"{prefix}/{slugify(name)}")

    points_of = {}
    for r in rows:
        equip = ref_id(r.get("equipRef"))
        if kind_of(r) == "point" and equip in arxos:
            points_of.setdefault(equip, []).append(arxos[r["id"].id])

    def translate(v):
        if isinstance(v, Ref):
            return arxos.get(v.id, "@" + v.id)
        if isinstance(v, Number):
            return v.value if v.unit is None else f"{scalar_num(v.value)} {v.unit}"
        if isinstance(v, Coord):
            return {"lat": v.lat, "lng": v.lng}
        if isinstance(v, list):
            return [translate(x) for x in v if x is not NA and x is not MARKER]
        if isinstance(v, dict):
            return {k: translate(x) for k, x in v.items() if x is not NA}
        return v

    objects = {}
    for r in rows:
        hid = r["id"].id
        obj = {"id": arxos[hid], "type": arxos_type(r), "name": display(r)}
        location = None
        for tag in ("spaceRef", "floorRef", "siteRef"):
            target = ref_id(r.get(tag))
            if target in arxos:
                location = arxos[target]
                break
        if location:
            obj["location"] = location
        equip = ref_id(r.get("equipRef"))
        if equip in arxos:
            obj["partOf"] = [arxos[equip]]
        ahu = ref_id(r.get("ahuRef"))
        if ahu in arxos:
            obj["fedBy"] = [arxos[ahu]]
        if hid in points_of:
            obj["points"] = sorted(points_of[hid])

        props = {}
        markers = []
        for tag in sorted(r):
            value = r[tag]
            if tag in DROPPED_TAGS or value is NA:
                continue
            if tag in RELATION_TAGS and ref_id(value) in arxos:
                continue
            if value is MARKER:
                markers.append(tag)
            elif tag in ("vendor", "manufacturer") and isinstance(value, str):
                obj["manufacturer"] = value
            elif tag == "model" and isinstance(value, str):
                obj["model"] = value
            else:
                props[tag] = translate(value)
        if markers:
            props["markers"] = markers
        if props:
            obj["properties"] = props
        obj["refs"] = {"haystack": "@" + hid}
        # Lifecycle fields go after properties, as in hand-written files.
        for key in ("manufacturer", "model"):
            if key in obj:
                obj[key] = obj.pop(key)
        obj["refs"] = obj.pop("refs")

        kind = kind_of(r)
        site = site_of(r)
        base = site_slug.get(site) if kind != "site" else site_slug[hid]
        if kind == "site":
            path = f"{base}/building.yaml"
        elif kind == "point":
            path = (f"{base}/equip/{arxos[equip].rsplit('/', 1)[-1]}.yaml" if equip in arxos and base
                    else f"{base}/points.yaml" if base else "other.yaml")
        elif base:
            path = f"{base}/{'spaces' if kind == 'space' else 'equip'}/{arxos[hid].rsplit('/', 1)[-1]}.yaml"
        else:
            path = "other.yaml"
        objects.setdefault(path, []).append((kind != "point", obj))
    return objects


def write_tree(objects, outdir, source):
    count = 0
    for path in sorted(objects):
        # The equip (or space) leads its file; points follow in id order.
        items = sorted(objects[path], key=lambda t: (not t[0], t[1]["id"]))
        lines = [f"# Generated by Fixtures/generate-from-haystack.py from {source}; do not edit by hand."]
        if len(items) == 1:
            lines += emit_object(items[0][1], as_list_item=False)
        else:
            for i, (_, obj) in enumerate(items):
                if i:
                    lines.append("")
                lines += emit_object(obj, as_list_item=True)
        full = os.path.join(outdir, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        tmp = full + ".tmp"
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(lines) + "\n")
        os.replace(tmp, full)
        count += len(items)
    return count


def main(argv):
    args = list(argv)
    source = None
    if "--input" in args:
        i = args.index("--input")
        if i + 1 >= len(args):
            sys.exit("generate-from-haystack: --input needs a file path")
        source = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1 or args[0].startswith("-"):
        sys.exit("usage: python3 Fixtures/generate-from-haystack.py OUTDIR [--input GRID.json]")
    outdir = args[0]
    if source is None:
        source = next((p for p in DEFAULT_INPUTS if p and os.path.isfile(p)), None)
        if source is None:
            sys.exit("generate-from-haystack: carytown.json not found; pass --input GRID.json")
    try:
        with open(source, encoding="utf-8") as f:
            grid = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"generate-from-haystack: cannot read {source}: {e}")
    if not isinstance(grid, dict) or not isinstance(grid.get("rows"), list):
        sys.exit(f"generate-from-haystack: {source} is not a Haystack JSON grid (no 'rows' list)")
    objects = convert(grid)
    write_tree(objects, outdir, os.path.basename(source))


if __name__ == "__main__":
    main(sys.argv[1:])
