/// One node of an RDF graph: an absolute IRI, a blank node numbered within its file, or a literal.
public enum RDFTerm: Hashable, Sendable, CustomStringConvertible {
    case iri(String)
    case blank(Int)
    case literal(Literal)

    /// A literal's lexical form with its datatype IRI or language tag (a language-tagged string has no datatype here).
    public struct Literal: Hashable, Sendable {
        public var lexical: String
        public var datatype: String?
        public var language: String?

        public init(_ lexical: String, datatype: String? = nil, language: String? = nil) {
            self.lexical = lexical
            self.datatype = datatype
            self.language = language
        }
    }

    /// The IRI, if this is one.
    public var iri: String? {
        if case let .iri(value) = self { return value }
        return nil
    }

    /// N-Triples-like text, for messages and tests.
    public var description: String {
        switch self {
        case let .iri(value): return "<\(value)>"
        case let .blank(number): return "_:b\(number)"
        case let .literal(literal):
            var text = "\"\(literal.lexical)\""
            if let language = literal.language { text += "@" + language }
            else if let datatype = literal.datatype { text += "^^<\(datatype)>" }
            return text
        }
    }
}

/// One statement, with the line of the file where its object was read.
public struct Triple: Hashable, Sendable, CustomStringConvertible {
    public var subject: RDFTerm
    public var predicate: String
    public var object: RDFTerm
    public var line: Int

    public init(_ subject: RDFTerm, _ predicate: String, _ object: RDFTerm, line: Int = 0) {
        self.subject = subject
        self.predicate = predicate
        self.object = object
        self.line = line
    }

    public var description: String { "\(subject) <\(predicate)> \(object) ." }

    public static func == (a: Triple, b: Triple) -> Bool {
        a.subject == b.subject && a.predicate == b.predicate && a.object == b.object
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(subject)
        hasher.combine(predicate)
        hasher.combine(object)
    }
}

/// Well-known vocabulary IRIs.
public enum Vocabulary {
    public static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    public static let rdfs = "http://www.w3.org/2000/01/rdf-schema#"
    public static let xsd = "http://www.w3.org/2001/XMLSchema#"
    public static let type = rdf + "type"
    public static let first = rdf + "first"
    public static let rest = rdf + "rest"
    public static let nilList = rdf + "nil"
    public static let label = rdfs + "label"
    public static let subClassOf = rdfs + "subClassOf"
}
