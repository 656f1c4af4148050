# frozen_string_literal: true

# Demo data: one group with one project and a person per role. Prints the
# users' personal access tokens as JSON (for the demo driver only).
group = Group.create!(full_path: "acme")
project = Project.create!(full_path: "acme/api", group:)
%w[main release/1.0 feature/login].each { |name| project.branches.create!(name:) }
tokens = {}
{ "olivia_owner" => 50, "max_maintainer" => 40, "dana_developer" => 30, "remy_reporter" => 20 }.each do |name, level|
  user, token = User.create_with_token!(name)
  path = level == 50 ? group.full_path : project.full_path # the owner owns the whole group
  Membership.create!(user:, path:, access_level: level)
  tokens[name] = { id: user.id, token: }
end
puts JSON.generate(project: { id: project.id, full_path: project.full_path }, users: tokens)
