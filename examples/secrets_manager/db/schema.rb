# frozen_string_literal: true

ActiveRecord::Schema.define(version: 1) do
  create_table :users, force: true do |t|
    t.string :username, null: false, index: { unique: true }
    t.string :token_digest, null: false, index: { unique: true }
    t.boolean :blocked, null: false, default: false
  end

  create_table :groups, force: true do |t|
    t.string :full_path, null: false, index: { unique: true }
  end

  create_table :projects, force: true do |t|
    t.string :full_path, null: false, index: { unique: true }
    t.references :group
  end

  create_table :member_roles, force: true do |t|
    t.string :name, null: false
    t.integer :base_access_level, null: false
    t.text :abilities, null: false, default: "[]"
  end

  create_table :memberships, force: true do |t|
    t.references :user, null: false
    t.string :path, null: false
    t.integer :access_level, null: false
    t.references :member_role
    t.datetime :expires_at
    t.index %i[user_id path], unique: true
  end

  create_table :secrets, force: true do |t|
    t.references :project, null: false
    t.string :name, null: false
    t.string :description
    t.string :environment, null: false, default: "*"
    t.string :branch, null: false, default: "*"
    t.integer :metadata_version, null: false, default: 1
    t.text :value_ciphertext
    t.timestamps
    t.index %i[project_id name], unique: true
  end

  create_table :secrets_permissions, force: true do |t|
    t.references :project, null: false
    t.string :principal_type, null: false
    t.integer :principal_id, null: false
    t.text :actions, null: false
    t.datetime :expired_at
    t.references :granted_by
    t.index %i[project_id principal_type principal_id], unique: true, name: "index_permissions_on_principal"
  end

  # CI: the facts a job is built from. Refs, their protection, job
  # definitions and protected environments are server state; a pipeline and
  # its jobs are created from them, never from request parameters.
  create_table :repository_refs, force: true do |t|
    t.references :project, null: false
    t.string :name, null: false
    t.string :ref_type, null: false # "branch" or "tag"
    t.string :sha, null: false
    t.index %i[project_id ref_type name], unique: true
  end

  create_table :protected_branches, force: true do |t|
    t.references :project, null: false
    t.string :name, null: false # a branch name or a wildcard such as release/*
    t.integer :push_access_level, null: false, default: 40
    t.integer :merge_access_level, null: false, default: 40
  end

  create_table :protected_tags, force: true do |t|
    t.references :project, null: false
    t.string :name, null: false
    t.integer :create_access_level, null: false, default: 40
  end

  create_table :protected_environments, force: true do |t|
    t.references :project, null: false
    t.string :name, null: false
    t.integer :deploy_access_level, null: false, default: 40
  end

  create_table :ci_job_definitions, force: true do |t|
    t.references :project, null: false
    t.string :name, null: false
    t.string :stage, null: false, default: "test"
    t.string :environment # may use $CI_COMMIT_REF_NAME / $CI_COMMIT_REF_SLUG
    t.text :secrets, null: false, default: "{}" # the job's `secrets:` keyword
    t.index %i[project_id name], unique: true
  end

  create_table :ci_pipelines, force: true do |t|
    t.references :project, null: false
    t.references :user, null: false
    t.string :ref, null: false
    t.boolean :tag, null: false, default: false
    t.string :sha, null: false
    t.boolean :protected, null: false, default: false
    t.string :source, null: false, default: "api"
    t.timestamps
  end

  create_table :ci_builds, force: true do |t|
    t.references :pipeline, null: false
    t.references :project, null: false
    t.references :user, null: false
    t.references :runner
    t.string :name, null: false
    t.string :stage, null: false
    t.string :environment
    t.text :secrets, null: false, default: "{}"
    t.string :status, null: false, default: "pending"
    t.string :failure_reason
    t.timestamps
  end

  create_table :ci_runners, force: true do |t|
    t.string :description, null: false
    t.string :token_digest, null: false, index: { unique: true }
  end

  # Secrets permissions (GitLab 19.4): group permissions next to the project
  # ones in secrets_permissions, the namespace a member role belongs to, and
  # which secrets managers already got their default role policies.
  create_table :group_secrets_permissions, force: true do |t|
    t.references :group, null: false
    t.string :principal_type, null: false
    t.integer :principal_id, null: false
    t.text :actions, null: false
    t.datetime :expired_at
    t.references :granted_by
    t.index %i[group_id principal_type principal_id], unique: true, name: "index_group_permissions_on_principal"
  end

  add_column :member_roles, :namespace_path, :string

  create_table :secrets_manager_role_defaults, force: true do |t|
    t.string :secrets_manager_type, null: false
    t.integer :secrets_manager_id, null: false
    t.integer :resource_id, null: false
    t.index %i[secrets_manager_type secrets_manager_id], unique: true, name: "index_role_defaults_on_manager"
  end

  # Secrets manager lifecycle (GitLab's project_secrets_managers and
  # group_secrets_managers): status 0 provisioning, 1 active, 2 deprovisioning.
  create_table :project_secrets_managers, force: true do |t|
    t.references :project, index: { unique: true }
    t.integer :status, null: false, default: 0
    t.string :namespace_path, null: false
    t.timestamps
  end

  create_table :group_secrets_managers, force: true do |t|
    t.references :group, index: { unique: true }
    t.integer :status, null: false, default: 0
    t.string :namespace_path, null: false
    t.timestamps
  end

  # Secrets as GitLab keeps them: two-phase write timestamps (status), the
  # rotation info of each metadata version, group secrets, who was reminded.
  add_column :secrets, :create_started_at, :datetime
  add_column :secrets, :create_completed_at, :datetime
  add_column :secrets, :update_started_at, :datetime
  add_column :secrets, :update_completed_at, :datetime
  add_column :secrets, :secret_rotation_info_id, :integer

  create_table :group_secrets, force: true do |t|
    t.references :group, null: false
    t.string :name, null: false
    t.string :description
    t.string :environment, null: false
    t.boolean :protected, null: false, default: false
    t.integer :metadata_version, null: false, default: 0
    t.text :value_ciphertext
    t.datetime :create_started_at
    t.datetime :create_completed_at
    t.datetime :update_started_at
    t.datetime :update_completed_at
    t.integer :secret_rotation_info_id
    t.timestamps
    t.index %i[group_id name], unique: true
  end

  # GitLab's secret_rotation_infos / group_secret_rotation_infos, in one
  # table: exactly one of project_id and group_id is set.
  create_table :secret_rotation_infos, force: true do |t|
    t.references :project
    t.references :group
    t.string :secret_name, null: false
    t.integer :secret_metadata_version, null: false
    t.integer :rotation_interval_days, null: false
    t.datetime :next_reminder_at, null: false
    t.datetime :last_reminder_at
    t.timestamps
    t.index %i[project_id group_id secret_name secret_metadata_version], unique: true,
                                                                         name: "index_rotation_infos_on_secret"
  end

  create_table :secret_rotation_reminders, force: true do |t|
    t.references :secret_rotation_info, null: false
    t.references :user, null: false
    t.datetime :sent_at, null: false
  end

  # The states in which GitLab refuses writes.
  add_column :projects, :archived, :boolean, null: false, default: false
  add_column :projects, :marked_for_deletion_at, :datetime
  add_column :groups, :archived, :boolean, null: false, default: false
  add_column :groups, :marked_for_deletion_at, :datetime

  # --- Attestations: job variables, job artifacts and GitLab's
  # SupplyChain::Attestation (table slsa_attestations) ---
  add_column :ci_job_definitions, :yaml_variables, :text, null: false, default: "[]" # [{"key", "value"}]
  add_column :ci_builds, :yaml_variables, :text, null: false, default: "[]"
  add_column :ci_builds, :started_at, :datetime
  add_column :ci_builds, :finished_at, :datetime
  create_table :ci_job_artifacts, force: true do |t|
    t.references :build, null: false
    t.references :project, null: false
    t.string :name, null: false
    t.integer :size, null: false
    t.string :sha256, null: false
    t.binary :file, null: false
    t.timestamps
    t.index %i[build_id name], unique: true
  end
  create_table :slsa_attestations, force: true do |t|
    t.references :project, null: false
    t.references :build
    t.integer :iid, null: false
    t.integer :status, null: false, default: 0 # success, error
    t.integer :predicate_kind, null: false, default: 0 # provenance, sbom
    t.string :predicate_type, null: false
    t.string :subject_digest, null: false
    t.string :signed_by, null: false # "platform" (DSSE envelope) or "sigstore" (bundle)
    t.text :file # the DSSE envelope or Sigstore bundle, JSON
    t.datetime :expire_at
    t.timestamps
    t.index %i[project_id iid], unique: true
    t.index %i[project_id predicate_kind subject_digest], unique: true, name: "index_slsa_attestations_on_subject"
  end
  # --- end attestations ---
  # --- OpenBao audit events -------------------------------------------------
  # GitLab's audit_events rows for the secrets-manager event types that
  # OpenBao's audit log feeds (POST /api/v4/internal/secrets_manager/audit_logs).
  # `saved_to_database` is false for the read types, which GitLab streams
  # but does not keep; the app keeps them too and says so.
  create_table :audit_events, force: true do |t|
    t.string :event_name, null: false
    t.integer :author_id
    t.string :entity_type
    t.integer :entity_id
    t.string :target_type
    t.integer :target_id
    t.string :target_details
    t.string :message, null: false
    t.string :ip_address
    t.text :details, null: false
    t.boolean :saved_to_database, null: false, default: true
    t.datetime :created_at, null: false
    t.index %i[entity_type entity_id created_at]
  end
  # --- end OpenBao audit events ---------------------------------------------
  # --- Secrets access version: bumped in the transaction of every change to
  # a project's secrets or permissions; each process rebuilds its cached
  # access model when it moved (ProjectAccess.for) ---
  add_column :projects, :secrets_access_version, :integer, null: false, default: 0
  # --- end secrets access version ---
end
