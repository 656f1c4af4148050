# frozen_string_literal: true

require "json"

# Counts from an OpenBao file audit log (JSON lines): logins per kind of
# login, and secret value reads/writes per kind of token. The one place that
# reads audit entries (`type`, `auth.policies`, `auth.metadata`,
# `auth.display_name`, `request.path`, `request.operation`, `error`), so a
# native parser can replace it.
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
  def count(lines)
    counts = Hash.new { |h, k| h[k] = Hash.new(0) }
    counts["root_after_bootstrap"] = 0
    app_seen = false
    lines.each do |line|
      entry = JSON.parse(line)
      path = entry.dig("request", "path").to_s
      if (login = LOGIN_MOUNT.match(path))
        kind = MOUNT_KINDS.fetch(login[1], login[1])
        counts[entry["type"] == "request" ? "logins" : "refused_logins"][kind] += 1 if
          entry["type"] == "request" || entry["error"]
        next
      end
      kind = token_kind(entry["auth"] || {})
      next unless kind

      if entry["type"] == "request"
        app_seen ||= kind == "app"
        counts["root_after_bootstrap"] += 1 if kind == "root" && app_seen
        counts["requests"][kind] += 1
      elsif VALUE_PATH.match?(path) # value reads/writes as answered (refused ones apart)
        op = entry.dig("request", "operation")
        key = if entry["error"] then "refused_value_ops"
              elsif op == "read" then "reads"
              elsif WRITES.include?(op) then "writes"
              end
        counts[key][kind] += 1 if key
      end
    end
    counts.transform_values { |v| v.is_a?(Hash) ? v.to_h : v }
  end

  def token_kind(auth)
    return "root" if Array(auth["policies"]).include?("root")

    metadata = auth["metadata"] || {}
    return "app" if metadata["role"] == "app"
    return "pipeline" if metadata.key?("job_id") || metadata.key?("pipeline_id")

    name = auth["display_name"].to_s
    MOUNT_KINDS.each { |mount, kind| return kind if name.include?(mount) }
    nil
  end
end
