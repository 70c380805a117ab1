import Foundation

/// How a deploy is rolled out (docs/deploy.md, "deploy apply").
public enum Strategy: String, Sendable, Codable, CaseIterable {
    case immediate, canary, rolling
    case blueGreen = "blue-green"
}

/// A count or a share of a whole: `3` or `25%`.
public enum Amount: Sendable, Codable, Equatable, CustomStringConvertible {
    case count(Int)
    case percent(Double)

    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%") {
            guard let value = Double(trimmed.dropLast()), value >= 0, value <= 100 else {
                throw DeployError.badOption("'\(text)' is not a percentage between 0% and 100%")
            }
            self = .percent(value)
        } else {
            guard let value = Int(trimmed), value >= 0 else { throw DeployError.badOption("'\(text)' is not a count or a percentage such as 10%") }
            self = .count(value)
        }
    }

    /// Of `total`, rounded up (batch sizes).
    func roundedUp(of total: Int) -> Int {
        switch self {
        case let .count(n): min(n, total)
        case let .percent(p): min(total, Int((Double(total) * p / 100).rounded(.up)))
        }
    }

    /// Of `total`, rounded down (failure limits). A hair of tolerance keeps binary noise from losing a whole node:
    /// 4.1% of 1000 is 40.999…6 in floating point, and allows 41.
    func roundedDown(of total: Int) -> Int {
        switch self {
        case let .count(n): n
        case let .percent(p): Int((Double(total) * p / 100 + 1e-9).rounded(.down))
        }
    }

    /// True for a share (`25%`), false for a count.
    var isShare: Bool {
        if case .percent = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case let .count(n): "\(n)"
        case let .percent(p): (p == p.rounded() ? "\(Int(p))" : "\(p)") + "%"
        }
    }
}

/// Everything `deploy apply` was asked to do; stored with the deployment so `deploy resume` repeats it.
public struct RolloutOptions: Sendable, Codable, Equatable {
    public var strategy: Strategy = .immediate
    public var canary: Amount = .count(1)
    public var batches: [Amount] = [.percent(25), .percent(50), .percent(100)]
    public var parallel: Int = 10
    public var maxFailures: Amount = .count(0)
    public var maxTotalFailures: Amount?
    public var confirmTimeout: Double = 60
    public var healthTimeout: Double = 120
    public var pauseBetween: Double = 0
    public var rollbackOnFailure = true
    public var lease: Double?
    /// Deploy nodes outside their maintenance window (recorded with the deployment).
    public var overrideWindow = false
    /// Wait for a node's window to open instead of leaving it pending.
    public var waitForWindow = false
    /// The configured `deploy.rollbackThreshold` that supplied failure limits the command line did not give, with where
    /// it was set ("deploy.rollbackThreshold 0.95 in environment production (built-in default)"); nil when none is set.
    public var rollbackThreshold: String?
    /// True when `maxFailures` came from `rollbackThreshold` rather than `--max-failures`.
    public var maxFailuresFromThreshold: Bool?
    /// True when `maxTotalFailures` came from `rollbackThreshold` rather than `--max-total-failures`.
    public var maxTotalFailuresFromThreshold: Bool?

    public init() {}

    /// Applies a health ratio (`deploy.rollbackThreshold`: the share of nodes, 0 to 1, that must end healthy) to the
    /// failure limits the command line left unset (docs/deploy.md "Environments"): across the rollout,
    /// floor((1 − ratio) × `nodes`) failures; per batch, the same share of each batch, rounded down. A limit given on
    /// the command line wins. `setting` names the setting and where it was set, for the progress lines and the record.
    public mutating func applyRollbackThreshold(_ ratio: Double, setting: String, nodes: Int, batchLimitGiven: Bool,
                                                totalLimitGiven: Bool) {
        // The share allowed to fail, in percent, rid of binary noise: 1 − 0.9 is 0.0999…98, which must still allow
        // one failure in ten.
        let share = ((1 - ratio) * 100 * 1_000_000).rounded() / 1_000_000
        rollbackThreshold = setting
        if !totalLimitGiven {
            maxTotalFailures = .count(Amount.percent(share).roundedDown(of: nodes))
            maxTotalFailuresFromThreshold = true
        }
        if !batchLimitGiven {
            maxFailures = .percent(share)
            maxFailuresFromThreshold = true
        }
    }

    /// Progress lines naming the failure limits and where they came from, when a configured threshold had a say.
    public func limitLines(nodes: Int) -> [String] {
        guard let rollbackThreshold else { return [] }
        let total = maxTotalFailures.map { "\($0.roundedDown(of: nodes)) of \(nodes) node\(nodes == 1 ? "" : "s")" } ?? "none"
        return [
            "failure limit across the rollout: " + total + ", from "
                + (maxTotalFailuresFromThreshold == true ? rollbackThreshold : "--max-total-failures (over \(rollbackThreshold))"),
            "failure limit per batch: " + (maxFailures.isShare ? "\(maxFailures) of its nodes, rounded down" : "\(maxFailures)") + ", from "
                + (maxFailuresFromThreshold == true ? rollbackThreshold : "--max-failures (over \(rollbackThreshold))"),
        ]
    }

    /// The lease a node is held with: long enough for the health checks and the confirmation.
    var leaseSeconds: Double { lease ?? (confirmTimeout + healthTimeout + 600) }

    /// The batches of `count` nodes, as sizes in order.
    public func batchSizes(count: Int) -> [Int] {
        guard count > 0 else { return [] }
        switch strategy {
        case .immediate, .blueGreen: return [count]
        case .canary:
            let first = max(1, canary.roundedUp(of: count))
            return first >= count ? [count] : [first, count - first]
        case .rolling:
            var sizes = [Int](), done = 0
            for target in batches {
                let cumulative = max(target.roundedUp(of: count), done == 0 ? 1 : done)
                if cumulative > done { sizes.append(cumulative - done); done = cumulative }
                if done >= count { break }
            }
            if done < count { sizes.append(count - done) }
            return sizes
        }
    }
}
