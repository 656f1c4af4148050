//! `PipelineGuard::OpenBao::AuditLog::Entry`: one parsed OpenBao audit
//! entry with the GitLab audit event it stands for. Frozen; readers build
//! their Ruby values on call.
use std::collections::BTreeMap;

use magnus::{method, prelude::*, typed_data::Obj, Error, RClass, RHash, Ruby, Value};
use pipeline_guard_core::openbao::audit::{classify, secret_name, Actor, Entry, Event};

#[magnus::wrap(
    class = "PipelineGuard::OpenBao::AuditLog::Entry",
    free_immediately,
    size,
    frozen_shareable
)]
pub struct RbAuditEntry {
    entry: Entry,
    event: Option<Event>,
}

impl RbAuditEntry {
    pub fn new(entry: Entry) -> Self {
        let event = classify(&entry);
        RbAuditEntry { entry, event }
    }

    /// Wrapped and frozen.
    pub fn wrap(ruby: &Ruby, entry: Entry) -> Obj<Self> {
        let obj = ruby.obj_wrap(Self::new(entry));
        obj.freeze();
        obj
    }

    fn actor(&self) -> Actor<'_> {
        Actor::of(&self.entry)
    }

    fn entry_type(&self) -> &'static str {
        self.entry.entry_type.as_str()
    }
    fn time(&self) -> Option<String> {
        self.entry.time.clone()
    }
    fn operation(&self) -> Option<String> {
        self.entry.operation().map(str::to_owned)
    }
    fn path(&self) -> Option<String> {
        self.entry.path().map(str::to_owned)
    }
    fn namespace_path(&self) -> Option<String> {
        self.entry.namespace_path().map(str::to_owned)
    }
    fn namespace_id(&self) -> Option<String> {
        let request = self.entry.request.as_ref()?;
        request.namespace.as_ref()?.id.clone()
    }
    fn request_id(&self) -> Option<String> {
        self.entry.request.as_ref()?.id.clone()
    }
    fn mount_type(&self) -> Option<String> {
        self.entry.request.as_ref()?.mount_type.clone()
    }
    fn mount_point(&self) -> Option<String> {
        self.entry.request.as_ref()?.mount_point.clone()
    }
    fn remote_address(&self) -> Option<String> {
        self.entry.remote_address().map(str::to_owned)
    }
    fn error(&self) -> Option<String> {
        self.entry.error.clone()
    }
    fn token_type(&self) -> Option<String> {
        self.entry.auth.as_ref()?.token_type.clone()
    }
    fn display_name(&self) -> Option<String> {
        self.entry.auth.as_ref()?.display_name.clone()
    }
    fn entity_id(&self) -> Option<String> {
        self.entry.auth.as_ref()?.entity_id.clone()
    }

    /// Frozen Array of frozen Strings; `[]` without auth.
    fn policies(ruby: &Ruby, rb_self: &Self) -> Result<Value, Error> {
        let names = rb_self
            .entry
            .auth
            .as_ref()
            .and_then(|a| a.policies.as_deref())
            .unwrap_or_default();
        let ary = ruby.ary_new_capa(names.len());
        for name in names {
            let s = ruby.str_new(name);
            s.freeze();
            ary.push(s)?;
        }
        ary.freeze();
        Ok(ary.as_value())
    }

    /// Frozen Hash of frozen Strings; `{}` without auth metadata.
    fn metadata(ruby: &Ruby, rb_self: &Self) -> Result<RHash, Error> {
        let empty = BTreeMap::new();
        let map = rb_self.entry.metadata().unwrap_or(&empty);
        let hash = ruby.hash_new();
        for (k, v) in map {
            let (k, v) = (ruby.str_new(k), ruby.str_new(v));
            k.freeze();
            v.freeze();
            hash.aset(k, v)?;
        }
        hash.freeze();
        Ok(hash)
    }

    fn event_name(&self) -> Option<&'static str> {
        self.event.map(Event::name)
    }
    fn event_message(&self) -> Option<&'static str> {
        self.event.map(Event::message)
    }
    fn event_kind(ruby: &Ruby, rb_self: &Self) -> Option<magnus::Symbol> {
        use pipeline_guard_core::openbao::audit::EventKind::*;
        rb_self.event.map(|e| {
            ruby.to_symbol(match e.kind {
                Read => "read",
                Create => "create",
                Update => "update",
                Delete => "delete",
            })
        })
    }
    fn event_scope(ruby: &Ruby, rb_self: &Self) -> Option<magnus::Symbol> {
        use pipeline_guard_core::openbao::audit::EventScope::*;
        rb_self.event.map(|e| {
            ruby.to_symbol(match e.scope {
                Project => "project",
                Group => "group",
            })
        })
    }
    fn saved_to_database(&self) -> bool {
        self.event.is_some_and(Event::saved_to_database)
    }
    fn secret_name(&self) -> Option<String> {
        self.event?;
        secret_name(self.entry.path()?).map(str::to_owned)
    }
    fn user_id(&self) -> Option<u64> {
        self.actor().user_id
    }
    fn project_id(&self) -> Option<u64> {
        self.actor().project_id
    }
    fn group_id(&self) -> Option<u64> {
        self.actor().group_id
    }
    fn pipeline_id(&self) -> Option<String> {
        self.actor().pipeline_id.map(str::to_owned)
    }
    fn job_id(&self) -> Option<String> {
        self.actor().job_id.map(str::to_owned)
    }

    /// Names the event and the request, never metadata or data.
    fn inspect(&self) -> String {
        format!(
            "#<PipelineGuard::OpenBao::AuditLog::Entry {} {} {:?} event={}>",
            self.entry.entry_type.as_str(),
            self.entry.operation().unwrap_or("-"),
            self.entry.path().unwrap_or(""),
            self.event.map_or("nil", Event::name)
        )
    }
}

