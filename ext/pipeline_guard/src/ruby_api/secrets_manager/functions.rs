//! `PipelineGuard::SecretsManager` module functions.
use magnus::{function, prelude::*, Error, RArray, RHash, RModule, Ruby};
use pipeline_guard_core::secrets::{self, Secret};

use crate::helpers::guard::guard;
use crate::helpers::json;
use crate::ruby_api::secrets_manager::convert::to_secret;
use crate::ruby_api::secrets_manager::errors::secrets_error;
use crate::ruby_api::secrets_manager::secret::RbSecret;

fn pipeline_secrets(
    ruby: &Ruby,
    list: RArray,
    claims: RHash,
    project_id: Option<u64>,
) -> Result<Vec<String>, Error> {
    guard(ruby, || {
        let claims = json::claims(ruby, claims)?;
        // A snapshot keeps every element alive (it is on the stack, which
        // Ruby's GC scans) while the wrapped secrets are borrowed.
        let snapshot = list.dup();
        let mut owned: Vec<Secret> = Vec::new();
        let mut borrowed: Vec<Option<&Secret>> = Vec::with_capacity(snapshot.len());
        for v in snapshot.into_iter() {
            // Hashes first: a failed typed-data conversion builds an
            // exception, which is far too slow per element.
            if RHash::from_value(v).is_some() {
                owned.push(to_secret(ruby, v)?);
                borrowed.push(None);
            } else {
                borrowed.push(Some(&<&RbSecret>::try_convert(v)?.0));
            }
        }
        let mut from_hashes = owned.iter();
        let refs: Vec<&Secret> = borrowed
            .into_iter()
            .filter_map(|b| b.or_else(|| from_hashes.next()))
            .collect();
        secrets::pipeline_secrets_refs(&refs, &claims, project_id)
            .map_err(|e| secrets_error(ruby, e))
    })
}

fn hex(value: String) -> String {
    secrets::hex(&value)
}

pub fn init(_ruby: &Ruby, module: RModule) -> Result<(), Error> {
    module.define_singleton_method("_pipeline_secrets", function!(pipeline_secrets, 3))?;
    module.define_singleton_method("hex", function!(hex, 1))?;
    Ok(())
}
