//! `PipelineGuard::SLSA::Provenance._build` (job facts to statement) and
//! `PipelineGuard::SLSA._check` (a statement against a policy).
use magnus::{function, prelude::*, Error, RModule, Ruby, Value};
use pipeline_guard_core::attest::provenance::{build_statement, facts_from_value, ProvenanceError};
use pipeline_guard_core::attest::provenance_policy::{check_statement, ProvenancePolicy};

use crate::helpers::errors::{error, Class};
use crate::helpers::guard::guard;
use crate::helpers::json;
use crate::ruby_api::attest::slsa_errors::provenance_error;

/// `Provenance._build(facts)`: the statement as a Hash (GitLab's order).
fn build(ruby: &Ruby, facts: Value) -> Result<Value, Error> {
    guard(ruby, || {
        let facts = json::to_json(ruby, facts)?.map_err(|e| {
            error(
                ruby,
                Class::SlsaProvenanceError,
                format!("invalid provenance facts: {}", e.0),
            )
        })?;
        let stmt = facts_from_value(facts)
            .and_then(|f| build_statement(&f))
            .map_err(|e: ProvenanceError| provenance_error(ruby, e))?;
        json::to_ruby(ruby, &stmt)
    })
}

/// `SLSA._check(statement, digests, predicate_type, build_types,
/// source_uri, source_ref, commit, builder_ids)`: nil when the statement
/// meets every expectation, else `[expectation, message]`.
#[allow(clippy::too_many_arguments)]
fn check(
    ruby: &Ruby,
    statement: Value,
    digests: Vec<(String, String)>,
    predicate_type: String,
    build_types: Vec<String>,
    source_uri: String,
    source_ref: Option<String>,
    commit: Option<String>,
    builder_ids: Vec<String>,
) -> Result<Option<(String, String)>, Error> {
    guard(ruby, || {
        let statement = match json::text_or_value(ruby, statement)? {
            Ok(v) => v,
            Err(e) => {
                return Ok(Some((
                    "statement".to_owned(),
                    format!("statement is {}", e.0),
                )))
            }
        };
        let policy = ProvenancePolicy {
            artifact_digests: digests,
            predicate_type,
            build_types,
            source_uri,
            source_ref,
            commit,
            builder_ids,
        };
        Ok(check_statement(&statement, &policy)
            .err()
            .map(|f| (f.expectation.to_owned(), f.message)))
    })
}

pub fn init(_ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let slsa = root.define_module("SLSA")?;
    slsa.define_singleton_method("_check", function!(check, 8))?;
    let provenance = slsa.define_module("Provenance")?;
    provenance.define_singleton_method("_build", function!(build, 1))?;
    Ok(())
}
