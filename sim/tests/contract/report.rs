//! What the contract test did per operation, and what it found wrong.

use std::collections::BTreeMap;

#[derive(Default)]
pub struct OperationReport {
    /// Responses validated against the spec's schema, by status.
    pub validated: BTreeMap<u16, usize>,
    /// Error answers whose status was checked but whose operation
    /// documents no body schema for that status, by status.
    pub status_only: BTreeMap<u16, usize>,
    /// What was requested, e.g. "5 pages at limit=9", "status=won".
    pub exercised: Vec<String>,
    /// Parameters the spec lists that the simulator refused (non-2xx).
    pub refused: Vec<String>,
    /// Parameters no value could be derived for, with the reason.
    pub skipped: Vec<String>,
}

/// One contract breach, or something the harness could not do.
pub struct Failure {
    /// `GET v2:/deals/{id}`.
    pub operation: String,
    /// What is wrong, without request-specific detail, so that the same
    /// problem on many records/requests is reported once.
    pub problem: String,
    /// The request that showed it, and the offending value if any.
    pub example: String,
}

/// A problem with how often it occurred and its first distinct examples.
pub struct FailureSummary {
    pub operation: String,
    pub problem: String,
    pub count: usize,
    pub examples: Vec<String>,
}

impl FailureSummary {
    pub fn line(&self) -> String {
        format!(
            "{}: {} [{}x; e.g. {}]",
            self.operation,
            self.problem,
            self.count,
            self.examples.join(" | ")
        )
    }
}

/// Distinct examples kept per problem.
const EXAMPLES: usize = 4;

#[derive(Default)]
pub struct Report {
    pub operations: BTreeMap<String, OperationReport>,
    /// Served operations that the spec does not have.
    pub missing_from_spec: Vec<String>,
    failures: BTreeMap<(String, String), (usize, Vec<String>)>,
}

impl Report {
    pub fn operation(&mut self, label: &str) -> &mut OperationReport {
        self.operations.entry(label.to_string()).or_default()
    }

    pub fn count_validated(&mut self, label: &str, status: u16) {
        *self.operation(label).validated.entry(status).or_default() += 1;
    }

    pub fn count_status_only(&mut self, label: &str, status: u16) {
        *self.operation(label).status_only.entry(status).or_default() += 1;
    }

    pub fn fail(&mut self, failure: Failure) {
        let (count, examples) = self
            .failures
            .entry((failure.operation, failure.problem))
            .or_default();
        *count += 1;
        // Distinct by the offending value (after the arrow), not the URL.
        let value = |e: &str| e.rsplit(" -> ").next().unwrap_or(e).to_string();
        if examples.len() < EXAMPLES
            && !examples.iter().any(|e| value(e) == value(&failure.example))
        {
            examples.push(failure.example);
        }
    }

    pub fn failures(&self) -> Vec<FailureSummary> {
        self.failures
            .iter()
            .map(|((operation, problem), (count, examples))| FailureSummary {
                operation: operation.clone(),
                problem: problem.clone(),
                count: *count,
                examples: examples.clone(),
            })
            .collect()
    }

    pub fn responses_validated(&self) -> usize {
        self.operations
            .values()
            .map(|o| o.validated.values().sum::<usize>())
            .sum()
    }

    pub fn status_only(&self) -> usize {
        self.operations
            .values()
            .map(|o| o.status_only.values().sum::<usize>())
            .sum()
    }

    /// Operations at least one response of which was validated.
    pub fn operations_validated(&self) -> usize {
        self.operations
            .values()
            .filter(|o| o.validated.values().any(|&n| n > 0))
            .count()
    }

    /// One line per operation.
    pub fn lines(&self) -> Vec<String> {
        self.operations
            .iter()
            .map(|(label, o)| {
                let counts = |m: &BTreeMap<u16, usize>| {
                    m.iter()
                        .map(|(s, n)| format!("{s}x{n}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let mut line = format!("{label}: validated {}", counts(&o.validated));
                if !o.status_only.is_empty() {
                    line.push_str(&format!(
                        "; status only (spec has no body schema) {}",
                        counts(&o.status_only)
                    ));
                }
                line.push_str(&format!("; requests: {}", o.exercised.join(", ")));
                if !o.refused.is_empty() {
                    line.push_str(&format!(
                        "; refused by the simulator: {}",
                        o.refused.join(", ")
                    ));
                }
                if !o.skipped.is_empty() {
                    line.push_str(&format!("; not exercised: {}", o.skipped.join(", ")));
                }
                line
            })
            .collect()
    }
}
