# frozen_string_literal: true

# Who may do what to project secrets and their permissions through the
# GraphQL API, with GitLab 19.4's default role policies (Owner
# read+write+delete, Maintainer read+write, nothing for Developers and
# Reporters) and its explicit grants (USER, MEMBER_ROLE, ROLE).
RSpec.describe "secrets permission matrix" do
  roles = { none: nil, guest: 10, reporter: 20, developer: 30, maintainer: 40, owner: 50 }.freeze
  expected = {
    list: %i[maintainer owner],
    read: %i[maintainer owner],
    create: %i[maintainer owner],
    update: %i[maintainer owner],
    delete: %i[owner],
    list_permissions: %i[maintainer owner],
    manage_permissions: %i[owner]
  }.freeze

  before { enable_secrets_manager!(project) }

  def attempt(action, user) # rubocop:disable Metrics/CyclomaticComplexity
    path = project.full_path
    case action
    when :list then list_names(as: user) == ["DB"]
    when :read
      graphql(%({ projectSecret(projectPath: "#{path}", name: "DB") { name environment } }), as: user)
        .dig("data", "projectSecret", "name") == "DB"
    when :create then create_secret("NEW", as: user).dig("data", "projectSecretCreate", "projectSecret").present?
    when :update
      cas = Secret.find_by!(project:, name: "DB").metadata_version
      graphql(%(mutation { projectSecretUpdate(input: { projectPath: "#{path}", name: "DB", description: "d",
        metadataCas: #{cas} }) { projectSecret { name } errors } }), as: user)
        .dig("data", "projectSecretUpdate", "projectSecret").present?
    when :delete
      graphql(%(mutation { projectSecretDelete(input: { projectPath: "#{path}", name: "DB" }) {
        projectSecret { name } errors } }), as: user).dig("data", "projectSecretDelete", "projectSecret").present?
    when :list_permissions
      graphql(%({ projectSecretsPermissions(projectPath: "#{path}") { nodes { actions } } }), as: user)
        .dig("data", "projectSecretsPermissions", "nodes").present?
    when :manage_permissions
      graphql(%(mutation { projectSecretsPermissionUpdate(input: { projectPath: "#{path}",
        principal: { type: ROLE, id: 20 }, actions: [READ] }) { secretsPermission { actions } errors } }), as: user)
        .dig("data", "projectSecretsPermissionUpdate", "secretsPermission").present?
    end
  end

  roles.each do |role, level|
    expected.each do |action, allowed_roles|
      allowed = allowed_roles.include?(role)
      it "#{role} #{allowed ? 'may' : 'may not'} #{action}" do
        seed_secret("DB")
        user = user_with(level)
        expect(attempt(action, user)).to be(allowed)
        expect(last_response.status).to eq(200)
      end
    end
  end

  it "answers a Developer's read, without a grant, with GitLab's not-available error" do
    seed_secret("DB")
    denied = graphql(%({ projectSecret(projectPath: "acme/api", name: "DB") { name } }), as: user_with(30))
    expect(denied["errors"].map { |e| e["message"] }).to eq([not_available])
  end

  it "inherits a group membership into the group's projects, not into a sibling group" do
    seed_secret("DB")
    expect(list_names(as: user_with(40, path: "acme"))).to eq(["DB"])
    expect(list_names(as: user_with(40, path: "acm"))).to be_nil
  end

  it "ignores an expired membership" do
    seed_secret("DB")
    expect(list_names(as: user_with(50, expires_at: 1.minute.ago))).to be_nil
    expect(list_names(as: user_with(50, expires_at: 1.day.from_now))).to eq(["DB"])
  end

  it "lets a Developer read once the Developer role is granted, and a user grant lasts until it expires" do
    seed_secret("DB")
    seed_secret("OTHER")
    developer = user_with(30)
    reporter = user_with(20)
    expect(list_names(as: developer)).to eq([])
    grant("Role", 30, %w[read])
    expect(list_names(as: developer)).to eq(%w[DB OTHER])
    grant("User", reporter.id, %w[read write], expired_at: 1.day.from_now)
    expect(list_names(as: reporter)).to eq(%w[DB OTHER])
    expect(attempt(:update, reporter)).to be(true)
    expect(attempt(:delete, reporter)).to be(false)
    project.secrets_permissions.where(principal_type: "User").update_all(expired_at: 1.minute.ago)
    ProjectAccess.reset!
    expect(list_names(as: reporter)).to eq([])
  end

  it "grants through a member role; a legacy GROUP grant gives nothing" do
    seed_secret("DB")
    role = MemberRole.create!(name: "secret reader", base_access_level: 20, abilities: [], namespace_path: "acme")
    via_role = user_with(20, member_role: role)
    grant("MemberRole", role.id, %w[read write])
    expect(list_names(as: via_role)).to eq(["DB"])
    expect(attempt(:update, via_role)).to be(true)
    expect(attempt(:delete, via_role)).to be(false)

    via_group = user_with(20, path: "acme")
    grant("Group", group.id, %w[read delete])
    expect(list_names(as: via_group)).to eq([])
    expect(attempt(:delete, via_group)).to be(false)
  end

  it "lets an Owner take Maintainers' default write away" do
    seed_secret("DB")
    maintainer = user_with(40)
    owner = user_with(50)
    expect(attempt(:update, maintainer)).to be(true)
    res = graphql(%(mutation { projectSecretsPermissionUpdate(input: { projectPath: "acme/api",
      principal: { type: ROLE, id: 40 }, actions: [READ] }) { errors } }), as: owner)
    expect(res.dig("data", "projectSecretsPermissionUpdate", "errors")).to eq([])
    expect(attempt(:update, maintainer)).to be(false)
    expect(list_names(as: maintainer)).to eq(["DB"])
  end

  it "rejects an unauthenticated request" do
    seed_secret("DB")
    post "/api/graphql", JSON.generate(query: %({ projectSecrets(projectPath: "acme/api") { nodes { name } } })),
         "CONTENT_TYPE" => "application/json"
    expect(JSON.parse(last_response.body)["errors"].first["message"]).to eq(not_available)
  end
end
