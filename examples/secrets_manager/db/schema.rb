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
end
