//! `PipelineGuard::JWT::IdToken`: GitLab CI job ID-token claims built by
//! the core's `ci_id_token` module from a job-info Hash.
use magnus::{function, prelude::*, Error, RHash, RModule, Ruby, Value};
use pipeline_guard_core::jwt::ci_id_token::CiJobInfo;
use pipeline_guard_core::jwt::JwtError;
use serde_json::{Map, Value as Json};

use crate::helpers::guard::guard;
use crate::helpers::json;
use crate::ruby_api::jwt::errors::{encode_error, jwt_error};

/// The claim set for `job_info`; a fresh random `jti` unless one is given.
pub fn ci_claims(
    ruby: &Ruby,
    job_info: Value,
    jti: Option<String>,
) -> Result<Map<String, Json>, Error> {
    let json = json::to_json(ruby, job_info)?.map_err(|e| encode_error(ruby, "Job info", e))?;
    let info = CiJobInfo::from_json(&json).map_err(|e| jwt_error(ruby, e))?;
    match jti {
        Some(jti) => Ok(info.claims_with_jti(jti)),
        None => info.claims().map_err(|e: JwtError| jwt_error(ruby, e)),
    }
}

fn claims(ruby: &Ruby, job_info: Value, jti: Option<String>) -> Result<RHash, Error> {
    guard(ruby, || {
        let map = ci_claims(ruby, job_info, jti)?;
        json::object_to_ruby(ruby, &map)
    })
}

pub fn init(_ruby: &Ruby, root: RModule) -> Result<(), Error> {
    let jwt = root.define_module("JWT")?;
    let module = jwt.define_module("IdToken")?;
    module.define_module_function("_claims", function!(claims, 2))?;
    Ok(())
}
