# frozen_string_literal: true

# Who may do what to group secrets, as GitLab 19.4 decides it: the GraphQL
# fields and mutations `authorize` :read_secret / :create_secret /
# :update_secret / :delete_secret on the group (Reporters and above), and
# the services then reach OpenBao with the person's own token, so the
# person's secrets permissions decide (the Owner role policy by default;
# anyone else needs a grant). OpenBao's permission denied becomes GitLab's
# "resource not available" error.
RSpec.describe "group secrets, checked per person" do
  let(:path) { group.full_path }
  let(:owner) { user_with(50, path:) }

  before do
    enable_secrets_manager!(group)
    service = Secrets::CreateService.new(group, owner)
    expect(service.execute(name: "DEPLOY_KEY", value: "v", environment: "*", protected: false)).to be_success
  end

  def messages(res) = res["errors"]&.map { |e| e["message"] }

  def grant(principal, actions, as: owner)
    res = gitlab_graphql("create_group_secrets_permission.mutation.graphql", as:, fullPath: path, principal:, actions:)
    expect(res.dig("data", "secretsPermissionUpdate", "errors")).to eq([])
  end

  # Each operation returns :ok or the refusal's message.
  def list(user)
    res = gitlab_graphql("get_group_secrets.query.graphql", as: user, fullPath: path, first: 20)
    return messages(res).first if res["errors"]

    res.dig("data", "secretsList", "edges").map { |e| e.dig("node", "name") }.include?("DEPLOY_KEY") ? :ok : res
  end

  def needing_rotation(user)
    res = gitlab_graphql("get_group_secrets_needing_rotation.query.graphql", as: user, fullPath: path)
    res["errors"] ? messages(res).first : :ok
  end

  def read(user, name = "DEPLOY_KEY")
    res = gitlab_graphql("get_group_secret_details.query.graphql", as: user, fullPath: path, name:)
    return messages(res).first if res["errors"]

    res.dig("data", "secret", "name") == name ? :ok : res
  end

  def count(user)
    res = graphql(%({ groupSecretsCount(groupPath: "#{path}") }), as: user)
    res["errors"] ? messages(res).first : res.dig("data", "groupSecretsCount")
  end

  def create(user, name = "NEW_#{user.id}")
    res = gitlab_graphql("create_group_secret.mutation.graphql", as: user, fullPath: path, name:, secret: "s",
                                                                 description: "", environment: "*", protected: false)
    return messages(res).first if res["errors"]

    res.dig("data", "secretCreate", "errors") == [] ? :ok : res.dig("data", "secretCreate", "errors")
  end

  def update(user)
    version = GroupSecret.find_by!(name: "DEPLOY_KEY").metadata_version
    res = gitlab_graphql("update_group_secret.mutation.graphql", as: user, fullPath: path, name: "DEPLOY_KEY",
                                                                 description: "d#{user.id}", protected: false,
                                                                 environment: "*", metadataVersion: version)
    return messages(res).first if res["errors"]

    res.dig("data", "secretUpdate", "errors") == [] ? :ok : res.dig("data", "secretUpdate", "errors")
  end

  def delete(user, name = "DEPLOY_KEY")
    res = gitlab_graphql("delete_group_secret.mutation.graphql", as: user, fullPath: path, name:)
    return messages(res).first if res["errors"]

    res.dig("data", "deleteSecret", "errors") == [] ? :ok : res.dig("data", "deleteSecret", "errors")
  end

  def row(user)
    { list: list(user), needing_rotation: needing_rotation(user), read: read(user), count: count(user),
      create: create(user), update: update(user) }
  end

  def denied_row(count = 1)
    { list: not_available, needing_rotation: not_available, read: not_available, count:, create: not_available,
      update: not_available }
  end

  it "lets the Owner role policy do everything and nobody else anything by default" do
    expect(row(owner)).to eq(list: :ok, needing_rotation: :ok, read: :ok, count: 1, create: :ok, update: :ok)
    # Reporters and above pass GitLab's group check (the count is read with
    # the secrets manager's own token) but hold no OpenBao policy.
    { 20 => 2, 30 => 2, 40 => 2 }.each do |level, secrets|
      expect(row(user_with(level, path:))).to eq(denied_row(secrets))
    end
    # Guests and outsiders fail the group check itself.
    [user_with(10, path:), user_with(50, path: "elsewhere"), user_with(40)].each do |user|
      expect(row(user)).to eq(denied_row(not_available))
    end
    expect(delete(user_with(40, path:))).to eq(not_available)
    expect(delete(owner)).to eq(:ok)
  end

  it "follows grants made with groupSecretsPermissionUpdate" do
    reporter = user_with(20, path:)
    developer = user_with(30, path:)
    maintainer = user_with(40, path:)
    grant({ id: reporter.id, type: "USER" }, %w[READ])
    grant({ id: 40, type: "ROLE" }, %w[READ WRITE])
    grant({ id: developer.id, type: "USER" }, %w[READ_VALUE DELETE])

    # READ: see and read metadata, change nothing.
    expect(row(reporter)).to eq(list: :ok, needing_rotation: :ok, read: :ok, count: 1, create: not_available,
                                update: not_available)
    expect(delete(reporter)).to eq(not_available)
    # READ + WRITE for the Maintainer role: create and update, not delete.
    expect(row(maintainer)).to eq(list: :ok, needing_rotation: :ok, read: :ok, count: 1, create: :ok, update: :ok)
    expect(delete(maintainer)).to eq(not_available)
    # READ_VALUE without READ: OpenBao still lets the LIST through, but
    # not the metadata read every other operation starts with.
    expect(row(developer)).to eq(list: :ok, needing_rotation: :ok, read: not_available, count: 2,
                                 create: not_available, update: not_available)
    expect(delete(developer)).to eq(not_available)

    # An Owner takes the grant away again.
    gitlab_graphql("delete_group_secrets_permission.mutation.graphql", as: owner, fullPath: path,
                                                                       principal: { id: 40, type: "ROLE" })
    expect(row(maintainer)).to eq(denied_row(2))
  end

  it "refuses before it says whether a secret exists, and validates before it refuses a write" do
    reporter = user_with(20, path:)
    expect(read(reporter, "MISSING")).to eq(not_available)
    expect(read(owner, "MISSING")).to eq("Group secret does not exist.")
    expect(delete(reporter, "MISSING")).to eq(not_available)
    # GitLab validates the new secret before its existence check reads
    # OpenBao (the payload repeats the message, as GitLab's does).
    expect(create(reporter, "bad-name")).to eq(["Name can contain only letters, digits and '_'."] * 2)
    expect(create(reporter, "DEPLOY_KEY")).to eq(not_available)
    expect(create(owner, "DEPLOY_KEY")).to eq(["Secret already exists."] * 2)
  end

  it "takes the Owners' access away with the Owner role policy" do
    gitlab_graphql("delete_group_secrets_permission.mutation.graphql", as: owner, fullPath: path,
                                                                       principal: { id: 50, type: "ROLE" })
    expect(row(owner)).to eq(denied_row(1))
  end
end
