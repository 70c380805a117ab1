import ArxosCore
import ArxosStore
import ArxosWorkspace
import Foundation
import Testing

/// A capture builds its tree by patching the tree its stat cache describes. Whatever the edits, the result must be the
/// tree a full build of the working tree gives (the build that runs when there is no cache).
@Suite("Tree patching matches a full build")
struct TreePatchTests {
    @Test("random edits, additions, removals and file/directory swaps", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func patchEqualsFullBuild(seed: UInt64) throws {
        let sandbox = try Sandbox("patch")
        try Repository.initialize(at: sandbox.path)
        let repository = try Repository.discover(from: sandbox.path)
        var random = SeededGenerator(state: seed)
        var present = Set<String>()
        let directories = ["", "hvac/", "hvac/vav/", "electrical/", "floors/f1/", "floors/f1/rooms/"]
        for i in 0..<40 {
            let path = directories[Int.random(in: 0..<directories.count, using: &random)] + "o\(i).yaml"
            try sandbox.write(path, object("x/\(i)"))
            present.insert(path)
        }
        try capture(repository, "base")
        var serial = 1000
        for round in 0..<6 {
            for _ in 0..<8 {
                switch Int.random(in: 0..<4, using: &random) {
                case 0:
                    if let path = present.randomElement(using: &random) {
                        try sandbox.write(path, object("edit/\(serial)"))
                    }
                case 1:
                    let path = directories[Int.random(in: 0..<directories.count, using: &random)] + "n\(serial).yaml"
                    try sandbox.write(path, object("new/\(serial)"))
                    present.insert(path)
                case 2:
                    if let path = present.randomElement(using: &random) {
                        try sandbox.remove(path)
                        present.remove(path)
                    }
                default:
                    // A file's name becomes a directory: remove `d.yaml`-like file, add a directory of that name.
                    if let path = present.randomElement(using: &random) {
                        try sandbox.remove(path)
                        present.remove(path)
                        let nested = path + "-dir/inner\(serial).yaml"
                        try sandbox.write(nested, object("nested/\(serial)"))
                        present.insert(nested)
                    }
                }
                serial += 1
            }
            // Backdate every file so the stat cache trusts unchanged files (no racy entries).
            for path in present {
                var times = [timespec(tv_sec: 1_600_000_000, tv_nsec: 0), timespec(tv_sec: 1_600_000_000 + round, tv_nsec: serial)]
                _ = utimensat(AT_FDCWD, sandbox.file(path), &times, 0)
            }
            let patched = try capture(repository, "round \(round)")
            let tree = try repository.objects.readCommit(patched).tree
            let full = try SnapshotBuilder(tree: try WorkingTree(top: sandbox.path), previous: StatIndex()).build(into: nil).tree
            #expect(tree == full, "round \(round): the patched tree differs from a full build")
            let files = try TreeBuilder.flatten(tree, in: repository.objects)
            #expect(Set(files.keys) == present)
        }
    }
}
