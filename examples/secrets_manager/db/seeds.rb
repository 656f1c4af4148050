# frozen_string_literal: true

# Demo data: one group with one project and a person per role. Prints the
# users' personal access tokens as JSON (for the demo driver only).
group = Group.create!(full_path: "acme")
project = Project.create!(full_path: "acme/api", group:)
tokens = {}
{ "olivia_owner" => 50, "max_maintainer" => 40, "dana_developer" => 30, "remy_reporter" => 20 }.each do |name, level|
  user, token = User.create_with_token!(name)
  path = level == 50 ? group.full_path : project.full_path # the owner owns the whole group
  Membership.create!(user:, path:, access_level: level)
  tokens[name] = { id: user.id, token: }
end

# CI: branches and a tag (also what the branch picker offers), their
# protection, a protected production environment, the job definitions every
# pipeline runs, and one runner.
%w[main feature-x release/1.2].each do |name|
  RepositoryRef.create!(project:, name:, ref_type: "branch", sha: Digest::SHA1.hexdigest(name))
end
RepositoryRef.create!(project:, name: "v1.0", ref_type: "tag", sha: Digest::SHA1.hexdigest("v1.0"))
%w[main release/*].each { |name| ProtectedBranch.create!(project:, name:) }
ProtectedTag.create!(project:, name: "v*")
ProtectedEnvironment.create!(project:, name: "production")
secret = ->(*names) { names.to_h { |n| [n, { "gitlab_secrets_manager" => { "name" => n } }] } }
Ci::JobDefinition.create!(project:, name: "test", secrets: secret.call("API_KEY"))
Ci::JobDefinition.create!(project:, name: "review", environment: "review/$CI_COMMIT_REF_SLUG", stage: "deploy",
                          secrets: secret.call("API_KEY", "REVIEW_TOKEN"))
Ci::JobDefinition.create!(project:, name: "deploy", environment: "production", stage: "deploy",
                          secrets: secret.call("API_KEY", "DATABASE_URL", "SIGNING_KEY"))
_, runner_token = Ci::Runner.create_with_token!("demo runner")

seeded_project = { id: project.id, full_path: project.full_path, openbao_namespace: OpenBaoPaths.for(project) }
puts JSON.generate(project: seeded_project, users: tokens, runner_token:)
