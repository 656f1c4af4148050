# frozen_string_literal: true

# One GitLab audit event (`audit_events`), as `Gitlab::Audit::Auditor`
# records it for the secrets-manager types: who (author), on what (entity
# and target: the project or group, since a secret is no record), from
# where (ip_address), with `details` holding GitLab's additional details
# (the raw OpenBao entry, pipeline_id, job_id).
class AuditEvent < ApplicationRecord
  belongs_to :author, class_name: "User", optional: true
  belongs_to :entity, polymorphic: true, optional: true

  serialize :details, JSON

  scope :kept, -> { where(saved_to_database: true) }

  # GitLab's REST shape (EE::API::Entities::AuditEvent), without the raw
  # OpenBao entry unless asked.
  def as_api_json(raw: false)
    extra = details.except("raw_audit_log_json")
    extra["raw_audit_log_json"] = details["raw_audit_log_json"] if raw
    {
      id:, author_id:, entity_id:, entity_type:, event_name:, created_at: created_at.utc.iso8601(3),
      details: {
        custom_message: message, author_name: author&.username, author_class: author && "User",
        target_id:, target_type:, target_details:, ip_address:, entity_path: entity&.full_path
      }.merge(extra.symbolize_keys)
    }
  end
end
