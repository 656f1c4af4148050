//! `PipelineGuard::OpenBao::AuditLog`: the module functions that parse
//! audit entries (`_parse`, `_parse_many`; the checked public methods are
//! in `lib/pipeline_guard/openbao/audit_log.rb`).
use magnus::{function, prelude::*, Error, RArray, RModule, RString, Ruby};
use pipeline_guard_core::openbao::audit::{parse_entry, parse_many, AuditError, Entry};

use crate::helpers::guard::guard;
use crate::helpers::nogvl::without_gvl;
use crate::helpers::rstring;
use crate::ruby_api::openbao::audit_log_entry::{self, RbAuditEntry};
use crate::ruby_api::openbao::errors::audit_error;

/// Batches this large are parsed without the GVL (on a copy).
const LARGE_BATCH: usize = 64 * 1024;

fn parse(ruby: &Ruby, line: RString) -> Result<magnus::typed_data::Obj<RbAuditEntry>, Error> {
    guard(ruby, || {
        let entry = rstring::with_bytes(line, parse_entry).map_err(|e| audit_error(ruby, &e))?;
        Ok(RbAuditEntry::wrap(ruby, entry))
    })
}

fn parse_many_entries(ruby: &Ruby, text: RString) -> Result<RArray, Error> {
    guard(ruby, || {
        let parsed: Result<Vec<Entry>, AuditError> = if text.len() >= LARGE_BATCH {
            let copy = rstring::to_vec(text);
            without_gvl(move || parse_many(&copy))
        } else {
            rstring::with_bytes(text, parse_many)
        };
        let entries = parsed.map_err(|e| audit_error(ruby, &e))?;
        let out = ruby.ary_new_capa(entries.len());
        for entry in entries {
            out.push(RbAuditEntry::wrap(ruby, entry))?;
        }
        out.freeze();
        Ok(out)
    })
}

pub fn init(ruby: &Ruby, openbao: RModule) -> Result<(), Error> {
    let module = openbao.define_module("AuditLog")?;
    module.define_singleton_method("_parse", function!(parse, 1))?;
    module.define_singleton_method("_parse_many", function!(parse_many_entries, 1))?;
    let entry = module.define_class("Entry", ruby.class_object())?;
    entry.undef_default_alloc_func();
    audit_log_entry::init(ruby, entry)?;
    Ok(())
}
