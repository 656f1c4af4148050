# frozen_string_literal: true

# Listing secrets permissions loads the users it shows (principals and
# granters) together: the number of queries does not grow with the rows.
RSpec.describe "secrets permissions list queries" do
  let(:owner) { user_with(50) }

  def user_queries
    sql = []
    counter = ->(*, payload) { sql << payload[:sql] if payload[:sql].include?('FROM "users" WHERE "users"."id"') }
    ActiveSupport::Notifications.subscribed(counter, "sql.active_record") { yield }
    sql.size
  end

  def listed
    nodes = nil
    count = user_queries do
      nodes = permission_document("secrets_permission.query.graphql", as: owner, fullPath: project.full_path)
              .dig("data", "secretsPermissions", "nodes")
    end
    [nodes, count]
  end

  it "answers the same nodes with one users query however many grants are listed" do
    enable_secrets_manager!(project)
    members = Array.new(4) { user_with(30) }
    members.each { |m| project.secrets_permissions.create!(principal_type: "User", principal_id: m.id,
                                                           actions: %w[read], granted_by_id: owner.id) }
    gone = user_with(30)
    project.secrets_permissions.create!(principal_type: "User", principal_id: gone.id, actions: %w[read])
    gone.delete # a granted user deleted since: listed without a user, as before

    nodes, count = listed
    expect(count).to eq(1)
    users = nodes.filter_map { |n| n.dig("principal", "user", "username") }
    expect(users).to match_array(members.map(&:username))
    expect(nodes.filter_map { |n| n.dig("grantedBy", "username") }).to eq([owner.username] * 4)
    expect(nodes.find { |n| n.dig("principal", "id") == gone.id.to_s }.dig("principal", "user")).to be_nil
    expect(nodes.map { |n| n.dig("principal", "userRoleId") }.compact.uniq).to eq(["30"])
  end
end
