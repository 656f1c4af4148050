# frozen_string_literal: true

# OpenBao audit entries -> GitLab audit events: the native parser
# (AuditLog.parse / parse_many: parse, type-check, classify) against what
# GitLab 19.4 does per entry (JSON.parse, then SecretsManagement::AuditLog's
# regexes and metadata checks in Ruby), on entries recorded from a live
# OpenBao 2.7.2 (core/tests/data/openbao_audit_2.7.2.jsonl).
require_relative "support"
require "json"
require "pipeline_guard"

S = BenchSuite
AL = PipelineGuard::OpenBao::AuditLog
LINES = File.readlines(File.expand_path("../../core/tests/data/openbao_audit_2.7.2.jsonl", __dir__))
TEXT = LINES.join

# GitLab 19.4's classification (ee/app/models/secrets_management/audit_log.rb), in plain Ruby.
module RubyAuditLog
  MAPPING = {
    %w[read project_data] => :secrets_manager_read_project_secret,
    %w[update project_metadata] => :secrets_manager_update_project_secret,
    %w[create project_data] => :secrets_manager_create_project_secret,
    %w[delete project_metadata] => :secrets_manager_delete_project_secret,
    %w[read group_data] => :secrets_manager_read_group_secret,
    %w[update group_metadata] => :secrets_manager_update_group_secret,
    %w[create group_data] => :secrets_manager_create_group_secret,
    %w[delete group_metadata] => :secrets_manager_delete_group_secret
  }.freeze
  DATA = %r{\A/?secrets/kv/data/explicit/\w+\z}
  METADATA = %r{\A/?secrets/kv/metadata/explicit/\w+\z}

  module_function

  def present(value) = value.is_a?(String) && !value.strip.empty? ? value : nil

  def event(json)
    parsed = JSON.parse(json)
    return nil unless parsed.is_a?(Hash) && parsed["type"] != "request"
    return nil if intermediate_update?(parsed)

    MAPPING[[parsed.dig("request", "operation"), path_type(parsed)]]
  end

  def intermediate_update?(parsed)
    path = parsed.dig("request", "path")
    return false unless parsed.dig("request", "operation") == "update" && path&.match?(METADATA)

    custom = parsed.dig("request", "data", "custom_metadata")
    !(custom.is_a?(Hash) && custom.key?("update_completed_at"))
  end

  def scope(parsed)
    metadata = parsed.dig("auth", "metadata") || {}
    return "group" if present(metadata["group_id"])

    "project" if present(metadata["project_id"])
  end

  def path_type(parsed)
    scope = scope(parsed)
    path = parsed.dig("request", "path")
    return nil unless scope && path

    if path.match?(DATA) then "#{scope}_data"
    elsif path.match?(METADATA) then "#{scope}_metadata"
    end
  end
end

native = AL.parse_many(TEXT).map { |e| e.event_name&.to_sym }
raise "the Ruby baseline disagrees with the parser" unless native == LINES.map { |l| RubyAuditLog.event(l) }

read = LINES.find { |l| AL.parse(l).event_kind == :read }
S.note("#{LINES.size} recorded entries, #{TEXT.bytesize} bytes; a CI read entry is #{read.bytesize} bytes")

r = S.ips("native" => -> { AL.parse(read).event_name }, "ruby" => -> { RubyAuditLog.event(read) })
S.compare("audit entry -> GitLab event (a CI read)",
          ours: ["AuditLog.parse + #event_name", r["native"]],
          base: ["JSON.parse + GitLab's Ruby classification", r["ruby"]], target: "informational")

b = S.ips("native" => -> { AL.parse_many(TEXT).each(&:event_name) },
          "ruby" => -> { TEXT.each_line { |l| RubyAuditLog.event(l) } })
S.compare("#{LINES.size}-entry audit file -> GitLab events",
          ours: ["AuditLog.parse_many + #event_name", b["native"]],
          base: ["each_line JSON.parse + Ruby classification", b["ruby"]], target: "informational")
S.emit(kind: "absolute", scenario: "AuditLog.parse_many per entry from Ruby", us: 1e6 / b["native"] / LINES.size,
       target: nil, met: nil)

# A day's audit file: 100 copies (5,200 entries), where parse_many uses both cores.
day = TEXT * (S.quick? ? 2 : 100)
d = S.ips("native" => -> { AL.parse_many(day).each(&:event_name) },
          "ruby" => -> { day.each_line { |l| RubyAuditLog.event(l) } })
S.compare("#{LINES.size * (S.quick? ? 2 : 100)}-entry audit file -> GitLab events",
          ours: ["AuditLog.parse_many + #event_name", d["native"]],
          base: ["each_line JSON.parse + Ruby classification", d["ruby"]], target: "informational")
