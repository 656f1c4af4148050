# frozen_string_literal: true

# GitLab 19.4's grants, principal kind x actions: what a Reporter may then do
# to a secret. Grants go through projectSecretsPermissionUpdate; the checks
# are the app's native ones (ProjectAccess, the gem's model).
RSpec.describe "secrets permission grants matrix" do
  abilities = %i[read create update delete read_value]
  outcomes = {
    %w[READ] => %i[read],
    %w[READ WRITE] => %i[read create update],
    %w[READ DELETE] => %i[read delete],
    %w[READ_VALUE] => %i[read_value],
    %w[READ WRITE DELETE READ_VALUE] => %i[read create update delete read_value]
  }.freeze

  let(:owner) { user_with(50) }

  before do
    enable_secrets_manager!(project)
    seed_secret("DB")
  end

  def grant_via_graphql(type, id, actions)
    res = graphql(%(mutation { projectSecretsPermissionUpdate(input: { projectPath: "#{project.full_path}",
      principal: { type: #{type}, id: #{id} }, actions: [#{actions.join(', ')}] }) { errors } }), as: owner)
    expect(res.dig("data", "projectSecretsPermissionUpdate", "errors")).to eq([])
  end

  def can(user, ability)
    name = ability == :create ? "NEW" : "DB"
    ProjectAccess.for(project).model.user_can?(Authz.user_context(user, project), ability, name)
  end

  principals = {
    "USER" => ->(ctx) { ctx.user_with(20).then { |u| [u, u.id] } },
    "ROLE" => ->(ctx) { [ctx.user_with(20), 20] },
    "MEMBER_ROLE" => lambda do |ctx|
      role = MemberRole.create!(name: "r", base_access_level: 20, abilities: [], namespace_path: "acme")
      [ctx.user_with(20, member_role: role), role.id]
    end
  }.freeze

  principals.each do |type, make|
    outcomes.each do |actions, allowed|
      it "#{type} granted #{actions.join('+')} may #{allowed.join(', ')} and nothing else" do
        reporter, id = make.call(self)
        expect(abilities.select { |a| can(reporter, a) }).to eq([])
        grant_via_graphql(type, id, actions)
        expect(abilities.select { |a| can(reporter, a) }).to eq(allowed)
        other_reporter = user_with(20)
        expect(abilities.select { |a| can(other_reporter, a) }).to eq(type == "ROLE" ? allowed : [])
      end
    end
  end

  it "stops counting a grant at its expiry" do
    reporter = user_with(20)
    grant_via_graphql("USER", reporter.id, %w[READ])
    travel_to_expiry = Time.now + 2.days
    project.secrets_permissions.find_by!(principal_type: "User").update!(expired_at: Time.now + 1.day)
    ProjectAccess.reset!
    expect(can(reporter, :read)).to be(true)
    expect(ProjectAccess.for(project).model.user_can?(Authz.user_context(reporter, project), :read, "DB",
                                                      now: travel_to_expiry)).to be(false)
  end
end
