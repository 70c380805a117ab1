import ArxosTransport
import Testing

@Suite struct RemoteURLTests {
    @Test(arguments: [
        ("/srv/site", RemoteURL.local(path: "/srv/site")),
        ("site", .local(path: "/home/ops/site")),
        ("../other/./site", .local(path: "/home/other/site")),
        ("file:///srv/site", .local(path: "/srv/site")),
        ("ssh://hub.example/srv/site", .ssh(user: nil, host: "hub.example", port: nil, path: "/srv/site")),
        ("ssh://ops@hub.example:2222/srv/site", .ssh(user: "ops", host: "hub.example", port: 2222, path: "/srv/site")),
        ("ops@edge-7:sites/hq", .ssh(user: "ops", host: "edge-7", port: nil, path: "sites/hq")),
        ("edge-7:/srv/hq", .ssh(user: nil, host: "edge-7", port: nil, path: "/srv/hq")),
        ("./a:b", .local(path: "/home/ops/a:b")),
        ("tcp://hub:9418/srv/site", .tcp(host: "hub", port: 9418, path: "/srv/site")),
    ])
    func parses(text: String, expected: RemoteURL) throws {
        #expect(try RemoteURL(parsing: text, relativeTo: "/home/ops") == expected)
    }

    @Test(arguments: ["", "-oProxyCommand=x:repo", "ops@-host:repo", "-ops@host:repo", "host:-repo", "ssh://-host/repo",
                      "ssh://host", "ssh://host:0/x", "ssh://host:port/x", "ssh://a b@host/x", "http://host/x", "file://relative",
                      "tcp://host/x"])
    func refuses(text: String) {
        #expect(throws: TransportError.self) { try RemoteURL(parsing: text, relativeTo: "/home/ops") }
    }

    @Test func quotesForTheRemoteShell() {
        #expect(RemoteProcess.shellQuote("/srv/it's here") == #"'/srv/it'\''s here'"#)
        #expect(RemoteProcess.shellQuote("$(rm -rf /)") == "'$(rm -rf /)'")
    }
}
