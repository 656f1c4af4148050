//! Who acted, from the metadata GitLab's JWT logins attach to the token
//! (`user_id`, `project_id`, `group_id`, `pipeline_id`, `job_id`) and the
//! request itself. Ids are read only when they are plain decimal numbers:
//! an entry is never attributed to a record by a lenient parse.
use super::entry::Entry;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor<'a> {
    pub user_id: Option<u64>,
    pub project_id: Option<u64>,
    pub group_id: Option<u64>,
    /// As GitLab keeps them: the metadata text, when not blank.
    pub pipeline_id: Option<&'a str>,
    pub job_id: Option<&'a str>,
    pub token_type: Option<&'a str>,
    pub display_name: Option<&'a str>,
    pub entity_id: Option<&'a str>,
    pub remote_address: Option<&'a str>,
}

impl<'a> Actor<'a> {
    pub fn of(entry: &'a Entry) -> Self {
        let auth = entry.auth.as_ref();
        Actor {
            user_id: id(entry.metadata_value("user_id")),
            project_id: id(entry.metadata_value("project_id")),
            group_id: id(entry.metadata_value("group_id")),
            pipeline_id: present(entry.metadata_value("pipeline_id")),
            job_id: present(entry.metadata_value("job_id")),
            token_type: auth.and_then(|a| a.token_type.as_deref()),
            display_name: auth.and_then(|a| a.display_name.as_deref()),
            entity_id: auth.and_then(|a| a.entity_id.as_deref()),
            remote_address: entry.remote_address(),
        }
    }

    /// A CI job acted when the login names a job.
    pub fn is_job(&self) -> bool {
        self.job_id.is_some()
    }
}

fn present(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.chars().all(char::is_whitespace))
}

fn id(value: Option<&str>) -> Option<u64> {
    let v = value?;
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse().ok()
}