pub fn init(_ruby: &Ruby, class: RClass) -> Result<(), Error> {
    class.define_method("type", method!(RbAuditEntry::entry_type, 0))?;
    class.define_method("time", method!(RbAuditEntry::time, 0))?;
    class.define_method("operation", method!(RbAuditEntry::operation, 0))?;
    class.define_method("path", method!(RbAuditEntry::path, 0))?;
    class.define_method("namespace_path", method!(RbAuditEntry::namespace_path, 0))?;
    class.define_method("namespace_id", method!(RbAuditEntry::namespace_id, 0))?;
    class.define_method("request_id", method!(RbAuditEntry::request_id, 0))?;
    class.define_method("mount_type", method!(RbAuditEntry::mount_type, 0))?;
    class.define_method("mount_point", method!(RbAuditEntry::mount_point, 0))?;
    class.define_method("remote_address", method!(RbAuditEntry::remote_address, 0))?;
    class.define_method("error", method!(RbAuditEntry::error, 0))?;
    class.define_method("token_type", method!(RbAuditEntry::token_type, 0))?;
    class.define_method("display_name", method!(RbAuditEntry::display_name, 0))?;
    class.define_method("entity_id", method!(RbAuditEntry::entity_id, 0))?;
    class.define_method("policies", method!(RbAuditEntry::policies, 0))?;
    class.define_method("metadata", method!(RbAuditEntry::metadata, 0))?;
    class.define_method("event_name", method!(RbAuditEntry::event_name, 0))?;
    class.define_method("event_message", method!(RbAuditEntry::event_message, 0))?;
    class.define_method("event_kind", method!(RbAuditEntry::event_kind, 0))?;
    class.define_method("event_scope", method!(RbAuditEntry::event_scope, 0))?;
    class.define_method(
        "saved_to_database?",
        method!(RbAuditEntry::saved_to_database, 0),
    )?;
    class.define_method("secret_name", method!(RbAuditEntry::secret_name, 0))?;
    class.define_method("user_id", method!(RbAuditEntry::user_id, 0))?;
    class.define_method("project_id", method!(RbAuditEntry::project_id, 0))?;
    class.define_method("group_id", method!(RbAuditEntry::group_id, 0))?;
    class.define_method("pipeline_id", method!(RbAuditEntry::pipeline_id, 0))?;
    class.define_method("job_id", method!(RbAuditEntry::job_id, 0))?;
    class.define_method("inspect", method!(RbAuditEntry::inspect, 0))?;
    class.define_method("to_s", method!(RbAuditEntry::inspect, 0))?;
    Ok(())
}
