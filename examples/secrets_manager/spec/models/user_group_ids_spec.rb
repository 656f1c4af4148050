# frozen_string_literal: true

# The groups a user belongs to (the user JWT's group_ids): the groups of
# the user's live memberships and every group below them, found without
# loading the instance's groups.
RSpec.describe User do
  def groups_loaded(&)
    count = 0
    counter = lambda do |_name, _start, _finish, _id, payload|
      count += payload[:record_count] if payload[:class_name] == "Group"
    end
    ActiveSupport::Notifications.subscribed(counter, "instantiation.active_record", &)
    count
  end

  it "covers the membership's group and its subgroups, exactly, case-sensitively, while live" do
    acme = Group.create!(full_path: "acme")
    sub = Group.create!(full_path: "acme/sub")
    deep = Group.create!(full_path: "acme/sub/deep")
    %w[acme2 Acme acme_sub other other/acme].each { |path| Group.create!(full_path: path) }
    user = user_with(30, path: "acme/sub")
    expect(user.group_ids).to eq([sub.id, deep.id])

    Membership.create!(user:, path: "acme", access_level: 10, expires_at: 1.day.ago)
    expect(user.reload.group_ids).to eq([sub.id, deep.id]) # expired
    expect(user.group_ids(now: 2.days.ago)).to eq([acme.id, sub.id, deep.id])
    expect(user_with(30, path: "nowhere").group_ids).to eq([])
  end

  it "asks the database for the matching groups instead of loading every group" do
    50.times { |i| Group.create!(full_path: "unrelated#{i}") }
    own = Group.create!(full_path: "acme")
    user = user_with(30, path: "acme")
    user.memberships.load

    ids = nil
    expect(groups_loaded { ids = user.group_ids }).to eq(0)
    expect(ids).to eq([own.id])
  end
end
