import Foundation
import Testing

/// Everyday operator workflows beyond the round trip: protecting uncaptured work, amending, authorship, ignore rules,
/// following one object's history, and an empty repository.
@Suite(.tags(.endToEnd))
struct WorkflowTests {
    @Test("switch refuses to overwrite an uncaptured edit, names the file, and changes nothing; other edits carry over")
    func switchProtectsUncapturedWork() throws {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("state", "capture", "-m", "survey"))
        expectSuccess(try box.arxos("switch", "-c", "summer"))
        try box.replace("minAirflow: 200 cfm", with: "minAirflow: 220 cfm", in: "hvac/vavs.yaml")
        expectSuccess(try box.arxos("state", "capture", "-m", "summer airflow"))
        expectSuccess(try box.arxos("switch", "main"))
        #expect(try box.readText("hvac/vavs.yaml").contains("minAirflow: 200 cfm"))

        // An uncaptured edit to the file that differs between the branches blocks the switch.
        try box.replace("minAirflow: 200 cfm", with: "minAirflow: 210 cfm", in: "hvac/vavs.yaml")
        let refused = try box.arxos("switch", "summer")
        expectCleanFailure(refused, mentioning: ["hvac/vavs.yaml", "uncaptured"])
        #expect(try box.readText("hvac/vavs.yaml").contains("minAirflow: 210 cfm"), "the uncaptured edit must survive")
        #expect(try box.arxos("status", "--json").stdout.contains("\"branch\" : \"main\""))

