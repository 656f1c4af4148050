# frozen_string_literal: true

require "pipeline_guard"

# Counts from an OpenBao file audit log (JSON lines, parsed natively by
# PipelineGuard::OpenBao::AuditLog): logins per kind of login, and secret
# value reads/writes per kind of token.
#
# Kinds: root (the root policy), app (the gitlab_rails_jwt `app` role),
# user (user_jwt), pipeline (pipeline_jwt), api (api_jwt).
module OpenBaoAuditCounts
  LOGIN_MOUNT = %r{(?:\A|/)auth/([^/]+)/(?:cel/)?login\z}
  MOUNT_KINDS = { "gitlab_rails_jwt" => "app", "user_jwt" => "user", "pipeline_jwt" => "pipeline",
                  "api_jwt" => "api" }.freeze
  VALUE_PATH = %r{(?:\A|/)secrets/kv/data/}
  WRITES = %w[create update].freeze

  module_function

  # => { "logins" => { kind => n }, "refused_logins" => { kind => n },
  #      "reads" => { kind => n }, "writes" => { kind => n }, (answered)
  #      "refused_value_ops" => { kind => n }, "requests" => { kind => n },
  #      "root_after_bootstrap" => n }
  def count(text)
    counts = Hash.new { |h, k| h[k] = Hash.new(0) }
    state = { counts:, app_seen: false, root_after_bootstrap: 0 }
    PipelineGuard::OpenBao::AuditLog.parse_many(text).each { |entry| add(entry, state) }
    counts.transform_values(&:to_h).merge("root_after_bootstrap" => state[:root_after_bootstrap])
  end

  def add(entry, state)
    path = entry.path.to_s
    login = LOGIN_MOUNT.match(path)
    return add_login(entry, MOUNT_KINDS.fetch(login[1], login[1]), state[:counts]) if login

    kind = token_kind(entry)
    add_token_use(entry, kind, path, state) if kind
  end

  def add_login(entry, kind, counts)
    counts["logins"][kind] += 1 if entry.type == "request"
    counts["refused_logins"][kind] += 1 if entry.type == "response" && entry.error
  end

  def add_token_use(entry, kind, path, state)
    counts = state[:counts]
    if entry.type == "request"
      state[:app_seen] ||= kind == "app"
      state[:root_after_bootstrap] += 1 if kind == "root" && state[:app_seen]
      counts["requests"][kind] += 1
    elsif VALUE_PATH.match?(path) && (key = value_op(entry))
      counts[key][kind] += 1 # value reads/writes as answered, refused ones apart
    end
  end

  def value_op(entry)
    return "refused_value_ops" if entry.error

    op = entry.operation
    return "reads" if op == "read"

    "writes" if WRITES.include?(op)
  end

  # The kind of token an entry (PipelineGuard::OpenBao::AuditLog::Entry) used.
  def token_kind(entry)
    return "root" if entry.policies.include?("root")

    metadata = entry.metadata
    return "app" if metadata["role"] == "app"
    return "pipeline" if metadata.key?("job_id")

    MOUNT_KINDS.find { |mount, _| entry.display_name.to_s.include?(mount) }&.last
  end
end
