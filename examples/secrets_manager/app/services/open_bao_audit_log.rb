# frozen_string_literal: true

# GitLab 19.4's SecretsManagement::AuditLog over the native parser: one
# OpenBao audit entry in, at most one AuditEvent out. The parser decides the
# event (response entries only; scope from the login's group_id/project_id;
# KV v2 value reads and creates, metadata deletes, and the metadata write
# that completes an update); this class finds the records and writes the
# row with GitLab's fields.
class OpenBaoAuditLog
  attr_reader :entry

  # Raises PipelineGuard::InvalidInput for an entry the parser refuses.
  def initialize(raw_audit_log_json)
    @raw = raw_audit_log_json
    @entry = PipelineGuard::OpenBao::AuditLog.parse(raw_audit_log_json)
  end

  # The AuditEvent written, or nil when the entry is no secrets-manager event.
  def log!
    return unless entry.event?

    scope = entity
    AuditEvent.create!(
      event_name: entry.event_name, author:, entity: scope, target_type: scope&.class&.name,
      target_id: scope&.id, target_details: target_details(scope), message: entry.event_message,
      ip_address: entry.remote_address, saved_to_database: entry.saved_to_database?,
      details: { "raw_audit_log_json" => @raw, "pipeline_id" => entry.pipeline_id, "job_id" => entry.job_id }.compact,
      created_at: Time.current
    )
  end

  private

  def author = entry.user_id && User.find_by(id: entry.user_id)

  def entity
    if entry.event_scope == :group
      entry.group_id && Group.find_by(id: entry.group_id)
    else
      entry.project_id && Project.find_by(id: entry.project_id)
    end
  end

  def target_details(scope)
    "#{entry.event_scope == :group ? 'Group' : 'Project'}: #{scope&.full_path}"
  end
end