        // An edit to a file both branches share is carried over.
        try box.replace("minAirflow: 210 cfm", with: "minAirflow: 200 cfm", in: "hvac/vavs.yaml")
        try box.replace("capacity: 500 MBH", with: "capacity: 510 MBH", in: "hvac/boiler-1.yaml")
        expectSuccess(try box.arxos("switch", "summer"))
        #expect(try box.readText("hvac/vavs.yaml").contains("minAirflow: 220 cfm"))
        #expect(try box.readText("hvac/boiler-1.yaml").contains("capacity: 510 MBH"))
    }

    @Test("amend replaces the last commit; --author records another author; nothing to capture is exit 1")
    func amendAndAuthor() throws {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("state", "capture", "-m", "survey"))
        let first = try #require(try box.revParse("HEAD"))
        expectCleanFailure(try box.arxos("state", "capture", "-m", "again"), mentioning: ["nothing to capture"], exitCode: 1)

        try box.replace("capacity: 500 MBH", with: "capacity: 520 MBH", in: "hvac/boiler-1.yaml")
        expectSuccess(try box.arxos("commit", "-m", "boiler", "--author", "Jane Field <jane@example.com>"))
        let log = try box.arxos("log", "-n", "1")
        #expect(log.stdout.contains("Author: Jane Field <jane@example.com>"))
        expectSuccess(try box.arxos("commit", "--amend", "-m", "boiler capacity after retrofit"))
        let oneline = try box.arxos("log", "--oneline").stdoutLines
        #expect(oneline.count == 2, "amend must replace, not add: \(oneline)")
        #expect(oneline.first?.hasSuffix("boiler capacity after retrofit") == true)
        #expect(try box.revParse("HEAD~1") == first)
        #expect(try box.arxos("log", "-n", "1").stdout.contains("Author: Jane Field <jane@example.com>"), "amend keeps the author")
        expectCleanFailure(try box.arxos("commit", "-m", "x", "--author", "no email"), mentioning: ["no email"])
    }

    @Test(".arxosignore keeps files out of states; log -- ID follows the file holding an object")
    func ignoreAndObjectHistory() throws {
        let box = try Sandbox(.smallBuilding)
        try box.write(".arxosignore", "scratch/\n*.draft.yaml\n")
        try box.write("scratch/notes.yaml", "not: an object\n")
        try box.write("hvac/vav-999.draft.yaml", "id: hq/vav-101\ntype: vav\n")
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("state", "capture", "-m", "survey"))
        let files = try box.arxos("ls-tree", "-r", "HEAD").stdout
        #expect(files.contains(".arxosignore"))
        #expect(!files.contains("scratch/"))
        #expect(!files.contains("draft"))

        try box.replace("capacity: 500 MBH", with: "capacity: 530 MBH", in: "hvac/boiler-1.yaml")
        expectSuccess(try box.arxos("state", "capture", "-m", "boiler"))
        try box.replace("minAirflow: 200 cfm", with: "minAirflow: 230 cfm", in: "hvac/vavs.yaml")
        expectSuccess(try box.arxos("state", "capture", "-m", "vav airflow"))
        let history = try box.arxos("log", "--oneline", "--", "hq/vav-101").stdoutLines
        #expect(history.count == 2, "\(history)")
        #expect(history.first?.hasSuffix("vav airflow") == true)
        #expect(history.last?.hasSuffix("survey") == true)
        let shown = try box.arxos("show", "hq/vav-101")
        expectSuccess(shown)
        #expect(shown.stdout.contains("minAirflow: 230 cfm"))
        #expect(shown.stdout.contains("21.5 °C"), "units keep their symbols")
    }

    @Test("an empty repository: status works, log and show explain there are no commits yet")
    func emptyRepository() throws {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        let status = try box.arxos("status")
        expectSuccess(status)
        #expect(status.stdout.contains("No commits yet"))
        expectCleanFailure(try box.arxos("log"), mentioning: ["no commits"])
        expectCleanFailure(try box.arxos("show", "HEAD"), mentioning: ["HEAD"])
        expectCleanFailure(try box.arxos("state", "restore", "HEAD"), mentioning: ["HEAD"])
    }

    @Test("log --show-signature reports each commit's signature: good when trusted, then revoked, and none when unsigned")
    func logShowsSignatures() throws {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("key", "generate"))
        let exported = try box.arxos("key", "export").trimmed
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("state", "capture", "-m", "signed"))
        expectSuccess(try box.arxos("state", "capture", "--allow-empty", "--no-sign", "-m", "unsigned"))
        expectSuccess(try box.arxos("key", "trust", exported))
        let keyID = try #require(try box.arxos("key", "list", "--json").stdout
            .split(separator: "\"").drop { $0 != "keyId" }.dropFirst(2).first.map(String.init))
        let trusted = try box.arxos("log", "--show-signature")
        expectSuccess(trusted)
        #expect(trusted.stdout.contains("Signature: good by key \(keyID)"), "\(trusted)")
        #expect(trusted.stdout.contains("Signature: none"), "\(trusted)")
        expectSuccess(try box.arxos("key", "revoke", keyID))
        let revoked = try box.arxos("log", "--show-signature", "-n", "2", "--json")
        expectSuccess(revoked)
        #expect(revoked.stdout.contains("\"verdict\" : \"revoked\""), "\(revoked)")
    }

    @Test("status and diff agree: a value rewritten with the same meaning is a changed file but no changed object")
    func statusMatchesDiff() throws {
        let box = try Sandbox(.smallBuilding)
        expectSuccess(try box.arxos("init"))
        expectSuccess(try box.arxos("state", "capture", "-m", "survey"))
        try box.replace("minAirflow: 200 cfm", with: "minAirflow: 200.0 cfm", in: "hvac/vavs.yaml")
        try box.replace("zoneTempSetpoint: 21.0 °C", with: "zoneTempSetpoint: 69.8 °F", in: "hvac/vavs.yaml")
        let status = try box.arxos("status", "--json")
        let document = try #require(try JSONSerialization.jsonObject(with: status.stdoutData) as? [String: Any])
        #expect((document["files"] as? [[String: Any]])?.count == 1, "\(status)")
        let objects = (document["objects"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        let diffed = try box.arxos("diff", "--name-only").stdoutLines
        #expect(objects == diffed, "status lists \(objects), diff lists \(diffed)")
        #expect(!objects.contains("hq/vav-101"), "200 cfm and 200.0 cfm are the same amount")
    }
}
