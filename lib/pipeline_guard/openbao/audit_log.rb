# frozen_string_literal: true

module PipelineGuard
  module OpenBao
    # OpenBao audit entries (the JSON its `file`, `socket` and `http` audit
    # devices write, one entry a line) read natively, with the GitLab
    # secrets-manager audit event each stands for, decided as GitLab 19.4's
    # `SecretsManagement::AuditLog` decides it. See docs/openbao_audit.md.
    #
    #   entry = PipelineGuard::OpenBao::AuditLog.parse(line)
    #   entry.event_name  # => "secrets_manager_read_project_secret" or nil
    #   PipelineGuard::OpenBao::AuditLog.parse_many(File.read("audit.log"))
    module AuditLog
      # Entries of 1 MiB and more are refused, as GitLab's endpoint refuses them.
      MAX_ENTRY_BYTES = (1024 * 1024) - 1

      class << self
        # One entry (surrounding whitespace allowed) => a frozen Entry.
        # Raises PipelineGuard::InvalidInput when it is not UTF-8 JSON, not
        # an object, 1 MiB or larger, or when a field the parser reads has
        # another type than OpenBao writes; ::TypeError when `line` is not a
        # String. Messages never quote the entry.
        def parse(line)
          raise TypeError, "audit entry must be a String, not #{line.class}" unless line.is_a?(String)

          _parse(line)
        end

        # Newline-delimited entries => a frozen Array of frozen Entries, in
        # order; blank lines are skipped. The first bad line raises
        # PipelineGuard::InvalidInput naming its line number ("line 3: ...").
        def parse_many(text)
          raise TypeError, "audit text must be a String, not #{text.class}" unless text.is_a?(String)

          _parse_many(text)
        end
      end

      # One parsed entry. Native readers (nil when the entry lacks the field):
      # #type ("request" or "response"), #time, #operation, #path (relative
      # to the namespace), #namespace_path, #namespace_id, #request_id,
      # #mount_type, #mount_point, #remote_address, #error (OpenBao's error
      # text), #token_type, #display_name, #entity_id, #policies (frozen
      # Array, [] when absent), #metadata (the login's metadata, a frozen
      # Hash, {} when absent).
      #
      # The GitLab event (all nil when the entry is none): #event_name,
      # #event_message, #event_kind (:read, :create, :update, :delete),
      # #event_scope (:project, :group), #secret_name, #saved_to_database?
      # (GitLab streams reads but does not keep them).
      #
      # The actor, from the login's metadata: #user_id, #project_id,
      # #group_id (Integers, only when the metadata holds plain decimal
      # numbers), #pipeline_id, #job_id (Strings, as GitLab keeps them).
      class Entry
        def event? = !event_name.nil?

        # Who acted: :job when the login names a CI job, :user when it names
        # a user, else nil.
        def actor_type
          return :job if job_id
          return :user if user_id

          nil
        end
      end
    end
  end
end
