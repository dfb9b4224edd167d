//! Helpers shared by the integration tests.

/// Fails with every deviation listed, so that one run shows them all.
pub fn report(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} deviation(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
