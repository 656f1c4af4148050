# frozen_string_literal: true

# Every app process caches a project's access model. A change made by
# another process (another Puma worker or replica) must reach it: each
# change bumps the project's secrets access version in its own transaction,
# and a process whose cached model is older rebuilds it.
RSpec.describe ProjectAccess do
  def stale_cache!(access) = described_class.instance_variable_get(:@cache)[project.id] = access

  def may_list?(user) = list_names(as: user).include?("API_KEY")

  before { enable_secrets_manager!(project) }

  it "drops a revoked permission that another process deleted" do
    reporter = user_with(20)
    seed_secret("API_KEY")
    grant("User", reporter.id, %w[read])
    access = described_class.for(project)
    expect(may_list?(reporter)).to be(true)

    SecretsPermission.where(project:, principal_type: "User", principal_id: reporter.id).destroy_all
    stale_cache!(access) # this process never heard of the change

    expect(described_class.for(project)).not_to equal(access)
    expect(may_list?(reporter)).to be(false)
  end

  it "sees a secret another process created, and keeps its model while nothing changed" do
    maintainer = user_with(40)
    access = described_class.for(project)
    seed_secret("LATE_KEY")
    stale_cache!(access)

    expect(list_names(as: maintainer)).to eq(["LATE_KEY"])
    fresh = described_class.for(project)
    expect(fresh).not_to equal(access)
    expect(described_class.for(project)).to equal(fresh)
  end

  it "moves the version with a permission deleted without callbacks" do
    before = project.reload.secrets_access_version
    SecretsPermissions::Store.new(project).delete("Role", 40)
    expect(project.reload.secrets_access_version).to be > before
  end
end
