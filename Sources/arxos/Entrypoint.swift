import ArxosCLI
@main struct Entrypoint { static func main() async { await Arxos.main() } }
