# frozen_string_literal: true

RSpec.describe "project secrets CRUD" do
  let(:owner) { user_with(50) }

  before { enable_secrets_manager!(project) }

  it "creates, lists, updates with check-and-set, and deletes" do
    res = create_secret("DB_PASSWORD", as: owner, value: "hunter2", environment: "production", branch: "main")
    expect(res.dig("data", "projectSecretCreate")).to eq(
      "projectSecret" => { "name" => "DB_PASSWORD", "metadataVersion" => 2 }, "errors" => []
    )
    stored = Secret.find_by!(name: "DB_PASSWORD")
    expect(stored.value_ciphertext).to start_with("vault:v1:")
    expect(stored.value_ciphertext).not_to include("hunter2")
    expect(stored.value).to eq("hunter2")

    update = lambda do |cas|
      graphql(%(mutation { projectSecretUpdate(input: { projectPath: "acme/api", name: "DB_PASSWORD",
        secret: "new", metadataCas: #{cas} }) { projectSecret { metadataVersion } errors } }), as: owner)
        .dig("data", "projectSecretUpdate")
    end
    expect(update.call(2)).to eq("projectSecret" => { "metadataVersion" => 3 }, "errors" => [])
    stale = update.call(2)
    expect(stale["projectSecret"]).to be_nil
    expect(stale["errors"].first).to start_with("This secret has been modified recently")
    expect(Secret.find_by!(name: "DB_PASSWORD").value).to eq("new")

    del = graphql(%(mutation { projectSecretDelete(input: { projectPath: "acme/api", name: "DB_PASSWORD" }) {
      projectSecret { name } errors } }), as: owner)
    expect(del.dig("data", "projectSecretDelete", "errors")).to eq([])
    expect(Secret.count).to eq(0)
  end

  it "validates names and never echoes the value in errors" do
    res = create_secret("bad-name", as: owner, value: "hunter2")
    expect(res.dig("data", "projectSecretCreate",
                   "errors").join).to include("Name can contain only letters, digits and '_'.")
    expect(res.to_s).not_to include("hunter2")
    expect(create_secret("DUP", as: owner).dig("data", "projectSecretCreate", "errors")).to eq([])
    expect(create_secret("DUP", as: owner).dig("data", "projectSecretCreate",
                                               "errors").join).to include("Secret already exists.")
  end

  it "manages permissions: update, list, delete, with native validation" do
    upd = graphql(%(mutation { projectSecretsPermissionUpdate(input: { projectPath: "acme/api",
      principal: { type: ROLE, id: 20 }, actions: [READ, WRITE], expiredAt: "2999-01-01" }) {
      secretsPermission { principal { type id } actions expiredAt grantedBy } errors } }), as: owner)
    perm = upd.dig("data", "projectSecretsPermissionUpdate", "secretsPermission")
    expect(perm).to include("principal" => { "type" => "ROLE", "id" => 20 }, "actions" => %w[READ WRITE],
                            "grantedBy" => owner.username)
    bad = graphql(%(mutation { projectSecretsPermissionUpdate(input: { projectPath: "acme/api",
      principal: { type: ROLE, id: 25 }, actions: [READ] }) { secretsPermission { actions } errors } }), as: owner)
    expect(bad.dig("data", "projectSecretsPermissionUpdate", "errors").join).to include("principal_id must be one of")
    list = graphql(%({ projectSecretsPermissions(projectPath: "acme/api") { nodes { principal { type id } } } }),
                   as: owner)
    expect(list.dig("data", "projectSecretsPermissions", "nodes")).to eq([{ "principal" => { "type" => "ROLE",
                                                                                             "id" => 20 } }])
    del = graphql(%(mutation { projectSecretsPermissionDelete(input: { projectPath: "acme/api",
      principal: { type: ROLE, id: 20 } }) { errors } }), as: owner)
    expect(del.dig("data", "projectSecretsPermissionDelete", "errors")).to eq([])
    expect(SecretsPermission.count).to eq(0)
  end

  it "lets a reporter read after a role permission for reporters is granted" do
    create_secret("DB", as: owner)
    reporter = user_with(20)
    expect(list_names(as: reporter)).to eq([])
    graphql(%(mutation { projectSecretsPermissionUpdate(input: { projectPath: "acme/api",
      principal: { type: ROLE, id: 20 }, actions: [READ] }) { errors } }), as: owner)
    expect(list_names(as: reporter)).to eq(["DB"])
  end
end
