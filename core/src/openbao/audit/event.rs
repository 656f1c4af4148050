//! GitLab's secrets-manager audit event types
//! (`ee/config/audit_events/types/secrets_manager_*.yml`).

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    Read,
    Create,
    Update,
    Delete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventScope {
    Project,
    Group,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Event {
    pub kind: EventKind,
    pub scope: EventScope,
}

impl Event {
    pub const ALL: [Event; 8] = [
        Event::new(EventKind::Read, EventScope::Project),
        Event::new(EventKind::Create, EventScope::Project),
        Event::new(EventKind::Update, EventScope::Project),
        Event::new(EventKind::Delete, EventScope::Project),
        Event::new(EventKind::Read, EventScope::Group),
        Event::new(EventKind::Create, EventScope::Group),
        Event::new(EventKind::Update, EventScope::Group),
        Event::new(EventKind::Delete, EventScope::Group),
    ];

    pub const fn new(kind: EventKind, scope: EventScope) -> Self {
        Event { kind, scope }
    }

    /// GitLab's event type name, e.g. `secrets_manager_read_project_secret`.
    pub fn name(self) -> &'static str {
        use EventKind::*;
        use EventScope::*;
        match (self.kind, self.scope) {
            (Read, Project) => "secrets_manager_read_project_secret",
            (Create, Project) => "secrets_manager_create_project_secret",
            (Update, Project) => "secrets_manager_update_project_secret",
            (Delete, Project) => "secrets_manager_delete_project_secret",
            (Read, Group) => "secrets_manager_read_group_secret",
            (Create, Group) => "secrets_manager_create_group_secret",
            (Update, Group) => "secrets_manager_update_group_secret",
            (Delete, Group) => "secrets_manager_delete_group_secret",
        }
    }

    /// GitLab's message for the event (`SecretsManagement::AuditLog::MESSAGES`).
    pub fn message(self) -> &'static str {
        use EventKind::*;
        use EventScope::*;
        match (self.kind, self.scope) {
            (Read, Project) => "Read project secret",
            (Create, Project) => "Created project secret",
            (Update, Project) => "Updated project secret",
            (Delete, Project) => "Deleted project secret",
            (Read, Group) => "Read group secret",
            (Create, Group) => "Created group secret",
            (Update, Group) => "Updated group secret",
            (Delete, Group) => "Deleted group secret",
        }
    }

    /// GitLab streams every one of these events but keeps reads out of its
    /// database (`saved_to_database: false` for the two read types).
    pub fn saved_to_database(self) -> bool {
        self.kind != EventKind::Read
    }
}
