#!/usr/bin/env python3
"""Generate (or edit) the benchmark portfolio: many buildings, one arxos object per YAML file.

Generate:
    python3 Fixtures/generate-portfolio.py OUTDIR [--buildings 100] [--objects 1000] [--seed 1]

  Writes buildings × objects files (one object each, about 300-600 bytes), deterministic for a seed:
    b001/building.yaml
    b001/floors/floor-03.yaml              floors
    b001/floors/floor-03/room-0042.yaml    rooms, under their floor
    b001/hvac/ahu-01.yaml                  AHUs, VAVs, chillers, boilers, pumps, fans
    b001/hvac/vav-0123.yaml
    b001/points/point-00456.yaml           sensors, setpoints and commands of the equipment
    b001/electrical/panel-03.yaml          panels, circuits, meters
    b001/security/door-007.yaml            doors and cameras
  The mix per building of 1000 objects is roughly: 1 building, 8 floors, 140 rooms, 2 AHUs, 150 VAVs,
  450 points, 8 panels, 120 circuits, 12 meters, plus plant (chiller, boiler, pumps, fans), doors and
  cameras. Smaller counts keep the proportions; every object's relations name existing ids.

Edit:
    python3 Fixtures/generate-portfolio.py --edit OUTDIR [OUTDIR2 ...] --count 100 --round N

  Changes one numeric property value (the first `properties:` entry, a number with a unit) in `count`
  files spread across the buildings. The files and the new values depend only on N and on the files'
  current content, so applying the same rounds to identical copies keeps them identical; every edited
  file's content changes. Several OUTDIRs get the same edit. Prints nothing.

Standard library only; fast enough for 100,000 files in a few seconds.
"""

import os
import random
import re
import sys

MANUFACTURERS = {
    "ahu": [("Trane", "CSAA"), ("Carrier", "39M"), ("Daikin", "Vision"), ("York", "Solution XT")],
    "vav": [("Price", "SDV"), ("Titus", "DESV"), ("Trane", "VCCF"), ("Krueger", "LMHS")],
    "chiller": [("Carrier", "30RB"), ("Trane", "RTAC"), ("York", "YCAL")],
    "boiler": [("Lochinvar", "KNIGHT XL"), ("Cleaver-Brooks", "ClearFire-C"), ("Viessmann", "Vitocrossal 300")],
    "pump": [("Grundfos", "TP"), ("Bell & Gossett", "e-1510"), ("Armstrong", "4300")],
    "fan": [("Greenheck", "SQ"), ("Loren Cook", "SQN-B")],
    "elec_panel": [("Square D", "NQ"), ("Eaton", "PRL1a"), ("Siemens", "P1")],
    "meter": [("Schneider Electric", "PM5560"), ("Siemens", "PAC3200"), ("Accuvim", "II")],
    "door": [("HID Global", "iCLASS SE R40"), ("Allegion", "AD-400")],
    "camera": [("Axis", "P3245-LVE"), ("Hanwha", "XNV-6080"), ("Bosch", "FLEXIDOME 5100i")],
}
REGIONS = ["west", "east", "central", "south", "north"]
CITIES = ["Oakland", "Richmond", "Austin", "Denver", "Boston", "Seattle", "Atlanta", "Chicago", "Phoenix", "Portland"]
ROOM_USES = ["office", "office", "office", "conference", "storage", "restroom", "corridor", "kitchen", "it", "lab"]
# The points of each kind of owner, in order: slug, name, type, first property and its value (a number
# with a unit), unit as YAML, BACnet object.
POINT_KINDS = {
    "vav": [
        ("zone-temp", "Zone Temp", "sensor", "covIncrement", "0.2 °C", "°C", "analog-input:1"),
        ("airflow", "Airflow", "sensor", "covIncrement", "10 cfm", "cfm", "analog-input:2"),
        ("zone-temp-sp", "Zone Temp Setpoint", "setpoint", "value", "21.5 °C", "°C", "analog-value:1"),
        ("damper", "Damper Command", "command", "minValue", "0 %", '"%"', "analog-output:1"),
    ],
    "ahu": [
        ("supply-temp", "Supply Air Temp", "sensor", "covIncrement", "0.2 °C", "°C", "analog-input:1"),
        ("supply-temp-sp", "Supply Air Temp Setpoint", "setpoint", "value", "13.0 °C", "°C", "analog-value:1"),
        ("fan-speed", "Fan Speed Command", "command", "maxValue", "100 %", '"%"', "analog-output:1"),
        ("static-pressure", "Duct Static Pressure", "sensor", "covIncrement", "0.05 inH₂O", "inH₂O", "analog-input:2"),
    ],
    "meter": [
        ("power", "Power", "sensor", "covIncrement", "1 kW", "kW", "analog-input:1"),
        ("energy", "Energy", "sensor", "covIncrement", "1 kWh", "kWh", "analog-input:2"),
        ("demand-limit", "Demand Limit", "setpoint", "value", "500 kW", "kW", "analog-value:1"),
    ],
}


