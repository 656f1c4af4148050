# frozen_string_literal: true

# Sets up OpenBao as GitLab 19.4 does (SecretsManagerClient and the
# Provision/Deprovision services):
# - `bootstrap!` (once per OpenBao, with the root token, the only thing the
#   root token is ever used for): the root namespace's `gitlab_rails_jwt`
#   JWT mount trusting the app's signing key, its `app` role (bound to the
#   OpenBao URL as audience, `sub` gitlab_secrets_manager, scope privileged)
#   and the `gitlab_rails` policy that role carries;
# - `provision(manager)` (as the app role): the namespace
#   org_<o>/group_<root>/{project,group}_<id>, KV v2 at `secrets/kv`, the
#   JWT mounts pipeline_jwt / user_jwt / api_jwt trusting the app's key, and
#   their CEL roles all_pipelines / all_users / all_api built by the gem
#   (PipelineGuard::SecretsManager::CelPrograms);
# - `deprovision(manager)`: deletes that namespace and everything in it.
class OpenBaoProvisioner
  RAILS_MOUNT = "gitlab_rails_jwt"
  RAILS_ROLE = "app"
  RAILS_POLICY = "gitlab_rails"
  # Rails manages every secrets-manager namespace (namespaces, mounts, roles,
  # policies, secret metadata).
  RAILS_POLICY_HCL = <<~HCL
    path "*" {
      capabilities = ["create", "read", "update", "patch", "delete", "list", "sudo"]
    }
  HCL
  # GitLab's SecretsManagerClient leeways for CEL roles.
  CEL_LEEWAYS = { expiration_leeway: 150, not_before_leeway: 150, clock_skew_leeway: 60 }.freeze
  PROGRAMS = PipelineGuard::SecretsManager::CelPrograms

  def initialize(addresses)
    @addresses = addresses
  end

  # True when the app role already logs in (nothing to do); otherwise sets
  # it up with `root` (a client holding the root token).
  def bootstrap!(root)
    return true if app_login_works?

    root.post("sys/auth/#{RAILS_MOUNT}", { type: "jwt" }) unless root.get("sys/auth").key?("#{RAILS_MOUNT}/")
    root.post("auth/#{RAILS_MOUNT}/config", jwt_config)
    root.put("sys/policies/acl/#{RAILS_POLICY}", { policy: RAILS_POLICY_HCL })
    root.post("auth/#{RAILS_MOUNT}/role/#{RAILS_ROLE}",
              { role_type: "jwt", bound_audiences: [IdTokens.audience], user_claim: "user_id",
                bound_subject: OpenBaoJwts::SYSTEM_UID, bound_claims: { secrets_manager_scope: "privileged" },
                token_policies: [RAILS_POLICY], token_ttl: "15m", token_max_ttl: "15m" })
    false
  end

  def provision(owner)
    ns = OpenBaoPaths.for(owner)
    create_namespaces(ns)
    client = app.in_namespace(ns)
    mounts = client.get("sys/mounts")
    client.post("sys/mounts/secrets/kv", { type: "kv", options: { version: "2" } }) unless
      (mounts["data"] || mounts).key?("secrets/kv/")
    auths = client.get("sys/auth")
    cel_programs(owner).each do |kind, program|
      mount, role = PROGRAMS::MOUNTS.fetch(kind).values_at(:mount, :role)
      client.post("sys/auth/#{mount}", { type: "jwt" }) unless (auths["data"] || auths).key?("#{mount}/")
      client.post("auth/#{mount}/config", jwt_config)
      client.post("auth/#{mount}/cel/role/#{role}",
                  { name: role, **CEL_LEEWAYS, **PROGRAMS.role(program, aud: IdTokens.audience) })
    end
  end

  # OpenBao deletes a namespace in the background after answering the
  # DELETE; deprovisioning is done when the namespace is gone, so that a
  # new secrets manager for the same owner can be provisioned right after.
  DELETE_WAIT_SECONDS = 10
  class DeletionTimeout < StandardError; end

  def deprovision(namespace)
    parent, _, leaf = namespace.rpartition("/")
    client = app
    begin
      client.delete("#{parent}/sys/namespaces/#{leaf}")
    rescue PipelineGuard::OpenBao::ClientError => e
      raise unless e.message.include?("not found")
    end
    wait_until_deleted(client, "#{parent}/sys/namespaces/#{leaf}")
  end

  # A client authenticated as the app role (a fresh 30 s JWT each time).
  def app = OpenBaoInlineClient.app(@addresses)

  private

  def app_login_works?
    app.get("auth/token/lookup-self")
    true
  rescue SecretStore::Denied, PipelineGuard::OpenBao::ClientError
    false
  end

  # GitLab configures OpenBao with its OIDC discovery URL; here OpenBao
  # trusts the app's public key directly (GitLab's test setup).
  def jwt_config
    { bound_issuer: IdTokens::ISSUER, jwt_validation_pubkeys: [IdTokens.public_key_pem] }
  end

  def wait_until_deleted(client, path)
    deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + DELETE_WAIT_SECONDS
    loop do
      client.get(path)
      raise DeletionTimeout, "OpenBao still holds #{path} after #{DELETE_WAIT_SECONDS} s" if
        Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline

      sleep 0.1
    end
  rescue PipelineGuard::OpenBao::ClientError => e
    raise unless e.message.include?("HTTP 404")
  end

  def create_namespaces(path)
    parent = nil
    path.split("/").each do |segment|
      begin
        app.post([parent, "sys/namespaces/#{segment}"].compact.join("/"))
      rescue PipelineGuard::OpenBao::ClientError => e
        raise unless e.message.include?("already exists")
      end
      parent = [parent, segment].compact.join("/")
    end
  end

  def cel_programs(owner)
    aud = IdTokens.audience
    if owner.is_a?(Group)
      { pipeline: PROGRAMS.group_pipeline(group_id: owner.id, aud:),
        user: PROGRAMS.group_user(group_id: owner.id, aud:), api: PROGRAMS.group_api(group_id: owner.id, aud:) }
    else
      { pipeline: PROGRAMS.project_pipeline(project_id: owner.id, aud:),
        user: PROGRAMS.project_user(project_id: owner.id, aud:), api: PROGRAMS.project_api(project_id: owner.id, aud:) }
    end
  end
end
