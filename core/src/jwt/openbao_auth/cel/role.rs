//! A CEL role (`auth/<mount>/cel/role/<name>`), validated and compiled once
//! when written, as OpenBao's `pathCelRoleCreate` + `Program.Validate` do.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::check::check_main;
use super::program::{CelProgram, ProgramError};
use crate::gocompat::multierror;
use crate::jwt::openbao_auth::error::RoleError;
use crate::jwt::openbao_auth::role_fields::FieldData;

/// The framework defaults of the CEL role endpoint, in seconds.
const DEFAULT_EXPIRATION_LEEWAY: i64 = 150;
const DEFAULT_NOT_BEFORE_LEEWAY: i64 = 150;
const DEFAULT_CLOCK_SKEW_LEEWAY: i64 = 60;

/// A validated, compiled CEL role. Immutable; share it behind an `Arc`.
#[derive(Debug, Clone)]
pub struct CelRole {
    /// The name as written (OpenBao stores CEL role names verbatim and
    /// lowercases the name a login asks for).
    pub name: String,
    pub program: Arc<CelProgram>,
    /// Stored and returned, never used by a login (as in OpenBao).
    pub message: String,
    pub bound_audiences: Vec<String>,
    /// Seconds; 0 means the default, -1 disables the leeway.
    pub expiration_leeway: i64,
    pub not_before_leeway: i64,
    pub clock_skew_leeway: i64,
}

/// A refused CEL role body: `status` is OpenBao's HTTP status (400 for
/// request errors, 500 for programs that fail validation).
pub(crate) fn refused(e: ProgramError) -> RoleError {
    match e {
        ProgramError::Decode(text) => RoleError::new(text),
        ProgramError::Validate(text) => RoleError::new(multierror(&[text])),
    }
}

impl CelRole {
    /// Validates `body` as `POST auth/<mount>/cel/role/<name>` would.
    /// Refusals carry OpenBao's text (request errors verbatim, validation
    /// errors in go-multierror's form, as OpenBao's HTTP layer sends them).
    pub fn from_json(name: &str, body: &Map<String, Value>) -> Result<CelRole, RoleError> {
        let mut fields = Map::new();
        for key in [
            "bound_audiences",
            "expiration_leeway",
            "not_before_leeway",
            "clock_skew_leeway",
        ] {
            if let Some(v) = body.get(key) {
                fields.insert(key.to_string(), v.clone());
            }
        }
        let (data, _) = FieldData::parse(&fields)?;
        let raw = match body.get("cel_program") {
            None | Some(Value::Null) => {
                return Err(RoleError::new("missing required field 'cel_program'"))
            }
            Some(raw) => raw,
        };
        let program = CelProgram::from_json(raw).map_err(refused)?;
        let names: Vec<&str> = program.variables.iter().map(|v| v.name.as_str()).collect();
        check_main(
            &program.main.expr,
            &program.expression,
            &program.main_info,
            &names,
        )
        .map_err(|issues| {
            refused(ProgramError::Validate(format!(
                "error type-checking CEL MainProgram: {issues}"
            )))
        })?;
        let message = match body.get("message") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        Ok(CelRole {
            name: name.to_string(),
            program: Arc::new(program),
            message,
            bound_audiences: data.list("bound_audiences").unwrap_or_default(),
            expiration_leeway: data
                .seconds("expiration_leeway")
                .unwrap_or(DEFAULT_EXPIRATION_LEEWAY),
            not_before_leeway: data
                .seconds("not_before_leeway")
                .unwrap_or(DEFAULT_NOT_BEFORE_LEEWAY),
            clock_skew_leeway: data
                .seconds("clock_skew_leeway")
                .unwrap_or(DEFAULT_CLOCK_SKEW_LEEWAY),
        })
    }

    /// The role as `GET auth/<mount>/cel/role/<name>` returns it.
    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "name": self.name,
            "cel_program": self.program.to_json(),
            "message": self.message,
            "bound_audiences": self.bound_audiences,
            "expiration_leeway": self.expiration_leeway,
            "not_before_leeway": self.not_before_leeway,
            "clock_skew_leeway": self.clock_skew_leeway,
        })
    }
}
