import Foundation
import Testing

/// A scripted peer speaking docs/protocol.md from Python, independently of arxos: a fake server (run through
/// `ARXOS_SSH`, so it sits where ssh would) that misbehaves in one way per mode, and a fake client that pushes hostile
/// data into `arxos serve --stdio`.
let hostilePeerScript = #"""
import hashlib, os, struct, subprocess, sys

def zstd(data):
    return subprocess.run(["zstd", "-q", "-c", "--stream-size=%d" % len(data)], input=data, stdout=subprocess.PIPE, check=True).stdout

def obj(kind, content):
    return b"%s %d\0" % (kind, len(content)) + content

def oid(encoded):
    return hashlib.sha256(encoded).hexdigest()

def pack(objects, frames=None):
    frames = frames or [zstd(b"".join(objects))]
    body = b"ARXPACK1" + struct.pack(">II", len(objects), len(frames)) + b"".join(frames)
    return body + hashlib.sha256(body).digest()

def commit_over(tree_encoded, message=b"m\n"):
    return obj(b"commit", b"tree %s\nauthor A <a@b> 1 +0000\ncommitter A <a@b> 1 +0000\n\n%s" % (oid(tree_encoded).encode(), message))

def tree_with(name, blob):
    return obj(b"tree", b"100644 " + name + b"\0" + bytes.fromhex(oid(blob)))

class Peer:
    def __init__(self, inp, out):
        self.inp, self.out = inp, out
    def packet(self, channel, payload):
        self.out.write(struct.pack(">I", len(payload) + 1) + bytes([channel]) + payload)
    def line(self, text):
        self.packet(1, text.encode())
    def flush(self):
        self.out.write(b"\0\0\0\0")
        self.out.flush()
    def message(self):
        lines = []
        while True:
            head = self.inp.read(4)
            if len(head) < 4:
                return None
            n = struct.unpack(">I", head)[0]
            if n == 0:
                return lines
            body = self.inp.read(n)
            if body[0] == 4:
                return ["error " + body[1:].decode()]
            if body[0] == 1:
                lines.append(body[1:].decode())
    def send_pack(self, data, count):
        self.line("pack %d %d" % (count, len(data)))
        for i in range(0, len(data), 65535):
            self.packet(2, data[i:i + 65535])
        self.flush()

def hostile_objects(mode):
    """(objects, advertised tip) for a fetch mode."""
    blob = obj(b"blob", b"id: x\ntype: vav\n")
    if mode == "dotdot":
        tree = tree_with(b"..", blob)
    elif mode == "dotarxos":
        tree = tree_with(b".ARXOS", blob)
    elif mode == "oversized":
        blob = obj(b"blob", b"x" * 300000)
        tree = tree_with(b"big.yaml", blob)
    else:
        tree = tree_with(b"ok.yaml", blob)
    commit = commit_over(tree)
    tip = oid(commit)
    if mode == "wrongid":
        commit = commit_over(tree, b"not the advertised commit\n")
    if mode == "missingblob":
        return [commit, tree], tip
    return [commit, tree, blob], tip

