# frozen_string_literal: true

# The app's GraphQL authorizer answers a mixed batch (group secrets, project
# secrets, groups) with one call per owner, in the order it was asked.
RSpec.describe Authz::GraphqlAuthorizer do
  it "answers group secrets from the person's permissions, in order, next to RBAC and project subjects" do
    enable_secrets_manager!(group)
    owner = user_with(50, path: group.full_path)
    reporter = user_with(20, path: group.full_path)
    seed_secret("PROJECT_KEY")
    shared = GroupSecret.create!(group:, name: "SHARED", environment: "*", protected: false, value: "v")
    other = GroupSecret.create!(group:, name: "OTHER", environment: "*", protected: false, value: "v")
    subjects = [shared, project.secrets.first, group, other]
    ask = ->(user) { described_class.new.authorized_many({ current_user: user }, :read_secret, subjects) }

    # Group Reporter: passes the group check, holds no group secrets policy,
    # and is no member of the project.
    expect(ask.call(reporter)).to eq([false, false, true, false])
    expect(ask.call(owner)).to eq([true, true, true, true]) # Owner of the project below too
    GroupSecretsPermissionRecord.create!(group:, principal_type: "User", principal_id: reporter.id,
                                         actions: %w[read_value])
    expect(ask.call(reporter)).to eq([true, false, true, true]) # listed: OpenBao lets the LIST through
    expect(described_class.new.authorized_many({ current_user: reporter }, :update_secret, [other, shared]))
      .to eq([false, false])
    expect(described_class.new.authorized_many({ current_user: nil }, :read_secret, subjects)).to eq([false] * 4)
  end
end