def counts(n):
    """How many objects of each kind a building of n objects holds (sums to n exactly)."""
    c = {"building": 1}
    rest = max(0, n - 1)
    shares = [
        ("floor", 0.008), ("room", 0.14), ("ahu", 0.002), ("vav", 0.15), ("chiller", 0.001),
        ("boiler", 0.001), ("pump", 0.004), ("fan", 0.004), ("elec_panel", 0.008), ("circuit", 0.12),
        ("meter", 0.012), ("door", 0.04), ("camera", 0.015),
    ]
    for kind, share in shares:
        c[kind] = int(rest * share + 0.5)
    # Small buildings still get the backbone of a building, in this order.
    for kind in ("floor", "ahu", "room", "vav", "elec_panel", "circuit", "meter"):
        if sum(c.values()) < n and c[kind] == 0:
            c[kind] = 1
    c["point"] = n - sum(c.values())
    while c["point"] < 0:  # very small n: trim the least important kinds
        for kind in ("camera", "door", "meter", "circuit", "elec_panel", "fan", "pump", "boiler", "chiller",
                     "vav", "room", "ahu", "floor"):
            if c[kind] and c["point"] < 0:
                c[kind] -= 1
                c["point"] += 1
    return c


def write(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)


def date(rng, lo=2005, hi=2023):
    return f"{rng.randint(lo, hi)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def make_building(outdir, seed, bi, n):
    rng = random.Random(seed * 1_000_003 + bi)
    b = f"b{bi:03d}" if bi < 1000 else f"b{bi}"
    c = counts(n)
    root = os.path.join(outdir, b)
    for sub in ("floors", "hvac", "points", "electrical", "security"):
        os.makedirs(os.path.join(root, sub), exist_ok=True)

    nfl = max(1, c["floor"])
    floors = [f"{b}/floor-{i + 1:02d}" for i in range(c["floor"])]
    rooms = [f"{b}/room-{i + 1:04d}" for i in range(c["room"])]

    def room_floor(i):  # room i sits on floor i % nfl
        return i % nfl

    def space_for(i):
        if rooms:
            return rooms[i % len(rooms)]
        if floors:
            return floors[i % len(floors)]
        return f"{b}/building"

    city = CITIES[bi % len(CITIES)]
    region = REGIONS[bi % len(REGIONS)]
    write(os.path.join(root, "building.yaml"),
          f"id: {b}/building\ntype: building\nname: Building {bi:03d} {city}\n"
          f"properties:\n  grossArea: {rng.randint(20, 400) * 100} m²\n  floorCount: {c['floor']}\n"
          f"  region: {region}\n  city: {city}\n  yearBuilt: {rng.randint(1960, 2020)}\n"
          f"  occupancyType: {rng.choice(['office', 'office', 'retail', 'lab', 'school'])}\n"
          f"  timeZone: America/New_York\n  occupiedStart: \"07:00\"\n  occupiedEnd: \"19:00\"\n"
          f"refs:\n  brick: \"urn:portfolio:{b}#building\"\n  haystack: \"@p:{b}:r:building\"\n")

    for i, fid in enumerate(floors):
        write(os.path.join(root, "floors", f"floor-{i + 1:02d}.yaml"),
              f"id: {fid}\ntype: floor\nname: Floor {i + 1}\nlocation: {b}/building\n"
              f"properties:\n  area: {rng.randint(8, 40) * 50} m²\n  level: {i + 1}\n"
              f"  ceilingHeight: {rng.choice(['2.7', '3.0', '3.3'])} m\n  occupancyLimit: {rng.randint(40, 300)}\n"
              f"  use: {rng.choice(['office', 'mixed', 'retail'])}\n  sprinklered: true\n"
              f"refs:\n  brick: \"urn:portfolio:{b}#floor-{i + 1:02d}\"\n  haystack: \"@p:{b}:r:floor-{i + 1:02d}\"\n")
        os.makedirs(os.path.join(root, "floors", f"floor-{i + 1:02d}"), exist_ok=True)

    for i, rid in enumerate(rooms):
        fl = room_floor(i)
        use = ROOM_USES[rng.randrange(len(ROOM_USES))]
        loc = floors[fl] if floors else f"{b}/building"
        folder = os.path.join(root, "floors", f"floor-{fl + 1:02d}") if floors else os.path.join(root, "floors")
        write(os.path.join(folder, f"room-{i + 1:04d}.yaml"),
              f"id: {rid}\ntype: room\nname: Room {fl + 1}{i % 100:02d} {use.title()}\nlocation: {loc}\n"
              f"properties:\n  area: {rng.randint(8, 160)} m²\n  use: {use}\n  occupancy: {rng.randint(1, 40)}\n"
              f"  ceilingHeight: {rng.choice(['2.7', '3.0'])} m\n"
              f"  lightingPowerDensity: {rng.choice(['6.5', '8.0', '9.5'])} W/m²\n  windowed: {'true' if rng.random() < 0.6 else 'false'}\n"
              f"refs:\n  brick: \"urn:portfolio:{b}#room-{i + 1:04d}\"\n  haystack: \"@p:{b}:r:room-{i + 1:04d}\"\n")

    ahus = [f"{b}/ahu-{i + 1:02d}" for i in range(c["ahu"])]
    vavs = [f"{b}/vav-{i + 1:04d}" for i in range(c["vav"])]
    meters = [f"{b}/meter-{i + 1:02d}" for i in range(c["meter"])]
    panels = [f"{b}/panel-{i + 1:02d}" for i in range(c["elec_panel"])]
    circuits = [f"{b}/circuit-{i + 1:04d}" for i in range(c["circuit"])]
    points = [f"{b}/point-{i + 1:05d}" for i in range(c["point"])]
    # Points belong to VAVs, then AHUs, then meters, round robin.
    owners = vavs + ahus + meters
    owner_points = {}
    if owners:
        for i, pid in enumerate(points):
            owner_points.setdefault(owners[i % len(owners)], []).append(pid)

    def lifecycle(kind, life):
        make, model = MANUFACTURERS[kind][rng.randrange(len(MANUFACTURERS[kind]))]
        return (f"installDate: {date(rng)}\nexpectedLifeYears: {life}\nmanufacturer: {make}\n"
                f"model: {model}-{rng.randint(4, 24)}\nserialNumber: \"SN-{rng.randint(100000, 999999)}\"\n")

    def plist(ids):
        return "[" + ", ".join(ids) + "]"

    def pts(eid):
        p = owner_points.get(eid)
        return f"points: {plist(p)}\n" if p else ""

    for i, aid in enumerate(ahus):
        served = vavs[i::len(ahus)]
        feeds = f"feeds: {plist(served[:4])}\n" if served else ""
        design = rng.randint(40, 160) * 100
        write(os.path.join(root, "hvac", f"ahu-{i + 1:02d}.yaml"),
              f"id: {aid}\ntype: ahu\nname: AHU-{i + 1}\nlocation: {space_for(i)}\n{feeds}{pts(aid)}"
              f"properties:\n  supplyAirTempSetpoint: {rng.choice(['12.8', '13.0', '13.5'])} °C\n"
              f"  designAirflow: {design} cfm\n  minOutsideAir: {design // 5} cfm\n"
              f"  economizer: {'true' if rng.random() < 0.7 else 'false'}\n"
              f"{lifecycle('ahu', 25)}refs:\n  brick: \"urn:portfolio:{b}#ahu-{i + 1:02d}\"\n"
              f"  bacnet: \"device:{bi * 100 + i + 1}\"\n")

    for i, vid in enumerate(vavs):
        lo = rng.randint(3, 12) * 25
        hi = lo + rng.randint(8, 40) * 25
        fed = f"fedBy: [{ahus[i % len(ahus)]}]\n" if ahus else ""
        write(os.path.join(root, "hvac", f"vav-{i + 1:04d}.yaml"),
              f"id: {vid}\ntype: vav\nname: VAV {i + 1:04d}\nlocation: {space_for(i)}\n{fed}{pts(vid)}"
              f"properties:\n  zoneTempSetpoint: {rng.choice(['20.5', '21.0', '21.5', '22.0', '22.5'])} °C\n"
              f"  minAirflow: {lo} cfm\n  maxAirflow: {hi} cfm\n"
              f"  reheat: {rng.choice(['hot water', 'electric', 'none'])}\n"
              f"  occupied: {'true' if rng.random() < 0.8 else 'false'}\n"
              f"{lifecycle('vav', 20)}refs:\n  haystack: \"@p:{b}:r:vav-{i + 1:04d}\"\n"
              f"  bacnet: \"device:{bi * 10000 + i + 1}\"\n")

    plant = [("chiller", c["chiller"]), ("boiler", c["boiler"]), ("pump", c["pump"]), ("fan", c["fan"])]
    for kind, k in plant:
        for i in range(k):
            eid = f"{b}/{kind}-{i + 1:02d}"
            if kind == "chiller":
                props = (f"  chilledWaterSupplySetpoint: {rng.choice(['6.1', '6.7', '7.2'])} °C\n"
                         f"  capacity: {rng.randint(6, 50) * 10} tonR\n  refrigerant: R-410A\n")
            elif kind == "boiler":
                props = (f"  hotWaterSupplySetpoint: {rng.randint(55, 80)} °C\n"
                         f"  capacity: {rng.randint(5, 40) * 100} MBH\n  fuel: natural gas\n")
            elif kind == "pump":
                props = (f"  designFlow: {rng.randint(20, 400)} gpm\n  designHead: {rng.randint(20, 90)} ftH₂O\n"
                         f"  medium: {rng.choice(['chilled water', 'hot water', 'condenser water'])}\n"
                         f"  vfd: {'true' if rng.random() < 0.6 else 'false'}\n")
            else:
                props = (f"  designAirflow: {rng.randint(5, 80) * 100} cfm\n  motorPower: {rng.choice(['0.5', '1', '2', '5'])} hp\n"
                         f"  service: {rng.choice(['exhaust', 'return', 'transfer'])}\n")
            feeds = f"feeds: [{ahus[i % len(ahus)]}]\n" if ahus and kind != "fan" else ""
            write(os.path.join(root, "hvac", f"{kind}-{i + 1:02d}.yaml"),
                  f"id: {eid}\ntype: {kind}\nname: {kind.title()} {i + 1}\nlocation: {space_for(i)}\n{feeds}"
                  f"properties:\n{props}{lifecycle(kind, 20)}"
                  f"refs:\n  brick: \"urn:portfolio:{b}#{kind}-{i + 1:02d}\"\n")

    for i, pid in enumerate(points):
        owner = owners[i % len(owners)] if owners else None
        kinds = POINT_KINDS[owner.rsplit("/", 1)[1].split("-")[0] if owner else "vav"]
        slug, pname, ptype, key, value, unit, obj = kinds[(i // max(1, len(owners))) % len(kinds)]
        part = f"partOf: [{owner}]\n" if owner else ""
        oname = owner.rsplit("/", 1)[1].upper() if owner else b.upper()
        write(os.path.join(root, "points", f"point-{i + 1:05d}.yaml"),
              f"id: {pid}\ntype: {ptype}\nname: {oname} {pname}\nlocation: {space_for(i)}\n{part}"
              f"properties:\n  {key}: {value}\n  unit: {unit}\n  kind: number\n  precision: 1\n"
              f"  trended: true\n  trendInterval: {rng.choice(['5 min', '15 min'])}\n  hisMode: sampled\n"
              f"refs:\n  brick: \"urn:portfolio:{b}#point-{i + 1:05d}\"\n  haystack: \"@p:{b}:r:{slug}-{i + 1:05d}\"\n  bacnet: \"device:{bi * 10000 + i % 9000 + 1}/{obj}\"\n")

    for i, mid in enumerate(meters):
        feeds = f"feeds: [{panels[i % len(panels)]}]\n" if panels else ""
        write(os.path.join(root, "electrical", f"meter-{i + 1:02d}.yaml"),
              f"id: {mid}\ntype: meter\nname: Meter {i + 1}\nlocation: {space_for(i)}\n{feeds}{pts(mid)}"
              f"properties:\n  peakDemand: {rng.randint(20, 900)} kW\n  medium: electricity\n"
              f"  demandInterval: 15 min\n  ctRatio: \"{rng.choice(['200:5', '400:5', '800:5'])}\"\n"
              f"{lifecycle('meter', 15)}refs:\n  bacnet: \"device:{bi * 100 + 50 + i % 50}\"\n")

    for i, pnl in enumerate(panels):
        mine = circuits[i::len(panels)]
        feeds = f"feeds: {plist(mine[:6])}\n" if mine else ""
        write(os.path.join(root, "electrical", f"panel-{i + 1:02d}.yaml"),
              f"id: {pnl}\ntype: elec_panel\nname: Panel LP-{i + 1}\nlocation: {space_for(i)}\n{feeds}"
              f"properties:\n  rating: {rng.choice([225, 400, 600])} A\n  voltage: 208 V\n  phases: 3\n"
              f"  spaces: {rng.choice([30, 42, 54])}\n{lifecycle('elec_panel', 40)}"
              f"refs:\n  brick: \"urn:portfolio:{b}#panel-{i + 1:02d}\"\n")

    for i, cid in enumerate(circuits):
        pnl = panels[i % len(panels)] if panels else None
        rel = f"partOf: [{pnl}]\nfedBy: [{pnl}]\n" if pnl else ""
        poles = rng.choice([1, 1, 1, 2, 3])
        write(os.path.join(root, "electrical", f"circuit-{i + 1:04d}.yaml"),
              f"id: {cid}\ntype: circuit\nname: Circuit {i // max(1, len(panels)) + 1} of LP-{i % max(1, len(panels)) + 1}\n"
              f"location: {space_for(i)}\n{rel}"
              f"properties:\n  breakerRating: {rng.choice([15, 20, 20, 30, 40])} A\n  poles: {poles}\n"
              f"  voltage: {120 if poles == 1 else 208} V\n  wireSize: {rng.choice(['12', '10', '8'])} AWG\n"
              f"  load: {rng.choice(['lighting', 'receptacles', 'hvac', 'equipment'])}\n"
              f"  circuitNumber: {i // max(1, len(panels)) * 2 + 1}\n  phase: {'ABC'[i % 3]}\n"
              f"refs:\n  brick: \"urn:portfolio:{b}#circuit-{i + 1:04d}\"\n")

    for kind, k in (("door", c["door"]), ("camera", c["camera"])):
        for i in range(k):
            if kind == "door":
                props = (f"  heldOpenAlarm: {rng.choice([15, 30, 60])} s\n  reader: HID iCLASS SE\n"
                         f"  lock: {rng.choice(['maglock', 'electric strike'])}\n"
                         f"  forcedOpenAlarm: true\n")
            else:
                props = (f"  frameRate: {rng.choice([10, 15, 30])} fps\n  retention: {rng.choice([14, 30, 90])} d\n"
                         f"  resolution: {rng.choice(['1920x1080', '2688x1520'])}\n  ptz: false\n")
            write(os.path.join(root, "security", f"{kind}-{i + 1:03d}.yaml"),
                  f"id: {b}/{kind}-{i + 1:03d}\ntype: {kind}\nname: {kind.title()} {i + 1}\n"
                  f"location: {space_for(i)}\nproperties:\n{props}{lifecycle(kind, 12)}"
                  f"refs:\n  haystack: \"@p:{b}:r:{kind}-{i + 1:03d}\"\n  bacnet: \"device:{bi * 100 + 90}/binary-value:{i + 1 + (500 if kind == 'camera' else 0)}\"\n")


# ---------------------------------------------------------------- edits

EDITABLE = re.compile(r"^properties:\n  ([A-Za-z]+): (-?[0-9]+(?:\.[0-9]+)?) ", re.M)


def mix(*xs):
    """A small deterministic integer hash (Python's hash() of str is salted per process)."""
    h = 1469598103934665603
    for x in xs:
        h = ((h ^ (x & 0xFFFFFFFFFFFFFFFF)) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h


def list_yaml(folder):
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        out.extend(os.path.join(dirpath, f) for f in filenames if f.endswith(".yaml"))
    out.sort()
    return out


def edit(outdirs, count, rnd, part=0, parts=1):
    """Edits one number in `count` files, chosen by the round. With parts > 1 only every parts-th file of a
    building (starting at index `part`) can be chosen, so edits with different parts never touch the same file."""
    base = outdirs[0]
    buildings = sorted(d for d in os.listdir(base) if re.fullmatch(r"b[0-9]+", d))
    if not buildings:
        sys.exit(f"generate-portfolio: no building folders (b001 …) in {base}")
    files_of = {}
    chosen = []
    taken = set()
    for k in range(count):
        b = buildings[(k + rnd) % len(buildings)]
        if b not in files_of:
            files_of[b] = [os.path.relpath(p, base) for i, p in enumerate(list_yaml(os.path.join(base, b)))
                           if i % parts == part]
        files = files_of[b]
        if not files:
            continue
        j = mix(rnd, k) % len(files)
        for step in range(len(files)):
            rel = files[(j + step) % len(files)]
            if rel not in taken:
                taken.add(rel)
                chosen.append(rel)
                break
    for rel in chosen:
        with open(os.path.join(base, rel), encoding="utf-8") as f:
            text = f.read()
        m = EDITABLE.search(text)
        if not m:
            continue
        old = m.group(2)
        decimals = len(old.split(".")[1]) if "." in old else 0
        scale = 10 ** decimals
        old_units = round(float(old) * scale)
        # A new value near the old one, set by the round; never equal to the old one.
        delta = (mix(rnd, *rel.encode()) % 9) + 1
        new_units = old_units + delta if (rnd + old_units) % 2 == 0 or old_units - delta < 0 else old_units - delta
        new = f"{new_units / scale:.{decimals}f}" if decimals else str(new_units)
        text = text[:m.start(2)] + new + text[m.end(2):]
        for d in outdirs:
            with open(os.path.join(d, rel), "w", encoding="utf-8", newline="\n") as f:
                f.write(text)


# ---------------------------------------------------------------- command line

def usage():
    sys.exit("usage: python3 Fixtures/generate-portfolio.py OUTDIR [--buildings 100] [--objects 1000] [--seed 1]\n"
             "       python3 Fixtures/generate-portfolio.py --edit OUTDIR [OUTDIR2 ...] --count 100 --round N"
             " [--part K --parts M]")


def main(argv):
    opts = {"--buildings": 100, "--objects": 1000, "--seed": 1, "--count": 100, "--round": None, "--part": 0, "--parts": 1}
    positional = []
    editing = False
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--edit":
            editing = True
        elif a in opts:
            if i + 1 >= len(argv):
                usage()
            try:
                opts[a] = int(argv[i + 1])
            except ValueError:
                sys.exit(f"generate-portfolio: {a} needs an integer, got {argv[i + 1]!r}")
            i += 1
        elif a.startswith("-"):
            usage()
        else:
            positional.append(a)
        i += 1
    if not positional:
        usage()
    if editing:
        if opts["--round"] is None:
            sys.exit("generate-portfolio: --edit needs --round N")
        for d in positional:
            if not os.path.isdir(d):
                sys.exit(f"generate-portfolio: {d} is not a directory")
        if opts["--parts"] < 1 or not 0 <= opts["--part"] < opts["--parts"]:
            sys.exit("generate-portfolio: --part K needs 0 <= K < --parts M")
        edit(positional, max(0, opts["--count"]), opts["--round"], opts["--part"], opts["--parts"])
        return
    if len(positional) != 1 or opts["--buildings"] < 1 or opts["--objects"] < 1:
        usage()
    outdir = positional[0]
    os.makedirs(outdir, exist_ok=True)
    for bi in range(1, opts["--buildings"] + 1):
        make_building(outdir, opts["--seed"], bi, opts["--objects"])


if __name__ == "__main__":
    main(sys.argv[1:])
