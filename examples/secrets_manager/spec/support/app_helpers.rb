# frozen_string_literal: true

module AppHelpers
  def app = Rails.application

  def group = @group ||= Group.create!(full_path: "acme")
  def project = @project ||= Project.create!(full_path: "acme/api", group:)

  # A user with `level` on `path` (nil: no membership); returns its token.
  def user_with(level, path: project.full_path, expires_at: nil, member_role: nil)
    user, token = User.create_with_token!("u#{User.count + 1}")
    Membership.create!(user:, path:, access_level: level, expires_at:, member_role:) if level
    Authz.reset!
    @tokens ||= {}
    @tokens[user.id] = token
    user
  end

  def token_for(user) = @tokens.fetch(user.id)

  def graphql(query, as:, variables: {})
    header "Authorization", "Bearer #{token_for(as)}"
    post "/api/graphql", JSON.generate(query:, variables:), "CONTENT_TYPE" => "application/json"
    JSON.parse(last_response.body)
  end

  def create_secret(name, as:, value: "value-of-#{name}", environment: "*", branch: "*")
    graphql(<<~GQL, as:, variables: { name:, value:, environment:, branch: })
      mutation($name: String!, $value: String!, $environment: String!, $branch: String!) {
        projectSecretCreate(input: { projectPath: "#{project.full_path}", name: $name, secret: $value,
                                     environment: $environment, branch: $branch }) {
          projectSecret { name metadataVersion } errors
        }
      }
    GQL
  end

  def seed_secret(name, value: "value-of-#{name}", environment: "*", branch: "*")
    enable_secrets_manager!(project) # a secret exists only in an active secrets manager
    project.secrets.create!(name:, value:, environment:, branch:)
  end

  def list_names(as:)
    res = graphql(%({ projectSecrets(projectPath: "#{project.full_path}") { nodes { name } } }), as:)
    res.dig("data", "projectSecrets", "nodes")&.map { |n| n["name"] }
  end

  def grant(type, id, actions, expired_at: nil)
    project.secrets_permissions.create!(principal_type: type, principal_id: id, actions:, expired_at:)
  end

  def not_available = PipelineGuard::GraphQL::ResourceNotAvailable::MESSAGE
end

# Enabling a secrets manager in specs.
module AppHelpers
  # Enables the secrets manager of a project or group the way the
  # Initialize mutation does and runs its provisioning job; returns the
  # active ProjectSecretsManager / GroupSecretsManager.
  def enable_secrets_manager!(owner)
    manager = owner.secrets_manager || owner.create_secrets_manager!
    ProvisionSecretsManagerJob.perform_now(manager) if manager.provisioning?
    manager.reload
  end
end
