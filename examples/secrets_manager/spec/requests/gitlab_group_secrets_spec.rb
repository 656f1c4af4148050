# frozen_string_literal: true

# Group secrets (scoped by environment and `protected`, not by branch)
# through GitLab's frontend documents.
RSpec.describe "group secrets through GitLab's frontend documents" do
  let(:owner) { user_with(50, path: group.full_path) }
  let(:path) { group.full_path }

  def create(name, as: owner, **vars)
    gitlab_graphql("create_group_secret.mutation.graphql", as:, fullPath: path, name:, description: "about #{name}",
                                                           secret: "value-#{name}", environment: "production",
                                                           protected: true, **vars).dig("data", "secretCreate")
  end

  def error_messages(res) = res["errors"]&.map { |e| e["message"] }

  it "enables, creates, lists, shows, updates, deletes and disables" do
    expect(create("DEPLOY_KEY")).to eq("errors" => ["Secrets manager is not active"], "groupSecret" => nil)
    enabled = gitlab_graphql("enable_group_secret_manager.mutation.graphql", as: owner, fullPath: path)
    expect(enabled.dig("data", "groupSecretsManagerInitialize"))
      .to eq("errors" => [], "groupSecretsManager" => { "status" => "PROVISIONING" })
    status = gitlab_graphql("get_group_secret_manager_status.query.graphql", as: owner, fullPath: path)
    expect(status.dig("data", "secretsManager")).to eq(
      "entity" => { "id" => "gid://gitlab/Group/#{group.id}", "archived" => false, "markedForDeletion" => false },
      "readOnly" => false, "status" => "ACTIVE"
    )

    travel_to(Time.utc(2026, 6, 1, 9, 30, 0))
    expect(create("DEPLOY_KEY", rotationIntervalDays: 7))
      .to eq("errors" => [], "groupSecret" => { "description" => "about DEPLOY_KEY", "name" => "DEPLOY_KEY" })
    list = gitlab_graphql("get_group_secrets.query.graphql", as: owner, fullPath: path, first: 50)
    node = {
      "createdAt" => "2026-06-01T09:30:00Z", "description" => "about DEPLOY_KEY", "environment" => "production",
      "metadataVersion" => 2, "name" => "DEPLOY_KEY", "protected" => true,
      "rotationInfo" => { "rotationIntervalDays" => 7, "status" => "OK" }, "status" => "COMPLETED",
      "group" => { "id" => "gid://gitlab/Group/#{group.id}", "fullPath" => "acme" }
    }
    expect(list.dig("data", "secretsList", "edges")).to eq([{ "node" => node }])
    expect(graphql(%({ groupSecretsCount(groupPath: "acme") }),
                   as: owner)).to eq("data" => { "groupSecretsCount" => 1 })

    details = gitlab_graphql("get_group_secret_details.query.graphql", as: owner, fullPath: path, name: "DEPLOY_KEY")
    expect(details.dig("data", "secret")).to include("protected" => true, "metadataVersion" => 2)

    updated = gitlab_graphql("update_group_secret.mutation.graphql", as: owner, fullPath: path, name: "DEPLOY_KEY",
                                                                     description: "any branch", secret: "new",
                                                                     protected: false, environment: "*",
                                                                     metadataVersion: 2, rotationIntervalDays: nil)
    expect(updated.dig("data", "secretUpdate"))
      .to eq("errors" => [], "groupSecret" => { "description" => "any branch", "name" => "DEPLOY_KEY" })
    stored = GroupSecret.find_by!(name: "DEPLOY_KEY")
    expect([stored.protected, stored.environment, stored.value, stored.metadata_version]).to eq([false, "*", "new", 4])
    expect(stored.value_ciphertext).to start_with("vault:v1:")
    needing = gitlab_graphql("get_group_secrets_needing_rotation.query.graphql", as: owner, fullPath: path)
    expect(needing.dig("data", "secretsNeedingRotation", "nodes")).to eq([]) # the update dropped the rotation

    missing = gitlab_graphql("update_group_secret.mutation.graphql", as: owner, fullPath: path, name: "NOPE",
                                                                     description: "", protected: true, environment: "*",
                                                                     metadataVersion: 1)
    expect(error_messages(missing)).to eq(["Group secret does not exist."])

    deleted = gitlab_graphql("delete_group_secret.mutation.graphql", as: owner, fullPath: path, name: "DEPLOY_KEY")
    expect(deleted.dig("data", "deleteSecret")).to eq("errors" => [])
    expect(GroupSecret.count).to eq(0)

    create("KEEP")
    disabled = gitlab_graphql("disable_group_secret_manager.mutation.graphql", as: owner, fullPath: path)
    expect(disabled.dig("data", "groupSecretsManagerDeprovision"))
      .to eq("errors" => [], "groupSecretsManager" => { "status" => "DEPROVISIONING" })
    expect(GroupSecret.count).to eq(0)
    expect(gitlab_graphql("get_group_secret_manager_status.query.graphql", as: owner, fullPath: path))
      .to eq("data" => { "secretsManager" => nil })
  end

  it "lets group Reporters read once granted, only Owners enable, and refuses outsiders" do
    enable_secrets_manager!(group)
    create("DEPLOY_KEY")
    reporter = user_with(20, path: group.full_path)
    list = -> { gitlab_graphql("get_group_secrets.query.graphql", as: reporter, fullPath: path, first: 5) }
    expect(error_messages(list.call)).to eq([not_available]) # 19.4: no policy, no LIST
    GroupSecretsPermissionRecord.create!(group:, principal_type: "User", principal_id: reporter.id, actions: %w[read])
    expect(list.call.dig("data", "secretsList", "edges").map { |e| e.dig("node", "name") }).to eq(["DEPLOY_KEY"])
    maintainer = user_with(40, path: group.full_path)
    denied = gitlab_graphql("disable_group_secret_manager.mutation.graphql", as: maintainer, fullPath: path)
    expect(error_messages(denied)).to eq([not_available])
    outsider = user_with(50, path: "other")
    outside = gitlab_graphql("get_group_secrets.query.graphql", as: outsider, fullPath: path, first: 5)
    expect(error_messages(outside)).to eq([not_available])
    expect(create("X", as: outsider)).to be_nil
  end

  it "stops at GitLab's limit of 500 secrets per group and refuses an archived group" do
    enable_secrets_manager!(group)
    now = Time.current
    GroupSecret.insert_all!(Array.new(500) do |i|
      { group_id: group.id, name: "S#{i}", environment: "*", created_at: now, updated_at: now }
    end)
    message = "Maximum number of secrets (500) for this group has been reached. " \
              "Please delete unused secrets or contact your administrator to increase the limit."
    expect(create("ONE_TOO_MANY")).to eq("errors" => [message], "groupSecret" => nil)
    group.update!(archived: true)
    expect(error_messages(gitlab_graphql("delete_group_secret.mutation.graphql", as: owner, fullPath: path,
                                                                                 name: "S1")))
      .to eq(["You cannot perform write operations on an archived group or a group pending deletion."])
  end
end