def serve(mode):
    peer = Peer(sys.stdin.buffer, sys.stdout.buffer)
    if mode == "garbage":
        sys.stdout.buffer.write(b"HTTP/1.1 200 OK\r\n\r\n<html>hello</html>")
        sys.stdout.buffer.flush()
        return
    for text in ["version 1", "agent fake", "capability fetch", "capability object-format=sha256"]:
        peer.line(text)
    peer.flush()
    peer.message()                          # hello
    peer.message()                          # ls-refs
    objects, tip = hostile_objects(mode)
    peer.line("ref %s %s" % (tip, "refs/heads/../x" if mode == "badref" else "refs/heads/main"))
    peer.line("symref HEAD refs/heads/main")
    peer.flush()
    if peer.message() is None:              # fetch
        return
    if mode == "bigclaim":
        # A frame header declaring 8 GiB (single segment, 8-byte size), then nothing sensible.
        frame = bytes([0x28, 0xB5, 0x2F, 0xFD, 0xE0]) + struct.pack("<Q", 8 << 30) + b"\0" * 64
        body = b"ARXPACK1" + struct.pack(">II", 1, 1) + frame
        peer.send_pack(body + hashlib.sha256(body).digest(), 1)
    elif mode == "truncated":
        data = pack(objects)
        peer.line("pack %d %d" % (len(objects), len(data)))
        peer.packet(2, data[: len(data) // 2])
        peer.out.flush()
    else:
        peer.send_pack(pack(objects), len(objects))

def push(mode, arxos, repository):
    server = subprocess.Popen([arxos, "serve", "--stdio", repository], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    peer = Peer(server.stdout, server.stdin)
    peer.message()                          # greeting
    peer.line("version 1")
    peer.flush()
    objects, tip = hostile_objects(mode)
    ref = "refs/heads/../x" if mode == "badref" else "refs/heads/hostile"
    peer.line("command push")
    peer.line("update %s %s %s" % ("0" * 64, tip, ref))
    peer.flush()
    peer.send_pack(pack(objects), len(objects))
    reply = peer.message()
    server.stdin.close()
    server.wait()
    print("\n".join(reply or ["(closed)"]))
    print("status %d" % server.returncode)

if sys.argv[1] == "push":
    push(sys.argv[2], sys.argv[3], sys.argv[4])
else:
    serve(sys.argv[1])
"""#

@Suite(.tags(.endToEnd)) struct HostilePeerTests {
    /// A repository with one commit and a remote `fake` whose "ssh" is the scripted server in `mode`.
    func repositoryFacingFakeServer(_ mode: String) throws -> Sandbox {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("state", "capture", "-m", "first"))
        let script = box.root.appendingPathComponent("peer.py")
        try Data(hostilePeerScript.utf8).write(to: script)
        box.environment["ARXOS_SSH"] = "python3 \(script.path) \(mode)"
        expectSuccess(try box.arxos("remote", "add", "fake", "fake-host:/srv/site"))
        return box
    }

    @Test(arguments: [
        ("garbage", ["protocol error"], Int32(1)),
        ("badref", ["../x", "not a valid ref name"], 1),
        ("dotdot", ["'..'"], 4),
        ("dotarxos", [".ARXOS"], 4),
        ("wrongid", ["was not received"], 4),
        ("missingblob", ["neither the pack nor this repository has"], 4),
        ("bigclaim", ["declared decompressed size", "limit"], 4),
        ("oversized", ["limit of 100000"], 4),
        ("truncated", ["ended in the middle of the pack"], 1),
    ])
    func aHostileServerIsRefusedAndNothingIsStored(mode: String, fragments: [String], status: Int32) throws {
        let box = try repositoryFacingFakeServer(mode)
        if mode == "oversized" {
            try box.write(".arxos/config", try box.readText(".arxos/config") + "core.objectSizeLimit = 100000\n")
        }
        let before = box.storeSnapshot()
        let fetched = try box.arxos("fetch", "fake")
        expectCleanFailure(fetched, mentioning: fragments, exitCode: status)
        #expect(box.storeSnapshot() == before, "the refused fetch changed the store\n\(fetched)")
        #expect(box.files(under: box.storeURL.appendingPathComponent("quarantine")).isEmpty)
        expectSuccess(try box.arxos("fsck"))
    }

    @Test(arguments: [("dotdot", "'..'"), ("badref", "refs/heads/../x"), ("missingblob", "neither the pack nor"),
                      ("wrongid", "was not received")])
    func aHostilePushIsRefusedAndTheServerKeepsServing(mode: String, fragment: String) throws {
        let hub = try Sandbox(.smallBuilding)
        expectSuccess(try hub.arxos("init"))
        expectSuccess(try hub.arxos("state", "capture", "-m", "first"))
        let script = hub.root.appendingPathComponent("peer.py")
        try Data(hostilePeerScript.utf8).write(to: script)
        let before = hub.storeSnapshot()
        let pushed = try hub.run("/usr/bin/env", ["python3", script.path, "push", mode, ArxosBinary.path, hub.work.path],
                                 in: hub.root, environment: hub.environment)
        #expect(pushed.succeeded, "\(pushed)")
        // Refused either with an error packet (and a failing exit) or with 'result ng' for the ref.
        let refused = pushed.stdout.hasPrefix("error ") ? pushed.stdout.contains("status 1") || pushed.stdout.contains("status 4")
            : pushed.stdout.hasPrefix("result ng ")
        #expect(refused && pushed.stdout.contains(fragment), "\(pushed)")
        #expect(pushed.stderr.isEmpty, "serve wrote to stderr on a pipe\n\(pushed)")
        #expect(hub.storeSnapshot() == before, "the refused push changed the store")
        #expect(hub.files(under: hub.storeURL.appendingPathComponent("quarantine")).isEmpty)
        // The next client is served as usual.
        let clone = try Sandbox()
        expectSuccess(try clone.arxos(["clone", hub.work.path, clone.work.path], in: clone.root))
    }
}
